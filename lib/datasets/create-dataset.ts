import "server-only";
import { eq } from "drizzle-orm";
import { datasets, teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { DATASET_WRITERS, mayManageDataset } from "./permissions";
import { CreateDatasetInput } from "./schemas";

/** Adds a dataset to the dictionary for its owner team; its columns come with its first version. */
export const createDataset = defineVerb({
  allow: DATASET_WRITERS,
  peopleOnly: true,
  input: CreateDatasetInput,
  conflict: (input) =>
    new ValidationError(`A dataset named "${input.name}" already exists.`, {
      name: [`A dataset named "${input.name}" already exists; add a version to it instead.`],
    }),
  async run({ tx, actor, now }, input) {
    if (actor.kind !== "user") throw new ValidationError("A dataset needs a person as its creator.");
    if (!mayManageDataset(actor, input.teamId)) {
      throw new ValidationError("You can add datasets for your own teams only.", {
        teamId: ["Choose one of your teams."],
      });
    }
    const [team] = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw new ValidationError("Unknown team.", { teamId: ["Unknown team."] });
    const [dataset] = await tx
      .insert(datasets)
      .values({ ...input, createdBy: actor.id, createdAt: now })
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "dataset.created",
        entityType: "dataset",
        entityId: dataset!.id,
        data: { name: dataset!.name, team: team.name },
      },
      now,
    );
    return { ...dataset!, team: team.name };
  },
});
