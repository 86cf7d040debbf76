import type { Role } from "@/db/schema/org";
import { mayReadAudit } from "../audit/permissions";
import { mayBrowseDatasets } from "../datasets/permissions";
import { mayReadBudgets } from "../budgets/permissions";
import { mayReadInsights } from "../insights/permissions";
import { mayBrowseModels } from "../models/permissions";
import { mayBrowseRequests } from "../requests/permissions";
import { mayReviewSecurity } from "../security/permissions";
import { mayAdminister } from "../users/permissions";

type Roles = { roles: readonly Role[] };

// Who sees which section: each section's own rule, from its domain. The pages' reads apply the same
// rules on the server; this only decides what to show.
export const NAV_SECTIONS: { href: string; label: string; allowed: (person: Roles) => boolean }[] = [
  { href: "/inbox", label: "Inbox", allowed: mayBrowseRequests },
  { href: "/requests", label: "Requests", allowed: mayBrowseRequests },
  { href: "/models", label: "Models", allowed: mayBrowseModels },
  { href: "/environments", label: "Environments", allowed: mayBrowseModels },
  // "Data", not "Data dictionary": an admin's ten sections must fit one line at 1440 px.
  { href: "/datasets", label: "Data", allowed: mayBrowseDatasets },
  { href: "/budgets", label: "Budgets", allowed: mayReadBudgets },
  { href: "/insights", label: "Insights", allowed: mayReadInsights },
  { href: "/security", label: "Security", allowed: mayReviewSecurity },
  { href: "/audit", label: "Audit", allowed: mayReadAudit },
  { href: "/admin", label: "Admin", allowed: mayAdminister },
];

export function sectionsFor(roles: readonly Role[]) {
  return NAV_SECTIONS.filter((s) => s.allowed({ roles }));
}
