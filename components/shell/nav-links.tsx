"use client";

import { Menu, X } from "lucide-react";
import { useState } from "react";
import { ActiveLink } from "./active-link";

type Section = { href: string; label: string };

const linkClass =
  "rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

/**
 * The sections in a row on wide screens; on narrower ones (below 1024 px, where nine sections no
 * longer fit beside the account menu) behind a Menu button that opens them as a list under the header.
 */
export function NavLinks({ sections }: { sections: Section[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <nav aria-label="Main" className="hidden items-center gap-1 lg:flex">
        {sections.map((s) => (
          <ActiveLink key={s.href} href={s.href} className={linkClass} activeClassName="bg-muted text-foreground">
            {s.label}
          </ActiveLink>
        ))}
      </nav>
      <button
        type="button"
        className="order-last flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring lg:hidden"
        aria-expanded={open}
        aria-controls="main-menu"
        onClick={() => setOpen((was) => !was)}
      >
        {open ? <X aria-hidden className="size-4" /> : <Menu aria-hidden className="size-4" />}
        Menu
      </button>
      {open && (
        <nav id="main-menu" aria-label="Main" className="order-last w-full pb-2 lg:hidden">
          <ul className="grid grid-cols-2 gap-1 sm:grid-cols-3">
            {sections.map((s) => (
              <li key={s.href}>
                <ActiveLink
                  href={s.href}
                  onClick={() => setOpen(false)}
                  className={`${linkClass} block py-2`}
                  activeClassName="bg-muted text-foreground"
                >
                  {s.label}
                </ActiveLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}
