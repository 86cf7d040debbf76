import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { Notification } from "@/db/schema/notifications";

type Look = { label: string; variant: BadgeProps["variant"] };

const LOOK: Record<Notification["status"], Look> = {
  queued: { label: "Queued", variant: "secondary" },
  sending: { label: "Sending", variant: "info" },
  sent: { label: "Delivered", variant: "success" },
  failed: { label: "Retrying", variant: "warning" },
  held: { label: "Held for digest", variant: "outline" },
  digested: { label: "Sent in digest", variant: "success" },
};

/** The status in words (colour only reinforces it); a failure out of attempts is a dead letter. */
export function OutboxStatusBadge({ status, deadLetter }: { status: Notification["status"]; deadLetter: boolean }) {
  const { label, variant } = deadLetter ? { label: "Dead letter", variant: "destructive" as const } : LOOK[status];
  return <Badge variant={variant}>{label}</Badge>;
}
