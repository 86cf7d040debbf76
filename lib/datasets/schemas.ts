import { z } from "zod";
import { storable, text } from "../validation";
import { MAX_FIELDS } from "./table-schema";

export const datasetName = z
  .string({ error: "Name the dataset." })
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,62}$/,
    "Use 2-63 lowercase letters, digits, '.', '_' or '-' (it appears in URLs and in model versions).",
  );

export const datasetVersionLabel = z
  .string({ error: "Give the version a label." })
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/,
    "Use up to 64 letters, digits, '.', '_', '+' or '-', e.g. v2 or 2026-12-01.",
  );

export const columnName = z
  .string({ error: "A column name is text." })
  .trim()
  .min(1, "A column name is text.")
  .max(200, "A column name is at most 200 characters.")
  .superRefine(storable);

export const CreateDatasetInput = z.object({
  name: datasetName,
  teamId: z.uuid({ error: "Choose the team that owns the dataset." }),
  description: text({ max: 2000, label: "The description" }).default(""),
});

/** A Table Schema as a JSON object (API) or its text (the page's box); bad JSON is a field error. */
const tableSchemaValue = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return Symbol.for("invalid-json");
    }
  },
  z.record(z.string(), z.unknown(), { error: 'The Table Schema must be a JSON object, like {"fields": [...]}.' }),
);

export const CreateDatasetVersionInput = z.object({
  dataset: datasetName,
  version: datasetVersionLabel,
  note: text({ max: 2000, label: "The note" }).default(""),
  tableSchema: tableSchemaValue,
});

/** Features as a list (API) or as names separated by commas or new lines (the form). */
export const featureList = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(/[,\n]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(columnName).max(MAX_FIELDS, `At most ${MAX_FIELDS} features.`),
);

/** What a model version names of the dictionary: the dataset version, then its features and label. */
export const DatasetLink = z.object({
  name: datasetName,
  version: datasetVersionLabel,
});

export const DiffQuery = z.object({
  from: datasetVersionLabel,
  to: datasetVersionLabel,
});

export const DatasetSearch = z.object({
  q: z.string().trim().max(200, "Search with at most 200 characters.").superRefine(storable).default(""),
});
