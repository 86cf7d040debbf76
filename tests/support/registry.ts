import type { Db } from "../../db";
import { memberships, teams, userRoles, users } from "../../db/schema";
import type { Role } from "../../db/schema/org";
import { eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { ensureDefaultPolicies } from "../../lib/policies/ensure-defaults";
import { actorFor, seed } from "./fixtures";

/** The demo organisation, the default policies and fraud-detector v1-v3 (Fraud team). */
export async function seedRegistry(db: Db) {
  await seed(db);
  await ensureDefaultPolicies(db);
  const alice = { db, actor: await actorFor(db, "alice@example.com") };
  const [fraud] = await db.select().from(teams).where(eq(teams.name, "Fraud"));
  await createModel(alice, { name: "fraud-detector", teamId: fraud!.id });
  for (const version of ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"]) {
    await registerVersion(alice, {
      model: "fraud-detector",
      version,
      sourceUri: `s3://m/${version}`,
      artifactDigest: artifactDigestOf(version),
      framework: "xgboost",
      hyperparameters: { depth: 6 },
      datasetName: "tx",
      datasetVersion: "1",
      metrics: { auc: 0.9 },
    });
  }
}

/** Adds n active people holding a role (for concurrency tests). */
export async function addPeople(db: Db, prefix: string, n: number, role: Role, teamName?: string) {
  const [team] = teamName ? await db.select().from(teams).where(eq(teams.name, teamName)) : [];
  const made = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, name: `${prefix} ${i}` })))
    .returning({ id: users.id, email: users.email });
  await db.insert(userRoles).values(made.map((u) => ({ userId: u.id, role })));
  if (team) await db.insert(memberships).values(made.map((u) => ({ userId: u.id, teamId: team.id })));
  return made.map((u) => u.email);
}

/** The artifact digest seedRegistry records for a model version (fraud-detector unless named). */
export function artifactDigestOf(version: string, model = "fraud-detector") {
  return `sha256:${createHash("sha256").update(`${model}@${version}`).digest("hex")}`;
}
