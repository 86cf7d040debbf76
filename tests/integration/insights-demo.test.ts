import { beforeAll, expect, it } from "vitest";
import { seedDemoRegistry } from "../../lib/demo/seed-registry";
import { settleDeliveries } from "../../lib/notifications/deliver";
import { readAutoPass, readLeadTime, readStepWaits } from "../../lib/insights/queries";
import { ensureDefaultPolicies } from "../../lib/policies/ensure-defaults";
import { describeDb } from "../support/database";
import { actorFor, seed } from "../support/fixtures";

// The demo organisation's history has real waits (lib/demo/seed-registry.ts): what a first visit to
// Insights shows must name the bottleneck and what auto-pass saved.
describeDb("insights on the demo organisation", (t) => {
  beforeAll(async () => {
    await seed(t().db);
    await ensureDefaultPolicies(t().db);
    await seedDemoRegistry(t().db);
    await settleDeliveries();
  });
  const ada = async () => ({ db: t().db, actor: await actorFor(t().db, "ada@example.com") });

  it("names security review as the bottleneck of the last twelve weeks", async () => {
    const steps = await readStepWaits(await ada(), {});
    expect(steps.bottleneck?.step).toBe("Security review");
    expect(steps.bottleneck?.sentence).toMatch(/^Security review holds \d+% of waiting time; median \d+\.\d days\.$/);
  });

  it("shows the budget step that passed by itself and the approver time it saved", async () => {
    const saved = await readAutoPass(await ada(), {});
    expect(saved.byRule).toContainEqual(
      expect.objectContaining({ rule: "within_team_budget", role: "manager", passedSteps: 1 }),
    );
    expect(saved.estimatedSavedHours).toBeGreaterThan(0);
  });

  it("times every leg from registration to deployment", async () => {
    const lead = await readLeadTime(await ada(), {});
    expect(lead.registeredToSubmitted.medianHours).toBeGreaterThan(0);
    expect(lead.submittedToApproved.medianHours).toBeGreaterThan(0);
    expect(lead.approvedToDeployed.requests).toBeGreaterThan(0);
  });
});
