import type { PolicyConditions, PolicyDefinition, PolicyStep, StepCheck } from "@/db/schema/governance";
import type { Environment, RequestKind, Risk, StepScope } from "@/db/schema/requests";
import type { Role } from "@/db/schema/org";
import { toMinorUnits } from "../cba/money";
import type { DependencySignals } from "../security/risk-facts";

// Pure: which policies apply to a request, and the approval chain they make together.

export type PolicyInput = { id: string; name: string; version: number; active: boolean; definition: PolicyDefinition };
export type RequestFacts = {
  kind: RequestKind;
  environment: Environment;
  /** What the facts say (lib/requests/risk.ts), never lower than the declared risk: minRisk compares with this. */
  effectiveRisk: Risk;
  emergency: boolean;
  teamId: string;
  /** The request's undiscounted total cost, when it carries a cost-benefit analysis or resource lines. */
  currency?: string | null;
  totalCostMinor?: number | null;
  /** What the request's manifest brings (lib/security/risk-facts.ts); null or absent without one. */
  dependencies?: DependencySignals | null;
  /** Its model version uses a column the data dictionary changed since training (lib/datasets/affected.ts). */
  usesChangedColumn?: boolean | null;
};
export type ChainStep = {
  stage: number; // 1-based, dense
  name: string;
  role: Role;
  scope: StepScope;
  quorum: number;
  slaHours: number;
  autoPass: string;
  /** A check step's rules (its role and scope say who may override a failure); null for a person's step. */
  check: StepCheck | null;
  policies: { id: string; name: string; version: number }[];
};

const RISK_ORDER: Record<Risk, number> = { low: 0, medium: 1, high: 2 };
const SEVERITY_ORDER = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** Whether a policy names any dependency signal (an empty or all-false condition names none). */
export function namesDependencySignals(conditions: PolicyConditions): boolean {
  const d = conditions.dependencies;
  return Boolean(
    d && (d.newToOrg || d.deniedLicence || d.malware || d.typosquat || d.unpinned || d.vulnerabilityAtLeast),
  );
}

/**
 * Any one named signal is enough. An unrated vulnerability meets every threshold: it may be as bad
 * as any, so it goes to the people the policy names rather than past them (fail closed).
 */
function dependenciesMatch(conditions: PolicyConditions, signals: DependencySignals | null | undefined): boolean {
  const d = conditions.dependencies!;
  if (!signals) return false;
  const worst = signals.worstVulnerability;
  return Boolean(
    (d.newToOrg && signals.newToOrg > 0) ||
    (d.deniedLicence && signals.deniedLicence > 0) ||
    (d.malware && signals.malware > 0) ||
    (d.typosquat && signals.typosquat > 0) ||
    (d.unpinned && signals.unpinned > 0) ||
    (d.vulnerabilityAtLeast &&
      worst !== null &&
      (worst === "unknown" || SEVERITY_ORDER[worst] >= SEVERITY_ORDER[d.vulnerabilityAtLeast])),
  );
}

export function policyMatches(conditions: PolicyConditions, request: RequestFacts): boolean {
  if (conditions.kinds?.length && !conditions.kinds.includes(request.kind)) return false;
  if (conditions.environments?.length && !conditions.environments.includes(request.environment)) return false;
  if (conditions.minRisk && RISK_ORDER[request.effectiveRisk] < RISK_ORDER[conditions.minRisk]) return false;
  if (conditions.emergency !== undefined && conditions.emergency !== request.emergency) return false;
  if (conditions.teamIds?.length && !conditions.teamIds.includes(request.teamId)) return false;
  if (conditions.usesChangedColumn !== undefined && conditions.usesChangedColumn !== Boolean(request.usesChangedColumn))
    return false;
  if (namesDependencySignals(conditions) && !dependenciesMatch(conditions, request.dependencies)) return false;
  const cost = request.totalCostMinor ?? null;
  if (conditions.hasCost !== undefined && conditions.hasCost !== (cost !== null && cost > 0)) return false;
  if (conditions.costAtLeast) {
    // Amounts in different currencies are never compared: a threshold in USD says nothing about EUR.
    const { amount, currency } = conditions.costAtLeast;
    if (cost === null || request.currency !== currency || cost < toMinorUnits(amount, currency)) return false;
  }
  return true;
}

/**
 * Every matching policy contributes its steps. The same role and scope asked twice becomes ONE step:
 * the higher quorum, at the LATER stage (so it never moves ahead of a check that some policy put
 * before it), the shorter SLA, and the list of policies that asked. A step auto-passes only if every
 * policy that asked for it names the same rule.
 */
export function buildChain(policies: PolicyInput[], request: RequestFacts): ChainStep[] {
  const merged = new Map<string, ChainStep>();
  for (const policy of policies) {
    if (!policy.active || !policyMatches(policy.definition.conditions, request)) continue;
    policy.definition.stages.forEach((stage, index) => {
      for (const step of stage) {
        // A check is one step per distinct set of rules: two policies asking the same check ask it once,
        // and a check never merges into a person's step of the same role.
        const key =
          step.kind === "check"
            ? `check:${JSON.stringify(checkOf(step))}:${step.role}:${step.scope}`
            : `${step.role}:${step.scope}`;
        const asked = { id: policy.id, name: policy.name, version: policy.version };
        const existing = merged.get(key);
        if (!existing) {
          merged.set(key, { ...pick(step), stage: index + 1, policies: [asked] });
          continue;
        }
        existing.quorum = Math.max(existing.quorum, step.quorum);
        if (index + 1 > existing.stage) {
          existing.stage = index + 1;
          existing.name = step.name;
        }
        existing.slaHours = Math.min(existing.slaHours, step.slaHours);
        if (existing.autoPass !== step.autoPass) existing.autoPass = "never";
        existing.policies.push(asked);
      }
    });
  }
  const steps = [...merged.values()].sort(
    (a, b) => a.stage - b.stage || a.role.localeCompare(b.role) || a.scope.localeCompare(b.scope),
  );
  // Renumber stages densely (a policy whose stage 1 merged away must not leave a hole).
  const stages = [...new Set(steps.map((s) => s.stage))];
  return steps.map((s) => ({ ...s, stage: stages.indexOf(s.stage) + 1 }));
}

function checkOf(step: PolicyStep): StepCheck | null {
  return step.kind === "check" ? { rules: step.rules ?? [], onFail: step.onFail ?? "reject" } : null;
}

function pick(step: PolicyStep) {
  return {
    check: checkOf(step),
    name: step.name,
    role: step.role,
    scope: step.scope,
    quorum: step.kind === "check" ? 1 : step.quorum,
    slaHours: step.slaHours,
    autoPass: step.kind === "check" ? "never" : step.autoPass,
  };
}
