import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound } from "../errors";
import { defineVerb } from "../verb";
import { teamName } from "./schemas";

export const renameTeam = defineVerb({
  allow: ["admin"],
  input: z.object({ teamId: z.uuid({ error: "Unknown team." }), name: teamName }),
  conflict: (input) => `A team named "${input.name}" already exists.`,
  async run({ tx, actor, now }, input) {
    const [before] = await tx.select().from(teams).where(eq(teams.id, input.teamId)).for("update");
    if (!before) throw new NotFound("No such team.");
    if (before.name === input.name) return { ...before, changed: false };
    await tx.update(teams).set({ name: input.name }).where(eq(teams.id, before.id));
    await recordAudit(
      tx,
      actor,
      {
        action: "team.renamed",
        entityType: "team",
        entityId: before.id,
        data: { before: before.name, after: input.name },
      },
      now,
    );
    return { id: before.id, name: input.name, changed: true };
  },
});
