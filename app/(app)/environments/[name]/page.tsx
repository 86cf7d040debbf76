import type { Metadata } from "next";
import Link from "next/link";
import { Rocket } from "lucide-react";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PAGE_LIMIT, readEnvironment, readEnvironments, type EnvironmentPage } from "@/lib/environments/queries";
import { pageRead } from "@/lib/session/page-guard";
import { changeEnvironmentAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).name)} · Environments · Greenlight` };
}

type Entry = EnvironmentPage["history"][number];

const ended = (d: Entry) =>
  d.retiredAt === null
    ? "live"
    : d.retiredReason === "rolled_back"
      ? `rolled back${d.retiredByNumber ? ` to CR-${d.retiredByNumber}` : ""}`
      : `replaced${d.retiredByNumber ? ` by CR-${d.retiredByNumber}` : ""}`;

export default async function EnvironmentDetailPage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  const [page, { environments, mayEdit }] = await pageRead((ctx) =>
    Promise.all([readEnvironment(ctx, { name }), readEnvironments(ctx)]),
  );
  const { environment, live, history } = page;
  const earlier = environments.filter((e) => !e.archived && e.position < environment.position);
  return (
    <div className={`grid gap-6 [&>*]:min-w-0 ${mayEdit ? "lg:grid-cols-[2fr_1fr]" : ""}`}>
      <div className="flex flex-col gap-6">
        <div>
          <Link href="/environments" className="text-sm text-muted-foreground hover:underline">
            ← Environments
          </Link>
          <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
            {environment.name}
            {environment.protected && <Badge variant="secondary">protected</Badge>}
            {environment.archived && <Badge variant="outline">archived</Badge>}
          </h1>
          <p className="text-sm text-muted-foreground">
            Order {environment.position}
            {environment.requiresDeployedIn
              ? ` · takes versions already deployed to ${environment.requiresDeployedIn}`
              : " · takes any registered version"}
            {environment.description ? ` · ${environment.description}` : ""}
          </p>
        </div>

        <section aria-labelledby="live-heading" className="flex flex-col gap-3">
          <h2 id="live-heading" className="text-lg font-semibold">
            Live now
          </h2>
          {live.length === 0 ? (
            <EmptyState
              icon={Rocket}
              titleAs="h3"
              title={`Nothing is live in ${environment.name}`}
              description="A version goes live here when its approved deployment request is marked deployed."
              action={
                <Link href="/requests/new" className="text-sm font-medium text-primary underline">
                  File a deployment request
                </Link>
              }
            />
          ) : (
            <Table aria-label={`Live in ${environment.name}`} scrollable>
              <TableHeader>
                <TableRow>
                  <TableHead>Model</TableHead>
                  <TableHead>Version</TableHead>
                  <TableHead>Since</TableHead>
                  <TableHead>Through</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {live.map((d) => (
                  <TableRow key={d.model}>
                    <TableCell>
                      <Link href={`/models/${d.model}`} className="font-medium text-primary hover:underline">
                        {d.model}
                      </Link>
                    </TableCell>
                    <TableCell>
                      {d.version}
                      {d.artifactDigest && (
                        <span
                          className="block max-w-48 truncate font-mono text-xs text-muted-foreground"
                          title={d.artifactDigest}
                        >
                          {d.artifactDigest}
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap text-xs">
                      <LocalTime iso={d.deployedAt} />
                      {d.deployedBy && <span className="block text-muted-foreground">by {d.deployedBy}</span>}
                    </TableCell>
                    <TableCell>
                      <Link href={`/requests/${d.number}`} className="text-primary hover:underline">
                        CR-{d.number}
                      </Link>
                      {d.via === "rollback" && <span className="text-muted-foreground"> (rollback)</span>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {page.liveTruncated && (
            <p className="text-xs text-muted-foreground">
              Showing the first {PAGE_LIMIT} live models by name; the API lists the same.
            </p>
          )}
        </section>

        <section aria-labelledby="history-heading" className="flex flex-col gap-3">
          <h2 id="history-heading" className="text-lg font-semibold">
            History
          </h2>
          {history.length === 0 ? (
            <p className="text-sm text-muted-foreground">No deployments to {environment.name} yet.</p>
          ) : (
            <Table aria-label={`Deployments to ${environment.name}`} scrollable>
              <TableHeader>
                <TableRow>
                  <TableHead>Model</TableHead>
                  <TableHead>Version</TableHead>
                  <TableHead>Request</TableHead>
                  <TableHead>Live from</TableHead>
                  <TableHead>Ended</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {history.map((d) => (
                  <TableRow key={`${d.model}-${d.number}-${d.deployedAt}`}>
                    <TableCell className="font-medium">{d.model}</TableCell>
                    <TableCell>{d.version}</TableCell>
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
                        <span className="block whitespace-nowrap text-muted-foreground">
                          <LocalTime iso={d.retiredAt} />
                        </span>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {page.historyTruncated && (
            <p className="text-xs text-muted-foreground">
              Showing the latest {PAGE_LIMIT} deployments; the audit log holds every one.
            </p>
          )}
        </section>
      </div>

      {mayEdit && (
        <div className="flex flex-col gap-4">
          <Card className="h-fit">
            <CardHeader>
              <CardTitle>Change {environment.name}</CardTitle>
              <CardDescription>
                Requests already in review keep their chain; the rules apply from the next submission.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <EnvironmentForm environment={environment} earlier={earlier} action={changeEnvironmentAction} />
            </CardContent>
          </Card>
          <Card className="h-fit">
            <CardHeader>
              <CardTitle>{environment.archived ? "Archived" : "Archive"}</CardTitle>
              <CardDescription>
                {environment.archived
                  ? "No new request can name it. Restore it to offer it again."
                  : "Stops new requests from naming it; requests and history that name it keep it."}
              </CardDescription>
            </CardHeader>
            <CardContent>
              {environment.archived ? (
                <ConfirmDialog
                  trigger={`Restore ${environment.name}`}
                  triggerVariant="outline"
                  title={`Restore ${environment.name}?`}
                  description={`New deployment requests may name ${environment.name} again.`}
                  confirm="Restore"
                  pendingLabel="Restoring…"
                  cancel="Keep it archived"
                  fields={{ name: environment.name, archived: "false" }}
                  action={changeEnvironmentAction}
                />
              ) : (
                <ConfirmDialog
                  trigger={`Archive ${environment.name}`}
                  title={`Archive ${environment.name}?`}
                  description={`No new request can name ${environment.name}, and policies that match it stop applying to new requests. ${live.length ? `${live.length} model${live.length === 1 ? " is" : "s are"} live there and stay${live.length === 1 ? "s" : ""} listed. ` : ""}Requests already filed keep it.`}
                  confirm="Archive"
                  pendingLabel="Archiving…"
                  cancel="Keep it"
                  fields={{ name: environment.name, archived: "true" }}
                  action={changeEnvironmentAction}
                />
              )}
            </CardContent>
          </Card>
        </div>
      )}
    </div>
  );
}
