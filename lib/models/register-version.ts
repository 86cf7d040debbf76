import "server-only";
import { eq } from "drizzle-orm";
import { models, modelVersions } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { mayManageTeamModels } from "./permissions";
import { linkToDictionary } from "./dataset-link";
import { RegisterVersionInput } from "./schemas";

/** Records an immutable model version: what was trained, on what, and how well it did. */
export const registerVersion = defineVerb({
  allow: ["requester", "ml_lead", "admin"],
  input: RegisterVersionInput,
  conflict: (input) =>
    new ValidationError(`Version ${input.version} already exists.`, {
      version: [`${input.model} already has a version ${input.version}; versions are immutable, pick a new label.`],
    }),
  async run({ tx, actor, now }, input) {
    if (actor.kind !== "user") throw new ValidationError("A version needs a person as its author.");
    if (!input.dataset && !input.datasetName)
      throw new ValidationError("Name the dataset.", { datasetName: ["Name the dataset."] });
    if (!input.dataset && !input.datasetVersion)
      throw new ValidationError("Give the dataset version.", { datasetVersion: ["Give the dataset version."] });
    const [model] = await tx.select().from(models).where(eq(models.name, input.model));
    if (!model) throw new NotFound(`No model named "${input.model}".`);
    if (!mayManageTeamModels(actor, model.teamId)) {
      throw new ValidationError("This model belongs to another team.", {
        model: ["You can add versions to your own team's models only."],
      });
    }
    const { model: _name, dataset: _dataset, features: _features, label: _label, ...fields } = input;
    const link = await linkToDictionary(tx, input);
    const [version] = await tx
      .insert(modelVersions)
      .values({
        ...fields,
        datasetName: link?.dataset ?? fields.datasetName!,
        datasetVersion: link?.version ?? fields.datasetVersion!,
        datasetVersionId: link?.id ?? null,
        features: link ? (input.features ?? []) : null,
        label: link ? (input.label ?? null) : null,
        gitCommit: fields.gitCommit ?? null,
        artifactDigest: fields.artifactDigest ?? null,
        trainingRunId: fields.trainingRunId ?? null,
        modelId: model.id,
        createdBy: actor.id,
        // The unit's clock: "registered" starts the lead time the insights measure.
        createdAt: now,
      })
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "model.version_registered",
        entityType: "model_version",
        entityId: version!.id,
        data: {
          model: model.name,
          version: version!.version,
          artifactDigest: version!.artifactDigest,
          ...(link
            ? {
                dataset: link.dataset,
                datasetVersion: link.version,
                features: version!.features,
                label: version!.label,
              }
            : {}),
        },
      },
      now,
    );
    return { ...version!, model: model.name };
  },
});
