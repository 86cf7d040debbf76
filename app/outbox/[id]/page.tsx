import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { LocalTime } from "@/components/local-time";
import { NotificationStatusBadge } from "@/components/notifications/status-badge";
import { pageOutbox } from "@/lib/session/page-guard";
import { getDb } from "@/lib/db";
import { getOutboxMessage } from "@/lib/notifications/queries";

export const metadata: Metadata = { title: "Message · Outbox · Greenlight" };

export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  await pageOutbox();
  const message = await getOutboxMessage(await getDb(), (await params).id);
  if (!message) notFound();
  const link = typeof message.payload.url === "string" ? message.payload.url : null;
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-4 px-4 py-8">
      <Link href="/outbox" className="text-sm font-medium text-primary underline underline-offset-2">
        ← Outbox
      </Link>
      <h1 className="text-xl font-semibold">{message.subject}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">To</dt>
        <dd>{message.recipientEmail}</dd>
        <dt className="text-muted-foreground">Status</dt>
        <dd>
          <NotificationStatusBadge status={message.status} transport={message.transport} />
          {message.lastError && <span className="ml-2 text-destructive">{message.lastError}</span>}
        </dd>
        <dt className="text-muted-foreground">Queued</dt>
        <dd>
          <LocalTime iso={message.createdAt.toISOString()} />
        </dd>
        {link && (
          <>
            <dt className="text-muted-foreground">Link</dt>
            <dd>
              <a
                href={link}
                className="break-all font-medium text-primary underline underline-offset-2"
                data-testid="message-link"
              >
                Open the link in this message
              </a>
            </dd>
          </>
        )}
      </dl>
      {message.html ? (
        // No scripts run in the message; a link in it may only navigate when someone clicks it.
        <iframe
          title={`Rendered email: ${message.subject}`}
          srcDoc={message.html}
          sandbox="allow-popups allow-top-navigation-by-user-activation"
          className="h-[560px] w-full rounded-lg border border-border bg-white"
        />
      ) : (
        <p className="text-sm text-muted-foreground">Not rendered yet: the message is still queued.</p>
      )}
    </main>
  );
}
