"use client";

import { useCallback, useEffect, useState, useTransition } from "react";
import { CostEditor } from "@/components/cost/cost-editor";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { ROLE_LABELS } from "@/components/roles";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { Role } from "@/db/schema/org";
import type { ActionResult } from "@/lib/http/action";
import type { ReadResult } from "@/lib/http/action";
import type { ChainPreview } from "@/lib/requests/preview-chain";
import { useHydrated } from "@/components/use-hydrated";

type EnvironmentChoice = { name: string; protected: boolean; requiresDeployedIn: string | null };

type Props = {
  versions: { value: string; label: string; team: string }[];
  /** In promotion order; protected ones allow emergencies. */
  environments: EnvironmentChoice[];
  initial?: string;
  action: (form: FormData) => Promise<ActionResult>;
  preview: (input: Record<string, unknown>) => Promise<ReadResult<ChainPreview>>;
};

/** The environment a new request starts on: the last in the order that is protected, else the last. */
function defaultEnvironment(environments: EnvironmentChoice[]): string {
  return (environments.findLast((e) => e.protected) ?? environments.at(-1))?.name ?? "";
}

export function NewRequestForm({ versions, environments, initial, action, preview }: Props) {
  const isProtected = (name: string) => environments.some((e) => e.name === name && e.protected);
  const [choice, setChoice] = useState({
    kind: versions.length ? "deployment" : "provisioning",
    target: initial && versions.some((v) => v.value === initial) ? initial : (versions[0]?.value ?? ""),
    environment: defaultEnvironment(environments),
    risk: "medium",
    emergency: false,
  });
  // Until React has taken the form over, its choices are disabled: hydration would reset them.
  const hydrated = useHydrated();
  const [cost, setCost] = useState<Record<string, unknown>>({});
  const [chain, setChain] = useState<ChainPreview | null>(null);
  const [pending, startTransition] = useTransition();
  const [model, version] = choice.target ? choice.target.split("@") : [undefined, undefined];
  const provisioning = choice.kind === "provisioning";
  const modelOptional = choice.kind !== "deployment";
  const onCost = useCallback((out: Record<string, unknown>) => setCost(out), []);
  const costKey = JSON.stringify(cost);

  useEffect(() => {
    const timer = setTimeout(() => {
      startTransition(async () => {
        const answer = await preview({
          kind: choice.kind,
          title: "preview",
          model,
          version,
          environment: choice.environment,
          risk: choice.risk,
          emergency: choice.emergency,
          ...JSON.parse(costKey),
        });
        setChain(answer.ok ? answer.data : { error: answer.message });
      });
    }, 300);
    return () => clearTimeout(timer);
  }, [choice.kind, model, version, choice.environment, choice.risk, choice.emergency, costKey, preview]);

  return (
    <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
      <Card>
        <CardContent className="pt-6">
          <ActionForm action={action} className="flex flex-col gap-4" aria-label="New change request">
            <input type="hidden" name="model" value={model ?? ""} />
            <input type="hidden" name="version" value={version ?? ""} />
            <div className="grid gap-4 md:grid-cols-2">
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="kind">What is this request for?</Label>
                <NativeSelect
                  id="kind"
                  disabled={!hydrated}
                  name="kind"
                  value={choice.kind}
                  onChange={(e) =>
                    setChoice({
                      ...choice,
                      kind: e.target.value,
                      target: e.target.value === "deployment" ? choice.target || (versions[0]?.value ?? "") : "",
                    })
                  }
                >
                  {versions.length > 0 && <option value="deployment">Deploy a model version</option>}
                  <option value="provisioning">Provision resources (GPUs, compute)</option>
                  <option value="dependency_adoption">Adopt new libraries</option>
                </NativeSelect>
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="target">Model version{modelOptional ? " (optional)" : ""}</Label>
                <NativeSelect
                  id="target"
                  disabled={!hydrated}
                  value={choice.target}
                  onChange={(e) => setChoice({ ...choice, target: e.target.value })}
                  aria-describedby="version-error"
                >
                  {modelOptional && <option value="">No model: for the team</option>}
                  {versions.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label} ({v.team})
                    </option>
                  ))}
                </NativeSelect>
                <FormFieldError name="version" id="version-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="environment">Environment</Label>
                <NativeSelect
                  id="environment"
                  disabled={!hydrated}
                  name="environment"
                  value={choice.environment}
                  onChange={(e) =>
                    setChoice({
                      ...choice,
                      environment: e.target.value,
                      emergency: isProtected(e.target.value) && choice.emergency,
                    })
                  }
                  aria-describedby="environment-help"
                >
                  {environments.map((e) => (
                    <option key={e.name} value={e.name}>
                      {e.name}
                      {e.protected ? " (protected)" : ""}
                    </option>
                  ))}
                </NativeSelect>
                <EnvironmentHelp environment={environments.find((e) => e.name === choice.environment)} />
                <FormFieldError name="environment" id="environment-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="risk">Risk</Label>
                <NativeSelect
                  id="risk"
                  disabled={!hydrated}
                  name="risk"
                  value={choice.risk}
                  onChange={(e) => setChoice({ ...choice, risk: e.target.value })}
                >
                  <option value="low">low</option>
                  <option value="medium">medium</option>
                  <option value="high">high</option>
                </NativeSelect>
              </div>
              <div className="flex flex-col justify-end gap-1.5">
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="emergency"
                    className="size-4 accent-[var(--primary)]"
                    checked={choice.emergency}
                    disabled={!hydrated || !isProtected(choice.environment)}
                    onChange={(e) => setChoice({ ...choice, emergency: e.target.checked })}
                    aria-describedby="emergency-help"
                  />
                  Emergency change
                </label>
                <p id="emergency-help" className="text-xs text-muted-foreground">
                  Protected environments only: the gate opens after one ML lead approves; the rest must approve within
                  48 hours.
                </p>
              </div>
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="title">Title</Label>
              <Input
                key={choice.kind}
                id="title"
                name="title"
                required
                defaultValue={
                  provisioning
                    ? "Provision GPUs for "
                    : choice.kind === "dependency_adoption"
                      ? "Adopt "
                      : `Deploy ${model} ${version}`
                }
                aria-describedby="title-error"
              />
              <FormFieldError name="title" id="title-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="description">Description (Markdown)</Label>
              <Textarea
                id="description"
                name="description"
                rows={8}
                placeholder={
                  "Why this change, what was tested, how to roll back.\n\n- offline metrics\n- shadow traffic"
                }
                aria-describedby="description-error"
              />
              <FormFieldError name="description" id="description-error" />
            </div>
            <CostEditor key={choice.kind} provisioningFirst={provisioning} onChange={onCost} />
            <FormFieldError name="provisioning" id="provisioning-error" />
            <div>
              <SubmitButton pendingLabel="Saving…">Save draft</SubmitButton>
            </div>
          </ActionForm>
        </CardContent>
      </Card>
      <Card className="self-start" aria-live="polite" aria-busy={pending}>
        <CardHeader>
          <CardTitle>Who will approve</CardTitle>
          <CardDescription>From the policies in force now; the chain is fixed when you submit.</CardDescription>
        </CardHeader>
        <CardContent>
          {!chain ? (
            <p className="text-sm text-muted-foreground">Working it out…</p>
          ) : "error" in chain ? (
            <p className="text-sm text-muted-foreground">{chain.error}</p>
          ) : (
            <div className="flex flex-col gap-3">
              {chain.risk.raisedBy && (
                <p className="text-sm" data-testid="preview-risk">
                  {chain.risk.raisedBy}. Policies match on the {chain.risk.effective} risk.
                </p>
              )}
              {chain.warnings.length > 0 && (
                <div
                  role="alert"
                  className="rounded-md border border-destructive/50 bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground"
                >
                  <ul className="flex flex-col gap-1" aria-label="Why submitting would be refused">
                    {chain.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                </div>
              )}
              {chain.steps.length === 0 ? (
                <p className="text-sm">No policy asks for an approval: it will be approved on submission.</p>
              ) : (
                <ol className="flex flex-col gap-3" aria-label="Approval chain preview">
                  {chain.steps.map((s) => (
                    <li key={`${s.role}-${s.scope}`} className="rounded-md border border-border p-3 text-sm">
                      <div className="flex items-center justify-between gap-2">
                        <span className="font-medium">
                          Stage {s.stage}: {s.name}
                        </span>
                        <span className="text-xs text-muted-foreground">
                          {s.quorum} × {ROLE_LABELS[s.role as Role]}
                          {s.scope === "requester_team" ? " (your team)" : ""}
                        </span>
                      </div>
                      <p className="mt-1 text-xs text-muted-foreground">Asked by {s.policies.join(", ")}</p>
                      {s.autoPass && <p className="mt-1 text-xs">May pass by itself: {s.autoPass}</p>}
                      <p className="mt-1 text-xs">
                        {s.approvers.length
                          ? `Can approve: ${s.approvers.join(", ")}`
                          : "Nobody holds this role yet: ask an admin."}
                      </p>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

/** What choosing this environment means for the request: the bytes it binds and the promotion order. */
function EnvironmentHelp({ environment }: { environment: EnvironmentChoice | undefined }) {
  if (!environment) return null;
  const notes = [
    environment.protected ? "Protected: the approval is bound to the version's artifact digest." : null,
    environment.requiresDeployedIn
      ? `The version must have been deployed to ${environment.requiresDeployedIn} first.`
      : null,
  ].filter(Boolean);
  return (
    <p id="environment-help" className="text-xs text-muted-foreground">
      {notes.length ? notes.join(" ") : "No promotion rule: any registered version may be deployed here."}
    </p>
  );
}
