import { beforeAll, expect, it } from "vitest";
import { actorForToken, TOKEN_CACHE_MS } from "../../lib/tokens/authenticate";
import { createToken } from "../../lib/tokens/create-token";
import { revokeToken } from "../../lib/tokens/revoke-token";
import { deactivateUser } from "../../lib/users/deactivate-user";
import { describeDb } from "../support/database";
import { actorFor, seed, userId } from "../support/fixtures";

// A token's owner is read once per second per process at most (a pipeline polling the gate would
// otherwise pay four reads per call). The bound: a token revoked, or an owner deactivated, by another
// process stops working within TOKEN_CACHE_MS; through this process's verbs, at once.
describeDb("API token lookups, cached for at most one second", (t) => {
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  beforeAll(async () => {
    await seed(t().db);
  });

  it("a token revoked elsewhere stops working within the bound; revoked here, at once", async () => {
    const { token, id } = await createToken(await as("bob@example.com"), { name: "poller" });
    const start = Date.now();
    expect((await actorForToken(t().db, token, start))?.actor.email).toBe("bob@example.com");
    // Another process revokes it: this one may answer from its cache until the bound, never after.
    await t().sql`update api_tokens set revoked_at = now() where id = ${id}`;
    expect(await actorForToken(t().db, token, start + TOKEN_CACHE_MS - 1)).not.toBeNull();
    expect(await actorForToken(t().db, token, start + TOKEN_CACHE_MS + 1)).toBeNull();

    const second = await createToken(await as("bob@example.com"), { name: "second" });
    const now = Date.now();
    expect(await actorForToken(t().db, second.token, now)).not.toBeNull();
    await revokeToken(await as("bob@example.com"), { tokenId: second.id });
    expect(await actorForToken(t().db, second.token, now + 1)).toBeNull();
  });

  it("a deactivated owner's token: within the bound from elsewhere, at once through the verb; many callers at once agree", async () => {
    const { token } = await createToken(await as("mo@example.com"), { name: "ci" });
    const now = Date.now();
    const answers = await Promise.all(Array.from({ length: 8 }, () => actorForToken(t().db, token, now)));
    expect(new Set(answers.map((a) => a?.actor.email))).toEqual(new Set(["mo@example.com"]));
    await deactivateUser(await as("ada@example.com"), { userId: await userId(t().db, "mo@example.com") });
    expect(await actorForToken(t().db, token, now + 1)).toBeNull();
    // Bad input costs nothing and is never cached as someone.
    expect(await actorForToken(t().db, "not-a-token", now)).toBeNull();
    expect(await actorForToken(t().db, `glt_${"x".repeat(300)}`, now)).toBeNull();
  });
});
