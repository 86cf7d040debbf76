import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { teams } from "@/db/schema";
import { loadActor } from "../auth/load-actor";
import { recordSpend } from "../budgets/record-spend";
import { setBudget } from "../budgets/set-budget";
import { periodContaining } from "../budgets/periods";
import { createRequest } from "../requests/create-request";
import { submitRequest } from "../requests/submit-request";
import { createUser } from "../users/create-user";
import { setUserTeams } from "../users/set-teams";
import { findUserByEmail } from "../users/queries";

/**
 * The demo's money: this month's Fraud budget and this quarter's Search budget with some spend, a
 * second Fraud manager (large spends need two), and a GPU request with a full cost-benefit analysis
 * waiting for both managers. Made through the real verbs, so the audit log and the outbox tell it.
 */
export async function seedDemoBudgets(db: Db, now = new Date()) {
  const as = async (email: string) => {
    const user = await findUserByEmail(db, email);
    const actor = user && (await loadActor(db, user.id));
    if (!actor) throw new Error(`demo user ${email} is missing`);
    return { db, actor, now };
  };
  const teamId = async (name: string) =>
    (await db.select({ id: teams.id }).from(teams).where(eq(teams.name, name)))[0]!.id;
  const [fraud, search] = [await teamId("Fraud"), await teamId("Search")];
  const ada = await as("ada@example.com");
  const priya = await createUser(ada, { email: "priya@example.com", name: "Priya Raman", roles: ["manager"] });
  await setUserTeams(ada, { userId: priya.id, teamIds: [fraud] });

  const month = periodContaining("month", now);
  const quarter = periodContaining("quarter", now);
  const [maya, mo, alice] = [await as("maya@example.com"), await as("mo@example.com"), await as("alice@example.com")];
  const fraudBudget = (
    await setBudget(maya, {
      teamId: fraud,
      interval: "month",
      periodStart: month.start,
      currency: "USD",
      amount: "50000",
    })
  ).budget;
  await recordSpend(maya, {
    budgetId: fraudBudget.id,
    amount: "9400",
    spentOn: month.start,
    description: "Cloud invoice: training cluster",
  });
  const searchBudget = (
    await setBudget(mo, {
      teamId: search,
      interval: "quarter",
      periodStart: quarter.start,
      currency: "USD",
      amount: "120000",
    })
  ).budget;
  await recordSpend(mo, {
    budgetId: searchBudget.id,
    amount: "64000",
    spentOn: quarter.start,
    description: "Reserved GPU nodes, quarterly commitment",
  });

  const { number } = await createRequest(alice, {
    kind: "provisioning",
    environment: "production",
    title: "Provision 8 × A100 for fraud-detector retraining",
    description: "Nightly retraining on the full transaction history needs a dedicated node for three months.",
    currency: "USD",
    provisioning: [
      {
        provider: "AWS",
        region: "eu-west-1",
        instanceType: "p4d.24xlarge",
        gpuType: "A100",
        gpuCount: 8,
        nodes: 1,
        months: 3,
        pricingModel: "reserved",
        pricePerHour: "2.50",
        priceSource: "AWS reserved pricing, 1 year",
        priceDate: month.start,
        storageGb: "2000",
        storagePricePerGbMonth: "0.08",
      },
    ],
    costBenefit: {
      currency: "USD",
      assumptions: { discountRate: "0.08", period: "month", horizon: 12, optimismBias: "0.1" },
      costs: [
        {
          description: "Pipeline work",
          category: "people",
          recurrence: "one_off",
          quantity: "10",
          unit: "FTE-day",
          unitPrice: "900",
          priceSource: "internal rate card",
        },
      ],
      benefits: [
        {
          description: "Fraud losses avoided (recall +2 points)",
          amountPerPeriod: "9000",
          periods: 10,
          startPeriod: 3,
          confidence: "medium",
          monetised: true,
        },
        {
          description: "Fewer manual reviews",
          amountPerPeriod: "0",
          periods: 12,
          startPeriod: 1,
          confidence: "low",
          monetised: false,
        },
      ],
    },
  });
  await submitRequest(alice, { number });

  // A small ask that fits what remains of Search's quarter: its budget step passes by itself, so
  // Insights has an automatic pass (and the approver time it saved) to show.
  const bob = await as("bob@example.com");
  const small = await createRequest(bob, {
    kind: "provisioning",
    environment: "staging",
    title: "Provision 1 × A100 for a month of search-ranker load tests",
    description: "One GPU for the latency load tests the production review asked for.",
    currency: "USD",
    provisioning: [
      {
        provider: "AWS",
        region: "eu-west-1",
        instanceType: "p4d.24xlarge",
        gpuType: "A100",
        gpuCount: 1,
        nodes: 1,
        months: 1,
        pricingModel: "on_demand",
        pricePerHour: "2.50",
        priceSource: "AWS on-demand price list",
        priceDate: month.start,
      },
    ],
  });
  await submitRequest(bob, { number: small.number });
  return 2;
}
