import { z } from "zod";
import { ENVIRONMENT_NAME_PATTERN } from "@/db/schema/environments";
import { boundedInt, checkbox, text } from "../validation";

const NAME_RULE = "An environment name is lower-case letters, digits and dashes, starting with a letter (at most 40).";

/** An environment as requests, policies, the gate and URLs name it. */
export const environmentName = z
  .string({ error: "Choose an environment." })
  .trim()
  .min(1, "Choose an environment.")
  .max(40, NAME_RULE)
  .regex(ENVIRONMENT_NAME_PATTERN, NAME_RULE);

/** "" (a form's "none") is no prerequisite. */
const prerequisite = z.preprocess((v) => (v === "" ? null : v), environmentName.nullable());

const fields = {
  description: text({ max: 500, label: "The description" }),
  position: boundedInt({ min: 0, max: 1_000_000, label: "The order" }),
  protected: checkbox,
  requiresDeployedIn: prerequisite,
};

export const DefineEnvironmentInput = z.object({
  name: environmentName,
  description: fields.description.default(""),
  position: fields.position,
  protected: fields.protected.default(false),
  requiresDeployedIn: fields.requiresDeployedIn.default(null),
});

// No defaults here: a field left out is left as it is (a default would quietly reset it).
export const ChangeEnvironmentInput = z.object({
  name: environmentName,
  description: fields.description.optional(),
  position: fields.position.optional(),
  protected: fields.protected.optional(),
  requiresDeployedIn: fields.requiresDeployedIn.optional(),
  archived: checkbox.optional(),
});
