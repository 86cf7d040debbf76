import type { Metadata } from "next";
import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageRead } from "@/lib/session/page-guard";
import { readSecurityPage } from "@/lib/security/queries";
import { importAdvisoriesAction, setLicencePolicyAction } from "./actions";
import { Textarea } from "@/components/ui/textarea";

export const metadata: Metadata = { title: "Security · Greenlight" };

export default async function SecurityPage() {
  const { queue, flagged, overview, licences } = await pageRead(readSecurityPage);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Security review</h1>
          <p className="text-sm text-muted-foreground">
            Requests waiting for the security team, oldest first, with what their dependency review found.
          </p>
        </div>
        <Link
          href="/security/allowlist"
          className="text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          Allowlist: {overview.allowlist.active} active, {overview.allowlist.unused} never used →
        </Link>
      </div>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
        <div className="flex min-w-0 flex-col gap-6">
          {flagged.length > 0 && (
            <section aria-labelledby="flagged-heading" className="flex min-w-0 flex-col gap-2">
              <h2 id="flagged-heading" className="text-lg font-semibold">
                New advisories on reviewed requests ({flagged.length})
              </h2>
              <Table aria-labelledby="flagged-heading">
                <TableHeader>
                  <TableRow>
                    <TableHead>Request</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Manifest</TableHead>
                    <TableHead>Found</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {flagged.map((f) => (
                    <TableRow key={f.number}>
                      <TableCell>
                        <Link
                          href={`/requests/${f.number}/dependencies`}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          CR-{f.number}
                        </Link>{" "}
                        {f.title}
                        <span className="block text-xs text-muted-foreground">
                          {f.team} · {f.environment}
                        </span>
                      </TableCell>
                      <TableCell>
                        <Badge variant="destructive">{f.status.replace("_", " ")}</Badge>
                      </TableCell>
                      <TableCell>{f.manifest}</TableCell>
                      <TableCell className="text-sm">{f.flaggedAt ? <LocalTime iso={f.flaggedAt} /> : "—"}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
          )}
          <section aria-labelledby="queue-heading" className="flex min-w-0 flex-col gap-2">
            <h2 id="queue-heading" className="text-lg font-semibold">
              Waiting for security ({queue.length})
            </h2>
            {queue.length === 0 ? (
              <EmptyState
                icon={ShieldCheck}
                titleAs="p"
                title="Nothing is waiting for security"
                description="Requests appear here when their security step opens. Steps whose packages are all allowlisted pass by themselves."
              />
            ) : (
              <Table aria-labelledby="queue-heading">
                <TableHeader>
                  <TableRow>
                    <TableHead>Request</TableHead>
                    <TableHead>Manifest</TableHead>
                    <TableHead className="text-right">Packages</TableHead>
                    <TableHead>Findings</TableHead>
                    <TableHead>Waiting since</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {queue.map((q) => (
                    <TableRow key={q.number}>
                      <TableCell>
                        <Link
                          href={`/requests/${q.number}/dependencies`}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          CR-{q.number}
                        </Link>{" "}
                        {q.title}
                        <span className="block text-xs text-muted-foreground">
                          {q.team} · {q.kind.replace("_", " ")} · {q.environment}
                        </span>
                      </TableCell>
                      <TableCell>
                        {q.manifest ?? <span className="text-muted-foreground">none uploaded</span>}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {q.manifest ? `${q.pending} of ${q.dependencies} open` : "—"}
                      </TableCell>
                      <TableCell>
                        <div className="flex flex-wrap gap-1">
                          {q.affected > 0 && <Badge variant="destructive">{q.affected} vulnerable</Badge>}
                          {q.signals > 0 && <Badge variant="warning">{q.signals} with signals</Badge>}
                          {q.newToOrg > 0 && <Badge variant="info">{q.newToOrg} new</Badge>}
                          {q.manifest && q.affected + q.signals === 0 && <Badge variant="success">Clean</Badge>}
                        </div>
                      </TableCell>
                      <TableCell className="text-sm">
                        {q.openedAt ? <LocalTime iso={q.openedAt.toISOString()} /> : "—"}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </section>
        </div>
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle as="h2">Advisories</CardTitle>
              <CardDescription>
                {overview.snapshot.count.toLocaleString("en-US")} OSV records
                {overview.snapshot.importedAt ? (
                  <>
                    , last import <LocalTime iso={overview.snapshot.importedAt.toISOString()} />
                  </>
                ) : (
                  ": none imported yet, so no vulnerability can be found"
                )}
                . Reviews are as of the snapshot they ran against.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <ActionForm
                action={importAdvisoriesAction}
                resetOnSuccess
                className="flex flex-col gap-3"
                aria-label="Import advisories"
              >
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="advisory-file">OSV JSON files or a zip (e.g. PyPI/all.zip)</Label>
                  <input
                    id="advisory-file"
                    name="file"
                    type="file"
                    multiple
                    accept=".json,.zip,application/json,application/zip"
                    className="text-sm"
                    aria-describedby="advisory-file-error"
                  />
                  <FormFieldError name="file" id="advisory-file-error" />
                </div>
                <SubmitButton pendingLabel="Importing…">Import advisories</SubmitButton>
                <p className="text-xs text-muted-foreground">
                  Or from a shell: <code>npm run cli -- advisories import &lt;path&gt;</code>
                </p>
              </ActionForm>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle as="h2">Licence policy</CardTitle>
              <CardDescription>
                SPDX ids. A package whose licence expression can be satisfied with allowed licences passes; one that
                cannot avoid a denied licence is denied; anything else, and packages with no licence, go to a person.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <ActionForm action={setLicencePolicyAction} className="flex flex-col gap-3" aria-label="Licence policy">
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="licences-allowed">Allowed</Label>
                  <Textarea
                    id="licences-allowed"
                    name="allowed"
                    rows={3}
                    className="font-mono text-xs"
                    defaultValue={licences.allowed.join(", ")}
                    aria-describedby="licences-allowed-error"
                  />
                  <FormFieldError name="allowed" id="licences-allowed-error" />
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="licences-denied">Denied</Label>
                  <Textarea
                    id="licences-denied"
                    name="denied"
                    rows={2}
                    className="font-mono text-xs"
                    defaultValue={licences.denied.join(", ")}
                    aria-describedby="licences-denied-error"
                  />
                  <FormFieldError name="denied" id="licences-denied-error" />
                </div>
                <SubmitButton pendingLabel="Saving…">Save licence policy</SubmitButton>
              </ActionForm>
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
