import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageRead } from "@/lib/session/page-guard";
import { diffVersions } from "@/lib/models/diff";
import { readVersionPage } from "@/lib/models/queries";
import { mayFileFor } from "@/lib/requests/permissions";
import { readMlflowOrigin } from "@/lib/mlflow/queries";

export const metadata: Metadata = { title: "Model version · Greenlight" };

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

export default async function VersionPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string; version: string }>;
  searchParams: Promise<{ compare?: string }>;
}) {
  const { name, version } = await params;
  const { model, current, data, canFile, origin } = await pageRead(async (ctx) => {
    const read = await readVersionPage(ctx, { name: decodeURIComponent(name), version: decodeURIComponent(version) });
    // Every signed-in person reads the version; only those who may file for its team are offered a request.
    const origin = await readMlflowOrigin(ctx, read.current.id);
    return { ...read, canFile: mayFileFor(ctx.actor, read.model.teamId), origin };
  });
  const others = model.versions.filter((v) => v.id !== current.id);
  const wanted = (await searchParams).compare;
  const other = others.find((v) => v.version === wanted) ?? others[0];
  const rows = other ? diffVersions(other, current) : diffVersions(current, current);
  const changed = rows.filter((r) => r.changed).length;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href={`/models/${model.name}`} className="text-sm text-muted-foreground hover:underline">
          ← {model.name}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">
          {model.name} {current.version}
        </h1>
        <p className="text-sm text-muted-foreground">
          {current.framework} · <span className="font-mono">{current.sourceUri}</span>
          {current.gitCommit ? (
            <>
              {" "}
              · commit <span className="font-mono">{current.gitCommit}</span>
            </>
          ) : null}{" "}
          · by {current.createdByEmail}
        </p>
        <p className="text-sm text-muted-foreground">
          {current.artifactDigest ? (
            <>
              Artifact digest <span className="font-mono break-all">{current.artifactDigest}</span>
            </>
          ) : (
            "No artifact digest recorded: this version can go to staging, not to production."
          )}
          {current.trainingRunId ? (
            <>
              {" "}
              · training run <span className="font-mono">{current.trainingRunId}</span>
            </>
          ) : null}
        </p>
        {origin && (
          <p className="text-sm text-muted-foreground">
            Imported from MLflow:{" "}
            <a
              href={origin.href}
              className="font-mono underline-offset-4 hover:underline"
              rel="noreferrer"
              target="_blank"
            >
              {origin.mlflowName} version {origin.mlflowVersion}
            </a>
          </p>
        )}
        {current.datasetVersionId && (
          <p className="text-sm text-muted-foreground">
            Trained on{" "}
            <Link
              href={`/datasets/${current.datasetName}/versions/${encodeURIComponent(current.datasetVersion)}`}
              className="text-primary underline-offset-2 hover:underline"
            >
              {current.datasetName} {current.datasetVersion}
            </Link>{" "}
            · features <span className="font-mono break-words">{(current.features ?? []).join(", ") || "none"}</span>
            {current.label ? (
              <>
                {" "}
                · label <span className="font-mono">{current.label}</span>
              </>
            ) : null}
          </p>
        )}
        {data && data.changed.length > 0 && (
          <div
            role="status"
            className="mt-2 rounded-md border border-warning/50 bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
          >
            <p className="font-medium">
              {data.dataset} is at {data.latest} now; columns this version uses changed:
            </p>
            <ul className="mt-1 list-disc pl-5 break-words">
              {data.changed
                .flatMap((c) => c.sentences)
                .map((sentence) => (
                  <li key={sentence}>{sentence}</li>
                ))}
            </ul>
          </div>
        )}
        {canFile && (
          <div className="mt-2">
            <Button asChild size="sm">
              <Link href={`/requests/new?version=${encodeURIComponent(`${model.name}@${current.version}`)}`}>
                Request a deployment
              </Link>
            </Button>
          </div>
        )}
      </div>
      {other ? (
        <form method="get" className="flex items-end gap-2" aria-label="Compare with another version">
          <div className="flex flex-col gap-1">
            <Label htmlFor="compare">Compare with</Label>
            <NativeSelect id="compare" name="compare" defaultValue={other.version}>
              {others.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" variant="outline" size="sm">
            Compare
          </Button>
          <p className="pb-1 text-sm text-muted-foreground">
            {changed} of {rows.length} values differ.
          </p>
        </form>
      ) : (
        <p className="text-sm text-muted-foreground">The only version so far: nothing to compare with.</p>
      )}
      <Table aria-label={other ? `${other.version} compared with ${current.version}` : "Version details"}>
        <TableHeader>
          <TableRow>
            <TableHead>Section</TableHead>
            <TableHead>Key</TableHead>
            {other && <TableHead>{other.version}</TableHead>}
            <TableHead>{current.version}</TableHead>
            {other && <TableHead>Changed</TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={`${r.section}-${r.key}`} className={other && r.changed ? "bg-warning-soft" : undefined}>
              <TableCell className="text-xs text-muted-foreground">{r.section}</TableCell>
              <TableCell className="font-mono text-xs">{r.key}</TableCell>
              {other && <TableCell className="font-mono text-xs">{show(r.left)}</TableCell>}
              <TableCell className="font-mono text-xs font-medium">{show(r.right)}</TableCell>
              {other && <TableCell className="text-xs font-medium">{r.changed ? "Changed" : ""}</TableCell>}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
