import "server-only";
import type { z } from "zod";
import type { Tx } from "@/db";
import { ValidationError } from "../errors";
import { getDatasetVersion } from "../datasets/queries";
import type { RegisterVersionInput } from "./schemas";

const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ");

/**
 * The dictionary version a new model version names, with its features and label checked against
 * that version's columns (a 400 naming each unknown column). `dataset` names it; without it, features
 * or a label (the form) link the version through datasetName and datasetVersion. null: not linked.
 */
export async function linkToDictionary(tx: Tx, input: z.output<typeof RegisterVersionInput>) {
  const features = input.features ?? [];
  const named =
    input.dataset ??
    (features.length || input.label ? { name: input.datasetName!, version: input.datasetVersion! } : null);
  if (!named) return null;
  const field = input.dataset ? "dataset" : "datasetVersion";
  if (
    input.dataset &&
    ((input.datasetName && input.datasetName !== input.dataset.name) ||
      (input.datasetVersion && input.datasetVersion !== input.dataset.version))
  ) {
    const message = "datasetName and datasetVersion must match `dataset` (or leave them out).";
    throw new ValidationError(message, { datasetName: [message] });
  }
  const version = await getDatasetVersion(tx, named.name, named.version);
  if (!version) {
    const message = `The data dictionary has no ${named.name} version ${named.version}: add it there first, or leave out the features and label.`;
    throw new ValidationError(message, { [field]: [message] });
  }
  const columns = new Set(version.columns.map((c) => c.name));
  const errors: Record<string, string[]> = {};
  const unknownFeatures = [...new Set(features)].filter((f) => !columns.has(f));
  if (unknownFeatures.length)
    errors.features = [`${named.name} ${named.version} has no column ${list(unknownFeatures)}.`];
  if (input.label && !columns.has(input.label))
    errors.label = [`${named.name} ${named.version} has no column "${input.label}".`];
  else if (input.label && features.includes(input.label))
    errors.label = [`"${input.label}" is listed as a feature too: a label cannot be its own input.`];
  if (Object.keys(errors).length) throw new ValidationError("Some columns are not in the dataset version.", errors);
  return { id: version.id, dataset: version.dataset, version: version.version };
}
