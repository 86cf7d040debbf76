"use client";

import { useId, useRef, useState, useTransition } from "react";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { ROLE_LABELS } from "@/components/roles";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import type { PolicyDefinition, PolicyStep, StepConflict } from "@/db/schema/governance";
import type { Role } from "@/db/schema/org";
import type { Environment, RequestKind, StepScope } from "@/db/schema/requests";
import type { ActionResult, ReadResult } from "@/lib/http/action";
import { AUTO_PASS_RULES } from "@/lib/policies/auto-pass";
import type { DryRunResult } from "@/lib/policies/dry-run-history";
import { eligibility, overriders, type EligiblePerson } from "@/lib/policies/eligible";
import { policyFromForm } from "@/lib/policies/form";
import { kindInWords } from "@/lib/labels";
import { linesToRules, ruleToLine } from "@/lib/policies/rule-lines";
import { formToObject } from "@/lib/validation";
import { useHydrated } from "@/components/use-hydrated";

type Policy = {
  id: string;
  name: string;
  description: string;
  version: number;
  active: boolean;
  definition: PolicyDefinition;
};
type Team = { id: string; name: string };
/**
 * What each field offers, from the server (the schema's lists live with the database tables, which
 * must stay out of the browser bundle).
 */
export type PolicyChoices = {
  kinds: readonly RequestKind[];
  environments: readonly Environment[];
  roles: readonly Role[];
  scopes: readonly StepScope[];
  conflicts: readonly StepConflict[];
};
// A step being edited, with a key that survives reordering (React keeps each step's inputs with it),
// and a check's rules as typed (one per line), kept apart from the rules they parse to.
type DraftStep = PolicyStep & { key: number; rulesText?: string };

const NEW_STEP: PolicyStep = {
  name: "ML lead review",
  role: "ml_lead",
  scope: "any",
  quorum: 1,
  slaHours: 24,
  autoPass: "never",
};
const CONFLICT_WORDS: Record<StepConflict, string> = {
  model_owner: "not the model's author",
  requester_team: "not the requester's team",
};

/**
 * Keys name each step for React and for its input ids. They are numbered per form, in order, so the
 * server's render and the browser's hydration give the same ids (a counter shared by the module would
 * differ between the two, and React keeps the server's ids: two steps would then share a label).
 */
function keyedStages(stages: PolicyStep[][]): DraftStep[][] {
  let key = 0;
  return stages.map((stage) =>
    stage.map((step) => ({
      ...step,
      key: key++,
      ...(step.kind === "check" ? { rulesText: (step.rules ?? []).map(ruleToLine).join("\n") } : {}),
    })),
  );
}
const move = <T,>(list: T[], from: number, to: number) => {
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
};

/**
 * The policy editor: conditions and stages as fields (no JSON to write), each step showing who could
 * decide it as it is edited. The stages travel to the server as one hidden JSON field, validated by
 * the same schema as the API; errors come back at the field. A dry run replays recent requests
 * against the draft before anything is saved.
 */
const DEPENDENCY_SIGNALS = [
  { value: "malware", label: "Malware" },
  { value: "typosquat", label: "A possible typosquat" },
  { value: "deniedLicence", label: "A denied licence" },
  { value: "newToOrg", label: "A package new to the organisation" },
  { value: "unpinned", label: "An unpinned requirement" },
] as const;

export function PolicyForm({
  policy,
  teams,
  people,
  choices,
  action,
  dryRun,
}: {
  policy?: Policy;
  teams: Team[];
  choices: PolicyChoices;
  people: EligiblePerson[];
  action: (form: FormData) => Promise<ActionResult>;
  dryRun: (form: FormData) => Promise<ReadResult<DryRunResult>>;
}) {
  const c = policy?.definition.conditions ?? {};
  const id = useId().replace(/:/g, "");
  const formRef = useRef<HTMLFieldSetElement>(null);
  const hydrated = useHydrated();
  const [stages, setStages] = useState<DraftStep[][]>(() => keyedStages(policy?.definition.stages ?? [[NEW_STEP]]));
  // Steps added in the browser take keys after every initial one.
  const nextKey = useRef(stages.flat().length);
  const keyed = (step: PolicyStep): DraftStep => ({ ...step, key: nextKey.current++ });
  const [conditionTeams, setConditionTeams] = useState<string[]>(c.teamIds ?? []);
  // The conditions as the form holds them now, for the read-only JSON (the stages are state already).
  const [conditions, setConditions] = useState<unknown>(c);
  const [announcement, setAnnouncement] = useState("");
  const plain = stages.map((stage) => stage.map(({ key: _key, rulesText: _text, ...step }) => step));
  const teamsInScope = conditionTeams.length ? teams.filter((t) => conditionTeams.includes(t.id)) : teams;

  const setStep = (i: number, j: number, change: Partial<DraftStep>) =>
    setStages((all) =>
      all.map((stage, si) => (si !== i ? stage : stage.map((s, sj) => (sj === j ? { ...s, ...change } : s)))),
    );
  const say = (text: string) => setAnnouncement(text);

  const form = () => formRef.current?.closest("form") ?? null;
  const refreshJson = () => {
    const el = form();
    if (!el) return;
    try {
      setConditions(policyFromForm(formToObject(new FormData(el))).definition.conditions);
    } catch {
      // Stages that are not JSON cannot happen here (the editor writes them); keep the last view.
    }
  };

  return (
    <ActionForm
      action={action}
      resetOnSuccess={!policy}
      className="flex flex-col gap-4"
      aria-label={policy ? `Edit ${policy.name}` : "New policy"}
    >
      {/* Disabled until React has taken the form over: hydration would reset what was chosen. */}
      <fieldset ref={formRef} disabled={!hydrated} className="contents" onChange={refreshJson}>
        {policy && <input type="hidden" name="id" value={policy.id} />}
        {policy && <input type="hidden" name="expectedVersion" value={policy.version} />}
        <input type="hidden" name="stages" value={JSON.stringify(plain)} />
        <div className="grid gap-4 md:grid-cols-2">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`${id}-name`}>Name</Label>
            <Input id={`${id}-name`} name="name" defaultValue={policy?.name} aria-describedby={`${id}-name-error`} />
            <FormFieldError name="name" id={`${id}-name-error`} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`${id}-description`}>Description</Label>
            <Input
              id={`${id}-description`}
              name="description"
              defaultValue={policy?.description}
              aria-describedby={`${id}-description-error`}
            />
            <FormFieldError name="description" id={`${id}-description-error`} />
          </div>
        </div>
        <fieldset className="grid gap-4 rounded-md border border-border p-3 sm:grid-cols-2 lg:grid-cols-4">
          <legend className="px-1 text-sm font-medium">Applies to (leave empty to match any)</legend>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium">Kinds</legend>
            {choices.kinds.map((k) => (
              <label key={k} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="kinds"
                  value={k}
                  defaultChecked={c.kinds?.includes(k)}
                  className="size-4 accent-[var(--primary)]"
                />
                {kindInWords(k)}
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium">Environments</legend>
            {choices.environments.map((e) => (
              <label key={e} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="environments"
                  value={e}
                  defaultChecked={c.environments?.includes(e)}
                  className="size-4 accent-[var(--primary)]"
                />
                {e}
              </label>
            ))}
          </fieldset>
          <div className="flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-risk`}>Effective risk at least</Label>
              <NativeSelect id={`${id}-risk`} name="minRisk" defaultValue={c.minRisk ?? ""}>
                <option value="">any</option>
                <option value="medium">medium</option>
                <option value="high">high</option>
              </NativeSelect>
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-emergency`}>Emergency</Label>
              <NativeSelect
                id={`${id}-emergency`}
                name="emergency"
                defaultValue={c.emergency === undefined ? "" : c.emergency ? "yes" : "no"}
              >
                <option value="">either</option>
                <option value="yes">only emergencies</option>
                <option value="no">never emergencies</option>
              </NativeSelect>
            </div>
          </div>
          <div className="flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-changed-column`}>Data dictionary</Label>
              <NativeSelect
                id={`${id}-changed-column`}
                name="usesChangedColumn"
                defaultValue={c.usesChangedColumn === undefined ? "" : c.usesChangedColumn ? "yes" : "no"}
              >
                <option value="">whatever the data</option>
                <option value="yes">only if it uses a column changed since training</option>
                <option value="no">only if no column it uses changed</option>
              </NativeSelect>
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-has-cost`}>Cost</Label>
              <NativeSelect
                id={`${id}-has-cost`}
                name="hasCost"
                defaultValue={c.hasCost === undefined ? "" : c.hasCost ? "yes" : "no"}
              >
                <option value="">with or without</option>
                <option value="yes">only requests with a cost</option>
                <option value="no">only requests without a cost</option>
              </NativeSelect>
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${id}-cost-amount`}>Total cost at least</Label>
              <div className="flex gap-2">
                <Input
                  id={`${id}-cost-amount`}
                  name="costAtLeastAmount"
                  inputMode="decimal"
                  placeholder="10000"
                  defaultValue={c.costAtLeast?.amount}
                  aria-describedby={`${id}-cost-error`}
                />
                <Input
                  aria-label="Currency of the cost threshold"
                  name="costAtLeastCurrency"
                  className="w-20 uppercase"
                  maxLength={3}
                  defaultValue={c.costAtLeast?.currency ?? "USD"}
                  aria-describedby={`${id}-cost-currency-error`}
                />
              </div>
              <FormFieldError name="definition.conditions.costAtLeast.amount" id={`${id}-cost-error`} />
              <FormFieldError name="definition.conditions.costAtLeast.currency" id={`${id}-cost-currency-error`} />
            </div>
          </div>
          <fieldset className="flex flex-col gap-1 sm:col-span-2 lg:col-span-4" aria-describedby={`${id}-deps-help`}>
            <legend className="text-sm font-medium">Dependencies</legend>
            <p id={`${id}-deps-help`} className="text-xs text-muted-foreground">
              Only requests whose manifest brings any of these, as the security team&apos;s decisions leave it when the
              chain is taken. None ticked: manifests do not matter.
            </p>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
              {DEPENDENCY_SIGNALS.map((signal) => (
                <label key={signal.value} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="dependencySignals"
                    value={signal.value}
                    defaultChecked={Boolean(c.dependencies?.[signal.value])}
                    className="size-4 accent-[var(--primary)]"
                  />
                  {signal.label}
                </label>
              ))}
              <label className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                A vulnerability rated
                <NativeSelect
                  name="vulnerabilityAtLeast"
                  aria-label="Vulnerability severity at least"
                  defaultValue={c.dependencies?.vulnerabilityAtLeast ?? ""}
                  className="w-auto max-w-full"
                >
                  <option value="">(any rating: not a condition)</option>
                  <option value="low">low or worse</option>
                  <option value="medium">medium or worse</option>
                  <option value="high">high or worse</option>
                  <option value="critical">critical</option>
                </NativeSelect>
                <span className="text-xs text-muted-foreground">(unrated ones count)</span>
              </label>
            </div>
            <FormFieldError name="definition.conditions.dependencies" id={`${id}-deps-error`} />
          </fieldset>
          <fieldset className="flex flex-col gap-1 sm:col-span-2 lg:col-span-4">
            <legend className="text-sm font-medium">Teams</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {teams.map((t) => (
                <label key={t.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="teamIds"
                    value={t.id}
                    checked={conditionTeams.includes(t.id)}
                    onChange={(e) =>
                      setConditionTeams((all) =>
                        e.target.checked ? [...all, t.id] : all.filter((other) => other !== t.id),
                      )
                    }
                    className="size-4 accent-[var(--primary)]"
                  />
                  {t.name}
                </label>
              ))}
              {!teams.length && (
                <span className="text-sm text-muted-foreground">No teams yet: add them under Teams.</span>
              )}
            </div>
          </fieldset>
        </fieldset>

        <div role="group" aria-labelledby={`${id}-stages-title`} className="flex flex-col gap-3">
          <div>
            <h3 id={`${id}-stages-title`} className="text-sm font-medium">
              Stages
            </h3>
            <p className="text-xs text-muted-foreground">
              Stages run in order; the steps of one stage run in parallel. The same role and scope asked by two policies
              becomes one step.
            </p>
          </div>
          <FormFieldError name="stages" id={`${id}-stages-json-error`} />
          <FormFieldError name="definition.stages" id={`${id}-definition-error`} />
          <ol className="flex flex-col gap-3">
            {stages.map((stage, i) => (
              <li key={stage[0]?.key ?? i} className="rounded-md border border-border p-3">
                <fieldset className="flex flex-col gap-3">
                  <legend className="sr-only">Stage {i + 1}</legend>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="text-xs font-semibold uppercase text-muted-foreground" aria-hidden>
                      Stage {i + 1}
                    </span>
                    <div className="flex flex-wrap gap-1">
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        disabled={i === 0}
                        aria-label={`Move stage ${i + 1} up`}
                        onClick={() => {
                          setStages((all) => move(all, i, i - 1));
                          say(`Stage ${i + 1} is now stage ${i}.`);
                        }}
                      >
                        <ArrowUp aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        disabled={i === stages.length - 1}
                        aria-label={`Move stage ${i + 1} down`}
                        onClick={() => {
                          setStages((all) => move(all, i, i + 1));
                          say(`Stage ${i + 1} is now stage ${i + 2}.`);
                        }}
                      >
                        <ArrowDown aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="sm"
                        disabled={stages.length === 1}
                        aria-label={`Remove stage ${i + 1}`}
                        onClick={() => {
                          setStages((all) => all.filter((_, si) => si !== i));
                          say(`Stage ${i + 1} removed.`);
                        }}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    </div>
                  </div>
                  <ul className="flex flex-col gap-3">
                    {stage.map((step, j) => {
                      const at = `definition.stages.${i}.${j}`;
                      const sid = `${id}-s${step.key}`;
                      const who =
                        step.kind === "check" ? overriders(step, people) : eligibility(step, people, teamsInScope);
                      return (
                        <li key={step.key} className="rounded-md bg-muted/40 p-3">
                          <fieldset className="flex flex-col gap-2">
                            <legend className="sr-only">
                              Stage {i + 1}, step {j + 1}: {step.name}
                            </legend>
                            <div className="flex flex-col gap-1 sm:max-w-xs">
                              <Label htmlFor={`${sid}-kind`}>Kind of step</Label>
                              <NativeSelect
                                id={`${sid}-kind`}
                                value={step.kind ?? "approval"}
                                onChange={(e) =>
                                  setStep(
                                    i,
                                    j,
                                    e.target.value === "check"
                                      ? {
                                          kind: "check",
                                          autoPass: "never",
                                          quorum: 1,
                                          slaHours: 24,
                                          onFail: step.onFail ?? "reject",
                                          rulesText: step.rulesText ?? "auc >= 0.9",
                                          rules: linesToRules(step.rulesText ?? "auc >= 0.9").rules,
                                        }
                                      : { kind: undefined, rules: undefined, onFail: undefined, rulesText: undefined },
                                  )
                                }
                              >
                                <option value="approval">People approve</option>
                                <option value="check">Automated metrics check</option>
                              </NativeSelect>
                            </div>
                            <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-6">
                              <div className="flex flex-col gap-1 lg:col-span-2">
                                <Label htmlFor={`${sid}-name`}>Step name</Label>
                                <Input
                                  id={`${sid}-name`}
                                  value={step.name}
                                  onChange={(e) => setStep(i, j, { name: e.target.value })}
                                  aria-describedby={`${sid}-name-error`}
                                />
                                <FormFieldError name={`${at}.name`} id={`${sid}-name-error`} />
                              </div>
                              <div className="flex flex-col gap-1">
                                <Label htmlFor={`${sid}-role`}>
                                  {step.kind === "check" ? "Overridden by" : "Role"}
                                </Label>
                                <NativeSelect
                                  id={`${sid}-role`}
                                  value={step.role}
                                  onChange={(e) => setStep(i, j, { role: e.target.value as PolicyStep["role"] })}
                                  aria-describedby={`${sid}-role-error ${sid}-who`}
                                >
                                  {choices.roles.map((r) => (
                                    <option key={r} value={r}>
                                      {ROLE_LABELS[r]}
                                    </option>
                                  ))}
                                </NativeSelect>
                                <FormFieldError name={`${at}.role`} id={`${sid}-role-error`} />
                              </div>
                              <div className="flex flex-col gap-1">
                                <Label htmlFor={`${sid}-scope`}>From</Label>
                                <NativeSelect
                                  id={`${sid}-scope`}
                                  value={step.scope}
                                  onChange={(e) => setStep(i, j, { scope: e.target.value as PolicyStep["scope"] })}
                                  aria-describedby={`${sid}-scope-error`}
                                >
                                  {choices.scopes.map((s) => (
                                    <option key={s} value={s}>
                                      {s === "any" ? "any team" : "requester's team"}
                                    </option>
                                  ))}
                                </NativeSelect>
                                <FormFieldError name={`${at}.scope`} id={`${sid}-scope-error`} />
                              </div>
                              {step.kind !== "check" && (
                                <>
                                  <div className="flex flex-col gap-1">
                                    <Label htmlFor={`${sid}-quorum`}>Approvals needed</Label>
                                    <Input
                                      id={`${sid}-quorum`}
                                      type="number"
                                      value={step.quorum}
                                      onChange={(e) => setStep(i, j, { quorum: Number(e.target.value) })}
                                      aria-invalid={who.short || undefined}
                                      aria-describedby={`${sid}-quorum-error ${sid}-who`}
                                    />
                                    <FormFieldError name={`${at}.quorum`} id={`${sid}-quorum-error`} />
                                  </div>
                                  <div className="flex flex-col gap-1">
                                    <Label htmlFor={`${sid}-sla`}>SLA (hours)</Label>
                                    <Input
                                      id={`${sid}-sla`}
                                      type="number"
                                      value={step.slaHours}
                                      onChange={(e) => setStep(i, j, { slaHours: Number(e.target.value) })}
                                      aria-describedby={`${sid}-sla-error`}
                                    />
                                    <FormFieldError name={`${at}.slaHours`} id={`${sid}-sla-error`} />
                                  </div>
                                </>
                              )}
                              {step.kind === "check" && (
                                <div className="flex flex-col gap-1 lg:col-span-2">
                                  <Label htmlFor={`${sid}-onfail`}>When it fails</Label>
                                  <NativeSelect
                                    id={`${sid}-onfail`}
                                    value={step.onFail ?? "reject"}
                                    onChange={(e) =>
                                      setStep(i, j, { onFail: e.target.value as "reject" | "changes_requested" })
                                    }
                                    aria-describedby={`${sid}-onfail-error`}
                                  >
                                    <option value="reject">Reject the request</option>
                                    <option value="changes_requested">Send it back for changes</option>
                                  </NativeSelect>
                                  <FormFieldError name={`${at}.onFail`} id={`${sid}-onfail-error`} />
                                </div>
                              )}
                            </div>
                            {step.kind === "check" && (
                              <CheckRulesField
                                id={sid}
                                at={at}
                                text={step.rulesText ?? ""}
                                onChange={(text) => setStep(i, j, { rulesText: text, rules: linesToRules(text).rules })}
                              />
                            )}
                            <p
                              id={`${sid}-who`}
                              className={who.short ? "text-sm text-destructive" : "text-sm text-muted-foreground"}
                              aria-live="polite"
                            >
                              {who.text}
                            </p>
                            <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-6">
                              {step.kind !== "check" && (
                                <div className="flex flex-col gap-1 lg:col-span-2">
                                  <Label htmlFor={`${sid}-auto`}>Passes by itself</Label>
                                  <NativeSelect
                                    id={`${sid}-auto`}
                                    value={step.autoPass}
                                    onChange={(e) =>
                                      setStep(i, j, { autoPass: e.target.value as PolicyStep["autoPass"] })
                                    }
                                    aria-describedby={`${sid}-auto-help ${sid}-auto-error`}
                                  >
                                    {Object.entries(AUTO_PASS_RULES).map(([name, rule]) => (
                                      <option key={name} value={name}>
                                        {rule.label}
                                      </option>
                                    ))}
                                  </NativeSelect>
                                  <p id={`${sid}-auto-help`} className="text-xs text-muted-foreground">
                                    {AUTO_PASS_RULES[step.autoPass as keyof typeof AUTO_PASS_RULES]?.description}
                                  </p>
                                  <FormFieldError name={`${at}.autoPass`} id={`${sid}-auto-error`} />
                                </div>
                              )}
                              <fieldset className="flex flex-col gap-1 lg:col-span-2">
                                <legend className="text-sm font-medium">Who may not decide</legend>
                                {choices.conflicts.map((conflict) => (
                                  <label key={conflict} className="flex items-center gap-2 text-sm">
                                    <input
                                      type="checkbox"
                                      checked={step.conflicts?.includes(conflict) ?? false}
                                      onChange={(e) =>
                                        setStep(i, j, {
                                          conflicts: e.target.checked
                                            ? [...(step.conflicts ?? []), conflict]
                                            : (step.conflicts ?? []).filter((x) => x !== conflict),
                                        })
                                      }
                                      className="size-4 accent-[var(--primary)]"
                                      aria-describedby={`${sid}-conflicts-error`}
                                    />
                                    {CONFLICT_WORDS[conflict]}
                                  </label>
                                ))}
                                <FormFieldError name={`${at}.conflicts`} id={`${sid}-conflicts-error`} />
                              </fieldset>
                              <div className="flex flex-wrap items-end gap-1 lg:col-span-2 lg:justify-end">
                                <Button
                                  type="button"
                                  variant="outline"
                                  size="sm"
                                  disabled={j === 0}
                                  aria-label={`Move ${step.name || "step"} up`}
                                  onClick={() => {
                                    setStages((all) => all.map((s, si) => (si === i ? move(s, j, j - 1) : s)));
                                    say(`${step.name} moved up.`);
                                  }}
                                >
                                  <ArrowUp aria-hidden />
                                </Button>
                                <Button
                                  type="button"
                                  variant="outline"
                                  size="sm"
                                  disabled={j === stage.length - 1}
                                  aria-label={`Move ${step.name || "step"} down`}
                                  onClick={() => {
                                    setStages((all) => all.map((s, si) => (si === i ? move(s, j, j + 1) : s)));
                                    say(`${step.name} moved down.`);
                                  }}
                                >
                                  <ArrowDown aria-hidden />
                                </Button>
                                <Button
                                  type="button"
                                  variant="outline"
                                  size="sm"
                                  disabled={i === 0}
                                  aria-label={`Earlier stage for ${step.name || "this step"}`}
                                  onClick={() => {
                                    setStages((all) => {
                                      const next = all.map((s) => [...s]);
                                      const [taken] = next[i]!.splice(j, 1);
                                      next[i - 1]!.push(taken!);
                                      return next.filter((s) => s.length);
                                    });
                                    say(`${step.name} moved to stage ${i}.`);
                                  }}
                                >
                                  Earlier stage
                                </Button>
                                <Button
                                  type="button"
                                  variant="outline"
                                  size="sm"
                                  aria-label={`Later stage for ${step.name || "this step"}`}
                                  onClick={() => {
                                    setStages((all) => {
                                      const next = all.map((s) => [...s]);
                                      const [taken] = next[i]!.splice(j, 1);
                                      if (i + 1 < next.length) next[i + 1]!.push(taken!);
                                      else next.push([taken!]);
                                      return next.filter((s) => s.length);
                                    });
                                    say(`${step.name} moved to a later stage.`);
                                  }}
                                >
                                  Later stage
                                </Button>
                                <Button
                                  type="button"
                                  variant="outline"
                                  size="sm"
                                  disabled={stages.length === 1 && stage.length === 1}
                                  aria-label={`Remove ${step.name || "step"}`}
                                  onClick={() => {
                                    setStages((all) =>
                                      all
                                        .map((s, si) => (si === i ? s.filter((_, sj) => sj !== j) : s))
                                        .filter((s) => s.length),
                                    );
                                    say(`${step.name} removed.`);
                                  }}
                                >
                                  <Trash2 aria-hidden />
                                </Button>
                              </div>
                            </div>
                          </fieldset>
                        </li>
                      );
                    })}
                  </ul>
                  <div>
                    <Button
                      type="button"
                      variant="secondary"
                      size="sm"
                      onClick={() => {
                        setStages((all) =>
                          all.map((s, si) => (si === i ? [...s, keyed({ ...NEW_STEP, name: "" })] : s)),
                        );
                        say(`Step added to stage ${i + 1}.`);
                      }}
                    >
                      <Plus aria-hidden /> Add a step to stage {i + 1}
                    </Button>
                  </div>
                </fieldset>
              </li>
            ))}
          </ol>
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={stages.length >= 6}
              onClick={() => {
                setStages((all) => [...all, [keyed({ ...NEW_STEP, name: "" })]]);
                say(`Stage ${stages.length + 1} added.`);
              }}
            >
              <Plus aria-hidden /> Add a stage
            </Button>
          </div>
          <p className="sr-only" role="status" aria-live="polite">
            {announcement}
          </p>
        </div>

        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="active"
            defaultChecked={policy?.active ?? true}
            className="size-4 accent-[var(--primary)]"
          />
          Active
        </label>
        <details
          className="rounded-md border border-border p-3"
          onToggle={(e) => (e.currentTarget.open ? refreshJson() : undefined)}
        >
          <summary className="cursor-pointer text-sm font-medium">JSON (read-only)</summary>
          <pre
            className="mt-2 max-h-80 overflow-auto rounded bg-muted p-2 font-mono text-xs"
            role="region"
            aria-label={`${policy?.name ?? "The new policy"} as JSON`}
            tabIndex={0}
          >
            {JSON.stringify({ conditions, stages: plain }, null, 2)}
          </pre>
        </details>
        <DryRunPanel id={id} form={form} dryRun={dryRun} />
        <div>
          <SubmitButton pendingLabel="Saving…">
            {policy ? `Save as version ${policy.version + 1}` : "Create policy"}
          </SubmitButton>
        </div>
      </fieldset>
    </ActionForm>
  );
}

function DryRunPanel({
  id,
  form,
  dryRun,
}: {
  id: string;
  form: () => HTMLFormElement | null;
  dryRun: (form: FormData) => Promise<ReadResult<DryRunResult>>;
}) {
  const [days, setDays] = useState(30);
  const [result, setResult] = useState<ReadResult<DryRunResult> | null>(null);
  const [pending, start] = useTransition();
  const run = () => {
    const el = form();
    if (!el) return;
    const data = new FormData(el);
    data.set("days", String(days));
    start(async () => setResult(await dryRun(data)));
  };
  const r = result?.ok ? result.data : null;
  return (
    <div
      role="group"
      aria-labelledby={`${id}-dry-title`}
      className="flex flex-col gap-2 rounded-md border border-border p-3"
    >
      <h3 id={`${id}-dry-title`} className="text-sm font-medium">
        Dry run: what would this change?
      </h3>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-days`}>Requests of the last (days)</Label>
          <Input
            id={`${id}-days`}
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            className="w-28"
          />
        </div>
        <Button type="button" variant="secondary" onClick={run} disabled={pending} aria-busy={pending}>
          {pending ? "Replaying…" : "Run a dry run"}
        </Button>
      </div>
      <div aria-live="polite" className="flex flex-col gap-2 text-sm">
        {result && !result.ok && (
          <FieldError
            id={`${id}-dry-error`}
            errors={[
              result.message,
              ...Object.entries(result.fieldErrors ?? {}).map(([f, m]) => `${f}: ${m.join(" ")}`),
            ]}
          />
        )}
        {r && (
          <>
            <p>
              <strong>
                {r.changed} of {r.scanned}
              </strong>{" "}
              requests submitted in the last {r.days} days would have had a different chain
              {r.changed
                ? `: ${r.byChange.added} gain a step, ${r.byChange.removed} lose one, ${r.byChange.quorum} need a different number of approvals, ${r.byChange.autoPass} change an auto-pass rule, ${r.byChange.stage} move a step to another stage.`
                : "."}
              {r.capped && " Only the most recent 2,000 were replayed."}
            </p>
            {r.scanned === 0 && (
              <p className="text-muted-foreground">No request was submitted in that window: try more days.</p>
            )}
            {r.requests.length > 0 && (
              <ul className="flex max-h-72 flex-col gap-1 overflow-auto">
                {r.requests.map((req) => (
                  <li key={req.number}>
                    <a className="font-medium underline-offset-4 hover:underline" href={`/requests/${req.number}`}>
                      CR-{req.number} {req.title}
                    </a>
                    : {req.changes.join("; ")}
                  </li>
                ))}
                {r.listCapped && <li className="text-muted-foreground">…and more (the first 200 are listed).</li>}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/** A check's rules, one per line; a line that is no rule is said at once (the server checks again). */
function CheckRulesField({
  id,
  at,
  text,
  onChange,
}: {
  id: string;
  at: string;
  text: string;
  onChange: (text: string) => void;
}) {
  const { problems } = linesToRules(text);
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={`${id}-rules`}>Rules (one per line; all must hold)</Label>
      <textarea
        id={`${id}-rules`}
        value={text}
        rows={Math.min(10, Math.max(3, text.split("\n").length + 1))}
        onChange={(e) => onChange(e.target.value)}
        className="min-h-16 w-full rounded-md border border-input bg-background px-3 py-2 font-mono text-sm"
        aria-describedby={`${id}-rules-help ${id}-rules-problems ${id}-rules-error`}
        aria-invalid={problems.length > 0 || undefined}
      />
      <p id={`${id}-rules-help`} className="text-xs text-muted-foreground">
        For example: <code>auc &gt;= 0.9</code>, <code>auc no worse than live by 0.01</code> (add{" "}
        <code>(lower is better)</code> for latency or loss), <code>auc, recall present</code>.
      </p>
      <p id={`${id}-rules-problems`} className="text-xs text-destructive" aria-live="polite">
        {problems.join(" ")}
      </p>
      <FormFieldError name={`${at}.rules`} id={`${id}-rules-error`} />
    </div>
  );
}
