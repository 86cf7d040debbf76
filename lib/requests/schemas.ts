import { z } from "zod";
import { REQUEST_KINDS, RISKS } from "@/db/schema/requests";
import { environmentName } from "../environments/schemas";
import { checkbox, INT4_MAX, storable } from "../validation";
import { CostFields, costCurrencyIssues, costSizeIssues } from "./costing";

const NUMBER_MESSAGE = "A request number, like 1042 or CR-1042.";
/** "1042", "CR-1042" or 1042; within the integer column's range (a larger one is no request, never a SQL error). */
export const requestNumber = z.preprocess(
  (v) => (typeof v === "string" && /^\s*(CR-)?\d{1,10}\s*$/i.test(v) ? Number(v.trim().replace(/^CR-/i, "")) : v),
  z.number({ error: NUMBER_MESSAGE }).int(NUMBER_MESSAGE).min(1, NUMBER_MESSAGE).max(INT4_MAX, NUMBER_MESSAGE),
);

export const RequestFields = z.object({
  kind: z
    .enum(REQUEST_KINDS, { error: "Kind is deployment, provisioning or dependency_adoption." })
    .default("deployment"),
  title: z
    .string({ error: "Give the request a title." })
    .trim()
    .min(3, "Give the request a title (3 characters or more).")
    .max(200)
    .superRefine(storable),
  description: z
    .string()
    .max(20_000, "Keep the description under 20,000 characters.")
    .superRefine(storable)
    .default(""),
  model: z
    .string()
    .trim()
    .max(63)
    .superRefine(storable)
    .optional()
    .transform((v) => v || undefined),
  version: z
    .string()
    .trim()
    .max(64)
    .superRefine(storable)
    .optional()
    .transform((v) => v || undefined),
  environment: environmentName,
  risk: z.enum(RISKS, { error: "Risk is low, medium or high." }).default("medium"),
  emergency: checkbox.default(false),
  ...CostFields,
});

/** An artifact digest as CI computes it (sha256 of the bytes it will ship). */
export const artifactDigest = z
  .string()
  .trim()
  .regex(/^sha256:[0-9a-f]{64}$/, "A digest is sha256: and 64 lowercase hex characters.");

export const CreateRequestInput = RequestFields.extend({
  // A pipeline filing for the artifact it built: the request is refused unless the version records
  // exactly these bytes, so an approval is never filed for something else under the same label.
  digest: artifactDigest.optional(),
}).superRefine((v, ctx) => {
  if (v.digest && (!v.model || !v.version))
    ctx.addIssue({
      code: "custom",
      path: ["digest"],
      message: "A digest is checked against a model version: name it.",
    });
  if (v.kind === "deployment" && (!v.model || !v.version)) {
    if (!v.model) ctx.addIssue({ code: "custom", path: ["model"], message: "A deployment names the model." });
    if (!v.version)
      ctx.addIssue({ code: "custom", path: ["version"], message: "A deployment names the model version." });
  }
  if (v.kind === "provisioning" && !v.provisioning?.length) {
    ctx.addIssue({
      code: "custom",
      path: ["provisioning"],
      message: "A provisioning request lists the resources it needs: add at least one line.",
    });
  }
  for (const issue of [...costCurrencyIssues(v), ...costSizeIssues(v)]) ctx.addIssue({ code: "custom", ...issue });
});

export const UpdateRequestInput = RequestFields.partial().extend({ number: requestNumber });

export const DecideInput = z
  .object({
    number: requestNumber,
    decision: z.enum(["approve", "reject", "request_changes"], {
      error: "Decision is approve, reject or request_changes.",
    }),
    comment: z
      .string()
      .trim()
      .max(5000)
      .superRefine(storable)
      .optional()
      .transform((v) => v || undefined),
    stepId: z.uuid().optional(),
    // Approving a security step over packages that block it (lib/security/blocking.ts): the reason is
    // recorded with the decision and audited, so it must say something.
    override: z
      .object({
        reason: z
          .string({ error: "Give the reason for the override." })
          .trim()
          .min(10, "Say why you override the blocking packages (at least 10 characters).")
          .max(1000, "At most 1000 characters.")
          .superRefine(storable),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.override && v.decision !== "approve") {
      ctx.addIssue({ code: "custom", path: ["override"], message: "Only an approval can override blocking packages." });
    }
    if (v.decision !== "approve" && !v.comment) {
      ctx.addIssue({
        code: "custom",
        path: ["comment"],
        message: "Say why: a comment is required to reject or request changes.",
      });
    }
  });
