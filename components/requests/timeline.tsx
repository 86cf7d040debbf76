import { LocalTime } from "@/components/local-time";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { decisionInWords, OUTCOME_LABELS, REQUEST_STATUS_LABELS, statusInWords } from "@/lib/labels";
import type { DeploymentOutcome, RequestStatus } from "@/db/schema/requests";

type Event = {
  seq: number;
  action: string;
  actorEmail: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
};

const plural = (n: unknown, one: string, many = `${one}s`) => `${Number(n)} ${Number(n) === 1 ? one : many}`;
const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(", ") : String(v));
const names = (packages: unknown) =>
  Array.isArray(packages) && packages.length
    ? ` (${packages.map((p) => String((p as { name?: unknown }).name ?? p)).join(", ")})`
    : "";

/** An action no sentence was written for yet still reads as words, never as its internal name. */
const inWords = (action: string) => `recorded: ${action.replace(/[._]/g, " ")}`;

const SAY: Record<string, (d: Record<string, unknown>) => string> = {
  "request.created": () => "filed the request",
  "request.updated": (d) =>
    d.status
      ? `marked it ${String(d.status) in REQUEST_STATUS_LABELS ? statusInWords(d.status as RequestStatus) : String(d.status)}`
      : `edited it (revision ${d.revision}${d.approvalsReset ? ", approvals reset" : ""})`,
  "request.submitted": (d) => `submitted revision ${d.revision} for review`,
  "request.approved": () => "submitted it; no approval was needed",
  "request.decided": (d) =>
    `${decisionInWords(String(d.decision), "didStep")} ${d.step}${d.onBehalfOf ? " (as a delegate)" : ""}`,
  "request.commented": () => "commented",
  "request.withdrawn": () => "withdrew it",
  "request.deployed": (d) =>
    d.live ? `marked it deployed: ${String(d.live)} is live in ${String(d.environment)}` : "marked it deployed",
  "request.outcome_recorded": (d) =>
    `closed it: ${String(d.outcome) in OUTCOME_LABELS ? OUTCOME_LABELS[d.outcome as DeploymentOutcome].toLowerCase() : String(d.outcome)}${d.note ? ` (${String(d.note)})` : ""}`,
  "request.rolled_back": (d) =>
    `rolled it back: ${String(d.to)} (CR-${String(d.toRequest)}) is live in ${String(d.environment)} again (${String(d.note)})`,
  "request.revoked": (d) => `revoked the approval: ${d.reason}`,
  "request.expired": () => "approval expired (not deployed in time)",
  "request.step_auto_passed": (d) => `passed ${String(d.step)} automatically`,
  "request.check_passed": (d) => `passed ${String(d.step)}: ${String(d.reason)}`,
  "request.check_failed": (d) =>
    `stopped it at ${String(d.step)} (${d.onFail === "reject" ? "rejected" : "sent back"}): ${String(d.reason)}`,
  "request.check_overridden": (d) => `overrode ${String(d.step)}: ${String(d.reason)}`,
  "monitoring.alert_opened": (d) =>
    `reported ${String(d.alert)} firing on ${String(d.model)} ${String(d.version)} in ${String(d.environment)}, which opened this request`,
  "monitoring.alert_added": (d) =>
    `reported ${String(d.alert)} firing again on ${String(d.model)} ${String(d.version)} (firing ${String(d.firing)})`,
  "monitoring.alert_resolved": (d) => `reported ${String(d.alert)} resolved`,
  "manifest.uploaded": (d) =>
    `uploaded ${String(d.file)}: ${plural(d.dependencies, "package")}${Number(d.findings) ? `, ${plural(d.findings, "known vulnerability", "known vulnerabilities")}` : ""}`,
  "dependency.decided": (d) =>
    `${d.decision === "approve" ? "approved" : "rejected"} the package ${String(d.package)}${d.version ? ` ${String(d.version)}` : ""}: ${String(d.reason)}`,
  "request.security_override": (d) =>
    `approved ${String(d.step)} over its blocking packages${names(d.packages)}: ${String(d.reason)}`,
  "request.rechecked": (d) => `found a new advisory for ${list(d.packages)} (${list(d.advisories)}) after the review`,
  "request.step_reminded": (d) =>
    `reminded the approvers of ${String(d.step)} (${plural(d.overdueHours, "hour")} overdue)`,
  "request.step_escalated": (d) =>
    `escalated ${String(d.step)} to the team's managers and the admins (${plural(d.overdueHours, "hour")} overdue)`,
  // The amounts stay off the timeline: only those who hold the budget may read them (the Budget impact card).
  "budget.committed": () => "held the amount on the team's budget",
  "budget.released": (d) => `released its hold on the team's budget (${String(d.reason)})`,
  "request.dataset_changed": (d) =>
    `published ${String(d.dataset)} ${String(d.version)}: ${(Array.isArray(d.sentences) ? d.sentences : []).map(String).join("; ")}`,
};

export function Timeline({ events }: { events: Event[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Timeline</CardTitle>
      </CardHeader>
      <CardContent>
        <ol className="flex flex-col gap-2 border-l border-border pl-4" aria-label="Timeline">
          {events.map((e) => (
            <li key={e.seq} className="text-sm">
              <span className="font-medium">{e.actorEmail?.replace(/^system:/, "") ?? "system"}</span>{" "}
              {SAY[e.action]?.(e.data) ?? inWords(e.action)}
              <span className="block text-xs text-muted-foreground">
                <LocalTime iso={e.occurredAt} />
              </span>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
