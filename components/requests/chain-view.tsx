import { LocalTime } from "@/components/local-time";
import { ROLE_LABELS } from "@/components/roles";
import type { Role } from "@/db/schema/org";
import type { RequestStatus, StepStatus } from "@/db/schema/requests";
import { StepStatusBadge } from "./status-badge";
import { decisionInWords } from "@/lib/labels";

type Step = {
  id: string;
  stage: number;
  name: string;
  role: Role;
  scope: string;
  quorum: number;
  approvals: number;
  status: StepStatus;
  reason: string | null;
  note?: string | null;
  eligible: string[];
  /** Who may not decide it although they hold its role (its policies say). */
  conflicts?: readonly string[];
  policies: string[];
  /** A check step (ADR 0024): decided by its rules; what each found, and any override. */
  check?: CheckView | null;
};
type CheckView = {
  rules: string[];
  onFail: "reject" | "changes_requested";
  live: string | null;
  results: { passed: boolean; text: string }[];
  override: { name: string; reason: string } | null;
};
type Decision = {
  stepId: string;
  by: string;
  /** The person a delegate decided for: the line reads "Maya for Sam". */
  onBehalfOf: string | null;
  decision: string;
  comment: string | null;
  at: string;
};

const CONFLICT_WORDS: Record<string, string> = {
  model_owner: "the model's owner",
  requester_team: "a member of the requester's team",
};

export function ChainView({
  steps,
  decisions,
  status,
}: {
  steps: Step[];
  decisions: Decision[];
  status: RequestStatus;
}) {
  if (steps.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        {status === "draft"
          ? "The chain is taken from the policies when the request is submitted."
          : "No policy asked for an approval."}
      </p>
    );
  }
  const stages = [...new Set(steps.map((s) => s.stage))];
  return (
    <ol className="flex flex-col gap-4" aria-label="Approval chain">
      {stages.map((stage) => (
        <li key={stage}>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Stage {stage}</h3>
          <ul className="grid gap-3 md:grid-cols-2">
            {steps
              .filter((s) => s.stage === stage)
              .map((s) =>
                s.check ? (
                  <CheckStep key={s.id} step={s} check={s.check} />
                ) : (
                  <li key={s.id} className="rounded-md border border-border p-3 text-sm" data-testid={`step-${s.role}`}>
                    <div className="flex items-start justify-between gap-2">
                      <div>
                        <p className="font-medium">{s.name}</p>
                        <p className="text-xs text-muted-foreground">
                          {s.quorum} × {ROLE_LABELS[s.role]}
                          {s.scope === "requester_team" ? " of the requester's team" : ""}
                        </p>
                      </div>
                      <StepStatusBadge status={s.status} />
                    </div>
                    <div
                      className="mt-2 flex items-center gap-2"
                      aria-label={`${s.approvals} of ${s.quorum} approvals`}
                    >
                      <div className="h-1.5 flex-1 overflow-hidden rounded bg-muted">
                        <div
                          className="h-full bg-primary"
                          style={{ width: `${Math.min(100, (s.approvals / s.quorum) * 100)}%` }}
                        />
                      </div>
                      <span className="text-xs tabular-nums">
                        {s.approvals}/{s.quorum}
                      </span>
                    </div>
                    {s.reason && <p className="mt-2 text-xs">Passed automatically: {s.reason}</p>}
                    {!s.reason && s.note && (
                      <p className="mt-2 text-xs text-muted-foreground">Not passed automatically: {s.note}</p>
                    )}
                    <ul className="mt-2 flex flex-col gap-1">
                      {decisions
                        .filter((d) => d.stepId === s.id)
                        .map((d) => (
                          <li key={`${d.by}-${d.at}`} className="text-xs">
                            <span className="font-medium">
                              {d.by}
                              {d.onBehalfOf ? ` for ${d.onBehalfOf}` : ""}
                            </span>{" "}
                            {decisionInWords(d.decision)} · <LocalTime iso={d.at} />
                            {d.comment && <span className="block text-muted-foreground">“{d.comment}”</span>}
                          </li>
                        ))}
                    </ul>
                    <p className="mt-2 text-xs text-muted-foreground">
                      Can decide: {s.eligible.length ? s.eligible.join(", ") : "nobody who may decide holds this role"}
                    </p>
                    {s.conflicts && s.conflicts.length > 0 && (
                      <p className="text-xs text-muted-foreground">
                        Not {s.conflicts.map((c) => CONFLICT_WORDS[c] ?? c).join(" nor ")}
                      </p>
                    )}
                    <p className="text-xs text-muted-foreground">Asked by {s.policies.join(", ")}</p>
                  </li>
                ),
              )}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/** A check step: its rules, what each found against the version (and the live one), and any override. */
function CheckStep({ step, check }: { step: Step; check: CheckView }) {
  const failed = check.results.some((r) => !r.passed);
  const waiting = step.status === "pending";
  return (
    <li className="rounded-md border border-border p-3 text-sm" data-testid="step-check">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium">{step.name}</p>
          <p className="text-xs text-muted-foreground">
            Automated check · a failure {check.onFail === "reject" ? "rejects the request" : "sends it back"}
          </p>
        </div>
        <StepStatusBadge status={step.status} />
      </div>
      {waiting ? (
        <>
          <p className="mt-2 text-xs text-muted-foreground">Runs when its stage opens:</p>
          <ul className="mt-1 flex flex-col gap-0.5 text-xs">
            {check.rules.map((rule) => (
              <li key={rule} className="break-words">
                {rule}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <ul className="mt-2 flex flex-col gap-1 text-xs" aria-label={`${step.name}: what the rules found`}>
          {check.results.map((r, i) => (
            <li key={i} className="flex gap-1.5 break-words">
              <span aria-hidden className={r.passed ? "text-success" : "text-destructive"}>
                {r.passed ? "✓" : "✗"}
              </span>
              <span>
                <span className="sr-only">{r.passed ? "Passed: " : "Failed: "}</span>
                <span className="font-mono">{r.text}</span>
                <span className="text-muted-foreground"> (rule: {check.rules[i]})</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {check.override && (
        <p className="mt-2 text-xs">
          Overridden by <span className="font-medium">{check.override.name}</span>: “{check.override.reason}”
        </p>
      )}
      {failed && !check.override && (
        <p className="mt-2 text-xs text-muted-foreground">
          {ROLE_LABELS[step.role]}
          {step.scope === "requester_team" ? " of the requester's team" : ""} may override it with a reason.
        </p>
      )}
      <p className="mt-2 text-xs text-muted-foreground">Asked by {step.policies.join(", ")}</p>
    </li>
  );
}
