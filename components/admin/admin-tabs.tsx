import { ActiveLink } from "@/components/shell/active-link";

const TABS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/teams", label: "Teams" },
  { href: "/admin/policies", label: "Policies" },
  { href: "/admin/outbox", label: "Outbox" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/monitoring", label: "Monitoring" },
  { href: "/admin/sso", label: "SSO" },
  { href: "/admin/mlflow", label: "MLflow" },
];

export function AdminTabs() {
  return (
    // Seven tabs do not fit a phone: the row scrolls sideways on its own instead of widening the page.
    <nav aria-label="Admin sections" className="flex gap-1 overflow-x-auto border-b border-border">
      {TABS.map((t) => (
        <ActiveLink
          key={t.href}
          href={t.href}
          className="-mb-px shrink-0 whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          activeClassName="border-primary text-foreground"
        >
          {t.label}
        </ActiveLink>
      ))}
    </nav>
  );
}
