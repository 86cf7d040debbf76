import type { Metadata } from "next";
import Link from "next/link";
import { MailX } from "lucide-react";
import { OutboxTable } from "@/components/admin/outbox-table";
import { FilterSelect } from "@/components/forms/labeled-select";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRead } from "@/lib/session/page-guard";
import { isDeadLettered } from "@/lib/notifications/deliver";
import { readAdminOutbox, type OutboxStatusFilter } from "@/lib/notifications/queries";
import { retryNotificationAction } from "./actions";

export const metadata: Metadata = { title: "Outbox · Admin · Greenlight" };

const STATUS_LABELS: Record<OutboxStatusFilter, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Delivered",
  failed: "Failed (all)",
  dead_letter: "Dead letters (out of attempts)",
  held: "Held for digest",
  digested: "Sent in digest",
};

export default async function AdminOutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const query = await searchParams;
  // The read checks the caller (the layout does too; a page must not rely on it).
  const { filters, messages, hasOlder } = await pageRead((ctx) => readAdminOutbox(ctx, query));
  const pageHref = (page: number) =>
    `/admin/outbox?${new URLSearchParams({ ...(filters.status ? { status: filters.status } : {}), page: String(page) })}`;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted-foreground">
        Every email Greenlight has queued, newest first, 50 a page. A dead letter ran out of attempts: fix what stopped
        it, then retry it.
      </p>
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-border p-3"
        aria-label="Filter the outbox"
      >
        <div className="w-64">
          <FilterSelect
            id="f-status"
            label="Status"
            name="status"
            value={filters.status}
            options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </div>
        <Button type="submit">Filter</Button>
        <Button asChild variant="ghost">
          <Link href="/admin/outbox">Clear</Link>
        </Button>
      </form>
      {messages.length === 0 ? (
        <EmptyState
          icon={MailX}
          title="No emails here"
          description={
            filters.status || filters.page > 1
              ? "Nothing matches: clear the filter or go back to the first page."
              : "Nothing has been queued yet."
          }
        />
      ) : (
        <OutboxTable
          retry={retryNotificationAction}
          messages={messages.map((m) => ({
            ...m,
            deadLetter: isDeadLettered(m),
            createdAt: m.createdAt.toISOString(),
            sentAt: m.sentAt?.toISOString() ?? null,
          }))}
        />
      )}
      <nav aria-label="Outbox pages" className="flex justify-between text-sm">
        {filters.page > 1 ? (
          <Link href={pageHref(filters.page - 1)} className="font-medium text-primary underline underline-offset-2">
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        {hasOlder && (
          <Link href={pageHref(filters.page + 1)} className="font-medium text-primary underline underline-offset-2">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
