import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Boxes, PlugZap } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { readMlflowAdmin, readRegistryModelNames, type MlflowAdminView } from "@/lib/mlflow/queries";
import { pageRead } from "@/lib/session/page-guard";
import {
  connectMlflowAction,
  disconnectMlflowAction,
  pickMlflowModelAction,
  setMlflowAliasAction,
  syncMlflowNowAction,
  unpickMlflowModelAction,
} from "./actions";

export const metadata: Metadata = { title: "MLflow · Admin · Greenlight" };

export default async function AdminMlflowPage() {
  await connection();
  const view = await pageRead(readMlflowAdmin);
  // Asked only once connected; a server that does not answer leaves the picker a text field.
  const registry = view.connection ? await pageRead(readRegistryModelNames) : { names: [], problem: null };
  const picked = new Set(view.models.map((m) => m.mlflowName));
  const available = registry.names.filter((n) => !picked.has(n));
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-6">
        {view.connection ? (
          <>
            <SyncStatus connection={view.connection} />
            <PickedModels view={view} />
            <WriteBacks view={view} />
          </>
        ) : (
          <EmptyState
            icon={PlugZap}
            title="No MLflow tracking server connected"
            description="Connect one (its address and, if it needs one, a token), then pick the registered models whose versions Greenlight should import. Approvals and deployments are then written back to MLflow as tags and aliases."
          />
        )}
      </div>
      <div className="flex flex-col gap-6">
        <ConnectionCard view={view} />
        {view.connection && (
          <>
            <PickCard
              teams={view.teams}
              available={available}
              allPicked={registry.names.length > 0 && available.length === 0}
              problem={registry.problem}
            />
            <AliasCard aliases={view.aliases} />
          </>
        )}
      </div>
    </div>
  );
}

function SyncStatus({ connection: c }: { connection: NonNullable<MlflowAdminView["connection"]> }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">Sync</CardTitle>
        <CardDescription>
          New versions of the picked models are imported every 15 minutes; a run that stops part-way resumes at the page
          it was on.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {c.syncing ? (
          <p role="status">
            <Badge>Syncing</Badge> since {c.syncStartedAt && <LocalTime iso={c.syncStartedAt.toISOString()} />}
            {c.progress && (
              <>
                {" "}
                · {c.progress.model ? `reading ${c.progress.model}, ` : ""}
                {c.progress.pages} page{c.progress.pages === 1 ? "" : "s"} done, {c.progress.imported} imported
              </>
            )}
          </p>
        ) : (
          <p>
            {c.syncFinishedAt ? (
              <>
                Last sync finished <LocalTime iso={c.syncFinishedAt.toISOString()} />
                {c.progress
                  ? ` and imported ${c.progress.imported} version${c.progress.imported === 1 ? "" : "s"}.`
                  : "."}
              </>
            ) : (
              "Not synced yet."
            )}
          </p>
        )}
        {c.lastSyncError && (
          <p className="text-destructive" role="alert">
            Last sync had problems: {c.lastSyncError}
          </p>
        )}
        <ActionForm action={syncMlflowNowAction} aria-label="Sync now">
          <SubmitButton size="sm" pendingLabel="Starting…" disabled={c.syncing}>
            Sync now
          </SubmitButton>
        </ActionForm>
      </CardContent>
    </Card>
  );
}

function PickedModels({ view }: { view: MlflowAdminView }) {
  if (view.models.length === 0)
    return (
      <EmptyState
        icon={Boxes}
        title="No models picked yet"
        description="Pick a registered model (and the team that owns it in Greenlight): its versions are imported at the next sync, with their parameters, metrics and datasets."
      />
    );
  return (
    <Table aria-label="Picked MLflow models" scrollable>
      <TableHeader>
        <TableRow>
          <TableHead>MLflow model</TableHead>
          <TableHead>Greenlight model</TableHead>
          <TableHead className="text-right">Imported</TableHead>
          <TableHead>Last synced</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {view.models.map((m) => (
          <TableRow key={m.id}>
            <TableCell className="font-mono text-xs">{m.mlflowName}</TableCell>
            <TableCell>
              <Link href={`/models/${m.model}`} className="underline-offset-4 hover:underline">
                {m.model}
              </Link>{" "}
              <span className="text-muted-foreground">({m.team})</span>
            </TableCell>
            <TableCell className="text-right tabular-nums">{m.importedCount}</TableCell>
            <TableCell className="text-sm">
              {m.lastSyncedAt ? <LocalTime iso={m.lastSyncedAt.toISOString()} /> : "never"}
              {m.midPass && <div className="text-xs text-muted-foreground">part-way: resumes at the saved page</div>}
              {m.lastError && <div className="text-xs text-destructive">{m.lastError}</div>}
            </TableCell>
            <TableCell>
              <ConfirmDialog
                trigger="Stop importing"
                triggerVariant="outline"
                title={`Stop importing ${m.mlflowName}?`}
                description={`New versions of ${m.mlflowName} are no longer imported. The ${m.importedCount} imported version(s) stay in ${m.model}.`}
                confirm="Stop importing"
                pendingLabel="Stopping…"
                cancel="Keep importing"
                fields={{ id: m.id }}
                action={unpickMlflowModelAction}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function WriteBacks({ view }: { view: MlflowAdminView }) {
  const w = view.writeBacks;
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">Written back to MLflow</CardTitle>
        <CardDescription>
          Each approval, deployment, revocation and rollback of an imported version sets the tags{" "}
          <code className="font-mono">greenlight.request</code> and <code className="font-mono">greenlight.status</code>{" "}
          on it (and the environment&apos;s alias on a deployment). Failures are retried with backoff and never undo the
          decision.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <p>
          {w.done} done · {w.pending} waiting · {w.failed} given up
        </p>
        {w.recentProblems.length > 0 && (
          <Table aria-label="Write-back problems" scrollable>
            <TableHeader>
              <TableRow>
                <TableHead>Request</TableHead>
                <TableHead>Version</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Last error</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {w.recentProblems.map((p, i) => (
                <TableRow key={i}>
                  <TableCell>
                    <Link href={`/requests/CR-${p.number}`} className="underline-offset-4 hover:underline">
                      CR-{p.number}
                    </Link>{" "}
                    {p.status}
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {p.mlflowName} {p.mlflowVersion}
                  </TableCell>
                  <TableCell>
                    <Badge variant={p.state === "failed" ? "destructive" : "secondary"}>
                      {p.state === "failed" ? "given up" : "retrying"}
                    </Badge>{" "}
                    after {p.attempts} attempt{p.attempts === 1 ? "" : "s"}
                  </TableCell>
                  <TableCell className="text-xs">{p.lastError}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function ConnectionCard({ view }: { view: MlflowAdminView }) {
  const c = view.connection;
  return (
    <Card className="self-start">
      <CardHeader>
        <CardTitle as="h2">Tracking server</CardTitle>
        <CardDescription>
          {c ? (
            <>
              Connected to <span className="font-mono">{c.url}</span>; token {c.tokenSet ? "set" : "not set"}
              {c.databricksHost ? `; Databricks host ${c.databricksHost}` : ""}.
            </>
          ) : (
            "Greenlight asks the server's REST API (/api/2.0/mlflow) before saving: an address or token it refuses is not saved."
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <ActionForm action={connectMlflowAction} className="flex flex-col gap-3" aria-label="Tracking server">
          <Field
            id="mlflow-url"
            name="url"
            label="Address"
            placeholder="https://mlflow.example.com"
            defaultValue={c?.url}
          />
          <Field
            id="mlflow-token"
            name="token"
            label="Token (sent as a Bearer token)"
            type="password"
            placeholder={c?.tokenSet ? "Set: leave blank to keep it" : "Not set"}
          />
          {c?.tokenSet && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="clearToken" /> Remove the saved token
            </label>
          )}
          <Field
            id="mlflow-databricks"
            name="databricksHost"
            label="Databricks host (optional, for links)"
            placeholder="https://dbc-123.cloud.databricks.com"
            defaultValue={c?.databricksHost ?? undefined}
          />
          <SubmitButton pendingLabel="Checking…">{c ? "Save" : "Connect"}</SubmitButton>
        </ActionForm>
        {c && (
          <ConfirmDialog
            trigger="Disconnect"
            title="Disconnect from MLflow?"
            description={`Greenlight stops importing from ${c.url}, forgets the ${view.models.length} picked model(s), the aliases and any write-back not yet made (${view.writeBacks.pending} waiting). Imported versions stay.`}
            confirm="Disconnect"
            pendingLabel="Disconnecting…"
            cancel="Stay connected"
            fields={{ confirm: "on" }}
            action={disconnectMlflowAction}
          />
        )}
      </CardContent>
    </Card>
  );
}

function PickCard({
  teams,
  available,
  allPicked,
  problem,
}: {
  teams: MlflowAdminView["teams"];
  available: string[];
  allPicked: boolean;
  problem: string | null;
}) {
  return (
    <Card className="self-start">
      <CardHeader>
        <CardTitle as="h2">Pick a model</CardTitle>
        <CardDescription>
          Its versions land in a Greenlight model owned by the team you choose; you are recorded as their author, so you
          do not approve them.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ActionForm
          action={pickMlflowModelAction}
          className="flex flex-col gap-3"
          aria-label="Pick a model"
          resetOnSuccess
        >
          {problem && (
            <p className="text-sm text-destructive" role="alert">
              Could not list MLflow&apos;s models ({problem}); type the name instead.
            </p>
          )}
          {allPicked && (
            <p className="text-sm text-muted-foreground">
              Every model MLflow lists is picked; a new one can be typed by name once it is registered.
            </p>
          )}
          {available.length > 0 && !problem ? (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="mlflow-model">MLflow model</Label>
              <NativeSelect id="mlflow-model" name="mlflowName" aria-describedby="mlflow-model-error">
                {available.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </NativeSelect>
              <FormFieldError name="mlflowName" id="mlflow-model-error" />
            </div>
          ) : (
            <Field id="mlflow-model" name="mlflowName" label="MLflow model name" />
          )}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="mlflow-team">Owning team</Label>
            <NativeSelect id="mlflow-team" name="teamId" aria-describedby="mlflow-team-error">
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </NativeSelect>
            <FormFieldError name="teamId" id="mlflow-team-error" />
          </div>
          <Field
            id="mlflow-gl-name"
            name="name"
            label="Greenlight model name (optional)"
            placeholder="derived from the MLflow name"
          />
          <SubmitButton pendingLabel="Picking…">Pick</SubmitButton>
        </ActionForm>
      </CardContent>
    </Card>
  );
}

function AliasCard({ aliases }: { aliases: MlflowAdminView["aliases"] }) {
  return (
    <Card className="self-start">
      <CardHeader>
        <CardTitle as="h2">Aliases per environment</CardTitle>
        <CardDescription>
          When a version is deployed to an environment with an alias, that alias is pointed at it in MLflow (blank:
          none).
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {aliases.map((a) => (
          <ActionForm
            key={a.environment}
            action={setMlflowAliasAction}
            className="flex items-end gap-2"
            aria-label={`Alias for ${a.environment}`}
          >
            <input type="hidden" name="environment" value={a.environment} />
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor={`alias-${a.environment}`}>{a.environment}</Label>
              <Input
                id={`alias-${a.environment}`}
                name="alias"
                defaultValue={a.alias ?? ""}
                placeholder="no alias"
                aria-describedby={`alias-${a.environment}-error`}
              />
              <FormFieldError name="alias" id={`alias-${a.environment}-error`} />
            </div>
            <SubmitButton size="sm" variant="outline" pendingLabel="Saving…">
              Save
            </SubmitButton>
          </ActionForm>
        ))}
      </CardContent>
    </Card>
  );
}

function Field(props: {
  id: string;
  name: string;
  label: string;
  placeholder?: string;
  defaultValue?: string;
  type?: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Input
        id={props.id}
        name={props.name}
        type={props.type ?? "text"}
        placeholder={props.placeholder}
        defaultValue={props.defaultValue}
        autoComplete="off"
        aria-describedby={`${props.id}-error`}
      />
      <FormFieldError name={props.name} id={`${props.id}-error`} />
    </div>
  );
}
