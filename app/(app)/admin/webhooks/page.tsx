import type { Metadata } from "next";
import Link from "next/link";
import { Webhook } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { CreateWebhookForm } from "@/components/webhooks/create-webhook-form";
import { pageRead } from "@/lib/session/page-guard";
import { DISABLE_AFTER_FAILURES } from "@/lib/webhooks/deliver";
import { readWebhooks } from "@/lib/webhooks/queries";
import { createWebhookAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks · Admin · Greenlight" };

export default async function AdminWebhooksPage() {
  const { endpoints, events } = await pageRead(readWebhooks);
  return (
    <div className="grid gap-6 lg:grid-cols-[3fr_2fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-muted-foreground">
          Greenlight pushes each event to the endpoints that chose it, signed the Standard Webhooks way, and retries a
          failed delivery for about nine hours. An endpoint that fails {DISABLE_AFTER_FAILURES} times in a row is turned
          off and the admins are told.
        </p>
        {endpoints.length === 0 ? (
          <EmptyState
            icon={Webhook}
            title="No webhook endpoints yet"
            description="Add one to let a pipeline resume the moment a request is approved, instead of polling the gate."
          />
        ) : (
          <ul className="flex flex-col gap-3" aria-label="Webhook endpoints">
            {endpoints.map((e) => (
              <li key={e.id} className="rounded-lg border border-border p-3" data-testid={`webhook-${e.id}`}>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link
                    href={`/admin/webhooks/${e.id}`}
                    className="min-w-0 break-all font-mono text-sm font-medium underline-offset-2 hover:underline"
                  >
                    {e.url}
                  </Link>
                  {e.enabled ? <Badge variant="success">On</Badge> : <Badge variant="destructive">Off</Badge>}
                </div>
                {e.description && <p className="mt-1 text-sm text-muted-foreground">{e.description}</p>}
                {e.disabledReason && <p className="mt-1 text-sm text-destructive">{e.disabledReason}</p>}
                <p className="mt-2 text-xs text-muted-foreground">
                  {e.events.length} event{e.events.length === 1 ? "" : "s"} · last 24 hours: {e.lastDay.delivered}{" "}
                  delivered, {e.lastDay.failed} failed, {e.lastDay.waiting} waiting
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Add an endpoint</CardTitle>
          <CardDescription>
            The URL must answer 2xx within 10 seconds. Private and loopback addresses are refused unless the server
            allows them.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CreateWebhookForm action={createWebhookAction} events={events} />
        </CardContent>
      </Card>
    </div>
  );
}
