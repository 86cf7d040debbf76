import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { orgSettings, teams } from "@/db/schema";
import { ROLES, type Role } from "@/db/schema/org";
import { recordAudit } from "../audit/record";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { MAX_GROUP_LENGTH, MAX_RULES, parseRulesText, type DraftRule, type GroupMapping } from "./group-mapping";
import { GROUP_MAPPING_KEY, groupMapping } from "./mapping-store";

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

// The page sends the text form, the API a list of { group, roles, teams }; both end as drafts, and
// every problem is reported at "rules" (one field on the page) with the group it concerns.
const Rules = z
  .preprocess(
    (value, ctx) => {
      if (typeof value !== "string") return value;
      const parsed = parseRulesText(value);
      if ("rules" in parsed) return parsed.rules;
      for (const message of parsed.problems) ctx.addIssue({ code: "custom", message });
      return [];
    },
    z.array(z.unknown(), { error: "rules must be a list of { group, roles, teams }, or the page's text." }),
  )
  // Checked by hand rather than by nested schemas, so every problem lands at "rules" (the page's one field).
  .transform((items, ctx) =>
    items.flatMap((item, index) => {
      const rule = (item ?? {}) as { group?: unknown; roles?: unknown; teams?: unknown };
      const list = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === "string"));
      if (typeof item !== "object" || typeof rule.group !== "string" || !list(rule.roles) || !list(rule.teams)) {
        ctx.addIssue({
          code: "custom",
          message: `Rule ${index + 1}: write { "group": "name", "roles": ["role"], "teams": ["Team"] } (lists of text).`,
        });
        return [];
      }
      return [{ group: rule.group, roles: (rule.roles ?? []) as string[], teams: (rule.teams ?? []) as string[] }];
    }),
  )
  .superRefine((rules, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    if (rules.length > MAX_RULES) problem(`At most ${MAX_RULES} rules.`);
    const seen = new Set<string>();
    for (const rule of rules.slice(0, MAX_RULES)) {
      const group = rule.group.trim();
      if (!group || group.length > MAX_GROUP_LENGTH) {
        problem(`A group name is 1 to ${MAX_GROUP_LENGTH} characters.`);
        continue;
      }
      if (seen.has(group)) problem(`"${group}" has two rules: give each group one line.`);
      seen.add(group);
      const bad = rule.roles.map((r) => r.trim()).filter((r) => !isRole(r));
      if (bad.length)
        problem(`"${group}": ${bad.slice(0, 3).join(", ")} is not a role (${ROLES.join(", ")}; teams as "team Name").`);
      if (rule.roles.length + rule.teams.length === 0) problem(`"${group}": name at least one role or team.`);
    }
  })
  .transform((rules) =>
    rules.map((r): DraftRule => ({
      group: r.group.trim(),
      roles: [...new Set(r.roles.map((x) => x.trim()))],
      teams: [...new Set(r.teams.map((x) => x.trim()).filter(Boolean))],
    })),
  );

/**
 * Replaces the directory group mapping. Takes effect at each person's next SSO sign-in (sessions are
 * reloaded from the database on every request, so the change shows as soon as it is applied).
 */
export const setGroupMapping = defineVerb({
  allow: ["admin"],
  input: z.object({ rules: Rules }),
  async run({ tx, actor, now }, input) {
    const wanted = [...new Set(input.rules.flatMap((r) => r.teams.map((t) => t.toLowerCase())))];
    const found = wanted.length
      ? await tx
          .select({ id: teams.id, name: teams.name })
          .from(teams)
          .where(
            sql`lower(${teams.name}) in (${sql.join(
              wanted.map((w) => sql`${w}`),
              sql`, `,
            )})`,
          )
      : [];
    const byName = new Map(found.map((t) => [t.name.toLowerCase(), t]));
    const unknown = wanted.filter((w) => !byName.has(w));
    if (unknown.length) {
      throw new ValidationError("Some fields need attention.", {
        rules: [`No team named ${unknown.slice(0, 5).join(", ")}: create it under Admin → Teams first.`],
      });
    }
    const mapping: GroupMapping = {
      rules: input.rules.map((r) => ({
        group: r.group,
        roles: ROLES.filter((role) => r.roles.includes(role)),
        teamIds: r.teams.map((t) => byName.get(t.toLowerCase())!.id),
      })),
    };
    const before = await groupMapping(tx);
    const value = mapping as unknown as Record<string, unknown>;
    const updatedBy = actor.kind === "user" ? actor.id : null;
    await tx
      .insert(orgSettings)
      .values({ key: GROUP_MAPPING_KEY, value, updatedBy, updatedAt: now })
      .onConflictDoUpdate({ target: orgSettings.key, set: { value, updatedBy, updatedAt: now } });
    await recordAudit(
      tx,
      actor,
      {
        action: "sso.group_mapping_updated",
        entityType: "org_setting",
        entityId: GROUP_MAPPING_KEY,
        data: { before, after: mapping },
      },
      now,
    );
    return mapping;
  },
});
