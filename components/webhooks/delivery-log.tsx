import Link from "next/link";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { WebhookDeliveryStatus } from "@/db/schema/webhooks";
import type { ActionResult } from "@/lib/http/action";

export type DeliveryRow = {
  id: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  createdAt: string;
};

const STATUS: Record<
  DeliveryRow["status"],
  { label: string; variant: "success" | "warning" | "destructive" | "info" }
> = {
  pending: { label: "Waiting to retry", variant: "warning" },
  sending: { label: "Sending", variant: "info" },
  delivered: { label: "Delivered", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
};

export function DeliveryStatusBadge({ status, attempts }: { status: DeliveryRow["status"]; attempts: number }) {
  const s = status === "pending" && attempts === 0 ? { label: "Queued", variant: "info" as const } : STATUS[status];
  return <Badge variant={s.variant}>{s.label}</Badge>;
}

type Props = {
  endpointId: string;
  deliveries: DeliveryRow[];
  redeliver: (form: FormData) => Promise<ActionResult>;
  mayRedeliver: boolean;
};

/** The endpoint's delivery log, newest first: what was sent, how it went, and a way to send it again. */
export function DeliveryLog({ endpointId, deliveries, redeliver, mayRedeliver }: Props) {
  return (
    <Table aria-label="Delivery log">
      <TableHeader>
        <TableRow>
          <TableHead>Event</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
          <TableHead>Last answer</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deliveries.map((d) => (
          <TableRow key={d.id} data-testid={`delivery-${d.id}`}>
            <TableCell className="font-mono text-xs">
              <Link
                href={`/admin/webhooks/${endpointId}?delivery=${d.id}#attempts`}
                className="underline-offset-2 hover:underline"
              >
                {d.eventType}
              </Link>
              <span className="mt-1 block whitespace-nowrap font-sans text-muted-foreground">
                <LocalTime iso={d.createdAt} />
              </span>
            </TableCell>
            <TableCell>
              <DeliveryStatusBadge status={d.status} attempts={d.attempts} />
              {d.status === "pending" && d.nextAttemptAt && d.attempts > 0 && (
                <span className="mt-1 block text-xs text-muted-foreground">
                  next <LocalTime iso={d.nextAttemptAt} />
                </span>
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
            <TableCell className="max-w-xs break-words text-xs">
              {d.lastStatusCode !== null || d.lastError ? (
                <>
                  {d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : "No answer"}
                  {d.lastDurationMs !== null && (
                    <span className="text-muted-foreground"> in {d.lastDurationMs} ms</span>
                  )}
                  {d.lastError && <span className="block text-destructive">{d.lastError}</span>}
                </>
              ) : (
                <span className="text-muted-foreground">Not tried yet</span>
              )}
            </TableCell>
            <TableCell className="text-right">
              {mayRedeliver && d.status !== "sending" && (
                <ActionForm action={redeliver} aria-label={`Redeliver ${d.eventType}`}>
                  <input type="hidden" name="id" value={endpointId} />
                  <input type="hidden" name="deliveryId" value={d.id} />
                  <SubmitButton size="sm" variant="outline" pendingLabel="Queueing…">
                    Redeliver
                  </SubmitButton>
                </ActionForm>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
