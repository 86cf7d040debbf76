import type { Metadata } from "next";
import Link from "next/link";
import { ScrollText } from "lucide-react";
import { AuditTable } from "@/components/audit/audit-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { asOptions, FilterSelect } from "@/components/forms/labeled-select";
import { readAuditLog } from "@/lib/audit/queries";
import { pageRead } from "@/lib/session/page-guard";

export const metadata: Metadata = { title: "Audit · Greenlight" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const query = await searchParams;
  const { filters, events, nextBefore } = await pageRead((ctx) => readAuditLog(ctx, query));
  const keep = Object.entries(filters).filter(([k, v]) => k !== "before" && v !== undefined && v !== "");
  const exportQuery = new URLSearchParams(keep.map(([k, v]) => [k, String(v)])).toString();
  const olderHref = nextBefore
    ? `/audit?${new URLSearchParams([...keep.map(([k, v]) => [k, String(v)]), ["before", String(nextBefore)]])}`
    : null;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
          <p className="text-sm text-muted-foreground">
            Every action, append-only and hash-chained. Check the chain with{" "}
            <code className="rounded bg-muted px-1">npm run cli -- audit verify</code>.
          </p>
        </div>
        <div className="flex gap-2">
          <Button asChild variant="outline" size="sm">
            <a href={`/api/v1/audit/export?format=csv&${exportQuery}`}>Export CSV</a>
          </Button>
          <Button asChild variant="outline" size="sm">
            <a href={`/api/v1/audit/export?format=json&${exportQuery}`}>Export JSON</a>
          </Button>
        </div>
      </div>
      <form
        method="get"
        className="grid grid-cols-2 gap-3 rounded-lg border border-border p-3 md:grid-cols-6"
        aria-label="Filter audit events"
      >
        <FilterSelect
          id="f-action"
          label="Action"
          name="action"
          value={filters.action}
          options={asOptions(AUDIT_ACTIONS, (a) => a)}
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor="f-actor">Actor</Label>
          <Input id="f-actor" name="actor" defaultValue={filters.actor} placeholder="email contains…" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="f-entity">Entity type</Label>
          <Input id="f-entity" name="entityType" defaultValue={filters.entityType} placeholder="user, team…" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="f-from">From</Label>
          <Input id="f-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="f-to">To</Label>
          <Input id="f-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="flex items-end gap-2">
          <Button type="submit">Filter</Button>
          <Button asChild variant="ghost">
            <Link href="/audit">Clear</Link>
          </Button>
        </div>
      </form>
      {events.length === 0 ? (
        <EmptyState icon={ScrollText} title="No events match" description="Widen the dates or clear the filters." />
      ) : (
        <AuditTable events={events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() }))} />
      )}
      <div className="flex justify-between text-sm">
        {filters.before ? (
          <Link href="/audit" className="font-medium text-primary underline underline-offset-2">
            Newest
          </Link>
        ) : (
          <span />
        )}
        {olderHref && (
          <Link href={olderHref} className="font-medium text-primary underline underline-offset-2">
            Older events →
          </Link>
        )}
      </div>
    </div>
  );
}
