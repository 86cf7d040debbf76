import { ActiveLink } from "@/components/shell/active-link";

const TABS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/teams", label: "Teams" },
  { href: "/admin/policies", label: "Policies" },
  { href: "/admin/outbox", label: "Outbox" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/monitoring", label: "Monitoring" },
  { href: "/admin/sso", label: "SSO" },
];

export function AdminTabs() {
  return (
    <nav aria-label="Admin sections" className="flex gap-1 border-b border-border">
      {TABS.map((t) => (
        <ActiveLink
          key={t.href}
          href={t.href}
          className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          activeClassName="border-primary text-foreground"
        >
          {t.label}
        </ActiveLink>
      ))}
    </nav>
  );
}
