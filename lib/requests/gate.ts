import "server-only";
import { and, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { environmentName } from "../environments/schemas";
import type { Db } from "@/db";
import { changeRequests, models, modelVersions, monitoringAlertLinks, requestSteps } from "@/db/schema";
import { parseInput } from "../validation";
import { statusInWords } from "../labels";
import { retroGateReason } from "./retro";
import { artifactDigest } from "./schemas";

/** What CI asks the gate (GET /api/v1/gate's query). */
export const GateQuery = z.object({
  model: z
    .string({ error: "Name the model." })
    .trim()
    .min(1, "Name the model.")
    .max(63, "No model has a name that long."),
  version: z
    .string({ error: "Name the version." })
    .trim()
    .min(1, "Name the version.")
    .max(64, "No version has a label that long."),
  environment: environmentName,
  // The artifact CI is about to ship, as it computed it: the answer is yes only for the approved bytes.
  digest: artifactDigest.optional(),
});

export type GateAnswer =
  | {
      allowed: true;
      /** The artifact the approval is for: the version's recorded digest (null when it has none). */
      approvedDigest: string | null;
      request: {
        number: string;
        title: string;
        status: string;
        revision: number;
        approvalExpiresAt: string | null;
        emergency: boolean;
        retroDueAt: string | null;
      };
    }
  | {
      allowed: false;
      reason: string;
      /**
       * Whether a decision may still open the gate without anyone filing anything: the covering
       * request is in review (or an emergency's retro-approval is under way). A pipeline waiting for
       * the answer keeps asking while this is true and stops when it is false.
       */
      waiting: boolean;
      /** The request the answer is about, when there is one. */
      request?: { number: string; status: string };
    };

/**
 * May this exact model version ship to this environment? Yes only when an approved (or deployed),
 * unexpired, unrevoked deployment request covers exactly that version and environment, and it is not
 * an emergency whose retro-approval is overdue (lib/requests/retro.ts): that one keeps the gate closed
 * until its chain completes. With a digest, the answer is yes only when it is the version's recorded
 * digest: an approval is for those bytes, and a rebuilt or swapped artifact under the same label is not.
 */
function refused(
  reason: string,
  request?: { waiting: boolean; number: number; status: string } | null,
): GateAnswer & { allowed: false } {
  if (!request) return { allowed: false, reason, waiting: false };
  return {
    allowed: false,
    reason,
    waiting: request.waiting,
    request: { number: `CR-${request.number}`, status: request.status },
  };
}

export async function gate(db: Db, raw: unknown, now = new Date()): Promise<GateAnswer> {
  return answerGate(db, parseInput(GateQuery, raw), now, false);
}

async function answerGate(db: Db, q: z.output<typeof GateQuery>, now: Date, again: boolean): Promise<GateAnswer> {
  // One statement when the answer is yes (a pipeline asks often): the requests that could cover the
  // version, each with the version's digest and its pending steps. Only a "no" reads more.
  const covering = await db
    .select({
      request: changeRequests,
      versionId: modelVersions.id,
      artifactDigest: modelVersions.artifactDigest,
      // Written out: inside a select list drizzle leaves columns unqualified, and request_steps has its own id.
      pending: sql<number>`(select count(*)::int from ${requestSteps} s where s.request_id = change_requests.id and s.revision = change_requests.revision and s.status = 'pending')`,
    })
    .from(changeRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(
      and(
        eq(models.name, q.model),
        eq(modelVersions.version, q.version),
        eq(changeRequests.environment, q.environment),
        eq(changeRequests.kind, "deployment"),
        // A request a monitoring alert opened asks to act on a misbehaving version (roll it back,
        // retrain it): its approval never vouches for shipping that version (ADR 0023).
        sql`not exists (select 1 from ${monitoringAlertLinks} l where l.request_id = ${changeRequests.id})`,
        or(
          and(
            eq(changeRequests.status, "approved"),
            or(isNull(changeRequests.approvalExpiresAt), gt(changeRequests.approvalExpiresAt, now)),
          ),
          eq(changeRequests.status, "deployed"),
        ),
      ),
    )
    .orderBy(desc(changeRequests.updatedAt))
    .limit(20);
  const [version] = covering.length
    ? [{ id: covering[0]!.versionId, artifactDigest: covering[0]!.artifactDigest }]
    : await db
        .select({ id: modelVersions.id, artifactDigest: modelVersions.artifactDigest })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(and(eq(models.name, q.model), eq(modelVersions.version, q.version)));
  if (!version) return refused(`${q.model} ${q.version} is not a registered model version.`);
  if (q.digest && !version.artifactDigest) {
    return refused(`${q.model} ${q.version} has no recorded artifact digest, so no approval covers ${q.digest}.`);
  }
  if (q.digest && q.digest !== version.artifactDigest) {
    return refused(
      `Digest mismatch: you asked about ${q.digest}, but ${q.model} ${q.version} was approved as ${version.artifactDigest}.`,
    );
  }
  const retro = (r: (typeof covering)[number]) => ({ ...r.request, pendingSteps: Number(r.pending) });
  const open = covering.find((r) => retroGateReason(retro(r), now) === null)?.request;
  if (open) {
    return {
      allowed: true,
      approvedDigest: version.artifactDigest,
      request: {
        number: `CR-${open.number}`,
        title: open.title,
        status: open.status,
        revision: open.revision,
        approvalExpiresAt: open.approvalExpiresAt?.toISOString() ?? null,
        emergency: open.emergency,
        retroDueAt: open.retroDueAt?.toISOString() ?? null,
      },
    };
  }
  const overdue = covering[0] && retroGateReason(retro(covering[0]), now);
  if (overdue)
    return refused(overdue, {
      waiting: true,
      number: covering[0]!.request.number,
      status: covering[0]!.request.status,
    });
  const [latest] = await db
    .select({
      number: changeRequests.number,
      status: changeRequests.status,
      approvalExpiresAt: changeRequests.approvalExpiresAt,
    })
    .from(changeRequests)
    .where(
      and(
        eq(changeRequests.modelVersionId, version.id),
        eq(changeRequests.environment, q.environment),
        inArray(changeRequests.kind, ["deployment"]),
      ),
    )
    .orderBy(desc(changeRequests.updatedAt))
    .limit(1);
  // The two reads are not one snapshot: an approval that committed between them reads here as
  // "approved" although the first read saw it in review. Ask once more rather than answer a waiting
  // pipeline "no" at the very moment it was approved.
  const approvedMeanwhile =
    latest &&
    (latest.status === "deployed" ||
      (latest.status === "approved" && (!latest.approvalExpiresAt || latest.approvalExpiresAt > now)));
  if (approvedMeanwhile && !again) return answerGate(db, q, now, true);
  const reason = latest
    ? `CR-${latest.number} for ${q.model} ${q.version} in ${q.environment} is ${latest.status === "approved" ? "approved but expired" : statusInWords(latest.status)}.`
    : `No deployment request covers ${q.model} ${q.version} in ${q.environment}.`;
  return refused(
    reason,
    latest && { waiting: latest.status === "in_review", number: latest.number, status: latest.status },
  );
}
