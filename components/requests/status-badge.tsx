import { Badge } from "@/components/ui/badge";
import type { RequestStatus, StepStatus } from "@/db/schema/requests";

const REQUEST: Record<
  RequestStatus,
  { label: string; variant: "default" | "secondary" | "outline" | "success" | "warning" | "destructive" | "info" }
> = {
  draft: { label: "Draft", variant: "outline" },
  in_review: { label: "In review", variant: "info" },
  changes_requested: { label: "Changes requested", variant: "warning" },
  approved: { label: "Approved", variant: "success" },
  rejected: { label: "Rejected", variant: "destructive" },
  withdrawn: { label: "Withdrawn", variant: "secondary" },
  deployed: { label: "Deployed", variant: "success" },
  rolled_back: { label: "Rolled back", variant: "warning" },
  expired: { label: "Expired", variant: "secondary" },
  revoked: { label: "Revoked", variant: "destructive" },
};

const STEP: Record<
  StepStatus,
  { label: string; variant: "secondary" | "success" | "warning" | "destructive" | "info" | "outline" }
> = {
  pending: { label: "Waiting", variant: "outline" },
  approved: { label: "Approved", variant: "success" },
  rejected: { label: "Rejected", variant: "destructive" },
  changes_requested: { label: "Changes requested", variant: "warning" },
  auto_passed: { label: "Passed automatically", variant: "secondary" },
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const look = REQUEST[status];
  return <Badge variant={look.variant}>{look.label}</Badge>;
}

export function StepStatusBadge({ status }: { status: StepStatus }) {
  const look = STEP[status];
  return <Badge variant={look.variant}>{look.label}</Badge>;
}

export const REQUEST_STATUS_LABELS = Object.fromEntries(
  Object.entries(REQUEST).map(([k, v]) => [k, v.label]),
) as Record<RequestStatus, string>;
