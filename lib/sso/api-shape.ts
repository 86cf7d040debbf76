import type { GroupMapping } from "./group-mapping";

/** The mapping as the API shows it: teams by name (as PUT takes them), with their ids. */
export function groupMappingJson(mapping: GroupMapping, teamNames: Record<string, string>) {
  return {
    rules: mapping.rules.map((r) => ({
      group: r.group,
      roles: r.roles,
      teams: r.teamIds.map((id) => teamNames[id] ?? id),
      teamIds: r.teamIds,
    })),
  };
}
