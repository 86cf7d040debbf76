import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import {
  advisoryPackages,
  changeRequests,
  dependencyManifests,
  requestDependencies,
  users,
  type StoredFinding,
} from "@/db/schema";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import {
  atLeast,
  buildAdvisoryIndex,
  coveringEntries,
  dependencyKey,
  entriesIgnoring,
  findingsByDependency,
  findVulnerabilities,
  supplyChainSignals,
  typosquatSuspect,
  type SeverityLevel,
} from "../dependencies/review";
import { getEnv } from "../env";
import { statusInWords } from "../labels";
import { modelVersionName } from "../models/queries";
import type { RequestStatus } from "@/db/schema/requests";
import { enqueueNotification } from "../notifications/enqueue";
import { holdersOf } from "../users/people";
import type { UnitOfWork } from "../verb";
import { advisoriesFor } from "./advisory-store";
import { activeAllowlist } from "./allowlist";
import { reviewedDependency } from "./manifest-review";
import { findingFromStore, storedFinding } from "./review";

/** Requests whose review is over or under way: a new advisory must not pass them by. */
export const RECHECKED_STATUSES = ["in_review", "approved", "deployed"] as const;

/** Whether a re-check finding puts the request on the security queue. */
export const flags = (f: StoredFinding) => f.malware || atLeast(f.severity as SeverityLevel, "high");

const CHUNK = 500;

/**
 * After advisories are stored, re-matches the current manifests of requests in review, approved or
 * deployed, bounded to the dependencies the changed advisories name (an import that changed nothing
 * re-checks nothing, so re-importing the same file mails nobody twice). Findings are rewritten the
 * way the upload review stores them; a finding not there before is marked `recheckedAt`. Each
 * request that gained one at or above high gets a `request.rechecked` event and a mail to its
 * requester and the security team. Runs in the import's unit of work: it commits with the advisories.
 */
export async function recheckManifests(work: UnitOfWork, actor: Actor, changedIds: readonly string[]) {
  const { tx, now } = work;
  const result = { dependencies: 0, flagged: [] as number[] };
  if (!changedIds.length) return result;
  const packages = new Map<string, { ecosystem: string; name: string }>();
  for (let i = 0; i < changedIds.length; i += CHUNK) {
    const rows = await tx
      .selectDistinct({ ecosystem: advisoryPackages.ecosystem, name: advisoryPackages.name })
      .from(advisoryPackages)
      .where(inArray(advisoryPackages.advisoryId, changedIds.slice(i, i + CHUNK)));
    for (const r of rows) packages.set(`${r.ecosystem} ${r.name}`, r);
  }
  const keys = [...packages.values()];
  const rows = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    rows.push(
      ...(await tx
        .select({
          dep: requestDependencies,
          requestId: changeRequests.id,
          teamId: changeRequests.teamId,
          number: changeRequests.number,
          title: changeRequests.title,
          requestedBy: changeRequests.requestedBy,
          status: changeRequests.status,
          environment: changeRequests.environment,
          modelVersionId: changeRequests.modelVersionId,
        })
        .from(requestDependencies)
        .innerJoin(
          dependencyManifests,
          and(eq(dependencyManifests.id, requestDependencies.manifestId), eq(dependencyManifests.current, true)),
        )
        .innerJoin(changeRequests, eq(changeRequests.id, requestDependencies.requestId))
        .where(
          and(
            inArray(changeRequests.status, [...RECHECKED_STATUSES]),
            or(
              ...chunk.map((k) =>
                and(eq(requestDependencies.ecosystem, k.ecosystem), eq(requestDependencies.normalizedName, k.name)),
              ),
            ),
          ),
        )
        .for("update", { of: requestDependencies })),
    );
  }
  if (!rows.length) return result;
  const reviewed = rows.map((r) => ({ ...r, review: reviewedDependency(r.dep) }));
  const entries = await activeAllowlist(tx, now);
  const records = await advisoriesFor(
    tx,
    reviewed.map((r) => r.review),
  );
  const byDep = findingsByDependency(
    findVulnerabilities(
      reviewed.map((r) => r.review),
      buildAdvisoryIndex(records),
    ),
  );
  const gained = new Map<
    string,
    {
      number: number;
      title: string;
      requestedBy: string;
      status: RequestStatus;
      environment: string;
      modelVersionId: string | null;
      ids: Set<string>;
      packages: Set<string>;
      critical: boolean;
    }
  >();
  for (const r of reviewed) {
    const matched = byDep.get(dependencyKey(r.review)) ?? [];
    const before = new Map(r.dep.findings.map((f) => [f.primaryId, f]));
    // A finding already stored keeps when it was first found; only one not there before is new.
    const findings = matched.map((m) => {
      const stored = storedFinding(m);
      const old =
        before.get(stored.primaryId) ?? r.dep.findings.find((f) => f.ids.some((id) => stored.ids.includes(id)));
      if (old) return old.recheckedAt ? { ...stored, recheckedAt: old.recheckedAt } : stored;
      // One the security team already dismissed (an active ignore entry) is stored, never flagged.
      const covering = coveringEntries(r.review, entries, { teamId: r.teamId, now });
      if (entriesIgnoring(findingFromStore(r.review, stored), covering).length) return stored;
      return { ...stored, recheckedAt: now.toISOString() };
    });
    const signals = supplyChainSignals(
      r.review,
      matched,
      typosquatSuspect(r.review.ecosystem, r.review.normalizedName),
    ).map((s) => ({ kind: s.kind, detail: s.detail }));
    if (
      JSON.stringify(findings) === JSON.stringify(r.dep.findings) &&
      JSON.stringify(signals) === JSON.stringify(r.dep.signals)
    )
      continue;
    await tx.update(requestDependencies).set({ findings, signals }).where(eq(requestDependencies.id, r.dep.id));
    result.dependencies++;
    for (const f of findings) {
      if (f.recheckedAt !== now.toISOString() || !flags(f)) continue;
      const entry = gained.get(r.requestId) ?? {
        number: r.number,
        title: r.title,
        requestedBy: r.requestedBy,
        status: r.status,
        environment: r.environment,
        modelVersionId: r.modelVersionId,
        ids: new Set<string>(),
        packages: new Set<string>(),
        critical: false,
      };
      entry.ids.add(f.primaryId);
      entry.packages.add(r.dep.name);
      entry.critical ||= f.malware || f.severity === "critical";
      gained.set(r.requestId, entry);
    }
  }
  if (!gained.size) return result;
  const security = await holdersOf(tx, "security");
  const requesters = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(inArray(users.id, [...new Set([...gained.values()].map((g) => g.requestedBy))]), eq(users.active, true)),
    );
  for (const [requestId, g] of gained) {
    const advisoryIds = [...g.ids].sort();
    const names = [...g.packages].sort();
    await recordAudit(
      tx,
      actor,
      {
        action: "request.rechecked",
        entityType: "change_request",
        entityId: requestId,
        data: { number: g.number, advisories: advisoryIds, packages: names },
      },
      now,
    );
    const props = {
      number: g.number,
      title: g.title,
      advisoryIds,
      packages: names,
      severity: g.critical ? "critical" : "high",
      // Where it runs, in the reader's words: "deployed in production: fraud-detector v3".
      where: [`${statusInWords(g.status)} in ${g.environment}`, await modelVersionName(tx, g.modelVersionId)]
        .filter(Boolean)
        .join(": "),
      url: `${getEnv().appUrl}/requests/${g.number}/dependencies`,
    };
    const to = new Map<string, string>();
    for (const p of [...requesters.filter((u) => u.id === g.requestedBy), ...security]) to.set(p.id, p.email);
    for (const [userId, email] of to)
      await enqueueNotification(work, { to: email, userId, template: "new-advisory", props });
    result.flagged.push(g.number);
  }
  return result;
}
