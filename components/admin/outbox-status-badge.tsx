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
export function OutboxStatusBadge({
  status,
  transport,
  deadLetter,
}: {
  status: Notification["status"];
  transport: string | null;
  deadLetter: boolean;
}) {
  // Taken by the built-in outbox (no Resend key): kept here, not delivered anywhere.
  const held = transport === "outbox" && (status === "sent" || status === "digested");
  const { label, variant } = deadLetter
    ? { label: "Dead letter", variant: "destructive" as const }
    : held
      ? { label: "Held in the outbox", variant: "outline" as const }
      : LOOK[status];
  return <Badge variant={variant}>{label}</Badge>;
}
