import { z } from "zod";
import { columnName, DatasetLink, featureList } from "../datasets/schemas";
import { storable, text } from "../validation";

export const modelName = z
  .string({ error: "Name the model." })
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,62}$/,
    "Use 2-63 lowercase letters, digits, '.', '_' or '-' (it appears in URLs and CI).",
  );

/** A JSON object given as text (forms) or as an object (API); bad JSON is a field error, not a 500. */
export const jsonObject = (label: string) =>
  z.preprocess(
    (v) => {
      if (typeof v !== "string") return v;
      if (v.trim() === "") return {};
      try {
        return JSON.parse(v);
      } catch {
        return Symbol.for("invalid-json");
      }
    },
    z.record(z.string(), z.unknown(), { error: `${label} must be a JSON object, like {"learning_rate": 0.01}.` }),
  );

export const CreateModelInput = z.object({
  name: modelName,
  teamId: z.uuid({ error: "Choose a team." }),
  description: text({ max: 2000, label: "The description" }).default(""),
});

export const versionLabel = z
  .string({ error: "Give the version a label." })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "Use up to 64 letters, digits, '.', '_', '+' or '-', e.g. v3 or 2.1.0.");

export const RegisterVersionInput = z.object({
  model: modelName,
  version: versionLabel,
  sourceUri: z
    .string({ error: "Where is the artifact or source?" })
    .trim()
    .min(3, "Where is the artifact or source?")
    .max(1000)
    .superRefine(storable),
  gitCommit: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{7,40}$/i, "A git commit is 7-40 hex characters.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  artifactDigest: z
    .string()
    .trim()
    .regex(
      /^sha256:[0-9a-f]{64}$/,
      "An artifact digest is sha256: and 64 lowercase hex characters (sha256sum prints them).",
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  trainingRunId: z
    .string()
    .trim()
    .max(200, "A training run id is at most 200 characters.")
    .superRefine(storable)
    .optional()
    .transform((v) => v || undefined),
  framework: z
    .string({ error: "Name the framework." })
    .trim()
    .min(1, "Name the framework.")
    .max(80)
    .superRefine(storable),
  hyperparameters: jsonObject("Hyperparameters"),
  datasetName: z
    .string({ error: "Name the dataset." })
    .trim()
    .min(1, "Name the dataset.")
    .max(200)
    .superRefine(storable)
    // Optional only when `dataset` names a dictionary version (its names are used then).
    .optional(),
  datasetVersion: z
    .string({ error: "Give the dataset version." })
    .trim()
    .min(1, "Give the dataset version.")
    .max(100)
    .superRefine(storable)
    .optional(),
  metrics: jsonObject("Metrics"),
  /** The data dictionary's dataset version it was trained on (lib/datasets), and the columns it reads. */
  dataset: DatasetLink.optional(),
  features: featureList.optional(),
  label: columnName.optional().or(z.literal("").transform(() => undefined)),
});
