import { ValidationError, type FieldErrors } from "../errors";

// Pure: the promotion order is a set of environments, each optionally naming an earlier one a version
// must have been deployed to first. These rules keep that chain pointing backwards and at live
// (unarchived) environments whatever an admin changes.

export type EnvironmentShape = {
  name: string;
  position: number;
  protected: boolean;
  requiresDeployedIn: string | null;
  archivedAt: Date | null;
};

/** The environments in promotion order (position, then name), archived ones last. */
export function inPromotionOrder<T extends Pick<EnvironmentShape, "name" | "position" | "archivedAt">>(all: T[]): T[] {
  return [...all].sort(
    (a, b) =>
      Number(a.archivedAt !== null) - Number(b.archivedAt !== null) ||
      a.position - b.position ||
      a.name.localeCompare(b.name),
  );
}

/**
 * What is wrong with the environment `name` in the set `all` (which already holds its new values):
 * field errors keyed by the field the admin would change. Empty when the set is consistent.
 */
export function orderProblems(all: EnvironmentShape[], name: string): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const self = all.find((e) => e.name === name);
  if (!self) return errors;
  if (self.requiresDeployedIn !== null) {
    const before = all.find((e) => e.name === self.requiresDeployedIn);
    if (self.requiresDeployedIn === self.name) add("requiresDeployedIn", "An environment cannot come before itself.");
    else if (!before) add("requiresDeployedIn", `There is no environment named ${self.requiresDeployedIn}.`);
    else if (before.archivedAt) add("requiresDeployedIn", `${before.name} is archived: choose an environment in use.`);
    else if (before.position >= self.position)
      add(
        "requiresDeployedIn",
        `${before.name} comes at or after ${self.name} in the order (${before.position} ≥ ${self.position}): a version is promoted from an earlier environment.`,
      );
  }
  for (const later of all) {
    if (later.name === self.name || later.requiresDeployedIn !== self.name || later.archivedAt) continue;
    if (self.archivedAt)
      add(
        "archived",
        `${later.name} requires a deployment in ${self.name} first: change ${later.name} before archiving this.`,
      );
    else if (self.position >= later.position)
      add(
        "position",
        `${later.name} (order ${later.position}) requires a deployment here first, so this must come before it: use an order below ${later.position}.`,
      );
  }
  return errors;
}

/** "development, staging or production" for messages that list the choices. */
export function namesInWords(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "none";
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Only a change to a protected environment may skip the queue as an emergency. */
export function assertEmergencyAllowed(
  emergency: boolean,
  environment: Pick<EnvironmentShape, "name" | "protected">,
): void {
  if (!emergency || environment.protected) return;
  const message = `Only changes to a protected environment (such as production) can be emergencies; ${environment.name} is not protected.`;
  throw new ValidationError(message, { emergency: [message] });
}
