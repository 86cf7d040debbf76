import { z } from "zod";
import { requestNumber } from "../requests/schemas";

export const MANIFEST_FORMATS = [
  "requirements",
  "pyproject",
  "poetry-lock",
  "uv-lock",
  "pipfile-lock",
  "conda",
  "package-lock",
  "cyclonedx",
] as const;

const file = z.object({
  name: z.string().trim().min(1).max(200),
  content: z.string().max(5_000_000, "Keep each file under 5 MB."),
});

export const UploadManifestInput = z.object({
  number: requestNumber,
  fileName: z
    .string({ error: "Name the file, e.g. requirements.txt." })
    .trim()
    .min(1, "Name the file, e.g. requirements.txt.")
    .max(200),
  content: z
    .string({ error: "Paste the manifest or choose a file." })
    .min(1, "Paste the manifest or choose a file.")
    .max(5_000_000, "Keep the manifest under 5 MB."),
  format: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(MANIFEST_FORMATS, { error: `Format is one of ${MANIFEST_FORMATS.join(", ")}.` }).optional(),
  ),
  python: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^3\.\d{1,2}(\.\d{1,2})?$/, "A Python version like 3.11.")
      .optional(),
  ),
  // Other files of the same upload that -r / -c lines may include (never read from disk or the network).
  includes: z.array(file).max(20, "At most 20 included files.").default([]),
});

export const DecidePackageInput = z.object({
  number: requestNumber,
  dependencyId: z.uuid({ error: "Choose a dependency." }),
  decision: z.enum(["approve", "reject"], { error: "Decision is approve or reject." }),
  reason: z
    .string({ error: "Give a reason." })
    .trim()
    .min(3, "Give a reason (it is recorded with the decision).")
    .max(1000),
  // approve: the allowlist entry it creates
  versionRange: z.string().trim().max(200).optional(),
  scope: z.enum(["org", "team"]).default("org"),
  ignoreVulnerabilities: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).default(false),
  expiresInDays: z.coerce
    .number({ error: "Expiry in days, e.g. 180." })
    .int("Whole days.")
    .min(1, "At least 1 day.")
    .max(730, "At most two years.")
    .default(180),
});

export const CreateAllowlistInput = z.object({
  ecosystem: z.enum(["PyPI", "npm"], { error: "Ecosystem is PyPI or npm." }),
  name: z.string({ error: "Name the package." }).trim().min(1, "Name the package.").max(214),
  versionRange: z.string().trim().min(1, "A version range, e.g. >=2.0,<3 (PyPI) or ^4.17.0 (npm); * for any.").max(200),
  teamId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid().optional()),
  action: z.enum(["approve", "ignore_vulnerability", "licence_override"]).default("approve"),
  vulnerabilityIds: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
    z.array(z.string().trim().min(3).max(100)).default([]),
  ),
  reason: z
    .string({ error: "Give a reason." })
    .trim()
    .min(3, "Give a reason (it is recorded with the entry).")
    .max(1000),
  expiresInDays: z.coerce.number().int().min(1).max(730).default(180),
});

export const RevokeAllowlistInput = z.object({
  entryId: z.uuid({ error: "Choose an entry." }),
  reason: z.string().trim().max(1000).optional(),
});
