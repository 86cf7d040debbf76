import "server-only";
import { count, eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import type { Db } from "@/db";
import { models, teams } from "@/db/schema";
import { decide } from "../requests/decide";
import { loadActor } from "../auth/load-actor";
import { createModel } from "../models/create-model";
import { registerVersion } from "../models/register-version";
import { createRequest } from "../requests/create-request";
import { seedDemoBudgets } from "./seed-budgets";
import { seedDemoSecurity } from "./seed-security";
import { expireApprovals } from "../requests/expire-approvals";
import { markDeployed } from "../requests/mark-deployed";
import { recordOutcome } from "../requests/record-outcome";
import { rollBack } from "../requests/roll-back";
import { revokeRequest } from "../requests/revoke-request";
import { submitRequest } from "../requests/submit-request";
import { withdrawRequest } from "../requests/withdraw-request";
import { createUser } from "../users/create-user";
import { findUserByEmail } from "../users/queries";

const VERSIONS = {
  "fraud-detector": [
    {
      version: "v1",
      framework: "xgboost 2.0",
      gitCommit: "3f9c2a1",
      dataset: ["transactions", "2026-06"],
      hp: { max_depth: 6, eta: 0.1, n_estimators: 400, subsample: 0.8 },
      metrics: { auc: 0.931, precision_at_1pct: 0.62, recall: 0.71 },
    },
    {
      version: "v2",
      framework: "xgboost 2.0",
      gitCommit: "8b41d07",
      dataset: ["transactions", "2026-08"],
      hp: { max_depth: 8, eta: 0.05, n_estimators: 900, subsample: 0.8 },
      metrics: { auc: 0.944, precision_at_1pct: 0.66, recall: 0.74 },
    },
    {
      version: "v3",
      framework: "lightgbm 4.5",
      gitCommit: "c02e9f4",
      dataset: ["transactions", "2026-10"],
      hp: { num_leaves: 127, learning_rate: 0.03, n_estimators: 1500, feature_fraction: 0.7 },
      metrics: { auc: 0.951, precision_at_1pct: 0.69, recall: 0.76 },
    },
  ],
  "search-ranker": [
    {
      version: "v1",
      framework: "pytorch 2.5",
      gitCommit: "51aa7e0",
      dataset: ["clicklogs", "2026-q2"],
      hp: { layers: 4, hidden: 512, lr: 0.0003, batch_size: 1024, loss: "lambdarank" },
      metrics: { ndcg_at_10: 0.412, mrr: 0.388, p95_latency_ms: 38 },
    },
    {
      version: "v2",
      framework: "pytorch 2.5",
      gitCommit: "e7d3b92",
      dataset: ["clicklogs", "2026-q3"],
      hp: { layers: 6, hidden: 768, lr: 0.0002, batch_size: 2048, loss: "lambdarank" },
      metrics: { ndcg_at_10: 0.437, mrr: 0.401, p95_latency_ms: 52 },
    },
  ],
} as const;

/** The demo's models and a request in every status, made through the real verbs (so the audit log tells the story). */
export async function seedDemoRegistry(db: Db): Promise<number> {
  const [existing] = await db.select({ n: count() }).from(models);
  if ((existing?.n ?? 0) > 0) return 0;
  const as = async (email: string) => {
    const user = await findUserByEmail(db, email);
    const actor = user && (await loadActor(db, user.id));
    if (!actor) throw new Error(`demo user ${email} is missing`);
    return { db, actor };
  };
  const [alice, bob, maya, mo, sam, lee] = await Promise.all(
    ["alice", "bob", "maya", "mo", "sam", "lee"].map((n) => as(`${n}@example.com`)),
  );
  const teamId = async (name: string) =>
    (await db.select({ id: teams.id }).from(teams).where(eq(teams.name, name)))[0]!.id;
  // A history with real waits, so Insights has something to say: the requests below were filed,
  // decided and deployed over the last weeks (each verb takes its `now`), with security the slowest.
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  const at = <T extends object>(who: T, days: number) => ({ ...who, now: ago(days) });

  await createModel(at(alice!, 61), {
    name: "fraud-detector",
    teamId: await teamId("Fraud"),
    description: "Scores card transactions for fraud in real time.",
  });
  await createModel(at(bob!, 61), {
    name: "search-ranker",
    teamId: await teamId("Search"),
    description: "Re-ranks the top 100 search results.",
  });
  for (const [model, versions] of Object.entries(VERSIONS)) {
    for (const [i, v] of versions.entries()) {
      await registerVersion(at(model === "fraud-detector" ? alice! : bob!, 60 - i), {
        model,
        version: v.version,
        sourceUri: `s3://ml-artifacts/${model}/${v.version}/model.bin`,
        // A stand-in for the artifact's real sha256, stable across seeds so demo receipts stay comparable.
        artifactDigest: `sha256:${createHash("sha256").update(`${model}@${v.version}`).digest("hex")}`,
        gitCommit: v.gitCommit,
        framework: v.framework,
        hyperparameters: v.hp,
        datasetName: v.dataset[0],
        datasetVersion: v.dataset[1],
        metrics: v.metrics,
      });
    }
  }

  const file = async (
    who: typeof alice,
    model: string,
    version: string,
    environment: "staging" | "production",
    title: string,
    extra: Record<string, unknown> = {},
    now?: Date,
  ) =>
    (
      await createRequest(
        { ...who!, now },
        {
          kind: "deployment",
          model,
          version,
          environment,
          title,
          description: `Ship **${model} ${version}** to ${environment}.\n\n- offline metrics improved\n- shadow traffic clean for 7 days`,
          ...extra,
        },
      )
    ).number;

  // deployed (closed successful), deployed then rolled back, deployed (live), approved, in review,
  // rejected, changes requested, draft, withdrawn, expired, revoked
  const first = await file(
    alice,
    "fraud-detector",
    "v1",
    "staging",
    "Deploy fraud-detector v1 to staging",
    {},
    ago(21),
  );
  await submitRequest(at(alice!, 21), { number: first });
  await decide(at(lee!, 20.5), { number: first, decision: "approve" });
  await markDeployed(at(alice!, 20), { number: first });
  await recordOutcome(alice!, { number: first, outcome: "successful", note: "Stable for two weeks on staging." });

  const rolled = await file(
    alice,
    "fraud-detector",
    "v2",
    "staging",
    "Deploy fraud-detector v2 to staging (first try)",
    {},
    ago(14),
  );
  await submitRequest(at(alice!, 14), { number: rolled });
  await decide(at(lee!, 13.8), { number: rolled, decision: "approve" });
  await markDeployed(at(alice!, 13), { number: rolled });
  await rollBack(at(lee!, 11), {
    model: "fraud-detector",
    environment: "staging",
    note: "p99 latency doubled under shadow traffic; back to v1 while the feature cache is fixed.",
  });

  const deployed = await file(
    alice,
    "fraud-detector",
    "v2",
    "staging",
    "Deploy fraud-detector v2 to staging",
    {},
    ago(10),
  );
  await submitRequest(at(alice!, 10), { number: deployed });
  await decide(at(lee!, 9.7), { number: deployed, decision: "approve", comment: "Metrics look good." });
  await markDeployed(at(alice!, 9), { number: deployed });

  const approved = await file(
    alice,
    "fraud-detector",
    "v2",
    "production",
    "Deploy fraud-detector v2 to production",
    {},
    ago(8),
  );
  await submitRequest(at(alice!, 8), { number: approved });
  await decide(at(maya!, 7.5), { number: approved, decision: "approve", comment: "Within the quarter's budget." });
  await decide(at(sam!, 5), { number: approved, decision: "approve" });
  await decide(at(lee!, 4.8), { number: approved, decision: "approve" });

  const review = await file(
    alice,
    "fraud-detector",
    "v3",
    "production",
    "Deploy fraud-detector v3 (LightGBM) to production",
    { risk: "medium" },
  );
  await submitRequest(alice!, { number: review });

  const rejected = await file(
    bob,
    "search-ranker",
    "v1",
    "production",
    "Deploy search-ranker v1 to production",
    {},
    ago(6),
  );
  await submitRequest(at(bob!, 6), { number: rejected });
  await decide(at(sam!, 3.5), {
    number: rejected,
    decision: "reject",
    comment: "The serving image pins an OpenSSL with a known CVE; rebuild it.",
  });

  const changes = await file(
    bob,
    "search-ranker",
    "v2",
    "production",
    "Deploy search-ranker v2 to production",
    {},
    ago(4),
  );
  await submitRequest(at(bob!, 4), { number: changes });
  await decide(at(mo!, 3.6), {
    number: changes,
    decision: "request_changes",
    comment: "p95 latency went from 38 to 52 ms: attach the load test, please.",
  });

  await file(bob, "search-ranker", "v2", "staging", "Deploy search-ranker v2 to staging");

  const withdrawn = await file(
    alice,
    "fraud-detector",
    "v3",
    "staging",
    "Deploy fraud-detector v3 to staging (superseded)",
  );
  await submitRequest(alice!, { number: withdrawn });
  await withdrawRequest(alice!, { number: withdrawn, reason: "Superseded by the production request." });

  const expired = await file(
    alice,
    "fraud-detector",
    "v1",
    "production",
    "Deploy fraud-detector v1 to production",
    {},
    ago(40),
  );
  await submitRequest({ ...alice!, now: ago(40) }, { number: expired });
  await decide({ ...sam!, now: ago(39) }, { number: expired, decision: "approve" });
  await decide({ ...maya!, now: ago(39) }, { number: expired, decision: "approve" });
  await decide({ ...lee!, now: ago(38) }, { number: expired, decision: "approve" });
  await expireApprovals(db);

  const revoked = await file(bob, "search-ranker", "v1", "staging", "Deploy search-ranker v1 to staging", {}, ago(3));
  await submitRequest(at(bob!, 3), { number: revoked });
  await decide(at(lee!, 2.9), { number: revoked, decision: "approve" });
  await revokeRequest(lee!, { number: revoked, reason: "Training data included a week of mislabeled clicks." });
  // High-risk changes ask two ML leads (the GPU request and the library adoption below are high risk):
  // without a second one their chains could never complete, and submitting them would be refused.
  await createUser(await as("ada@example.com"), { email: "kai@example.com", name: "Kai Mensah", roles: ["ml_lead"] });
  return 11 + (await seedDemoBudgets(db)) + (await seedDemoSecurity(db));
}
