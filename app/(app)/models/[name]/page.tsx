import type { Metadata } from "next";
import Link from "next/link";
import { RegisterVersionForm } from "@/components/models/register-version-form";
import { LocalTime } from "@/components/local-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageRead } from "@/lib/session/page-guard";
import { readModelPage } from "@/lib/models/queries";
import { liveView, readModelDeployments } from "@/lib/requests/deployments";
import { LiveEnvironments } from "@/components/deployments/live-environments";
import { registerVersionAction, rollbackAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `${(await params).name} · Models · Greenlight` };
}

const summary = (o: Record<string, unknown>) =>
  Object.entries(o)
    .slice(0, 3)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");

export default async function ModelPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const [{ model, can }, deployments] = await pageRead((ctx) =>
    Promise.all([
      readModelPage(ctx, { name: decodeURIComponent(name) }),
      readModelDeployments(ctx, { name: decodeURIComponent(name) }),
    ]),
  );
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/models" className="text-sm text-muted-foreground hover:underline">
          ← Models
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">{model.name}</h1>
        <p className="text-sm text-muted-foreground">
          {model.team} · owner {model.owner}
          {model.description ? ` · ${model.description}` : ""}
        </p>
      </div>
      {model.versionCount > model.versions.length && (
        <p className="text-sm text-muted-foreground">
          Showing the {model.versions.length.toLocaleString("en")} newest of {model.versionCount.toLocaleString("en")}{" "}
          versions.
        </p>
      )}
      <LiveEnvironments model={model.name} environments={liveView(deployments)} rollbackAction={rollbackAction} />
      {model.versions.length === 0 ? (
        <EmptyState
          title="No versions yet"
          description="Register the first version below: its hyperparameters, dataset and metrics."
        />
      ) : (
        <Table aria-label="Versions">
          <TableHeader>
            <TableRow>
              <TableHead>Version</TableHead>
              <TableHead>Framework</TableHead>
              <TableHead>Dataset</TableHead>
              <TableHead>Metrics</TableHead>
              <TableHead>Commit</TableHead>
              <TableHead>Registered</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {model.versions.map((v) => (
              <TableRow key={v.id}>
                <TableCell>
                  <Link
                    href={`/models/${model.name}/versions/${v.version}`}
                    className="font-medium text-primary underline-offset-2 hover:underline"
                  >
                    {v.version}
                  </Link>
                </TableCell>
                <TableCell className="text-xs">{v.framework}</TableCell>
                <TableCell className="text-xs">
                  {v.datasetName} @ {v.datasetVersion}
                </TableCell>
                <TableCell className="font-mono text-xs">{summary(v.metrics)}</TableCell>
                <TableCell className="font-mono text-xs">{v.gitCommit?.slice(0, 8) ?? "—"}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  <LocalTime iso={v.createdAt.toISOString()} /> · {v.createdByEmail}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {can.addVersion && <RegisterVersionForm model={model.name} action={registerVersionAction} />}
    </div>
  );
}
