import "server-only";
import { and, desc, gte, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { changeRequests, requestSteps } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { ValidationError } from "../errors";
import { mayAdminister } from "../users/permissions";
import { parseInput } from "../validation";
import { MAX_DOCUMENT_CHARS, readPolicyDocument } from "./apply-policies";
import { buildChain, namesDependencySignals } from "./chain";
import { dependencySignals, manifestRiskFacts } from "../security/risk-facts";
import { CHANGE_TYPES, changeInWords, compareChains, draftSet, type ChangeType, type DraftPolicy } from "./dry-run";
import { activePolicies } from "./queries";
import { policyFromForm } from "./form";
import { PolicyInputSchema } from "./schemas";
import { evaluateCheck } from "./check-rules";
import { metricFacts } from "../models/metric-facts";

const FAILED: readonly string[] = ["rejected", "changes_requested"];

/** At most this many requests are replayed (the most recently submitted): the answer says when it stopped. */
export const DRY_RUN_REQUEST_CAP = 2_000;
/** At most this many changed requests are listed; the counts cover them all. */
export const DRY_RUN_LIST_CAP = 200;

export const DryRunInput = z
  .object({
    days: z.coerce.number().int("Whole days.").min(1, "At least 1 day.").max(365, "At most 365 days.").default(30),
    /** A whole policy document (policies as code), as `policies apply` would apply it. */
    document: z.string().max(MAX_DOCUMENT_CHARS).optional(),
    prune: z.boolean().default(false),
    /** Or drafts of single policies (the editor's): each replaces the stored one of its id or name. */
    policies: z
      .array(PolicyInputSchema.extend({ id: z.uuid().optional() }))
      .max(50)
      .optional(),
  })
  .refine((v) => v.document !== undefined || v.policies !== undefined, {
    path: ["policies"],
    message: "Send a policy document or a list of draft policies.",
  });

export type DryRunResult = {
  days: number;
  since: string;
  /** Requests submitted in the window that were replayed. */
  scanned: number;
  /** True when the window held more than DRY_RUN_REQUEST_CAP requests: only the most recent were replayed. */
  capped: boolean;
  changed: number;
  unchanged: number;
  /** Requests with at least one change of each type. */
  byChange: Record<ChangeType, number>;
  requests: { number: number; title: string; submittedAt: string; changes: string[] }[];
  /** True when more changed requests exist than are listed. */
  listCapped: boolean;
};

/**
 * Which of the last `days` days' submitted requests would have had a different chain under the
 * draft policies: each request's facts as stored (kind, environment, effective risk, emergency, team,
 * cost; the manifest's signals when a policy routes on them) go through buildChain with the draft set, and the result is compared with the steps its
 * current revision was given. Nothing is written.
 */
export async function dryRunHistory(
  db: Db,
  drafts: readonly DraftPolicy[],
  options: { days: number; only?: boolean; now?: Date },
): Promise<DryRunResult> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - options.days * 86_400_000);
  const policies = draftSet(await activePolicies(db), drafts, options.only);
  const rows = await db
    .select()
    .from(changeRequests)
    .where(and(isNotNull(changeRequests.submittedAt), gte(changeRequests.submittedAt, since)))
    .orderBy(desc(changeRequests.submittedAt), desc(changeRequests.number))
    .limit(DRY_RUN_REQUEST_CAP + 1);
  const capped = rows.length > DRY_RUN_REQUEST_CAP;
  const requests = rows.slice(0, DRY_RUN_REQUEST_CAP);
  const steps = requests.length
    ? await db
        .select()
        .from(requestSteps)
        .where(
          inArray(
            requestSteps.requestId,
            requests.map((r) => r.id),
          ),
        )
    : [];
  const byChange = Object.fromEntries(CHANGE_TYPES.map((t) => [t, 0])) as Record<ChangeType, number>;
  const listed: DryRunResult["requests"] = [];
  let changed = 0;
  // Dependency conditions are judged on the manifest as the security team's decisions leave it now
  // (one read per request, only when a policy in the set names a dependency signal).
  const readsManifests = policies.some((p) => p.active && namesDependencySignals(p.definition.conditions));
  for (const r of requests) {
    const taken = steps.filter((s) => s.requestId === r.id && s.revision === r.revision);
    const draft = buildChain(policies, {
      kind: r.kind,
      environment: r.environment,
      effectiveRisk: r.effectiveRisk,
      emergency: r.emergency,
      teamId: r.teamId,
      currency: r.currency,
      totalCostMinor: r.totalCostMinor,
      dependencies: readsManifests ? dependencySignals(await manifestRiskFacts(db, r, now)) : null,
    });
    const changes = compareChains(taken, draft);
    // What the draft's checks would find on this request's version beside what is live now (the
    // figures of today, like the manifest); only a failure changes where the request would go.
    const checks = draft.filter((s) => s.check);
    if (checks.length) {
      const facts = await metricFacts(db, r);
      for (const s of checks) {
        const outcome = evaluateCheck(s.check!, facts);
        // A request this very check already stopped is not changed by it.
        const stopped = taken.some(
          (t) => t.check && JSON.stringify(t.check) === JSON.stringify(s.check) && FAILED.includes(t.status),
        );
        if (!outcome.passed && !stopped)
          changes.push({ type: "check", step: s.name, role: s.role, scope: s.scope, to: outcome.reason });
      }
    }
    if (!changes.length) continue;
    changed++;
    for (const type of new Set(changes.map((c) => c.type))) byChange[type]++;
    if (listed.length < DRY_RUN_LIST_CAP)
      listed.push({
        number: r.number,
        title: r.title,
        submittedAt: r.submittedAt!.toISOString(),
        changes: changes.map(changeInWords),
      });
  }
  return {
    days: options.days,
    since: since.toISOString(),
    scanned: requests.length,
    capped,
    changed,
    unchanged: requests.length - changed,
    byChange,
    requests: listed,
    listCapped: changed > listed.length,
  };
}

/** POST /api/v1/policies/dry-run: a document or drafts, replayed against history; admins only. */
export async function readPolicyDryRun(ctx: UserContext, raw: unknown): Promise<DryRunResult> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const input = parseInput(DryRunInput, raw);
  if (input.document !== undefined) {
    const { policies } = await readPolicyDocument(ctx.db, input.document);
    return dryRunHistory(ctx.db, policies, { days: input.days, only: input.prune, now: ctx.now });
  }
  return dryRunHistory(ctx.db, input.policies!, { days: input.days, now: ctx.now });
}

/** The editor's dry run of the one policy it holds (its form's fields, as the save action reads them). */
export async function readDraftDryRun(ctx: UserContext, fields: Record<string, unknown>): Promise<DryRunResult> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const policy = parseInput(PolicyInputSchema.extend({ id: z.uuid().optional() }), policyFromForm(fields));
  const window = z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .safeParse(fields.days ?? 30);
  if (!window.success) throw new ValidationError("Between 1 and 365 days.", { days: ["Between 1 and 365 days."] });
  return dryRunHistory(ctx.db, [policy], { days: window.data, now: ctx.now });
}
