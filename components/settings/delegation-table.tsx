import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ActionResult } from "@/lib/http/action";
import { DELEGATION_STATUS_LABELS, type DelegationStatus } from "@/lib/delegations/status";
import { EndDelegationDialog } from "./end-delegation-dialog";

export type DelegationRow = {
  id: string;
  /** The other person: the delegate (delegations you gave) or the delegator (delegations to you). */
  person: string;
  scope: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  status: DelegationStatus;
  endedEarly: { at: string; by: string } | null;
  canEnd: boolean;
};

const STATUS_VARIANT: Record<DelegationStatus, "success" | "info" | "secondary" | "outline"> = {
  active: "success",
  scheduled: "info",
  ended: "secondary",
  ended_early: "outline",
};

/** Delegations one gave or received, with what they cover, their window, where they stand and "End now". */
export function DelegationTable({
  rows,
  direction,
  action,
}: {
  rows: DelegationRow[];
  direction: "given" | "received";
  action: (form: FormData) => Promise<ActionResult>;
}) {
  const label = direction === "given" ? "Delegations you gave" : "Delegations to you";
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>{direction === "given" ? "To" : "From"}</TableHead>
          <TableHead>Covers</TableHead>
          <TableHead>Window</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((d) => (
          <TableRow key={d.id}>
            <TableCell className="font-medium">
              {d.person}
              {d.reason && <span className="block text-xs font-normal text-muted-foreground">{d.reason}</span>}
            </TableCell>
            <TableCell className="text-xs">{d.scope}</TableCell>
            <TableCell className="text-xs">
              <LocalTime iso={d.startsAt} /> to <LocalTime iso={d.endsAt} />
            </TableCell>
            <TableCell>
              <Badge variant={STATUS_VARIANT[d.status]}>{DELEGATION_STATUS_LABELS[d.status]}</Badge>
              {d.endedEarly && (
                <span className="block text-xs text-muted-foreground">
                  by {d.endedEarly.by}, <LocalTime iso={d.endedEarly.at} />
                </span>
              )}
            </TableCell>
            <TableCell className="text-right">
              {d.canEnd && (
                <EndDelegationDialog
                  delegationId={d.id}
                  title={direction === "given" ? `Your delegation to ${d.person}` : `${d.person}'s delegation to you`}
                  consequence={
                    direction === "given"
                      ? `${d.person} will no longer decide your approval steps.`
                      : `You will no longer decide approval steps for ${d.person}.`
                  }
                  action={action}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
