import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Inbox } from "lucide-react";
import { LocalTime } from "@/components/local-time";
import { NotificationStatusBadge } from "@/components/notifications/status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageOutbox } from "@/lib/session/page-guard";
import { getDb } from "@/lib/db";
import { listOutbox } from "@/lib/notifications/queries";

export const metadata: Metadata = { title: "Outbox · Greenlight" };

export default async function OutboxPage() {
  await connection();
  await pageOutbox();
  const messages = await listOutbox(await getDb());
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
          <p className="text-sm text-muted-foreground">
            No RESEND_API_KEY is set, so email stays here instead of being sent. Newest first; the last 100.
          </p>
        </div>
        <Link href="/" className="text-sm font-medium text-primary underline underline-offset-2">
          Back to Greenlight
        </Link>
      </div>
      {messages.length === 0 ? (
        <EmptyState
          icon={Inbox}
          title="No mail yet"
          description="Sign-in links and notifications will appear here as they are sent."
        />
      ) : (
        <Table aria-label="Outbox messages">
          <TableHeader>
            <TableRow>
              <TableHead>To</TableHead>
              <TableHead>Subject</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Queued</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {messages.map((m) => (
              <TableRow key={m.id}>
                <TableCell className="whitespace-nowrap">{m.recipientEmail}</TableCell>
                <TableCell>
                  <Link
                    href={`/outbox/${m.id}`}
                    className="font-medium text-foreground underline-offset-2 hover:underline"
                  >
                    {m.subject}
                  </Link>
                </TableCell>
                <TableCell>
                  <NotificationStatusBadge status={m.status} transport={m.transport} />
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <LocalTime iso={m.createdAt.toISOString()} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </main>
  );
}
