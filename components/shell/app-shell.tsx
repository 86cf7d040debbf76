import Link from "next/link";
import type { ReactNode } from "react";
import type { Role } from "@/db/schema/org";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";

type Props = {
  user: { name: string | null; email: string; roles: Role[] };
  sections: { href: string; label: string }[];
  showOutbox: boolean;
  demoMode: boolean;
  signOut: () => Promise<void>;
  children: ReactNode;
};

export function AppShell({ user, sections, showOutbox, demoMode, signOut, children }: Props) {
  return (
    <div className="min-h-screen bg-background">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-border bg-background/95 backdrop-blur">
        <div className="mx-auto flex min-h-14 max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 lg:flex-nowrap lg:gap-x-6 lg:py-0">
          <Link href="/" className="flex items-center gap-2 font-bold tracking-tight text-primary">
            <span aria-hidden className="inline-block size-3 rounded-full bg-primary" />
            Greenlight
          </Link>
          <NavLinks sections={sections} />
          <div className="ml-auto flex items-center gap-3">
            {demoMode && (
              <span className="hidden rounded-full border border-warning/50 bg-warning-soft px-2 py-0.5 text-xs font-medium text-warning-soft-foreground sm:inline">
                Demo mode
              </span>
            )}
            <UserMenu user={user} showOutbox={showOutbox} signOut={signOut} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
