import { LocalTime } from "@/components/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

type Event = {
  seq: number;
  occurredAt: string;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  hash: string;
};

function summary(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ");
}

export function AuditTable({ events }: { events: Event[] }) {
  return (
    <Table aria-label="Audit events" scrollable>
      <TableHeader>
        <TableRow>
          <TableHead className="w-16 text-right">#</TableHead>
          <TableHead>When</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Entity</TableHead>
          <TableHead>Details</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((e) => (
          <TableRow key={e.seq}>
            <TableCell className="text-right tabular-nums text-muted-foreground" title={`hash ${e.hash}`}>
              {e.seq}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <LocalTime iso={e.occurredAt} />
            </TableCell>
            <TableCell className="whitespace-nowrap">{e.actorEmail ?? "—"}</TableCell>
            <TableCell>
              <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{e.action}</code>
            </TableCell>
            <TableCell className="whitespace-nowrap text-xs">
              {e.entityType}{" "}
              <span className="text-muted-foreground">
                {e.entityId.length > 12 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
              </span>
            </TableCell>
            <TableCell className="max-w-md truncate text-xs text-muted-foreground" title={summary(e.data)}>
              {summary(e.data)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
