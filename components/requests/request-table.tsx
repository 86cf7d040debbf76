import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RequestKind, RequestStatus } from "@/db/schema/requests";
import { RequestStatusBadge } from "./status-badge";
import { kindInWords } from "@/lib/labels";

export type RequestListItem = {
  number: number;
  title: string;
  kind: RequestKind;
  status: RequestStatus;
  environment: string;
  /** The risk policies matched on: the declared risk or higher, when the facts raised it. */
  effectiveRisk: string;
  emergency: boolean;
  team: string;
  requester: string;
  model: string | null;
  version: string | null;
  updatedAt: string;
  note?: string;
  overdue?: boolean;
};

export function RequestTable({ rows, label, showNote }: { rows: RequestListItem[]; label: string; showNote?: string }) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead className="w-24">Request</TableHead>
          <TableHead>Title</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Model</TableHead>
          <TableHead>Env</TableHead>
          <TableHead>Team</TableHead>
          <TableHead>Requester</TableHead>
          {showNote && <TableHead>{showNote}</TableHead>}
          <TableHead>Updated</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={`${r.number}-${r.note ?? ""}`}>
            <TableCell className="whitespace-nowrap font-mono text-xs">
              <Link
                href={`/requests/${r.number}`}
                className="font-medium text-primary underline-offset-2 hover:underline"
              >
                CR-{r.number}
              </Link>
            </TableCell>
            <TableCell className="max-w-sm">
              <Link href={`/requests/${r.number}`} className="font-medium hover:underline">
                {r.title}
              </Link>
              <div className="mt-0.5 flex flex-wrap gap-1">
                {r.emergency && <Badge variant="destructive">Emergency</Badge>}
                {r.effectiveRisk === "high" && <Badge variant="warning">High risk</Badge>}
                {r.kind !== "deployment" && <Badge variant="outline">{kindInWords(r.kind)}</Badge>}
              </div>
            </TableCell>
            <TableCell>
              <RequestStatusBadge status={r.status} />
            </TableCell>
            <TableCell className="whitespace-nowrap text-xs">{r.model ? `${r.model} ${r.version}` : "—"}</TableCell>
            <TableCell className="capitalize">{r.environment}</TableCell>
            <TableCell>{r.team}</TableCell>
            <TableCell className="whitespace-nowrap text-xs">{r.requester}</TableCell>
            {showNote && (
              <TableCell className={r.overdue ? "text-xs font-medium text-destructive" : "text-xs"}>{r.note}</TableCell>
            )}
            <TableCell className="whitespace-nowrap text-xs">
              <LocalTime iso={r.updatedAt} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
