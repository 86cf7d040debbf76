import { z } from "zod";
import { DEPENDENCY_SEVERITIES, STEP_CONFLICTS } from "@/db/schema/governance";
import { ROLES } from "@/db/schema/org";
import { REQUEST_KINDS, RISKS, STEP_SCOPES } from "@/db/schema/requests";
import { environmentName } from "../environments/schemas";
import { isCurrency } from "../cba/money";
import { AUTO_PASS_NAMES } from "./auto-pass";

export const PolicyStepFields = z.object({
  name: z.string().trim().min(2, "Name the step.").max(80),
  role: z.enum(ROLES, { error: "Choose a role." }),
  scope: z.enum(STEP_SCOPES, { error: "Scope is any or requester_team." }),
  quorum: z.coerce.number().int("Whole number.").min(1, "At least 1.").max(10, "At most 10."),
  slaHours: z.coerce
    .number()
    .int("Whole number.")
    .min(1, "At least 1 hour.")
    .max(24 * 30, "At most 30 days."),
  autoPass: z.enum(AUTO_PASS_NAMES, { error: "Unknown auto-pass rule." }).default("never"),
  /** Who may not decide this step although they hold its role (optional; lib/requests/resolve-step.ts). */
  conflicts: z
    .array(z.enum(STEP_CONFLICTS, { error: "A conflict is model_owner or requester_team." }))
    .max(10, "List each conflict once.")
    .transform((list) => [...new Set(list)])
    .optional(),
});

/** One for the requester's team that also bars the requester's team could never be decided. */
export function decidable<S extends z.ZodType<z.output<typeof PolicyStepFields>>>(schema: S) {
  return schema.refine((step) => !(step.scope === "requester_team" && step.conflicts?.includes("requester_team")), {
    path: ["conflicts"],
    message: "A step for the requester's team cannot also bar the requester's team: nobody could decide it.",
  });
}

export const PolicyStepSchema = decidable(PolicyStepFields);

export const PolicyDefinitionSchema = z.object({
  conditions: z.object({
    kinds: z.array(z.enum(REQUEST_KINDS)).optional(),
    environments: z.array(environmentName).max(50, "A policy names at most 50 environments.").optional(),
    minRisk: z.enum(RISKS).optional(),
    emergency: z.boolean().optional(),
    teamIds: z.array(z.uuid()).optional(),
    hasCost: z.boolean().optional(),
    costAtLeast: z
      .object({
        amount: z
          .string()
          .trim()
          .regex(/^\d+(\.\d+)?$/, "An amount like 10000 or 2500.50."),
        currency: z.string().trim().toUpperCase().refine(isCurrency, "Unknown currency code (use ISO 4217, e.g. USD)."),
      })
      .optional(),
    usesChangedColumn: z.boolean({ error: "usesChangedColumn is true or false." }).optional(),
    dependencies: z
      // Strict: a misspelt signal must be an error, not dropped (an empty condition matches every request).
      .strictObject({
        newToOrg: z.boolean().optional(),
        vulnerabilityAtLeast: z
          .enum(DEPENDENCY_SEVERITIES, { error: "A severity is low, medium, high or critical." })
          .optional(),
        deniedLicence: z.boolean().optional(),
        malware: z.boolean().optional(),
        typosquat: z.boolean().optional(),
        unpinned: z.boolean().optional(),
      })
      .optional(),
  }),
  stages: z
    .array(z.array(PolicyStepSchema).min(1, "A stage needs at least one step."))
    .min(1, "A policy needs at least one stage.")
    .max(6, "At most 6 stages."),
});

export const PolicyInputSchema = z.object({
  name: z.string().trim().min(3, "Name the policy (3 characters or more).").max(80),
  description: z.string().trim().max(500).default(""),
  active: z.boolean().default(true),
  definition: PolicyDefinitionSchema,
});

export const PolicyConditionsSchema = PolicyDefinitionSchema.shape.conditions;
