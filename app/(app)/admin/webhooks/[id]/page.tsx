import type { Metadata } from "next";
import Link from "next/link";
import { Send } from "lucide-react";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DeliveryLog, DeliveryStatusBadge } from "@/components/webhooks/delivery-log";
import { EditWebhookForm } from "@/components/webhooks/edit-webhook-form";
import { pageRead } from "@/lib/session/page-guard";
import { readWebhook, readWebhookDelivery, readWebhooks } from "@/lib/webhooks/queries";
import { deleteWebhookAction, redeliverWebhookAction, updateWebhookAction } from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint · Admin · Greenlight" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
};

export default async function WebhookEndpointPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = await searchParams;
  const [{ endpoint, deliveries, next }, { events }, chosen] = await pageRead((ctx) =>
    Promise.all([
      readWebhook(ctx, { id, before: query.before }),
      readWebhooks(ctx),
      query.delivery ? readWebhookDelivery(ctx, { id, deliveryId: query.delivery }).catch(() => null) : null,
    ]),
  );
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm">
            <Link href="/admin/webhooks" className="text-muted-foreground underline-offset-2 hover:underline">
              Webhooks
            </Link>
          </p>
          <h2 className="break-all font-mono text-lg font-semibold">{endpoint.url}</h2>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
            {endpoint.enabled ? <Badge variant="success">On</Badge> : <Badge variant="destructive">Off</Badge>}
            <span>
              Added <LocalTime iso={endpoint.createdAt.toISOString()} />
            </span>
            {endpoint.consecutiveFailures > 0 && (
              <span className="text-destructive">{endpoint.consecutiveFailures} failed attempts in a row</span>
            )}
          </div>
          {endpoint.disabledReason && <p className="mt-2 text-sm text-destructive">{endpoint.disabledReason}</p>}
        </div>
        <ConfirmDialog
          trigger="Remove endpoint"
          title="Remove this endpoint?"
          description="Nothing more is sent to it, and its delivery log is deleted. The audit log keeps a record. Its secret cannot be recovered: a new endpoint gets a new one."
          confirm="Remove endpoint"
          pendingLabel="Removing…"
          cancel="Keep it"
          fields={{ id: endpoint.id }}
          action={deleteWebhookAction}
          thenGoTo="/admin/webhooks"
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-[3fr_2fr] [&>*]:min-w-0">
        <section className="flex flex-col gap-3" aria-labelledby="log-heading">
          <h3 id="log-heading" className="text-base font-semibold">
            Delivery log
          </h3>
          {deliveries.length === 0 ? (
            <EmptyState
              icon={Send}
              titleAs="h4"
              title={query.before ? "No older deliveries" : "Nothing sent yet"}
              description={
                query.before
                  ? "This is the end of the log."
                  : "Deliveries appear here when one of the chosen events happens, such as a request being approved."
              }
            />
          ) : (
            <DeliveryLog
              endpointId={endpoint.id}
              mayRedeliver={endpoint.enabled}
              redeliver={redeliverWebhookAction}
              deliveries={deliveries.map((d) => ({
                ...d,
                nextAttemptAt: iso(d.nextAttemptAt),
                createdAt: d.createdAt.toISOString(),
              }))}
            />
          )}
          <div className="flex gap-2">
            {query.before && (
              <Button asChild variant="outline" size="sm">
                <Link href={`/admin/webhooks/${endpoint.id}`}>Newest</Link>
              </Button>
            )}
            {next && (
              <Button asChild variant="outline" size="sm">
                <Link href={`/admin/webhooks/${endpoint.id}?before=${encodeURIComponent(next)}`}>Older</Link>
              </Button>
            )}
          </div>
          {chosen && (
            <Card id="attempts">
              <CardHeader>
                <CardTitle className="font-mono text-sm">{chosen.eventType}</CardTitle>
                <CardDescription>
                  webhook-id <code className="break-all font-mono">{chosen.messageId}</code> ·{" "}
                  <DeliveryStatusBadge status={chosen.status} attempts={chosen.attempts} />
                </CardDescription>
              </CardHeader>
              <CardContent className="flex flex-col gap-3">
                {chosen.attemptLog.length === 0 ? (
                  <p className="text-sm text-muted-foreground">No attempt yet.</p>
                ) : (
                  <Table aria-label="Attempts" scrollable>
                    <TableHeader>
                      <TableRow>
                        <TableHead>When</TableHead>
                        <TableHead>Answer</TableHead>
                        <TableHead className="text-right">Took</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {chosen.attemptLog.map((a) => (
                        <TableRow key={a.attemptedAt.toISOString()}>
                          <TableCell className="whitespace-nowrap text-xs">
                            <LocalTime iso={a.attemptedAt.toISOString()} />
                          </TableCell>
                          <TableCell className="max-w-xs break-words text-xs">
                            {a.statusCode !== null ? `HTTP ${a.statusCode}` : "No answer"}
                            {a.error && <span className="block text-destructive">{a.error}</span>}
                            {a.responseExcerpt && (
                              <span className="block break-all font-mono text-muted-foreground">
                                {a.responseExcerpt}
                              </span>
                            )}
                          </TableCell>
                          <TableCell className="text-right text-xs tabular-nums">{a.durationMs} ms</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                )}
                <details>
                  <summary className="cursor-pointer text-sm font-medium">The body sent</summary>
                  <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-muted p-2 text-xs" tabIndex={0}>
                    {JSON.stringify(chosen.payload, null, 2)}
                  </pre>
                </details>
              </CardContent>
            </Card>
          )}
        </section>
        <Card>
          <CardHeader>
            <CardTitle>Settings</CardTitle>
            <CardDescription>The signing secret was shown once, when the endpoint was added.</CardDescription>
          </CardHeader>
          <CardContent>
            <EditWebhookForm action={updateWebhookAction} events={events} endpoint={endpoint} />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
