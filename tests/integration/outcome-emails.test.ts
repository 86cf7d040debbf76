import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications, teams } from "../../db/schema";
import { renderTemplate } from "../../lib/notifications/templates";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { submitRequest } from "../../lib/requests/submit-request";
import { holdersOf } from "../../lib/users/people";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

// Outcomes people wait for (issue 22): a deployment reaches the requester, everyone who approved the
// request and the team's managers, each once, with the environment and version in the text itself.
describeDb("emails for deployments", (t) => {
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  beforeAll(async () => {
    await seedRegistry(t().db);
  });

  it("marking a request deployed tells its requester, its approvers and the team's managers, once each", async () => {
    const { number } = await createRequest(await as("alice@example.com"), {
      model: "fraud-detector",
      version: "v4",
      environment: "staging",
      title: "Deploy v4 to staging",
    });
    await submitRequest(await as("alice@example.com"), { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    await markDeployed(await as("alice@example.com"), { number });

    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    const managers = (await holdersOf(t().db, "manager", fraud!.id)).map((m) => m.email);
    expect(managers.length).toBeGreaterThan(0);
    const mail = await t()
      .db.select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, "request-deployed"),
          sql`${notifications.payload}->>'number' = ${String(number)}`,
        ),
      );
    const byRecipient = new Map(mail.map((m) => [m.recipientEmail, m]));
    expect([...byRecipient.keys()].sort()).toEqual(
      [...new Set(["alice@example.com", "lee@example.com", ...managers])].sort(),
    );
    expect(mail).toHaveLength(byRecipient.size); // nobody twice
    expect(byRecipient.get("alice@example.com")!.payload).toMatchObject({ reason: "requester" });
    expect(byRecipient.get("lee@example.com")!.payload).toMatchObject({ reason: "approver" });
    const toLee = byRecipient.get("lee@example.com")!;
    expect(toLee.subject).toBe(`[CR-${number}] Deployed to staging: fraud-detector v4`);
    const { text } = await renderTemplate(toLee.template, toLee.payload);
    expect(text).toContain("Environment: staging");
    expect(text).toContain("Now live: fraud-detector v4");
    expect(text).toContain("You approved this request.");
    expect(text).toContain(`/requests/${number}`);
  });
});
