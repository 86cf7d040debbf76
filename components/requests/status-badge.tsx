import { Badge } from "@/components/ui/badge";
import type { RequestStatus, StepStatus } from "@/db/schema/requests";
import { REQUEST_STATUS_LABELS, STEP_STATUS_LABELS } from "@/lib/labels";

// The words come from lib/requests/labels.ts; only how each state looks is decided here.
const REQUEST: Record<
  RequestStatus,
  "default" | "secondary" | "outline" | "success" | "warning" | "destructive" | "info"
> = {
  draft: "outline",
  in_review: "info",
  changes_requested: "warning",
  approved: "success",
  rejected: "destructive",
  withdrawn: "secondary",
  deployed: "success",
  rolled_back: "warning",
  expired: "secondary",
  revoked: "destructive",
};

const STEP: Record<StepStatus, "secondary" | "success" | "warning" | "destructive" | "info" | "outline"> = {
  pending: "outline",
  approved: "success",
  rejected: "destructive",
  changes_requested: "warning",
  auto_passed: "secondary",
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  return <Badge variant={REQUEST[status]}>{REQUEST_STATUS_LABELS[status]}</Badge>;
}

export function StepStatusBadge({ status }: { status: StepStatus }) {
  return <Badge variant={STEP[status]}>{STEP_STATUS_LABELS[status]}</Badge>;
}
