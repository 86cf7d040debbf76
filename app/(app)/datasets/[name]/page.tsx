import type { Metadata } from "next";
import Link from "next/link";
import { ColumnsTable } from "@/components/datasets/columns-table";
import { NewVersionForm } from "@/components/datasets/new-version-form";
import { LocalTime } from "@/components/local-time";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { readDataset } from "@/lib/datasets/queries";
import { exportTableSchema } from "@/lib/datasets/table-schema";
import { pageRead } from "@/lib/session/page-guard";
import { createDatasetVersionAction } from "../actions";

export const metadata: Metadata = { title: "Dataset · Greenlight" };

export default async function DatasetPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { dataset, latest, can } = await pageRead((ctx) => readDataset(ctx, { name: decodeURIComponent(name) }));
  const link = (v: string) => `/datasets/${dataset.name}/versions/${encodeURIComponent(v)}`;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/datasets" className="text-sm text-muted-foreground hover:underline">
          ← Data dictionary
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{dataset.name}</h1>
        <p className="text-sm text-muted-foreground">
          Owned by {dataset.team} · added by {dataset.createdBy}
          {latest ? ` · latest ${latest.version}` : ""}
        </p>
        {dataset.description && <p className="mt-1 text-sm break-words">{dataset.description}</p>}
      </div>

      <div className="grid gap-6 lg:grid-cols-[3fr_2fr] [&>*]:min-w-0">
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>{latest ? `Columns in ${latest.version}` : "Columns"}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col gap-3">
              {latest ? (
                <>
                  <p className="text-sm">
                    <a
                      className="text-primary underline underline-offset-2"
                      href={`/api/v1/datasets/${dataset.name}/versions/${encodeURIComponent(latest.version)}/table-schema`}
                    >
                      Download as Table Schema
                    </a>
                  </p>
                  <ColumnsTable columns={latest.columns} primaryKey={latest.primaryKey} />
                </>
              ) : (
                <EmptyState
                  title="No version yet"
                  titleAs="h3"
                  description={
                    can.addVersion
                      ? "Import a Table Schema below: it becomes version one."
                      : `Someone who manages ${dataset.team}'s data (a manager, an ML lead) imports its first version.`
                  }
                />
              )}
            </CardContent>
          </Card>
          {can.addVersion && (
            <NewVersionForm
              dataset={dataset.name}
              current={latest ? JSON.stringify(exportTableSchema(latest), null, 2) : null}
              action={createDatasetVersionAction}
            />
          )}
        </div>

        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>History</CardTitle>
            </CardHeader>
            <CardContent>
              {dataset.versions.length === 0 ? (
                <p className="text-sm text-muted-foreground">No versions yet.</p>
              ) : (
                <ol aria-label="Versions" className="flex flex-col gap-3 text-sm">
                  {dataset.versions.map((v, i) => {
                    const previous = dataset.versions[i + 1];
                    return (
                      <li key={v.id} className="border-l-2 pl-3">
                        <Link
                          href={link(v.version)}
                          className="font-medium text-primary underline-offset-2 hover:underline"
                        >
                          {v.version}
                        </Link>{" "}
                        <span className="text-muted-foreground">
                          · {v.columns} columns · {v.createdBy} · <LocalTime iso={v.createdAt.toISOString()} />
                        </span>
                        {v.note && <p className="break-words">{v.note}</p>}
                        {previous && (
                          <Link
                            href={`/datasets/${dataset.name}/diff?from=${encodeURIComponent(previous.version)}&to=${encodeURIComponent(v.version)}`}
                            className="text-xs text-primary underline underline-offset-2"
                          >
                            What changed since {previous.version}
                          </Link>
                        )}
                      </li>
                    );
                  })}
                </ol>
              )}
              {dataset.versionCount > dataset.versions.length && (
                <p className="mt-2 text-xs text-muted-foreground">
                  Showing the newest {dataset.versions.length} of {dataset.versionCount} versions.
                </p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Used by</CardTitle>
            </CardHeader>
            <CardContent>
              {dataset.usedBy.length === 0 ? (
                <p className="text-sm text-muted-foreground">
                  No model version names this dataset yet. Registering a version with its dataset, features and label
                  links it here, and its people hear when a column it uses changes.
                </p>
              ) : (
                <ul aria-label="Model versions using this dataset" className="flex flex-col gap-2 text-sm">
                  {dataset.usedBy.map((u) => (
                    <li key={`${u.model}@${u.version}`} className="break-words">
                      <Link
                        href={`/models/${u.model}/versions/${encodeURIComponent(u.version)}`}
                        className="font-medium text-primary underline-offset-2 hover:underline"
                      >
                        {u.model} {u.version}
                      </Link>{" "}
                      <span className="text-muted-foreground">trained on {u.datasetVersion}</span>
                      <span className="block text-xs text-muted-foreground">
                        features: {(u.features ?? []).join(", ") || "none"}
                        {u.label ? ` · label: ${u.label}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
