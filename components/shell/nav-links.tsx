import { ActiveLink } from "./active-link";

export function NavLinks({ sections }: { sections: { href: string; label: string }[] }) {
  return (
    <nav
      aria-label="Main"
      className="order-last -mx-1 flex w-full items-center gap-1 overflow-x-auto sm:order-none sm:mx-0 sm:w-auto"
    >
      {sections.map((s) => (
        <ActiveLink
          key={s.href}
          href={s.href}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          activeClassName="bg-muted text-foreground"
        >
          {s.label}
        </ActiveLink>
      ))}
    </nav>
  );
}
