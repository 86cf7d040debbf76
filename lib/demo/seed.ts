import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { memberships, teams, userRoles, users } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";

// The demo organisation a fresh clone starts with. Later issues extend it.
export const DEMO_TEAMS = ["Fraud", "Search"] as const;
export const DEMO_USERS: { email: string; name: string; roles: Role[]; team?: (typeof DEMO_TEAMS)[number] }[] = [
  { email: "alice@example.com", name: "Alice Moreau", roles: ["requester"], team: "Fraud" },
  { email: "bob@example.com", name: "Bob Okafor", roles: ["requester"], team: "Search" },
  { email: "maya@example.com", name: "Maya Lindqvist", roles: ["manager"], team: "Fraud" },
  { email: "mo@example.com", name: "Mo Haddad", roles: ["manager"], team: "Search" },
  { email: "sam@example.com", name: "Sam Ferreira", roles: ["security"] },
  { email: "lee@example.com", name: "Lee Tanaka", roles: ["ml_lead"] },
  { email: "ada@example.com", name: "Ada Nwosu", roles: ["admin"] },
];

/** Idempotent: adds whatever of the demo organisation is missing, and records that it did. */
export async function seedDemoOrganisation(db: Db): Promise<{ created: string[] }> {
  return db.transaction(async (tx) => {
    // Two processes seeding at once take turns.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('greenlight:seed'))`);
    const created: string[] = [];
    const newTeams = await tx
      .insert(teams)
      .values(DEMO_TEAMS.map((name) => ({ name })))
      .onConflictDoNothing()
      .returning({ name: teams.name });
    created.push(...newTeams.map((t) => `team ${t.name}`));
    const newUsers = await tx
      .insert(users)
      .values(DEMO_USERS.map(({ email, name }) => ({ email, name, emailVerified: new Date() })))
      .onConflictDoNothing()
      .returning({ email: users.email });
    created.push(...newUsers.map((u) => `user ${u.email}`));

    const fresh = DEMO_USERS.filter((u) => newUsers.some((n) => n.email === u.email));
    if (fresh.length) {
      const ids = new Map(
        (
          await tx
            .select({ id: users.id, email: users.email })
            .from(users)
            .where(
              inArray(
                users.email,
                fresh.map((u) => u.email),
              ),
            )
        ).map((u) => [u.email, u.id]),
      );
      const teamIds = new Map(
        (await tx.select({ id: teams.id, name: teams.name }).from(teams)).map((t) => [t.name, t.id]),
      );
      await tx
        .insert(userRoles)
        .values(fresh.flatMap((u) => u.roles.map((role) => ({ userId: ids.get(u.email)!, role }))));
      const joins = fresh.filter((u) => u.team && teamIds.has(u.team));
      if (joins.length) {
        await tx
          .insert(memberships)
          .values(joins.map((u) => ({ userId: ids.get(u.email)!, teamId: teamIds.get(u.team!)! })));
      }
    }
    if (created.length) {
      await recordAudit(tx, systemActor("seed"), {
        action: "system.seeded",
        entityType: "organisation",
        entityId: "demo",
        data: { created },
      });
    }
    return { created };
  });
}
