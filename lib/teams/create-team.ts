import "server-only";
import { z } from "zod";
import { teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { defineVerb } from "../verb";
import { teamName } from "./schemas";

export const createTeam = defineVerb({
  allow: ["admin"],
  input: z.object({ name: teamName }),
  conflict: (input) => `A team named "${input.name}" already exists.`,
  async run({ tx, actor, now }, input) {
    const [team] = await tx.insert(teams).values({ name: input.name }).returning({ id: teams.id, name: teams.name });
    await recordAudit(
      tx,
      actor,
      { action: "team.created", entityType: "team", entityId: team!.id, data: { name: team!.name } },
      now,
    );
    return team!;
  },
});
