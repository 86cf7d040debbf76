import "server-only";
import { asc } from "drizzle-orm";
import { teams } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { getEnv } from "../env";
import { mayAdminister } from "../users/permissions";
import { rulesText, type GroupMapping } from "./group-mapping";
import { groupMapping } from "./mapping-store";

export type GroupMappingView = {
  mapping: GroupMapping;
  /** The rules in the page's text form, team ids as names. */
  text: string;
  teamNames: Record<string, string>;
  /** Whether SSO is configured at all, and which claim carries the groups. */
  sso: { name: string; groupsClaim: string } | null;
};

/** The directory group mapping, for admins (the admin page and GET /api/v1/sso/group-mapping). */
export async function readGroupMapping(ctx: UserContext): Promise<GroupMappingView> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const [mapping, allTeams] = await Promise.all([
    groupMapping(ctx.db),
    ctx.db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)),
  ]);
  const teamNames = Object.fromEntries(allTeams.map((t) => [t.id, t.name]));
  const oidc = getEnv().oidc;
  return {
    mapping,
    text: rulesText(mapping, (id) => teamNames[id]),
    teamNames,
    sso: oidc ? { name: oidc.name, groupsClaim: oidc.groupsClaim } : null,
  };
}
