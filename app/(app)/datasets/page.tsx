import type { Metadata } from "next";
import Link from "next/link";
import { Database } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { readDatasetsPage } from "@/lib/datasets/queries";
import { pageRead } from "@/lib/session/page-guard";
import { createDatasetAction } from "./actions";

export const metadata: Metadata = { title: "Data dictionary · Greenlight" };

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q = "" } = await searchParams;
  const { datasets, truncated, myTeams } = await pageRead((ctx) => readDatasetsPage(ctx, { q }));
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Data dictionary</h1>
          <p className="text-sm text-muted-foreground">
            What each dataset&apos;s columns mean, in which unit, and who fills them: versioned, so a model version can
            name exactly what it was trained on.
          </p>
        </div>
        <form role="search" className="flex gap-2" action="/datasets">
          <Label htmlFor="dataset-search" className="sr-only">
            Search datasets and columns
          </Label>
          <Input
            id="dataset-search"
            name="q"
            defaultValue={q}
            placeholder="Search names, descriptions and columns"
            maxLength={200}
          />
          <Button type="submit" variant="outline">
            Search
          </Button>
        </form>
        {truncated && (
          <p className="text-sm text-muted-foreground">Showing the first 500 datasets, by name: search to narrow.</p>
        )}
        {datasets.length === 0 ? (
          q ? (
            <EmptyState
              icon={Database}
              title={`Nothing matches “${q}”`}
              description="Search looks in dataset names, descriptions and every column's name and meaning."
              action={
                <Button asChild variant="outline">
                  <Link href="/datasets">Show every dataset</Link>
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={Database}
              title="No datasets in the dictionary yet"
              description={
                myTeams.length
                  ? "Add your team's first dataset, then import its Table Schema as its first version."
                  : "A manager or an ML lead adds datasets; then model versions can name the columns they use."
              }
            />
          )
        ) : (
          <ul aria-label="Datasets" className="flex flex-col divide-y rounded-md border">
            {datasets.map((d) => (
              <li key={d.id} className="flex flex-col gap-1 p-3 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0">
                  <Link
                    href={`/datasets/${d.name}`}
                    className="font-medium break-all text-primary underline-offset-2 hover:underline"
                  >
                    {d.name}
                  </Link>
                  <p className="text-sm break-words text-muted-foreground">{d.description}</p>
                </div>
                <p className="shrink-0 text-xs text-muted-foreground sm:text-right">
                  {d.team}
                  <br />
                  {d.latestVersion
                    ? `${d.latestVersion} · ${d.columns} column${d.columns === 1 ? "" : "s"} · ${d.versions} version${d.versions === 1 ? "" : "s"}`
                    : "no version yet"}
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
      {myTeams.length > 0 && (
        <Card className="self-start">
          <CardHeader>
            <CardTitle>Add a dataset</CardTitle>
            <CardDescription>Its columns come with its first version, on the dataset&apos;s page.</CardDescription>
          </CardHeader>
          <CardContent>
            <ActionForm
              action={createDatasetAction}
              resetOnSuccess
              className="flex flex-col gap-3"
              aria-label="Add a dataset"
            >
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="dataset-name">Name</Label>
                <Input id="dataset-name" name="name" placeholder="transactions" aria-describedby="dataset-name-error" />
                <FormFieldError name="name" id="dataset-name-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="dataset-team">Owner team</Label>
                <NativeSelect id="dataset-team" name="teamId" aria-describedby="dataset-team-error">
                  {myTeams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </NativeSelect>
                <FormFieldError name="teamId" id="dataset-team-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="dataset-description">Description</Label>
                <Textarea
                  id="dataset-description"
                  name="description"
                  rows={3}
                  aria-describedby="dataset-description-error"
                />
                <FormFieldError name="description" id="dataset-description-error" />
              </div>
              <SubmitButton pendingLabel="Adding…">Add dataset</SubmitButton>
            </ActionForm>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
