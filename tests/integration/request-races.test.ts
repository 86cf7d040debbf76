import { beforeAll, expect, it } from "vitest";
import { systemActor } from "../../lib/auth/actor";
import { decide } from "../../lib/requests/decide";
import { createDelegation } from "../../lib/delegations/create-delegation";
import { addComment } from "../../lib/requests/add-comment";
import { createRequest } from "../../lib/requests/create-request";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { revokeRequest } from "../../lib/requests/revoke-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { withdrawRequest } from "../../lib/requests/withdraw-request";
import { createToken } from "../../lib/tokens/create-token";
import { revokeToken } from "../../lib/tokens/revoke-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

// Every mutating verb under concurrent use: the state moves once, the losers get 409, nothing is lost.
describeDb("request verbs under concurrent use", (t) => {
  beforeAll(async () => seedRegistry(t().db));
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const approvedStaging = async (version: string) => {
    const alice = await as("alice@example.com");
    const number = (
      await createRequest(alice, { model: "fraud-detector", version, environment: "staging", title: `Race ${version}` })
    ).number;
    await submitRequest(alice, { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    return number;
  };
  const state = async (number: number) =>
    (await t().sql`select status, revision from change_requests where number = ${number}`)[0]!;

  it("withdraw, deploy and revoke each happen once", async () => {
    const alice = await as("alice@example.com");
    const lee = await as("lee@example.com");
    const w = await approvedStaging("v1");
    expect((await race(Array.from({ length: 6 }, () => () => withdrawRequest(alice, { number: w })))).statuses).toEqual(
      Array(5).fill(409),
    );
    const d = await approvedStaging("v2");
    expect((await race(Array.from({ length: 6 }, () => () => markDeployed(alice, { number: d })))).statuses).toEqual(
      Array(5).fill(409),
    );
    expect(
      (await race(Array.from({ length: 6 }, () => () => revokeRequest(lee, { number: d, reason: "race" })))).statuses,
    ).toEqual(Array(5).fill(409));
    expect(await state(d)).toMatchObject({ status: "revoked" });
  });

  it("concurrent edits of a request in review each make a revision; only the last chain is open", async () => {
    const alice = await as("alice@example.com");
    const number = (
      await createRequest(alice, { model: "fraud-detector", version: "v3", environment: "production", title: "Edits" })
    ).number;
    await submitRequest(alice, { number });
    const { ok, statuses } = await race(
      Array.from({ length: 5 }, (_, i) => () => updateRequest(alice, { number, description: `edit ${i}` })),
    );
    expect(statuses).toEqual([]);
    expect(ok).toHaveLength(5);
    expect(await state(number)).toMatchObject({ status: "in_review", revision: 6 });
    const open = await t()
      .sql`select s.revision from request_steps s join change_requests r on r.id = s.request_id where r.number = ${number} and s.status = 'pending' group by s.revision`;
    expect(open.map((r) => r.revision)).toContain(6);
    await expectStatus(updateRequest(alice, { number, risk: "extreme" }), 400);
  });

  it("concurrent comments are all kept, in order", async () => {
    const number = (
      await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version: "v4",
        environment: "staging",
        title: "Chatty",
      })
    ).number;
    const people = await Promise.all(["maya", "sam", "lee", "bob", "mo"].map((n) => as(`${n}@example.com`)));
    const { ok } = await race(people.map((p, i) => () => addComment(p, { number, body: `comment ${i}` })));
    expect(ok).toHaveLength(5);
    const rows = await t()
      .sql`select c.body from comments c join change_requests r on r.id = c.request_id where r.number = ${number}`;
    expect(rows.map((r) => r.body).sort()).toEqual(["comment 0", "comment 1", "comment 2", "comment 3", "comment 4"]);
  });

  it("tokens: revoking twice at once revokes once; others' tokens are not yours to revoke", async () => {
    const alice = await as("alice@example.com");
    const token = await createToken(alice, { name: "race" });
    await expectStatus(revokeToken(await as("bob@example.com"), { tokenId: token.id }), 403);
    await expectStatus(revokeToken(alice, { tokenId: "nope" }), 400);
    const { ok, statuses } = await race(
      Array.from({ length: 5 }, () => () => revokeToken(alice, { tokenId: token.id })),
    );
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409, 409, 409, 409]);
    await expectStatus(createToken(alice, { name: "" }), 400);
  });

  it("delegations: only people delegate, with a sensible window", async () => {
    // Relative to now: an end already past is refused, so fixed dates would rot.
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await expectStatus(
      createDelegation(
        { db: t().db, actor: systemActor("test") },
        { to: "bob@example.com", startsAt: inDays(1), endsAt: inDays(5) },
      ),
      403,
    );
    await expectStatus(
      createDelegation(await as("sam@example.com"), {
        to: "bob@example.com",
        startsAt: inDays(5),
        endsAt: inDays(1),
      }),
      400,
    );
    await expectStatus(
      createDelegation(await as("sam@example.com"), {
        to: "nobody@example.com",
        startsAt: inDays(1),
        endsAt: inDays(5),
      }),
      400,
    );
    const { ok } = await race(
      Array.from(
        { length: 3 },
        () => async () =>
          createDelegation(await as("sam@example.com"), {
            to: "bob@example.com",
            startsAt: inDays(1),
            endsAt: inDays(5),
          }),
      ),
    );
    expect(ok).toHaveLength(3);
  });
});
