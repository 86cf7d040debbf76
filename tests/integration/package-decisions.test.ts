import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notificationPreferences, notifications, users } from "../../db/schema";
import { renderTemplate } from "../../lib/notifications/templates";
import { createRequest } from "../../lib/requests/create-request";
import { decidePackage } from "../../lib/requests/decide-package";
import { submitRequest } from "../../lib/requests/submit-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { importAdvisories } from "../../lib/security/import-advisories";
import { tellPackageDecisions } from "../../lib/security/tell-package-decisions";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// Issue 22: the security team's decisions on packages reach the requester, one email per review
// session (decisions a few quiet minutes apart), rejections first, each with its reason.
const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`))),
});
const MANIFEST = ["numpy==1.26.4", "pandas==2.2.0", "reqeusts==2.31.0", "scipy==1.12.0"].join("\n");
const minute = 60_000;

describeDb("package decisions reach the requester in batches", (t) => {
  beforeAll(async () => {
    await seedRegistry(t().db);
    await addPeople(t().db, "lead", 1, "ml_lead");
    await importAdvisories({ db: t().db, actor: await actorFor(t().db, "sam@example.com") }, [osv("MAL-2024-4312")]);
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const filed = async (version: string) => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version,
      environment: "production",
      title: `Deploy ${version}`,
    });
    await uploadManifest(alice, { number, fileName: "requirements.txt", content: MANIFEST });
    await submitRequest(alice, { number });
    return number;
  };
  const dependency = async (number: number, name: string) =>
    (
      await t()
        .sql`select d.id from request_dependencies d join dependency_manifests m on m.id = d.manifest_id and m.current join change_requests r on r.id = d.request_id where r.number = ${number} and d.normalized_name = ${name}`
    )[0]!.id as string;
  const decideAt = async (at: Date, number: number, name: string, decision: "approve" | "reject", reason: string) =>
    decidePackage(await as("sam@example.com", at), {
      number,
      dependencyId: await dependency(number, name),
      decision,
      reason,
    });
  const mailOf = (number: number) =>
    t()
      .db.select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, "package-decisions"),
          sql`${notifications.payload}->>'number' = ${String(number)}`,
        ),
      )
      .orderBy(notifications.createdAt);

  it("decisions minutes apart make one email once the session is quiet; a later decision makes the next", async () => {
    const number = await filed("v1");
    const start = new Date();
    await decideAt(start, number, "reqeusts", "reject", "Typosquat of requests with a malware record.");
    await decideAt(new Date(start.getTime() + minute), number, "numpy", "approve", "Widely used, no advisories.");
    await decideAt(new Date(start.getTime() + 2 * minute), number, "pandas", "approve", "Widely used, no advisories.");

    // Two minutes after the last decision the reviewer may still be at it: nothing yet.
    expect(await tellPackageDecisions(t().db, new Date(start.getTime() + 4 * minute))).toBe(0);
    expect(await mailOf(number)).toHaveLength(0);

    expect(await tellPackageDecisions(t().db, new Date(start.getTime() + 8 * minute))).toBe(1);
    const [first, ...more] = await mailOf(number);
    expect(more).toHaveLength(0);
    expect(first!.recipientEmail).toBe("alice@example.com");
    expect(first!.subject).toBe(`[CR-${number}] Security rejected 1 package and approved 2`);
    const { text } = await renderTemplate("package-decisions", first!.payload);
    // Rejections first, each with its reason and version; the one still undecided is counted.
    expect(text.indexOf("Rejected: reqeusts 2.31.0")).toBeLessThan(text.indexOf("Approved: numpy 1.26.4"));
    expect(text).toContain("(Typosquat of requests with a malware record.)");
    expect(text).toContain("Approved: pandas 2.2.0");
    expect(text).toContain("Still waiting for a decision: 1 package");
    expect(text).toContain(`/requests/${number}/dependencies`);
    expect(text).not.toContain("scipy");

    // Told once: the next sweep finds nothing; a decision the next day is a batch of its own.
    expect(await tellPackageDecisions(t().db, new Date(start.getTime() + 9 * minute))).toBe(0);
    const nextDay = new Date(start.getTime() + 24 * 60 * minute);
    await decideAt(nextDay, number, "scipy", "approve", "Pinned, no advisories.");
    expect(await tellPackageDecisions(t().db, new Date(nextDay.getTime() + 6 * minute))).toBe(1);
    const second = (await mailOf(number))[1]!;
    expect(second.subject).toBe(`[CR-${number}] Security approved 1 package`);
    const again = await renderTemplate("package-decisions", second.payload);
    expect(again.text).toContain("Approved: scipy 1.12.0");
    expect(again.text).not.toContain("numpy");
    expect(again.text).toContain("Still waiting for a decision: 0 packages");
  });

  it("sweeps running at once tell each decision exactly once", async () => {
    const number = await filed("v2");
    const start = new Date();
    await decideAt(start, number, "reqeusts", "reject", "Malware record MAL-2024-4312.");
    await decideAt(start, number, "numpy", "approve", "Widely used, no advisories.");
    const later = new Date(start.getTime() + 10 * minute);
    const told = await Promise.all(Array.from({ length: 4 }, () => tellPackageDecisions(t().db, later)));
    expect(told.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await mailOf(number)).toHaveLength(1);
  });

  it("a requester who chose the digest finds the batch held for it; one who turned it off gets none", async () => {
    const [alice] = await t().db.select().from(users).where(eq(users.email, "alice@example.com"));
    await t()
      .db.insert(notificationPreferences)
      .values({ userId: alice!.id, event: "package_decisions", mode: "digest" });
    const number = await filed("v3");
    const start = new Date();
    await decideAt(start, number, "reqeusts", "reject", "Malware record MAL-2024-4312.");
    expect(await tellPackageDecisions(t().db, new Date(start.getTime() + 6 * minute))).toBe(1);
    expect((await mailOf(number)).map((m) => m.status)).toEqual(["held"]);

    await t()
      .db.update(notificationPreferences)
      .set({ mode: "off" })
      .where(eq(notificationPreferences.userId, alice!.id));
    await decideAt(new Date(start.getTime() + 7 * minute), number, "numpy", "approve", "Widely used.");
    await tellPackageDecisions(t().db, new Date(start.getTime() + 20 * minute));
    expect(await mailOf(number)).toHaveLength(1);
    // Marked told all the same: the sweep does not come back to it every minute.
    const [untold] = await t()
      .sql`select count(*)::int as n from request_dependencies d join change_requests r on r.id = d.request_id where r.number = ${number} and d.decided_at is not null and d.decision_told_at is null`;
    expect(untold!.n).toBe(0);
  });
});
