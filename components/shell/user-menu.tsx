"use client";

import Link from "next/link";
import { ChevronDown, LogOut, Mail, Settings } from "lucide-react";
import type { Role } from "@/db/schema/org";
import { ROLE_LABELS } from "@/components/roles";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

type Props = {
  user: { name: string | null; email: string; roles: Role[] };
  showOutbox: boolean;
  signOut: () => Promise<void>;
};

export function UserMenu({ user, showOutbox, signOut }: Props) {
  const initials = (user.name ?? user.email)
    .split(/[\s@.]+/)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase() ?? "")
    .join("");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        <span className="sr-only">Account menu:</span>
        <span
          aria-hidden
          className="flex size-7 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
        >
          {initials}
        </span>
        <span className="hidden text-left md:block">
          <span className="block font-medium leading-tight" data-testid="current-user">
            {user.name ?? user.email}
          </span>
          <span className="block text-xs leading-tight text-muted-foreground">
            {user.roles.map((r) => ROLE_LABELS[r]).join(", ") || "No roles"}
          </span>
        </span>
        <ChevronDown aria-hidden className="size-4 text-muted-foreground" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel>
          <span className="block truncate">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings">
            <Settings aria-hidden className="size-4" /> Settings and API tokens
          </Link>
        </DropdownMenuItem>
        {showOutbox && (
          <DropdownMenuItem asChild>
            <Link href="/outbox">
              <Mail aria-hidden className="size-4" /> Outbox
            </Link>
          </DropdownMenuItem>
        )}
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOut aria-hidden className="size-4" /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
