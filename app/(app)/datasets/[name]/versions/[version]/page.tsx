import type { Metadata } from "next";
import Link from "next/link";
import { ColumnsTable } from "@/components/datasets/columns-table";
import { LocalTime } from "@/components/local-time";
import { readDatasetVersion } from "@/lib/datasets/queries";
import { pageRead } from "@/lib/session/page-guard";

export const metadata: Metadata = { title: "Dataset version · Greenlight" };

export default async function DatasetVersionPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  const v = await pageRead((ctx) =>
    readDatasetVersion(ctx, { name: decodeURIComponent(name), version: decodeURIComponent(version) }),
  );
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href={`/datasets/${v.dataset}`} className="text-sm text-muted-foreground hover:underline">
          ← {v.dataset}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight break-all">
          {v.dataset} {v.version}
        </h1>
        <p className="text-sm text-muted-foreground">
          Version {v.seq} · {v.columns.length} columns · by {v.createdBy} ·{" "}
          <LocalTime iso={v.createdAt.toISOString()} />
          {v.missingValues.length
            ? ` · missing values: ${v.missingValues.map((m) => JSON.stringify(m)).join(", ")}`
            : ""}
        </p>
        {v.note && <p className="mt-1 text-sm break-words">{v.note}</p>}
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <a
            className="text-primary underline underline-offset-2"
            href={`/api/v1/datasets/${v.dataset}/versions/${encodeURIComponent(v.version)}/table-schema`}
          >
            Download as Table Schema
          </a>
          {v.previous && (
            <Link
              className="text-primary underline underline-offset-2"
              href={`/datasets/${v.dataset}/diff?from=${encodeURIComponent(v.previous)}&to=${encodeURIComponent(v.version)}`}
            >
              What changed since {v.previous}
            </Link>
          )}
        </p>
      </div>
      <ColumnsTable columns={v.columns} primaryKey={v.primaryKey} />
    </div>
  );
}
