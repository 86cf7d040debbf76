import type { Metadata } from "next";
import { Boxes } from "lucide-react";
import Link from "next/link";
import { NewRequestForm } from "@/components/requests/new-request-form";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRead } from "@/lib/session/page-guard";
import { readNewRequestPage } from "@/lib/requests/queries";
import { createRequestAction, previewChainAction } from "../actions";

export const metadata: Metadata = { title: "New request · Greenlight" };

export default async function NewRequestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const { versions, environments, can } = await pageRead(readNewRequestPage);
  const options = versions.map((v) => ({
    value: `${v.model}@${v.version}`,
    label: `${v.model} ${v.version}`,
    team: v.team,
  }));
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">New change request</h1>
        <p className="text-sm text-muted-foreground">
          Saved as a draft first; nobody is asked anything until you submit it.
        </p>
      </div>
      {!can.fileForSomeTeam ? (
        <EmptyState
          icon={Boxes}
          title="You belong to no team yet"
          description="Requests are filed for a team. Ask an admin to add you to yours."
        />
      ) : (
        <>
          {options.length === 0 && (
            <p className="rounded-md border border-border bg-muted px-3 py-2 text-sm">
              No model versions to deploy yet: you can still ask for resources, or{" "}
              <Link href="/models" className="font-medium text-primary underline">
                register a model
              </Link>{" "}
              first.
            </p>
          )}
          <NewRequestForm
            versions={options}
            environments={environments}
            initial={params.version}
            action={createRequestAction}
            preview={previewChainAction}
          />
        </>
      )}
    </div>
  );
}
