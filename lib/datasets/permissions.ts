import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

// Everyone signed in reads the dictionary: a column's meaning is for whoever trains on it or reviews
// a model that does. Writing it is for the people answerable for the data: ML leads and admins for
// every dataset, a manager for their own teams' datasets (ADR 0025).

/** Who may create a dataset or a version of it: these roles, checked before anything is parsed. */
export const DATASET_WRITERS = ["manager", "ml_lead", "admin"] as const satisfies readonly Role[];

export function mayBrowseDatasets(_person: Pick<Person, "roles">): boolean {
  return true;
}

export function mayManageDataset(person: Person, teamId: string): boolean {
  if (person.roles.includes("ml_lead") || person.roles.includes("admin")) return true;
  return person.roles.includes("manager") && person.teamIds.includes(teamId);
}
