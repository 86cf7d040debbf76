import "server-only";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { allowlistEntries, teams, type AllowlistRow } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { normalisePackageName, type AllowlistEntry } from "../dependencies/review";
import { schemeForEcosystem } from "../dependencies/review/versions";
import { NotFound, ValidationError, Conflict } from "../errors";
import { defineVerb } from "../verb";
import { CreateAllowlistInput, RevokeAllowlistInput } from "./schemas";

export function validRange(ecosystem: string, range: string): boolean {
  if (range.trim() === "*") return true;
  return schemeForEcosystem(ecosystem)?.isValidSpec(range.trim()) ?? false;
}

/** Adds an entry inside the caller's transaction (a package decision adds one too). */
export async function addAllowlistEntry(
  tx: Tx,
  actor: Actor,
  entry: {
    ecosystem: string;
    name: string;
    versionRange: string;
    teamId: string | null;
    action: AllowlistRow["action"];
    vulnerabilityIds: string[];
    reason: string;
    expiresAt: Date;
  },
  now: Date,
) {
  if (!validRange(entry.ecosystem, entry.versionRange)) {
    const example = entry.ecosystem === "npm" ? "^4.17.0" : ">=2.0,<3";
    throw new ValidationError(`"${entry.versionRange}" is not a ${entry.ecosystem} version range.`, {
      versionRange: [`Not a ${entry.ecosystem} range: write it like ${example}, or * for any version.`],
    });
  }
  const [row] = await tx
    .insert(allowlistEntries)
    .values({
      ...entry,
      normalizedName: normalisePackageName(entry.ecosystem, entry.name),
      versionRange: entry.versionRange.trim(),
      approvedBy: actor.kind === "user" ? actor.id : null,
      approvedAt: now,
    })
    .returning();
  await recordAudit(
    tx,
    actor,
    {
      action: "allowlist.created",
      entityType: "allowlist_entry",
      entityId: row!.id,
      data: {
        ecosystem: row!.ecosystem,
        name: row!.normalizedName,
        range: row!.versionRange,
        scope: row!.teamId ?? "org",
        action: row!.action,
        vulnerabilityIds: row!.vulnerabilityIds,
        reason: row!.reason,
        expiresAt: row!.expiresAt,
      },
    },
    now,
  );
  return row!;
}

export const createAllowlistEntry = defineVerb({
  allow: ["security", "admin"],
  input: CreateAllowlistInput,
  async run({ tx, actor, now }, input) {
    if (input.action === "ignore_vulnerability" && !input.vulnerabilityIds.length) {
      throw new ValidationError("Name the vulnerabilities to ignore.", {
        vulnerabilityIds: ["Name the vulnerabilities to ignore, e.g. GHSA-xxxx or CVE-2024-1234."],
      });
    }
    if (input.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
      if (!team) throw new ValidationError("Unknown team.", { teamId: ["Unknown team."] });
    }
    return addAllowlistEntry(
      tx,
      actor,
      { ...input, teamId: input.teamId ?? null, expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000) },
      now,
    );
  },
});

export const revokeAllowlistEntry = defineVerb({
  allow: ["security", "admin"],
  input: RevokeAllowlistInput,
  async run({ tx, actor, now }, input) {
    const [entry] = await tx
      .select()
      .from(allowlistEntries)
      .where(eq(allowlistEntries.id, input.entryId))
      .for("update");
    if (!entry) throw new NotFound("No such allowlist entry.");
    if (entry.revokedAt) throw new Conflict("This entry is already revoked.");
    const [revoked] = await tx
      .update(allowlistEntries)
      .set({ revokedAt: now })
      .where(eq(allowlistEntries.id, entry.id))
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "allowlist.revoked",
        entityType: "allowlist_entry",
        entityId: entry.id,
        data: { name: entry.normalizedName, range: entry.versionRange, reason: input.reason },
      },
      now,
    );
    return revoked!;
  },
});

/** Active entries (not revoked, not expired) in the review module's shape. */
export async function activeAllowlist(tx: Db | Tx, now: Date): Promise<AllowlistEntry[]> {
  const rows = await tx
    .select()
    .from(allowlistEntries)
    .where(
      and(
        isNull(allowlistEntries.revokedAt),
        or(isNull(allowlistEntries.expiresAt), gt(allowlistEntries.expiresAt, now)),
      ),
    );
  return rows.map(toEntry);
}

export function toEntry(row: AllowlistRow): AllowlistEntry {
  const base = {
    id: row.id,
    ecosystem: row.ecosystem as AllowlistEntry["ecosystem"],
    normalizedName: row.normalizedName,
    versionRange: row.versionRange,
    scope: row.teamId ? { teamId: row.teamId } : ("org" as const),
    reason: row.reason,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
  if (row.action === "ignore_vulnerability")
    return { ...base, action: "ignore_vulnerability", vulnerabilityIds: row.vulnerabilityIds };
  return { ...base, action: row.action };
}
