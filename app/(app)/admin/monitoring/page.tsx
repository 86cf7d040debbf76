import type { Metadata } from "next";
import Link from "next/link";
import { Activity } from "lucide-react";
import { LocalTime } from "@/components/local-time";
import { MonitoringSettingsForm } from "@/components/monitoring/monitoring-settings-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getEnv } from "@/lib/env";
import { readMonitoringPage } from "@/lib/monitoring/queries";
import { MAX_ALERTS_PER_CALL } from "@/lib/monitoring/schemas";
import { pageRead } from "@/lib/session/page-guard";
import { updateMonitoringSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Monitoring · Admin · Greenlight" };

const OUTCOME: Record<string, { label: string; variant: "success" | "warning" | "secondary" | "destructive" }> = {
  opened: { label: "Opened", variant: "success" },
  added: { label: "Added", variant: "warning" },
  repeat: { label: "Repeat", variant: "secondary" },
  resolved: { label: "Resolved", variant: "secondary" },
  ignored: { label: "Ignored", variant: "destructive" },
};

export default async function AdminMonitoringPage() {
  const { settings, recent } = await pageRead(readMonitoringPage);
  const endpoint = `${getEnv().appUrl}/api/v1/monitoring/alerts`;
  const snippet = `receivers:
  - name: greenlight
    webhook_configs:
      - url: ${endpoint}
        send_resolved: true
        max_alerts: ${MAX_ALERTS_PER_CALL}
        http_config:
          authorization:
            type: Bearer
            credentials: <an admin's or ML lead's API token>`;
  return (
    <div className="grid gap-6 lg:grid-cols-[3fr_2fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-muted-foreground">
          A firing alert on a live model version opens a rollback or retraining request for the model&apos;s team,
          routed by policy; the same alert firing again is added to that request, and its resolution is noted there.
          Labels <code>{settings.modelLabel}</code>, <code>{settings.versionLabel}</code> and{" "}
          <code>{settings.environmentLabel}</code> say which version is meant.
        </p>
        {recent.length === 0 ? (
          <EmptyState
            icon={Activity}
            title="No alerts received yet"
            description="Point an Alertmanager receiver at Greenlight (below), or POST the generic JSON form from any other monitor."
          />
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Recent alerts">
            {recent.map((r) => (
              <li key={r.id} className="rounded-lg border border-border p-3 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium">
                    {r.alertName} <span className="text-muted-foreground">({r.status})</span>
                  </span>
                  <Badge variant={OUTCOME[r.outcome]?.variant ?? "secondary"}>
                    {OUTCOME[r.outcome]?.label ?? r.outcome}
                  </Badge>
                </div>
                <p className="mt-1 text-muted-foreground">
                  {[r.model, r.version, r.environment].filter(Boolean).join(" · ") || "no model named"}
                  {r.requestNumber && (
                    <>
                      {" · "}
                      <Link href={`/requests/${r.requestNumber}`} className="underline underline-offset-2">
                        CR-{r.requestNumber}
                      </Link>
                    </>
                  )}
                  {r.reason && <> · {r.reason}</>}
                </p>
                <p className="mt-1 text-xs text-muted-foreground">
                  <LocalTime iso={r.receivedAt.toISOString()} /> · from {r.source} · by {r.receivedBy ?? "unknown"} ·{" "}
                  <span className="font-mono">{r.fingerprint}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
        <Card>
          <CardHeader>
            <CardTitle>Connect Alertmanager</CardTitle>
            <CardDescription>
              Add this receiver to alertmanager.yml and route the model alerts to it. Create the token under your API
              tokens; it must belong to an admin or an ML lead.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <pre
              className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs"
              aria-label="Alertmanager config"
              tabIndex={0}
            >
              {snippet}
            </pre>
            <p className="mt-3 text-sm text-muted-foreground">
              Other monitors POST{" "}
              <code>{`{"name", "status": "firing" | "resolved", "model", "environment", "version"?, "id"?, "summary"?, "url"?}`}</code>{" "}
              to the same URL with the same token.
            </p>
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Settings</CardTitle>
          <CardDescription>Which labels name the version, and what each alert asks for.</CardDescription>
        </CardHeader>
        <CardContent>
          <MonitoringSettingsForm action={updateMonitoringSettingsAction} settings={settings} />
        </CardContent>
      </Card>
    </div>
  );
}
