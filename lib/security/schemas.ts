import { z } from "zod";
import { storable, text } from "../validation";

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

export const CreateAllowlistInput = z.object({
  ecosystem: z.enum(["PyPI", "npm"], { error: "Ecosystem is PyPI or npm." }),
  name: z.string({ error: "Name the package." }).trim().min(1, "Name the package.").max(214).superRefine(storable),
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
    .max(1000)
    .superRefine(storable),
  expiresInDays: z.coerce.number().int().min(1).max(730).default(180),
});

export const RevokeAllowlistInput = z.object({
  entryId: z.uuid({ error: "Choose an entry." }),
  reason: text({ max: 1000, label: "The reason" }).optional(),
});
