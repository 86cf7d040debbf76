import { describe, expect, it } from "vitest";
import { mayCloseDeployment } from "../../lib/requests/permissions";
import { rollbackTarget, whyNotBack } from "../../lib/requests/rollback-rules";

const at = (day: number) => new Date(Date.UTC(2026, 0, day));

describe("rollback rules", () => {
  // Newest first, as the live table's history reads.
  const history = [
    { modelVersionId: "v3", version: "v3", retiredAt: null },
    { modelVersionId: "v2", version: "v2", retiredAt: at(3) },
    { modelVersionId: "v3", version: "v3", retiredAt: at(2) },
    { modelVersionId: "v1", version: "v1", retiredAt: at(1) },
  ];

  it("goes back to the newest earlier version that is not the one live now", () => {
    expect(rollbackTarget(history, { modelVersionId: "v3" })?.version).toBe("v2");
    expect(rollbackTarget(history, { modelVersionId: "v3" }, "v1")?.version).toBe("v1");
  });

  it("finds nothing for the live version itself, a version never live there, or a first deployment", () => {
    expect(rollbackTarget(history, { modelVersionId: "v3" }, "v3")).toBeUndefined();
    expect(rollbackTarget(history, { modelVersionId: "v3" }, "v9")).toBeUndefined();
    expect(rollbackTarget([history[0]!], { modelVersionId: "v3" })).toBeUndefined();
  });

  it("lets a version back only while the request that shipped it still covers it, and says why not", () => {
    expect(whyNotBack("v2", { number: 1001, status: "deployed", revokedAt: null })).toBeNull();
    expect(whyNotBack("v2", { number: 1001, status: "revoked", revokedAt: at(5) })).toBe(
      "v2's approval (CR-1001) was revoked on 2026-01-05: it cannot go live again without a new approval.",
    );
    expect(whyNotBack("v2", { number: 1001, status: "rolled_back", revokedAt: null })).toMatch(/itself rolled back/);
    expect(whyNotBack("v2", { number: 1001, status: "expired", revokedAt: null })).toMatch(/CR-1001.*expired/);
  });
});

describe("who may close a deployment or roll it back", () => {
  const request = { requestedBy: "alice" };
  it("its requester, ML leads and admins; nobody else", () => {
    expect(mayCloseDeployment({ id: "alice", roles: ["requester"] }, request)).toBe(true);
    expect(mayCloseDeployment({ id: "lee", roles: ["ml_lead"] }, request)).toBe(true);
    expect(mayCloseDeployment({ id: "ada", roles: ["admin"] }, request)).toBe(true);
    expect(mayCloseDeployment({ id: "bob", roles: ["requester"] }, request)).toBe(false);
    expect(mayCloseDeployment({ id: "sam", roles: ["security", "manager"] }, request)).toBe(false);
  });
});
