import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { budgetAlerts, notifications, teams } from "../../db/schema";
import { decide } from "../../lib/requests/decide";
import { recordSpend } from "../../lib/budgets/record-spend";
import { setBudget } from "../../lib/budgets/set-budget";
import { settleDeliveries } from "../../lib/notifications/deliver";
import { renderTemplate, type TemplateName } from "../../lib/notifications/templates";
import { createRequest } from "../../lib/requests/create-request";
import { expireApprovals } from "../../lib/requests/expire-approvals";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { withdrawRequest } from "../../lib/requests/withdraw-request";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// Each test works in its own month (its own budget period), so they never share a budget.
const at = (month: string, day = 10) => new Date(`${month}-${String(day).padStart(2, "0")}T12:00:00Z`);

/** 8 x A100 for a month at $2.50 per GPU-hour: 8 x 730 x 2.50 = $14,600. `gpus` scales it. */
const gpuLine = (over: Record<string, unknown> = {}) => ({
  instanceType: "p4d.24xlarge",
  gpuType: "A100",
  gpuCount: 8,
  nodes: 1,
  months: 1,
  pricingModel: "on_demand",
  pricePerHour: "2.50",
  priceSource: "AWS price list",
  priceDate: "2026-11-01",
  ...over,
});

describeDb("team budgets, cost routing and commitments", (t) => {
  let fraudId = "";
  beforeAll(async () => {
    await seedRegistry(t().db);
    fraudId = (await t().db.select().from(teams).where(eq(teams.name, "Fraud")))[0]!.id;
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const mailTo = (email: string, template: string, number: number) =>
    t()
      .db.select()
      .from(notifications)
      .where(
        and(
          eq(notifications.recipientEmail, email),
          eq(notifications.template, template),
          sql`${notifications.payload}->>'number' = ${String(number)}`,
        ),
      );
  const renderedMail = async (row: { template: string; payload: unknown; subject: string }) => ({
    subject: row.subject,
    ...(await renderTemplate(row.template as TemplateName, row.payload as Record<string, unknown>)),
  });
  const budget = async (month: string, amount: string, currency = "USD") =>
    (
      await setBudget(await as("maya@example.com", at(month, 1)), {
        teamId: fraudId,
        interval: "month",
        periodStart: `${month}-01`,
        currency,
        amount,
      })
    ).budget;
  /** Files and submits a provisioning request for `gpus` A100s for a month (1 GPU = $1,825). */
  const provision = async (month: string, gpus: number, extra: Record<string, unknown> = {}) => {
    const alice = await as("alice@example.com", at(month));
    const { number } = await createRequest(alice, {
      kind: "provisioning",
      environment: "staging",
      title: `${gpus} GPUs`,
      currency: "USD",
      provisioning: [gpuLine({ gpuCount: gpus })],
      ...extra,
    });
    return number;
  };
  const submit = async (month: string, number: number) =>
    submitRequest(await as("alice@example.com", at(month)), { number });
  const stepsOf = async (number: number) =>
    t()
      .sql`select s.name, s.status, s.quorum, s.reason, s.evidence from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} order by s.stage`;
  const committed = async (budgetId: string) =>
    (
      await t()
        .sql`select coalesce(sum(amount_minor), 0)::bigint as held from budget_commitments where budget_id = ${budgetId} and status = 'held'`
    )[0]!.held as string;
  const statusOf = async (number: number) =>
    (await t().sql`select status from change_requests where number = ${number}`)[0]!.status;

  it("set budget: managers of the team and admins; refusals, bad input, overlaps and races", async () => {
    const created = await setBudget(await as("maya@example.com"), {
      teamId: fraudId,
      interval: "month",
      periodStart: "2031-01-01",
      currency: "usd",
      amount: "50,000.00",
    });
    expect(created).toMatchObject({
      created: true,
      budget: { currency: "USD", amountMinor: 5_000_000, periodEnd: "2031-02-01" },
    });
    const changed = await setBudget(await as("ada@example.com"), {
      teamId: fraudId,
      interval: "month",
      periodStart: "2031-01-01",
      currency: "USD",
      amount: "60000",
    });
    expect(changed).toMatchObject({ created: false, budget: { id: created.budget.id, amountMinor: 6_000_000 } });
    await expectStatus(
      setBudget(await as("alice@example.com"), {
        teamId: fraudId,
        interval: "month",
        periodStart: "2031-02-01",
        currency: "USD",
        amount: "1",
      }),
      403,
    );
    await expectStatus(
      setBudget(await as("mo@example.com"), {
        teamId: fraudId,
        interval: "month",
        periodStart: "2031-02-01",
        currency: "USD",
        amount: "1",
      }),
      403,
    );
    const bad = await expectStatus(
      setBudget(await as("maya@example.com"), {
        teamId: fraudId,
        interval: "fortnight",
        periodStart: "2031-13-01",
        currency: "XYZ",
        amount: "-5",
      }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["amount", "currency", "interval", "periodStart"]);
    const midMonth = await expectStatus(
      setBudget(await as("maya@example.com"), {
        teamId: fraudId,
        interval: "month",
        periodStart: "2031-02-15",
        currency: "USD",
        amount: "1",
      }),
      400,
    );
    expect(midMonth.fieldErrors?.periodStart?.[0]).toMatch(/first day of a month/);
    const overlap = await expectStatus(
      setBudget(await as("maya@example.com"), {
        teamId: fraudId,
        interval: "quarter",
        periodStart: "2031-01-01",
        currency: "USD",
        amount: "1",
      }),
      409,
    );
    expect(overlap.message).toMatch(/overlaps/);
    // Five managers setting the same new period at once: one budget, and every call succeeds or is told why.
    const maya = await as("maya@example.com");
    const { ok, statuses } = await race(
      ["1", "2", "3", "4", "5"].map(
        (amount) => () =>
          setBudget(maya, { teamId: fraudId, interval: "quarter", periodStart: "2031-04-01", currency: "USD", amount }),
      ),
    );
    expect(ok.length + statuses.length).toBe(5);
    expect(ok.filter((r) => r.created)).toHaveLength(1);
    const rows = await t()
      .sql`select count(*)::int as n from budgets where team_id = ${fraudId} and period_start = '2031-04-01'`;
    expect(rows[0]!.n).toBe(1);
  });

  it("a small request inside the budget passes its budget step by itself, with the figures, and commits its cost", async () => {
    const b = await budget("2030-01", "10000");
    const number = await provision("2030-01", 1);
    const submitted = await submit("2030-01", number);
    expect(submitted.request.status).toBe("approved");
    const [step] = await stepsOf(number);
    expect(step).toMatchObject({ name: "Budget approval", status: "auto_passed" });
    expect(step!.reason).toBe(
      "Within the team's Jan 2030 budget: costs $1,825.00, $10,000.00 of $10,000.00 remained ($8,175.00 after this request).",
    );
    expect(step!.evidence).toMatchObject({
      costMinor: 182_500,
      remainingBeforeMinor: 1_000_000,
      remainingAfterMinor: 817_500,
    });
    const audit = await t()
      .sql`select data from audit_events where action = 'request.step_auto_passed' and data->>'number' = ${String(number)}`;
    expect(audit[0]!.data).toMatchObject({ rule: "within_team_budget", evidence: { costMinor: 182_500 } });
    expect(await committed(b.id)).toBe("182500");
    // Nobody decided, so the requester is told by email, with the reason the step passed.
    const mail = await mailTo("alice@example.com", "approved-at-submission", number);
    expect(mail).toHaveLength(1);
    const { text, subject } = await renderedMail(mail[0]!);
    expect(subject).toBe(`[CR-${number}] Approved at submission: you may deploy`);
    expect(text).toContain(`Budget approval: ${step!.reason}`);
    expect(text).toContain(`/requests/${number}`);
  });

  it("over the remaining budget the manager decides (and sees why); approval commits even beyond the budget", async () => {
    const b = await budget("2030-02", "3000");
    const number = await provision("2030-02", 2); // $3,650
    await submit("2030-02", number);
    const [step] = await stepsOf(number);
    expect(step).toMatchObject({ status: "pending", reason: null });
    expect((step!.evidence as { note: string }).note).toBe(
      "Costs $3,650.00; only $3,000.00 remains of the $3,000.00 Feb 2030 budget.",
    );
    expect(await committed(b.id)).toBe("0");
    await decide(await as("maya@example.com", at("2030-02")), { number, decision: "approve" });
    expect(await statusOf(number)).toBe("approved");
    expect(await committed(b.id)).toBe("365000");
  });

  it("no budget, or a budget in another currency: nothing passes by itself", async () => {
    const none = await provision("2030-03", 1);
    await submit("2030-03", none);
    expect((await stepsOf(none))[0]).toMatchObject({
      status: "pending",
      evidence: { note: "The team has no budget for the current period." },
    });
    await budget("2030-04", "100000", "EUR");
    const usd = await provision("2030-04", 1);
    await submit("2030-04", usd);
    expect((await stepsOf(usd))[0]!.evidence).toMatchObject({
      note: "The request is costed in USD; the team's Apr 2030 budget is in EUR.",
    });
  });

  it("commitments are released on rejection, withdrawal and expiry", async () => {
    const b = await budget("2030-05", "3000");
    const expiring = await provision("2030-05", 2);
    await submit("2030-05", expiring);
    await decide(await as("maya@example.com", at("2030-05")), { number: expiring, decision: "approve" });
    expect(await committed(b.id)).toBe("365000");
    const withdrawn = await provision("2030-05", 1);
    await submit("2030-05", withdrawn);
    expect(await committed(b.id)).toBe("365000"); // $1,825 does not fit the remaining -$650: pending, nothing held
    await decide(await as("maya@example.com", at("2030-05")), { number: withdrawn, decision: "approve" });
    expect(await committed(b.id)).toBe("547500");
    await withdrawRequest(await as("alice@example.com", at("2030-05", 11)), { number: withdrawn });
    expect(await committed(b.id)).toBe("365000");
    await expireApprovals(t().db, at("2030-08"));
    expect(await statusOf(expiring)).toBe("expired");
    // The requester hears that the approval lapsed, and that the gate now says no.
    const lapsed = await mailTo("alice@example.com", "approval-expired", expiring);
    expect(lapsed).toHaveLength(1);
    expect((await renderedMail(lapsed[0]!)).text).toContain("deployment gate now refuses this change");
    expect(await committed(b.id)).toBe("0");
    const released = await t()
      .sql`select release_reason from budget_commitments where budget_id = ${b.id} order by created_at`;
    expect(released.map((r) => r.release_reason).sort()).toEqual(["approval expired", "withdrawn"]);

    // A costed production deployment: the manager's step never passes by itself (sign-off is asked anyway);
    // approval commits the cost, a rejection before approval commits nothing.
    const b2 = await budget("2030-06", "10000");
    const prod = await createRequest(await as("alice@example.com", at("2030-06")), {
      model: "fraud-detector",
      version: "v1",
      environment: "production",
      title: "Deploy with GPUs",
      currency: "USD",
      provisioning: [gpuLine({ gpuCount: 1 })],
    });
    await submit("2030-06", prod.number);
    await decide(await as("maya@example.com", at("2030-06")), { number: prod.number, decision: "approve" });
    await decide(await as("sam@example.com", at("2030-06")), { number: prod.number, decision: "approve" });
    await decide(await as("lee@example.com", at("2030-06")), { number: prod.number, decision: "approve" });
    expect(await committed(b2.id)).toBe("182500");
    const other = await createRequest(await as("alice@example.com", at("2030-06")), {
      model: "fraud-detector",
      version: "v2",
      environment: "production",
      title: "Another",
      currency: "USD",
      provisioning: [gpuLine({ gpuCount: 1 })],
    });
    await submit("2030-06", other.number);
    await decide(await as("maya@example.com", at("2030-06")), { number: other.number, decision: "approve" });
    await decide(await as("sam@example.com", at("2030-06")), {
      number: other.number,
      decision: "reject",
      comment: "Unpinned dependencies",
    });
    expect(await committed(b2.id)).toBe("182500"); // never committed: rejected before approval
  });

  it("a revision releases the earlier commitment and is judged afresh", async () => {
    const b = await budget("2030-07", "5000");
    const number = await provision("2030-07", 1);
    await submit("2030-07", number);
    expect(await committed(b.id)).toBe("182500");
    await updateRequest(await as("alice@example.com", at("2030-07")), {
      number,
      provisioning: [gpuLine({ gpuCount: 2 })],
    });
    expect(await committed(b.id)).toBe("365000");
    expect((await stepsOf(number))[0]).toMatchObject({ status: "auto_passed" });
    await updateRequest(await as("alice@example.com", at("2030-07")), {
      number,
      provisioning: [gpuLine({ gpuCount: 3 })],
    }); // $5,475 > $5,000
    expect(await committed(b.id)).toBe("0");
    expect((await stepsOf(number))[0]).toMatchObject({ status: "pending" });
  });

  it("two requests racing for the last of a budget: at most one passes by itself", async () => {
    const b = await budget("2030-09", "3000");
    const first = await provision("2030-09", 1);
    const second = await provision("2030-09", 1);
    const third = await provision("2030-09", 1);
    const { ok } = await race([first, second, third].map((n) => () => submit("2030-09", n)));
    expect(ok).toHaveLength(3);
    const passed = [];
    for (const n of [first, second, third]) if ((await stepsOf(n))[0]!.status === "auto_passed") passed.push(n);
    expect(passed).toHaveLength(1);
    expect(await committed(b.id)).toBe("182500");
  });

  it("cost thresholds: 10,000 USD or more needs two managers, never automatically; other currencies are not compared", async () => {
    await budget("2030-10", "1000000");
    const big = await provision("2030-10", 8); // $14,600: high risk too, so two ML leads as well
    // Fraud has one manager and the organisation one ML lead: submitting is refused, naming both steps.
    const refused = await expectStatus(submit("2030-10", big), 409);
    expect(refused.message).toMatch(
      new RegExp(
        String.raw`^CR-${big} cannot go for approval: its chain could never complete\. Stage 1 · Budget approval.* needs 2 managers of the requester's team; Fraud has 1 \(Maya Lindqvist\)\. Stage 1 · Two ML leads needs 2 ML leads; the organisation has 1 \(Lee Tanaka\)\. Ask an admin`,
      ),
    );
    await addPeople(t().db, "lead-fraud-", 1, "ml_lead");
    const managers = await expectStatus(submit("2030-10", big), 409);
    expect(managers.message).not.toMatch(/ML lead/);
    expect(await stepsOf(big)).toEqual([]); // nothing was taken: still a draft
    expect(await statusOf(big)).toBe("draft");
    const eur = await createRequest(await as("alice@example.com", at("2030-10")), {
      kind: "provisioning",
      environment: "staging",
      title: "EUR",
      currency: "EUR",
      provisioning: [gpuLine({ gpuCount: 8 })],
    });
    await submit("2030-10", eur.number);
    expect(await stepsOf(eur.number)).toMatchObject([{ quorum: 1, status: "pending" }]);
    const free = await createRequest(await as("alice@example.com", at("2030-10")), {
      model: "fraud-detector",
      version: "v3",
      environment: "staging",
      title: "No cost",
    });
    await submit("2030-10", free.number);
    expect((await stepsOf(free.number)).map((s) => s.name)).toEqual(["ML lead review"]); // no budget step without a cost
  });

  it("bad cost input gets field errors: negative quantities, fractional GPUs, unknown and mixed currencies", async () => {
    const alice = await as("alice@example.com");
    const base = { kind: "provisioning", environment: "staging", title: "Bad costs" };
    const fractional = await expectStatus(
      createRequest(alice, { ...base, currency: "USD", provisioning: [gpuLine({ gpuCount: 1.5 })] }),
      400,
    );
    expect(fractional.fieldErrors?.["provisioning.0.gpuCount"]?.[0]).toBe(
      "GPUs are whole devices: enter a whole number.",
    );
    const unknown = await expectStatus(
      createRequest(alice, { ...base, currency: "XYZ", provisioning: [gpuLine()] }),
      400,
    );
    expect(Object.keys(unknown.fieldErrors ?? {})).toEqual(["currency"]);
    const mixed = await expectStatus(
      createRequest(alice, { ...base, currency: "USD", provisioning: [gpuLine({ currency: "EUR" })] }),
      400,
    );
    expect(Object.keys(mixed.fieldErrors ?? {})).toEqual(["provisioning.0.currency"]);
    const analysis = {
      currency: "USD",
      assumptions: { discountRate: "0.08", period: "year", horizon: 3 },
      costs: [
        {
          description: "Labelling",
          category: "people",
          recurrence: "one_off",
          quantity: "-3",
          unit: "FTE-day",
          unitPrice: "800",
          priceSource: "rate card",
        },
      ],
      benefits: [],
    };
    const negative = await expectStatus(
      createRequest(alice, {
        ...base,
        kind: "deployment",
        model: "fraud-detector",
        version: "v1",
        costBenefit: analysis,
      }),
      400,
    );
    expect(Object.keys(negative.fieldErrors ?? {})).toEqual(["costBenefit.costs.0.quantity"]);
    const noLines = await expectStatus(createRequest(alice, { ...base, currency: "USD" }), 400);
    expect(Object.keys(noLines.fieldErrors ?? {})).toEqual(["provisioning"]);
    const json = await expectStatus(
      createRequest(alice, { ...base, currency: "USD", provisioning: "[{not json" }),
      400,
    );
    expect(Object.keys(json.fieldErrors ?? {})).toEqual(["provisioning"]);
  });

  it("spend: recorded by the team's managers and admins, alerts sent once each, spend against a request uses up its commitment", async () => {
    const b = await budget("2030-11", "10000");
    const number = await provision("2030-11", 2); // $3,650 committed
    await submit("2030-11", number);
    expect(await committed(b.id)).toBe("365000");
    const maya = await as("maya@example.com", at("2030-11", 2));
    await expectStatus(
      recordSpend(await as("alice@example.com"), {
        budgetId: b.id,
        amount: "1",
        spentOn: "2030-11-02",
        description: "nope",
      }),
      403,
    );
    await expectStatus(
      recordSpend(await as("mo@example.com"), {
        budgetId: b.id,
        amount: "1",
        spentOn: "2030-11-02",
        description: "nope",
      }),
      403,
    );
    const bad = await expectStatus(
      recordSpend(maya, { budgetId: b.id, amount: "abc", spentOn: "2030-12-01", description: "" }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["amount", "description"]);
    const outside = await expectStatus(
      recordSpend(maya, { budgetId: b.id, amount: "1", spentOn: "2030-12-01", description: "December" }),
      400,
    );
    expect(Object.keys(outside.fieldErrors ?? {})).toEqual(["spentOn"]);
    const eur = await expectStatus(
      recordSpend(maya, {
        budgetId: b.id,
        amount: "1",
        currency: "EUR",
        spentOn: "2030-11-02",
        description: "Euro invoice",
      }),
      400,
    );
    expect(Object.keys(eur.fieldErrors ?? {})).toEqual(["currency"]);

    // Day 2: $2,000 of the request's $3,650 is spent. Committed drops to $1,650; 20% actual, no forecast yet.
    const first = await recordSpend(maya, {
      budgetId: b.id,
      amount: "2000",
      spentOn: "2030-11-02",
      description: "GPU invoice week 1",
      request: `CR-${number}`,
    });
    expect(first.alerts).toEqual([]);
    const position = await t()
      .sql`select (select sum(amount_minor) from budget_spend where budget_id = ${b.id})::bigint as spent`;
    expect(position[0]!.spent).toBe("200000");
    // Day 5: $1,000 more: actual 30%; forecast 3000/5 x 30 = $18,000 = 180% -> forecast 50/80/100 reached at once.
    const second = await recordSpend(await as("ada@example.com", at("2030-11", 5)), {
      budgetId: b.id,
      amount: "1000",
      spentOn: "2030-11-05",
      description: "Storage",
    });
    expect(second.alerts.map((a) => `${a.basis}:${a.threshold}`).sort()).toEqual([
      "forecast:100",
      "forecast:50",
      "forecast:80",
    ]);
    // Concurrent entries taking actual spend past 50%: the 50% actual alert is recorded and sent once.
    const many = await race(
      Array.from(
        { length: 4 },
        () => async () =>
          recordSpend(await as("maya@example.com", at("2030-11", 6)), {
            budgetId: b.id,
            amount: "600",
            spentOn: "2030-11-06",
            description: "Egress",
          }),
      ),
    );
    expect(many.ok).toHaveLength(4);
    expect(many.ok.flatMap((r) => r.alerts).filter((a) => a.basis === "actual")).toEqual([
      { basis: "actual", threshold: 50 },
    ]);
    const alerts = await t().db.select().from(budgetAlerts).where(eq(budgetAlerts.budgetId, b.id));
    expect(alerts.map((a) => `${a.basis}:${a.threshold}`).sort()).toEqual([
      "actual:50",
      "forecast:100",
      "forecast:50",
      "forecast:80",
    ]);
    await settleDeliveries();
    const mails = await t().db.select().from(notifications).where(eq(notifications.template, "budget-alert"));
    const subjects = mails
      .map((m) => `${m.recipientEmail} ${m.subject}`)
      .filter((s) => s.includes("Nov 2030"))
      .sort();
    expect(subjects).toEqual([
      "ada@example.com Fraud: 50% of the Nov 2030 budget spent",
      "ada@example.com Fraud: forecast to reach 100% of the Nov 2030 budget",
      "maya@example.com Fraud: 50% of the Nov 2030 budget spent",
      "maya@example.com Fraud: forecast to reach 100% of the Nov 2030 budget",
    ]);
    expect(await committed(b.id)).toBe("365000"); // the commitment row stays; the position nets spend against it
  });

  it("a second manager can be added to meet quorum 2 (large spend) and both count", async () => {
    await budget("2030-12", "100000");
    const [second] = await addPeople(t().db, "manager-fraud-", 1, "manager", "Fraud");
    const big = await provision("2030-12", 8);
    await submit("2030-12", big);
    expect(await stepsOf(big)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: expect.stringMatching(/^Budget approval/), status: "pending", quorum: 2 }),
        expect.objectContaining({ name: "Two ML leads", status: "pending", quorum: 2 }), // high risk: its cost
      ]),
    );
    await decide(await as("maya@example.com", at("2030-12")), { number: big, decision: "approve" });
    expect(await statusOf(big)).toBe("in_review");
    await decide(await as(second!, at("2030-12")), { number: big, decision: "approve" });
    await decide(await as("lee@example.com", at("2030-12")), { number: big, decision: "approve" });
    expect(await statusOf(big)).toBe("in_review");
    await decide(await as("lead-fraud-0@example.com", at("2030-12")), { number: big, decision: "approve" });
    expect(await statusOf(big)).toBe("approved");
  });
});
