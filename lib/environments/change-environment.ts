import "server-only";
import { eq } from "drizzle-orm";
import { environments } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { lockEnvironments } from "./lock";
import { view } from "./queries";
import { orderProblems } from "./rules";
import { ChangeEnvironmentInput } from "./schemas";

const FIELDS = ["description", "position", "protected", "requiresDeployedIn", "archived"] as const;

/**
 * Changes an environment's place in the order, its protection, its prerequisite or its description,
 * or archives it (no new request may name it; the requests that did keep it). Admins only. Requests
 * already in review keep the chain they were given; the new rules apply from the next submission.
 */
export const changeEnvironment = defineVerb({
  allow: ["admin"],
  input: ChangeEnvironmentInput,
  async run({ tx, actor, now }, input) {
    const all = await lockEnvironments(tx);
    const before = all.find((e) => e.name === input.name);
    if (!before) throw new NotFound("No such environment.");
    const after = {
      ...before,
      description: input.description ?? before.description,
      position: input.position ?? before.position,
      protected: input.protected ?? before.protected,
      requiresDeployedIn: input.requiresDeployedIn !== undefined ? input.requiresDeployedIn : before.requiresDeployedIn,
      archivedAt: input.archived === undefined ? before.archivedAt : input.archived ? (before.archivedAt ?? now) : null,
    };
    const problems = orderProblems(
      all.map((e) => (e.name === before.name ? after : e)),
      before.name,
    );
    const first = Object.values(problems)[0]?.[0];
    if (first) throw new ValidationError(first, problems);
    const was = view(before);
    const is = view(after);
    const changed = FIELDS.filter((f) => was[f] !== is[f]);
    if (!changed.length) return { ...is, changed: false };
    await tx
      .update(environments)
      .set({
        description: after.description,
        position: after.position,
        protected: after.protected,
        requiresDeployedIn: after.requiresDeployedIn,
        archivedAt: after.archivedAt,
        updatedAt: now,
      })
      .where(eq(environments.name, before.name));
    await recordAudit(
      tx,
      actor,
      {
        action: "environment.changed",
        entityType: "environment",
        entityId: before.name,
        data: {
          changed,
          before: Object.fromEntries(changed.map((f) => [f, was[f]])),
          after: Object.fromEntries(changed.map((f) => [f, is[f]])),
        },
      },
      now,
    );
    return { ...is, changed: true };
  },
});
