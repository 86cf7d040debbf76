import type { Metadata } from "next";
import Link from "next/link";
import { GitPullRequest } from "lucide-react";
import { RequestTable } from "@/components/requests/request-table";
import { REQUEST_STATUS_LABELS } from "@/lib/labels";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { REQUEST_KINDS, REQUEST_STATUSES, type RequestStatus } from "@/db/schema/requests";
import { asOptions, FilterSelect } from "@/components/forms/labeled-select";
import { pageRead } from "@/lib/session/page-guard";
import { readRequestsPage } from "@/lib/requests/queries";

export const metadata: Metadata = { title: "Requests · Greenlight" };

export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const query = await searchParams;
  const { filters, rows, total, page, pages, teams, environments, can } = await pageRead((ctx) =>
    readRequestsPage(ctx, query),
  );
  const params = (over: Record<string, string | number | undefined>) => {
    const merged = { ...filters, ...over };
    return `/requests?${new URLSearchParams(
      Object.entries(merged)
        .filter(([, v]) => v !== undefined && v !== "")
        .map(([k, v]) => [k, String(v)]),
    )}`;
  };
  const filtered = Object.entries(filters).some(([k, v]) => k !== "page" && v !== undefined);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Change requests</h1>
          <p className="text-sm text-muted-foreground">
            {total} {total === 1 ? "request" : "requests"}
            {filtered ? " match" : ""}.
          </p>
        </div>
        {can.file && (
          <Button asChild>
            <Link href="/requests/new">New request</Link>
          </Button>
        )}
      </div>
      <form
        method="get"
        className="grid grid-cols-2 gap-3 rounded-lg border border-border p-3 md:grid-cols-7"
        aria-label="Filter requests"
      >
        <div className="col-span-2 flex flex-col gap-1">
          <Label htmlFor="q">Search</Label>
          <Input id="q" name="q" defaultValue={filters.q} placeholder="Title or CR-1042" />
        </div>
        <FilterSelect
          id="status"
          label="Status"
          name="status"
          value={filters.status}
          options={asOptions(REQUEST_STATUSES, (v) => REQUEST_STATUS_LABELS[v as RequestStatus])}
        />
        <FilterSelect id="kind" label="Kind" name="kind" value={filters.kind} options={asOptions(REQUEST_KINDS)} />
        <FilterSelect
          id="environment"
          label="Environment"
          name="environment"
          value={filters.environment}
          options={asOptions(environments)}
        />
        <FilterSelect
          id="team"
          label="Team"
          name="team"
          value={filters.team}
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
        />
        <div className="flex flex-col justify-end gap-2">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="mine"
              value="1"
              defaultChecked={filters.mine === "1"}
              className="size-4 accent-[var(--primary)]"
            />
            Mine only
          </label>
          <div className="flex gap-2">
            <Button type="submit" size="sm">
              Apply
            </Button>
            <Button asChild size="sm" variant="ghost">
              <Link href="/requests">Clear</Link>
            </Button>
          </div>
        </div>
      </form>
      {rows.length === 0 ? (
        <EmptyState
          icon={GitPullRequest}
          title={filtered ? "No requests match" : "No change requests yet"}
          description={
            filtered
              ? "Clear a filter or search for something else."
              : "Register a model version, then file a request to deploy it."
          }
          action={
            can.file ? (
              <Link href="/requests/new" className="text-sm font-medium text-primary underline underline-offset-2">
                File a request
              </Link>
            ) : undefined
          }
        />
      ) : (
        <RequestTable
          label="Change requests"
          rows={rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }))}
        />
      )}
      {pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link className="font-medium text-primary underline" href={params({ page: page - 1 })}>
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          <span className="text-muted-foreground">
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link className="font-medium text-primary underline" href={params({ page: page + 1 })}>
              Older →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
