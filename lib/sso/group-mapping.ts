import { ROLES, type Role } from "@/db/schema/org";

// Pure rules for directory groups (ADR 0016). A rule says: members of this IdP group hold these roles
// and belong to these teams. At every SSO sign-in the person's roles and teams are brought in line
// with their groups, for exactly the roles and teams some rule names: those belong to the directory.
// A role or team no rule names stays the admins' to grant by hand.

export type GroupRule = { group: string; roles: Role[]; teamIds: string[] };
export type GroupMapping = { rules: GroupRule[] };

export const EMPTY_MAPPING: GroupMapping = { rules: [] };
export const MAX_RULES = 200;
export const MAX_GROUP_LENGTH = 256;
/** More groups than this in one token is not a directory we can reason about: only the first count. */
export const MAX_GROUPS_READ = 1_000;

/**
 * The groups a token's claim lists. Providers send an array of strings (Keycloak, Okta, Entra); some
 * send one string for one group. undefined: the claim is absent or unreadable, so nothing is known
 * about the person's groups and nothing is changed (a provider misconfigured after the fact must not
 * strip everyone's roles). An empty array is a real answer: member of no group.
 */
export function groupsFromClaim(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return undefined;
  return value
    .slice(0, MAX_GROUPS_READ)
    .filter((g): g is string => typeof g === "string")
    .map((g) => g.trim())
    .filter(Boolean);
}

export type DirectoryChanges = {
  grantRoles: Role[];
  revokeRoles: Role[];
  joinTeams: string[];
  leaveTeams: string[];
};

/**
 * What the person's groups call for, against what they hold now. `requester` is never taken away:
 * everyone who signs in through SSO is at least a requester, as on their first sign-in.
 */
export function directoryChanges(
  mapping: GroupMapping,
  groups: readonly string[],
  held: { roles: readonly Role[]; teamIds: readonly string[] },
): DirectoryChanges {
  const member = new Set(groups);
  const managedRoles = new Set<Role>();
  const managedTeams = new Set<string>();
  const wantedRoles = new Set<Role>();
  const wantedTeams = new Set<string>();
  for (const rule of mapping.rules) {
    const applies = member.has(rule.group);
    for (const role of rule.roles) {
      managedRoles.add(role);
      if (applies) wantedRoles.add(role);
    }
    for (const team of rule.teamIds) {
      managedTeams.add(team);
      if (applies) wantedTeams.add(team);
    }
  }
  const roles = new Set(held.roles);
  const teams = new Set(held.teamIds);
  return {
    grantRoles: ROLES.filter((r) => wantedRoles.has(r) && !roles.has(r)),
    revokeRoles: ROLES.filter((r) => r !== "requester" && managedRoles.has(r) && !wantedRoles.has(r) && roles.has(r)),
    joinTeams: [...wantedTeams].filter((t) => !teams.has(t)).sort(),
    leaveTeams: [...managedTeams].filter((t) => !wantedTeams.has(t) && teams.has(t)).sort(),
  };
}

export function hasChanges(c: DirectoryChanges): boolean {
  return c.grantRoles.length + c.revokeRoles.length + c.joinTeams.length + c.leaveTeams.length > 0;
}

export type DraftRule = { group: string; roles: string[]; teams: string[] };

/**
 * The admin page's text form, one rule per line: `group: role, role, team Fraud`. Blank lines and
 * lines starting with # are skipped. The group is everything before the LAST ": " so group names
 * with colons (e.g. `cn=ml:leads`) still work when followed by a space. Returns the drafts, or the
 * problems with their line numbers.
 */
export function parseRulesText(text: string): { rules: DraftRule[] } | { problems: string[] } {
  const rules: DraftRule[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const at = line.lastIndexOf(": ");
    const colon = at >= 0 ? at : line.endsWith(":") ? line.length - 1 : -1;
    if (colon <= 0) {
      problems.push(`Line ${index + 1}: write "group: role, team Name" (a colon after the group).`);
      return;
    }
    const group = line.slice(0, colon).trim();
    const items = line
      .slice(colon + 1)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const rule: DraftRule = { group, roles: [], teams: [] };
    for (const item of items) {
      const team = /^team\s+(.+)$/i.exec(item);
      if (team) rule.teams.push(team[1]!.trim());
      else rule.roles.push(item);
    }
    rules.push(rule);
  });
  return problems.length ? { problems } : { rules };
}

/** The mapping written back in the text form, team ids shown as names. */
export function rulesText(mapping: GroupMapping, teamName: (id: string) => string | undefined): string {
  return mapping.rules
    .map((rule) => {
      const items = [...rule.roles, ...rule.teamIds.map((id) => `team ${teamName(id) ?? id}`)];
      return `${rule.group}: ${items.join(", ")}`;
    })
    .join("\n");
}
