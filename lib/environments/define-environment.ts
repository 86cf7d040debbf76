import "server-only";
import { environments } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { lockEnvironments } from "./lock";
import { view } from "./queries";
import { orderProblems } from "./rules";
import { DefineEnvironmentInput } from "./schemas";

/** Adds an environment to the promotion order. Admins only. */
export const defineEnvironment = defineVerb({
  allow: ["admin"],
  input: DefineEnvironmentInput,
  conflict: (input) => `An environment named ${input.name} already exists.`,
  async run({ tx, actor, now }, input) {
    const all = await lockEnvironments(tx);
    if (all.some((e) => e.name === input.name))
      throw new Conflict(`An environment named ${input.name} already exists.`);
    const candidate = { ...input, archivedAt: null, createdAt: now, updatedAt: now };
    const problems = orderProblems([...all, candidate], input.name);
    const first = Object.values(problems)[0]?.[0];
    if (first) throw new ValidationError(first, problems);
    const [row] = await tx.insert(environments).values(candidate).returning();
    await recordAudit(
      tx,
      actor,
      { action: "environment.defined", entityType: "environment", entityId: row!.name, data: view(row!) },
      now,
    );
    return view(row!);
  },
});
