import "server-only";
import { desc, eq } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { affectedByVersion } from "./affected";
import { diffDatasetVersions } from "./diff";
import { mayManageDataset, DATASET_WRITERS } from "./permissions";
import { CreateDatasetVersionInput } from "./schemas";
import { importTableSchema } from "./table-schema";
import { tellAffected } from "./tell-affected";

/**
 * Adds a version of a dataset from a Table Schema. Versions are never edited: a correction is a new
 * version, so the list of versions is the dataset's history. In the same transaction, the people of
 * every live or in-review model version that uses a column this version changed are told (email, and
 * an entry on each open request).
 */
export const createDatasetVersion = defineVerb({
  allow: DATASET_WRITERS,
  peopleOnly: true,
  input: CreateDatasetVersionInput,
  conflict: (input) =>
    `${input.dataset} already has a version ${input.version}: versions are immutable, pick a new label.`,
  async prepare(_ctx, input) {
    const imported = importTableSchema(input.tableSchema, ["tableSchema"]);
    if (!imported.ok) throw new ValidationError("The Table Schema is not valid.", imported.errors);
    return imported.schema;
  },
  async run({ work, tx, actor, now }, input, schema) {
    if (actor.kind !== "user") throw new ValidationError("A dataset version needs a person as its author.");
    // The dataset's row lock makes two versions at once take turns: the second sees the first's
    // label (a 409) and numbers itself after it.
    const [dataset] = await tx.select().from(datasets).where(eq(datasets.name, input.dataset)).for("update");
    if (!dataset) throw new NotFound(`No dataset named "${input.dataset}".`);
    if (!mayManageDataset(actor, dataset.teamId)) {
      throw new ValidationError("This dataset belongs to another team.", {
        dataset: ["You can add versions to your own teams' datasets only."],
      });
    }
    const [previous] = await tx
      .select()
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, dataset.id))
      .orderBy(desc(datasetVersions.seq))
      .limit(1);
    const [version] = await tx
      .insert(datasetVersions)
      .values({
        datasetId: dataset.id,
        version: input.version,
        seq: (previous?.seq ?? 0) + 1,
        columns: schema.columns,
        primaryKey: schema.primaryKey,
        missingValues: schema.missingValues,
        foreignKeys: schema.foreignKeys,
        note: input.note,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning();
    const diff = previous ? diffDatasetVersions(previous.columns, schema.columns) : null;
    const affected = await affectedByVersion(tx, dataset, version!);
    await recordAudit(
      tx,
      actor,
      {
        action: "dataset.version_created",
        entityType: "dataset",
        entityId: dataset.id,
        data: {
          dataset: dataset.name,
          version: version!.version,
          seq: version!.seq,
          columns: schema.columns.length,
          previous: previous?.version ?? null,
          added: diff?.added.length ?? schema.columns.length,
          removed: diff?.removed.length ?? 0,
          changed: diff?.changed.map((c) => c.name).slice(0, 100) ?? [],
          affectedModelVersions: affected.versions.length,
          affectedTruncated: affected.truncated,
        },
      },
      now,
    );
    await tellAffected(work, actor, { name: dataset.name, version: version!.version }, affected.versions);
    return { dataset, version: version!, diff, affected };
  },
});
