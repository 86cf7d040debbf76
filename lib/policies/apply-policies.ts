import "server-only";
import { asc, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db";
import { approvalPolicies, teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { ValidationError, type FieldErrors } from "../errors";
import { defineVerb } from "../verb";
import { tellPolicyChange } from "./tell-policy-change";
import {
  describeFieldErrors,
  parsePolicyDocument,
  planApply,
  toStored,
  type ParsedDocument,
  type Plan,
  type StoredPolicy,
} from "./as-code";
import { assertPolicyCanComplete } from "./check-capacity";
import { lockPolicyAt, writePolicyVersion } from "./save-policy";

/** A policy document is at most this long (the API's body limit is 1 MB; this leaves room for JSON escaping). */
export const MAX_DOCUMENT_CHARS = 500_000;

export const ApplyInput = z.object({
  document: z.string().max(MAX_DOCUMENT_CHARS, "The document is over 500,000 characters."),
  dryRun: z.boolean().default(false),
  prune: z.boolean().default(false),
});

function invalid(errors: FieldErrors): ValidationError {
  const lines = describeFieldErrors(errors);
  return new ValidationError(`The policy document is not valid:\n${lines.map((l) => `  ${l}`).join("\n")}`, errors);
}

/** Parses a document and resolves its team names; a problem is a 400 naming each line and field. */
export async function readPolicyDocument(db: Db | Tx, text: string) {
  const parsed = parsePolicyDocument(text);
  if (!parsed.ok) throw invalid(parsed.errors);
  const teamRows = await db.select({ id: teams.id, name: teams.name }).from(teams);
  const stored = toStored(parsed.doc, teamRows);
  if (!stored.ok) throw invalid(stored.errors);
  return { doc: parsed.doc, policies: stored.policies };
}

export async function storedPolicies(db: Db | Tx): Promise<StoredPolicy[]> {
  return db.select().from(approvalPolicies).orderBy(asc(approvalPolicies.name));
}

// A chain check's field errors ("definition.stages.0.1.quorum") told at the document's line and path.
async function assertCanComplete(
  tx: Tx,
  doc: ParsedDocument,
  index: number,
  policy: Parameters<typeof assertPolicyCanComplete>[1],
  active: boolean,
) {
  try {
    await assertPolicyCanComplete(tx, policy, active);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const errors: FieldErrors = {};
    for (const [key, messages] of Object.entries(error.fieldErrors ?? {})) {
      const m = /^definition\.stages\.(\d+)\.(\d+)\.(\w+)$/.exec(key);
      const path = m
        ? ["policies", index, "stages", Number(m[1]), "steps", Number(m[2]), m[3]!]
        : ["policies", index, "stages"];
      (errors[path.join(".")] ??= []).push(...messages.map((msg) => `${doc.at(path)}: ${msg}`));
    }
    throw invalid(errors);
  }
}

/**
 * `policies apply`: brings the stored policies to what a document says, as one change (every policy
 * or none). Policies equal to the document stay at their version; changed ones get a new version;
 * missing ones are deactivated only with `prune`. With `dryRun` it answers the plan and writes
 * nothing. Every policy the document would leave active is checked like a save from the editor (a
 * chain that could never complete is refused at its line). Runs under the same lock as the default
 * policies, so two applies take turns and each plans against what the other left.
 */
export const applyPolicies = defineVerb({
  allow: ["admin"],
  input: ApplyInput,
  conflict: "Someone changed the policies at the same moment; nothing was applied. Run it again.",
  async run({ work, tx, actor, now }, input): Promise<{ plan: Plan; applied: boolean }> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('greenlight:policies'))`);
    const { doc, policies } = await readPolicyDocument(tx, input.document);
    const current = await storedPolicies(tx);
    const plan = planApply(current, policies, { prune: input.prune });
    for (const entry of plan.entries) {
      if (entry.action !== "add" && entry.action !== "change") continue;
      const index = policies.findIndex((p) => p.name === entry.name);
      await assertCanComplete(tx, doc, index, policies[index]!.definition, policies[index]!.active);
    }
    const changes = plan.entries.filter((e) => e.action !== "unchanged");
    if (input.dryRun || !changes.length) return { plan, applied: false };
    for (const entry of changes) {
      if (entry.action === "deactivate") {
        const locked = await lockPolicyAt(tx, entry.id!, { ifMatch: [entry.version!] });
        await writePolicyVersion(tx, actor, now, { ...locked, active: false }, locked, "policy.deactivated");
        continue;
      }
      const want = policies.find((p) => p.name === entry.name)!;
      const locked = entry.id ? await lockPolicyAt(tx, entry.id, { ifMatch: [entry.version!] }) : null;
      await writePolicyVersion(tx, actor, now, want, locked);
    }
    await recordAudit(
      tx,
      actor,
      {
        action: "policy.applied",
        entityType: "policy",
        entityId: "document",
        data: {
          counts: plan.counts,
          prune: input.prune,
          entries: changes.map((e) => ({ name: e.name, action: e.action, fromVersion: e.version })),
        },
      },
      now,
    );
    await tellPolicyChange(
      work,
      actor,
      changes.map((e) => e.name),
    );
    return { plan, applied: true };
  },
});
