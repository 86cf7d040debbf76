import "server-only";
import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { dependencyManifests, requestDependencies } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, NotFound } from "../errors";
import { lockRequest } from "./load";
import { defineVerb } from "../verb";
import { requestNumber } from "./schemas";
import { addAllowlistEntry } from "../security/allowlist";
import { statusInWords } from "../labels";

const DecidePackageInput = z.object({
  number: requestNumber,
  dependencyId: z.uuid({ error: "Choose a dependency." }),
  decision: z.enum(["approve", "reject"], { error: "Decision is approve or reject." }),
  reason: z
    .string({ error: "Give a reason." })
    .trim()
    .min(3, "Give a reason (it is recorded with the decision).")
    .max(1000),
  // approve: the allowlist entry it creates
  versionRange: z.string().trim().max(200).optional(),
  scope: z.enum(["org", "team"]).default("org"),
  ignoreVulnerabilities: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).default(false),
  expiresInDays: z.coerce
    .number({ error: "Expiry in days, e.g. 180." })
    .int("Whole days.")
    .min(1, "At least 1 day.")
    .max(730, "At most two years.")
    .default(180),
});

/** The range an approval covers by default: exactly the pinned version, else what the manifest asked for. */
export function defaultRange(dep: { ecosystem: string; pinnedVersion: string | null; spec: string | null }) {
  if (dep.pinnedVersion) return dep.ecosystem === "npm" ? dep.pinnedVersion : `==${dep.pinnedVersion}`;
  return dep.spec ?? "*";
}

/**
 * The security team's decision on one package of a request's manifest: approve it (which adds it to
 * the allowlist, for the organisation or the request's team, so it is not reviewed again until the
 * entry expires) or reject it with a reason. The step itself is decided with the usual decision.
 */
export const decidePackage = defineVerb({
  allow: ["security"],
  input: DecidePackageInput,
  async run({ tx, actor, now }, input) {
    const request = await lockRequest(tx, input.number);
    const [dep] = await tx
      .select({ row: requestDependencies })
      .from(requestDependencies)
      .innerJoin(dependencyManifests, eq(dependencyManifests.id, requestDependencies.manifestId))
      .where(
        and(
          eq(requestDependencies.id, input.dependencyId),
          eq(requestDependencies.requestId, request.id),
          eq(dependencyManifests.current, true),
        ),
      );
    if (!dep) throw new NotFound(`CR-${request.number}'s current manifest has no such dependency.`);
    const row = dep.row;
    if (row.decision !== "pending") throw new Conflict(`${row.name} was already ${row.decision} on this manifest.`);
    if (!["draft", "in_review", "changes_requested"].includes(request.status))
      throw new Conflict(`CR-${request.number} is ${statusInWords(request.status)}: its review is over.`);
    const entries = [];
    if (input.decision === "approve") {
      const common = {
        ecosystem: row.ecosystem,
        name: row.normalizedName,
        versionRange: input.versionRange || defaultRange(row),
        teamId: input.scope === "team" ? request.teamId : null,
        reason: input.reason,
        expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      };
      entries.push(await addAllowlistEntry(tx, actor, { ...common, action: "approve", vulnerabilityIds: [] }, now));
      const open = row.findings.flatMap((f) => f.ids);
      if (input.ignoreVulnerabilities && open.length)
        entries.push(
          await addAllowlistEntry(
            tx,
            actor,
            { ...common, action: "ignore_vulnerability", vulnerabilityIds: [...new Set(open)] },
            now,
          ),
        );
    }
    const [decided] = await tx
      .update(requestDependencies)
      .set({
        decision: input.decision === "approve" ? "approved" : "rejected",
        decisionReason: input.reason,
        decidedBy: actor.kind === "user" ? actor.id : null,
        decidedAt: now,
      })
      .where(eq(requestDependencies.id, row.id))
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "dependency.decided",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          package: row.name,
          version: row.pinnedVersion ?? row.spec,
          decision: input.decision,
          reason: input.reason,
          allowlistEntries: entries.map((e) => e.id),
        },
      },
      now,
    );
    return { dependency: decided!, allowlistEntries: entries };
  },
});
