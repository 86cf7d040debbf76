import { Badge } from "@/components/ui/badge";

const LOOK = {
  queued: { label: "Queued", variant: "secondary" },
  sending: { label: "Sending", variant: "info" },
  sent: { label: "Delivered", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  held: { label: "Held for digest", variant: "outline" },
  digested: { label: "Sent in digest", variant: "success" },
} as const;

/**
 * Without Resend nothing leaves the machine: a message the outbox transport took is "held in the
 * outbox", never "delivered" (issue 20: the page claimed delivery though nothing was sent).
 */
export function NotificationStatusBadge({
  status,
  transport,
}: {
  status: keyof typeof LOOK;
  transport: string | null;
}) {
  const held = transport === "outbox" && (status === "sent" || status === "digested");
  const { label, variant } = held
    ? {
        label: status === "digested" ? "In a digest, held in the outbox" : "Held in the outbox",
        variant: "outline" as const,
      }
    : LOOK[status];
  return <Badge variant={variant}>{label}</Badge>;
}
