import "server-only";
import { eq } from "drizzle-orm";
import parseSpdx from "spdx-expression-parse";
import { z } from "zod";
import type { Db, Tx } from "@/db";
import { orgSettings } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { DEFAULT_LICENCE_POLICY, type LicencePolicy } from "../dependencies/review";
import { defineVerb } from "../verb";

const KEY = "licence_policy";

/** The organisation's licence policy; the shipped default until security or an admin sets one. */
export async function licencePolicy(tx: Db | Tx): Promise<LicencePolicy> {
  const [row] = await tx.select({ value: orgSettings.value }).from(orgSettings).where(eq(orgSettings.key, KEY));
  return row ? (row.value as unknown as LicencePolicy) : DEFAULT_LICENCE_POLICY;
}

const isSpdxId = (id: string) => {
  try {
    const parsed = parseSpdx(id);
    return "license" in parsed && parsed.license === id;
  } catch {
    return false;
  }
};
// People paste lists however they like: commas, spaces or one per line.
const ids = (what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
    z
      .array(z.string().trim())
      .max(500)
      .superRefine((list, ctx) => {
        const bad = list.filter((id) => !isSpdxId(id));
        if (bad.length)
          ctx.addIssue({
            code: "custom",
            message: `Not SPDX licence ids (${what}): ${bad.slice(0, 5).join(", ")}. Use ids like MIT, Apache-2.0, GPL-3.0-only.`,
          });
      }),
  );

const Input = z.object({ allowed: ids("allowed"), denied: ids("denied") }).superRefine((v, ctx) => {
  const both = v.allowed.filter((id) => v.denied.includes(id));
  if (both.length)
    ctx.addIssue({ code: "custom", path: ["denied"], message: `Both allowed and denied: ${both.join(", ")}.` });
});

/** Sets the licence policy every later review checks against (reviews already stored keep their verdicts). */
export const setLicencePolicy = defineVerb({
  allow: ["security", "admin"],
  input: Input,
  async run({ tx, actor, now }, input) {
    const policy: LicencePolicy = { allowed: [...new Set(input.allowed)], denied: [...new Set(input.denied)] };
    const before = await licencePolicy(tx);
    await tx
      .insert(orgSettings)
      .values({
        key: KEY,
        value: policy as unknown as Record<string, unknown>,
        updatedBy: actor.kind === "user" ? actor.id : null,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: orgSettings.key,
        set: {
          value: policy as unknown as Record<string, unknown>,
          updatedBy: actor.kind === "user" ? actor.id : null,
          updatedAt: now,
        },
      });
    await recordAudit(
      tx,
      actor,
      { action: "licence_policy.updated", entityType: "org_setting", entityId: KEY, data: { before, after: policy } },
      now,
    );
    return policy;
  },
});
