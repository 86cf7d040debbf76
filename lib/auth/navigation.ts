import type { Role } from "@/db/schema/org";

// Who sees which section. Pages enforce the same roles on the server; this only decides what to show.
export const NAV_SECTIONS: { href: string; label: string; roles: readonly Role[] }[] = [
  { href: "/inbox", label: "Inbox", roles: ["requester", "manager", "security", "ml_lead", "admin"] },
  { href: "/requests", label: "Requests", roles: ["requester", "manager", "security", "ml_lead", "admin"] },
  { href: "/models", label: "Models", roles: ["requester", "ml_lead", "admin"] },
  { href: "/budgets", label: "Budgets", roles: ["manager", "admin"] },
  { href: "/security", label: "Security", roles: ["security", "admin"] },
  { href: "/audit", label: "Audit", roles: ["admin"] },
  { href: "/admin", label: "Admin", roles: ["admin"] },
];

export function sectionsFor(roles: readonly Role[]) {
  return NAV_SECTIONS.filter((s) => s.roles.some((r) => roles.includes(r)));
}

export function rolesForSection(href: string): readonly Role[] {
  const section = NAV_SECTIONS.find((s) => s.href === href);
  if (!section) throw new Error(`Unknown section ${href}`);
  return section.roles;
}
