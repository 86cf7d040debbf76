import { z } from "zod";
import { DEPENDENCY_SEVERITIES, STEP_CONFLICTS } from "@/db/schema/governance";
import { ROLES } from "@/db/schema/org";
import { REQUEST_KINDS, RISKS, STEP_SCOPES } from "@/db/schema/requests";
import { environmentName } from "../environments/schemas";
import { isCurrency } from "../cba/money";
import { AUTO_PASS_NAMES } from "./auto-pass";
import { CheckFailSchema, CheckRulesSchema } from "./check-rules";
import { STEP_KINDS } from "@/db/schema/governance";

export const PolicyStepFields = z.object({
  /** Absent or "approval": people decide. "check": its rules decide, the role may override a failure (ADR 0024). */
  kind: z.enum(STEP_KINDS, { error: "A step's kind is approval or check." }).optional(),
  rules: CheckRulesSchema.optional(),
  onFail: CheckFailSchema.optional(),
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

/**
 * One for the requester's team that also bars the requester's team could never be decided. A check
 * step carries rules (and only a check step does); it is decided by them, so it names no auto-pass.
 */
export function decidable<S extends z.ZodType<z.output<typeof PolicyStepFields>>>(schema: S) {
  return schema.superRefine((step, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (step.scope === "requester_team" && step.conflicts?.includes("requester_team"))
      issue(
        "conflicts",
        "A step for the requester's team cannot also bar the requester's team: nobody could decide it.",
      );
    if (step.kind === "check") {
      if (!step.rules) issue("rules", "A check step needs at least one rule.");
      if (step.autoPass !== "never")
        issue("autoPass", "A check step is decided by its rules: it takes no auto-pass rule.");
    } else {
      if (step.rules) issue("rules", 'Only a step of kind "check" has rules.');
      if (step.onFail) issue("onFail", 'Only a step of kind "check" has onFail.');
    }
  });
}

/** A check step asks nobody by default: one override settles it, and its clock is a formality. */
export const CHECK_STEP_DEFAULTS = { quorum: 1, slaHours: 24 } as const;
export function withCheckDefaults(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const step = value as Record<string, unknown>;
  return step.kind === "check" ? { ...CHECK_STEP_DEFAULTS, onFail: "reject", ...step } : value;
}

export const PolicyStepSchema = z.preprocess(withCheckDefaults, decidable(PolicyStepFields));

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
