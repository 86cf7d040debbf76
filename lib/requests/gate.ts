import "server-only";
import { and, desc, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { changeRequests, models, modelVersions } from "@/db/schema";
import { ENVIRONMENTS } from "@/db/schema/requests";
import { parseInput } from "../validation";
import { statusInWords } from "../labels";

const Query = z.object({
  model: z.string({ error: "Name the model." }).trim().min(1, "Name the model."),
  version: z.string({ error: "Name the version." }).trim().min(1, "Name the version."),
  environment: z.enum(ENVIRONMENTS, { error: "Environment is staging or production." }),
});

export type GateAnswer =
  | {
      allowed: true;
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
  | { allowed: false; reason: string };

/**
 * May this exact model version ship to this environment? Yes only when an approved (or deployed),
 * unexpired, unrevoked deployment request covers exactly that version and environment.
 */
export async function gate(db: Db, raw: unknown, now = new Date()): Promise<GateAnswer> {
  const q = parseInput(Query, raw);
  const [version] = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, q.model), eq(modelVersions.version, q.version)));
  if (!version) return { allowed: false, reason: `${q.model} ${q.version} is not a registered model version.` };
  const [covering] = await db
    .select()
    .from(changeRequests)
    .where(
      and(
        eq(changeRequests.modelVersionId, version.id),
        eq(changeRequests.environment, q.environment),
        eq(changeRequests.kind, "deployment"),
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
    .limit(1);
  if (covering) {
    return {
      allowed: true,
      request: {
        number: `CR-${covering.number}`,
        title: covering.title,
        status: covering.status,
        revision: covering.revision,
        approvalExpiresAt: covering.approvalExpiresAt?.toISOString() ?? null,
        emergency: covering.emergency,
        retroDueAt: covering.retroDueAt?.toISOString() ?? null,
      },
    };
  }
  const [latest] = await db
    .select({ number: changeRequests.number, status: changeRequests.status })
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
  const reason = latest
    ? `CR-${latest.number} for ${q.model} ${q.version} in ${q.environment} is ${latest.status === "approved" ? "approved but expired" : statusInWords(latest.status)}.`
    : `No deployment request covers ${q.model} ${q.version} in ${q.environment}.`;
  return { allowed: false, reason };
}
