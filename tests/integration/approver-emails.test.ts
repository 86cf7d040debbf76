import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications, teams } from "../../db/schema";
import { setBudget } from "../../lib/budgets/set-budget";
import { renderTemplate, type TemplateName } from "../../lib/notifications/templates";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { importAdvisories } from "../../lib/security/import-advisories";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// Issue 22, item 2: an approver decides from the email itself. Managers read the amount and what it
// does to the budget; the security team reads the manifest's risks; everyone reads the version; each
// link opens the place where they act.
const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`))),
});
const at = (day: number) => new Date(`2030-03-${String(day).padStart(2, "0")}T12:00:00Z`);

describeDb("what approvers' emails state", (t) => {
  let fraudId = "";
  beforeAll(async () => {
    await seedRegistry(t().db);
    // Big asks and malware raise the risk: two ML leads and two managers are asked.
    await addPeople(t().db, "lead", 1, "ml_lead");
    await addPeople(t().db, "mgr", 1, "manager", "Fraud");
    fraudId = (await t().db.select().from(teams).where(eq(teams.name, "Fraud")))[0]!.id;
    await importAdvisories({ db: t().db, actor: await actorFor(t().db, "sam@example.com") }, [osv("MAL-2024-4312")]);
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const askedOf = async (number: number) => {
    const rows = await t()
      .db.select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, "request-submitted"),
          sql`${notifications.payload}->>'number' = ${String(number)}`,
        ),
      );
    return new Map(
      await Promise.all(
        rows.map(
          async (r) =>
            [r.recipientEmail, (await renderTemplate(r.template as TemplateName, r.payload)).text] as [string, string],
        ),
      ),
    );
  };

  it("the security team reads the manifest's count and its malware by name, and is linked to the packages waiting for them", async () => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v2",
      environment: "production",
      title: "Deploy v2 with a typo in a package name",
    });
    const content = ["numpy==1.26.4", "pandas==2.2.0", "reqeusts==2.31.0"].join("\n");
    await uploadManifest(alice, { number, fileName: "requirements.txt", content });
    await submitRequest(alice, { number });

    const mail = await askedOf(number);
    const toSam = mail.get("sam@example.com");
    expect(toSam, [...mail.keys()].join(", ")).toBeDefined();
    expect(toSam).toContain("Model version: fraud-detector v2");
    expect(toSam).toMatch(/Packages: 3 in requirements\.txt; \d need a decision\./);
    expect(toSam).toContain("To look at: Malware: reqeusts");
    expect(toSam).toContain(`/requests/${number}/dependencies?show=pending`);
    // The manager of the same stage decides the deployment, not the packages: the version and a link to the form.
    const toMaya = mail.get("maya@example.com");
    expect(toMaya, [...mail.keys()].join(", ")).toBeDefined();
    expect(toMaya).toContain("Model version: fraud-detector v2");
    expect(toMaya).not.toContain("Packages:");
    expect(toMaya).not.toContain("Malware");
    expect(toMaya).toContain(`/requests/${number}#decide`);
  });

  it("a manager reads the amount and what approving does to the team's budget; nobody else reads the budget", async () => {
    await setBudget(await as("maya@example.com", at(1)), {
      teamId: fraudId,
      interval: "month",
      periodStart: "2030-03-01",
      currency: "USD",
      amount: "10,000.00",
    });
    const alice = await as("alice@example.com", at(10));
    const { number } = await createRequest(alice, {
      kind: "provisioning",
      environment: "staging",
      title: "8 GPUs for a month",
      currency: "USD",
      provisioning: [
        {
          instanceType: "p4d.24xlarge",
          gpuType: "A100",
          gpuCount: 8,
          nodes: 1,
          months: 1,
          pricingModel: "on_demand",
          pricePerHour: "2.50",
          priceSource: "AWS price list",
          priceDate: "2030-02-01",
        },
      ],
    });
    await submitRequest(alice, { number });

    const mail = await askedOf(number);
    const toMaya = mail.get("maya@example.com");
    expect(toMaya, [...mail.keys()].join(", ")).toBeDefined();
    expect(toMaya).toContain("Amount asked: $14,600.00");
    expect(toMaya).toContain(
      "Budget impact: $10,000.00 of $10,000.00 left in the Mar 2030 budget; approving it overspends by $4,600.00.",
    );
    expect(toMaya).toContain(`/requests/${number}#decide`);
    // ML leads of the same stage hold no budget: neither the amount nor the budget (lib/budgets/permissions.ts).
    const toLee = mail.get("lee@example.com");
    expect(toLee, [...mail.keys()].join(", ")).toBeDefined();
    expect(toLee).not.toContain("Amount asked");
    expect(toLee).not.toContain("Budget impact");
    expect(toLee).not.toContain("$");
  });
});
