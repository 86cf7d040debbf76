import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ActionResult } from "@/lib/http/action";
import { OUTCOME_LABELS } from "@/lib/labels";
import type { DeploymentView, EnvironmentView } from "@/lib/requests/deployments";
import { RollbackDialog } from "./rollback-dialog";

type Props = {
  model: string;
  environments: EnvironmentView[];
  rollbackAction: (form: FormData) => Promise<ActionResult>;
};

const ended = (d: DeploymentView) =>
  d.retiredAt === null
    ? "live"
    : d.retiredReason === "rolled_back"
      ? `rolled back${d.retiredByNumber ? ` to CR-${d.retiredByNumber}` : ""}`
      : `replaced${d.retiredByNumber ? ` by CR-${d.retiredByNumber}` : ""}`;

/** What is live per environment for one model, since when and through which request, with its history. */
export function LiveEnvironments({ model, environments, rollbackAction }: Props) {
  return (
    <section aria-labelledby="live-heading" className="flex flex-col gap-3">
      <h2 id="live-heading" className="text-lg font-semibold">
        Live
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        {environments.map((e) => (
          <Card key={e.environment} aria-label={`Live in ${e.environment}`}>
            <CardHeader>
              <CardTitle>
                <Link href={`/environments/${e.environment}`} className="hover:underline">
                  {e.environment}
                </Link>
              </CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col gap-3 text-sm">
              {e.live ? (
                <LiveNow model={model} live={e.live} />
              ) : (
                <p className="text-muted-foreground">Nothing deployed to {e.environment} yet.</p>
              )}
              {e.live && e.rollback && e.rollback.mayRollBack && !e.rollback.refusal && (
                <div>
                  <RollbackDialog
                    model={model}
                    environment={e.environment}
                    from={{ version: e.live.version, number: e.live.number }}
                    to={{ version: e.rollback.to, number: e.rollback.number }}
                    action={rollbackAction}
                  />
                </div>
              )}
              {e.rollback?.refusal && e.rollback.mayRollBack && (
                <p className="text-xs text-muted-foreground">No rollback: {e.rollback.refusal}</p>
              )}
              {e.history.length > 1 && (
                <details>
                  <summary className="cursor-pointer text-xs font-medium">History ({e.history.length})</summary>
                  <Table aria-label={`Deployments to ${e.environment}`} className="mt-2">
                    <TableHeader>
                      <TableRow>
                        <TableHead>Version</TableHead>
                        <TableHead>Request</TableHead>
                        <TableHead>Live from</TableHead>
                        <TableHead>Ended</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {e.history.map((d) => (
                        <TableRow key={d.id}>
                          <TableCell className="font-medium">{d.version}</TableCell>
                          <TableCell>
                            <Link href={`/requests/${d.number}`} className="text-primary hover:underline">
                              CR-{d.number}
                            </Link>
                            {d.via === "rollback" && <span className="text-muted-foreground"> (rollback)</span>}
                          </TableCell>
                          <TableCell className="whitespace-nowrap text-xs">
                            <LocalTime iso={d.deployedAt} />
                          </TableCell>
                          <TableCell className="text-xs">
                            {ended(d)}
                            {d.retiredAt && (
                              <>
                                {" · "}
                                <LocalTime iso={d.retiredAt} />
                              </>
                            )}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </details>
              )}
            </CardContent>
          </Card>
        ))}
      </div>
    </section>
  );
}

function LiveNow({ model, live }: { model: string; live: DeploymentView }) {
  return (
    <div className="flex flex-col gap-1" data-testid="live-now">
      <p>
        <Link href={`/models/${model}/versions/${live.version}`} className="font-semibold text-primary hover:underline">
          {live.version}
        </Link>{" "}
        since <LocalTime iso={live.deployedAt} />
        {live.deployedBy ? ` · ${live.deployedBy}` : ""}
      </p>
      <p className="text-muted-foreground">
        Through{" "}
        <Link href={`/requests/${live.number}`} className="text-primary hover:underline">
          CR-{live.number}
        </Link>
        {live.via === "rollback" ? " (brought back by a rollback)" : ""}
        {live.outcome && (
          <>
            {" "}
            <Badge variant="secondary">{OUTCOME_LABELS[live.outcome]}</Badge>
          </>
        )}
        {live.requestStatus === "revoked" && (
          <>
            {" "}
            <Badge variant="destructive">Approval revoked</Badge>
          </>
        )}
      </p>
      {live.note && <p className="text-xs text-muted-foreground">“{live.note}”</p>}
    </div>
  );
}
