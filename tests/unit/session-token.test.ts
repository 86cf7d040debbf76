import { describe, expect, it, vi } from "vitest";
import type { JWT } from "next-auth/jwt";
import type { UserActor } from "../../lib/auth/actor";
import { refreshSessionToken } from "../../lib/session/refresh-token";

vi.mock("../../lib/log", () => ({ logError: vi.fn() }));

const alice: UserActor = {
  kind: "user",
  id: "u-alice",
  email: "alice@example.com",
  name: "Alice",
  roles: ["requester"],
  teamIds: ["t-fraud"],
};
const session: JWT = { sub: "u-alice", email: "alice@example.com", roles: ["requester", "manager"] };

describe("the session token, reloaded on every request", () => {
  it("carries the person as the database knows them now (a removed role is gone at once)", async () => {
    const token = await refreshSessionToken(async () => alice, { ...session });
    expect(token).toMatchObject({ sub: "u-alice", roles: ["requester"], teamIds: ["t-fraud"] });
  });

  it("ends for a person who is gone or deactivated", async () => {
    expect(await refreshSessionToken(async () => null, { ...session })).toBeNull();
    expect(await refreshSessionToken(async () => alice, {})).toBeNull();
  });

  it("survives a reload that failed: the person stays signed in for that request", async () => {
    const failing = async () => {
      throw new Error("Connection terminated unexpectedly");
    };
    expect(await refreshSessionToken(failing, { ...session })).toEqual(session);
  });

  it("signing in still needs the database to answer", async () => {
    const failing = async () => {
      throw new Error("Connection terminated unexpectedly");
    };
    await expect(refreshSessionToken(failing, {}, { id: "u-alice" })).rejects.toThrow(/Connection terminated/);
  });
});
