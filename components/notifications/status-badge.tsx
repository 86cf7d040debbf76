import { Badge } from "@/components/ui/badge";

const LOOK = {
  queued: { label: "Queued", variant: "secondary" },
  sending: { label: "Sending", variant: "info" },
  sent: { label: "Delivered", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  held: { label: "Held for digest", variant: "outline" },
  digested: { label: "Sent in digest", variant: "success" },
} as const;

export function NotificationStatusBadge({ status }: { status: keyof typeof LOOK }) {
  const { label, variant } = LOOK[status];
  return <Badge variant={variant}>{label}</Badge>;
}
