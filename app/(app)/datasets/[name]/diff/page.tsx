import type { Metadata } from "next";
import Link from "next/link";
import { DiffView } from "@/components/datasets/diff-view";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { readDataset, readDatasetDiff } from "@/lib/datasets/queries";
import { pageRead } from "@/lib/session/page-guard";

export const metadata: Metadata = { title: "What changed · Greenlight" };

export default async function DatasetDiffPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { name } = await params;
  const query = await searchParams;
  const { dataset, diff } = await pageRead(async (ctx) => {
    const { dataset } = await readDataset(ctx, { name: decodeURIComponent(name) });
    // Without a choice: the newest version against the one before it.
    const to = query.to ?? dataset.versions[0]?.version;
    const from = query.from ?? dataset.versions[1]?.version ?? to;
    const diff = to && from ? await readDatasetDiff(ctx, { name: dataset.name, from, to }) : null;
    return { dataset, diff };
  });
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href={`/datasets/${dataset.name}`} className="text-sm text-muted-foreground hover:underline">
          ← {dataset.name}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight break-all">What changed in {dataset.name}</h1>
      </div>
      {!diff ? (
        <p className="text-sm text-muted-foreground">This dataset has no version yet: there is nothing to compare.</p>
      ) : (
        <Card>
          <CardHeader>
            <CardTitle>
              {diff.from} → {diff.to}
            </CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <form className="flex flex-wrap items-end gap-3" action={`/datasets/${dataset.name}/diff`}>
              <div className="flex flex-col gap-1">
                <Label htmlFor="diff-from">From</Label>
                <NativeSelect id="diff-from" name="from" defaultValue={diff.from}>
                  {dataset.versions.map((v) => (
                    <option key={v.id} value={v.version}>
                      {v.version}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="flex flex-col gap-1">
                <Label htmlFor="diff-to">To</Label>
                <NativeSelect id="diff-to" name="to" defaultValue={diff.to}>
                  {dataset.versions.map((v) => (
                    <option key={v.id} value={v.version}>
                      {v.version}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <Button type="submit" variant="outline">
                Compare
              </Button>
            </form>
            <DiffView diff={diff} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
