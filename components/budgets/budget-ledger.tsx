import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMoney } from "@/lib/cba/money";
import type { budgetDetail } from "@/lib/budgets/queries";

type Detail = NonNullable<Awaited<ReturnType<typeof budgetDetail>>>;

/** The period's commitments and spend entries, newest first, each with the request it belongs to. */
export function BudgetLedger({ detail }: { detail: Detail }) {
  const money = (minor: number) => formatMoney(minor, detail.budget.currency);
  return (
    <>
      <section className="flex flex-col gap-2" aria-labelledby="commitments-heading">
        <h2 id="commitments-heading" className="text-lg font-semibold">
          Commitments
        </h2>
        {detail.commitments.length === 0 ? (
          <p className="text-sm text-muted-foreground">No request has committed money in this period yet.</p>
        ) : (
          <Table aria-labelledby="commitments-heading">
            <TableHeader>
              <TableRow>
                <TableHead>Request</TableHead>
                <TableHead className="text-right">Amount</TableHead>
                <TableHead>Status</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {detail.commitments.map((c) => (
                <TableRow key={c.id}>
                  <TableCell>
                    <Link
                      href={`/requests/${c.number}`}
                      className="font-medium text-primary underline-offset-4 hover:underline"
                    >
                      CR-{c.number}
                    </Link>{" "}
                    <span className="text-muted-foreground">{c.title}</span>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{money(c.amountMinor)}</TableCell>
                  <TableCell>
                    {c.status === "held" ? (
                      <Badge variant="info">Held</Badge>
                    ) : (
                      <Badge variant="secondary">Released: {c.releaseReason}</Badge>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
      <section className="flex flex-col gap-2" aria-labelledby="spend-heading">
        <h2 id="spend-heading" className="text-lg font-semibold">
          Spend
        </h2>
        {detail.spend.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            Nothing spent yet. Record invoices here or post them to /api/v1/budgets/&#123;id&#125;/spend.
          </p>
        ) : (
          <Table aria-labelledby="spend-heading">
            <TableHeader>
              <TableRow>
                <TableHead>Date</TableHead>
                <TableHead>What for</TableHead>
                <TableHead>Request</TableHead>
                <TableHead className="text-right">Amount</TableHead>
                <TableHead>Recorded by</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {[...detail.spend].reverse().map((s) => (
                <TableRow key={s.id}>
                  <TableCell className="tabular-nums">{s.spentOn}</TableCell>
                  <TableCell>{s.description}</TableCell>
                  <TableCell>
                    {s.requestNumber ? (
                      <Link
                        href={`/requests/${s.requestNumber}`}
                        className="text-primary underline-offset-4 hover:underline"
                      >
                        CR-{s.requestNumber}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{money(s.amountMinor)}</TableCell>
                  <TableCell className="text-muted-foreground">{s.recordedBy ?? s.recordedByEmail ?? "API"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
      {detail.alerts.length > 0 && (
        <p className="text-sm text-muted-foreground">
          Alerts sent:{" "}
          {detail.alerts.map((a) => `${a.threshold}% ${a.basis} (${a.sentAt.toISOString().slice(0, 10)})`).join(" · ")}
        </p>
      )}
    </>
  );
}
