import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, expect, it, vi } from "vitest";
import { auditEvents, comments, idempotencyKeys } from "../../db/schema";
import { claimKey, markCommitted } from "../../lib/idempotency/store";
import { addComment } from "../../lib/requests/add-comment";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

// Idempotency-Key on /api/v1 (draft-ietf-httpapi-idempotency-key-header, docs/adr/0010): a retry
// gets the first answer and the change happens once; a key reused for another body is a 422.
const state = vi.hoisted(() => ({ db: null as unknown, failDetailRead: false, failHandler: false }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
// The read after a committed verb, made to fail on demand (the field finding: a committed comment answered 500).
vi.mock("../../lib/requests/queries", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/requests/queries")>();
  return {
    ...real,
    findRequestDetail: async (...args: Parameters<typeof real.findRequestDetail>) => {
      if (state.failDetailRead) throw new Error("connection reset after commit");
      return real.findRequestDetail(...args);
    },
    readRequest: async (...args: Parameters<typeof real.readRequest>) => {
      if (state.failDetailRead) throw new Error("connection reset after commit");
      return real.readRequest(...args);
    },
  };
});
// A handler failure before anything commits (a bug, the database gone): made to happen on demand.
vi.mock("../../lib/requests/add-comment", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/requests/add-comment")>();
  return {
    addComment: async (...args: Parameters<typeof real.addComment>) => {
      if (state.failHandler) throw new Error("boom before commit");
      return real.addComment(...args);
    },
  };
});

const requestsRoute = await import("../../app/api/v1/requests/route");
const one = await import("../../app/api/v1/requests/[number]/route");
const commentsRoute = await import("../../app/api/v1/requests/[number]/comments/route");
const modelsRoute = await import("../../app/api/v1/models/route");

const KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324";

describeDb("Idempotency-Key on /api/v1", (t) => {
  const tokens: Record<string, string> = {};
  let number = "";
  const post = (handler: Handler, opts: CallOptions) =>
    callRoute(handler, opts.params?.number ? `/api/v1/requests/${opts.params.number}/comments` : "/api/v1/x", {
      method: "POST",
      ...opts,
    });
  const comment = (body: string, key?: string, token = tokens.alice) =>
    post(commentsRoute.POST, {
      token,
      params: { number },
      body: JSON.stringify({ body }),
      headers: key === undefined ? {} : { "idempotency-key": key },
    });
  const countComments = async (body: string) =>
    (await t().db.select({ id: comments.id }).from(comments).where(eq(comments.body, body))).length;
  const countCommentAudits = async () =>
    (await t().db.select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.action, "request.commented")))
      .length;

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    tokens.alice = (await createToken(alice, { name: "ci" })).token;
    tokens.alice2 = (await createToken(alice, { name: "laptop" })).token;
    tokens.bob = (
      await createToken({ db: t().db, actor: await actorFor(t().db, "bob@example.com") }, { name: "ci" })
    ).token;
    const created = await post(requestsRoute.POST, {
      token: tokens.alice,
      body: JSON.stringify({
        kind: "deployment",
        title: "Ship v3",
        description: "why",
        model: "fraud-detector",
        version: "v3",
        environment: "staging",
        risk: "low",
        emergency: false,
      }),
    });
    expect(created.status).toBe(201);
    number = created.body.number;
  });
  beforeEach(() => {
    state.failDetailRead = false;
    state.failHandler = false;
  });

  it("a retry with the same key and body gets the first answer, replayed, and the comment is posted once", async () => {
    const audits = await countCommentAudits();
    const first = await comment("posted once", KEY);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotency-replayed")).toBeNull();
    const again = await comment("posted once", `"${KEY}"`); // the draft's sf-string form is the same key
    expect(again.status).toBe(201);
    expect(again.type).toBe(first.type);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await countComments("posted once")).toBe(1);
    expect(await countCommentAudits()).toBe(audits + 1);
  });

  it("the same key with another body is a 422 problem, and nothing is posted", async () => {
    const key = "reused-key-1";
    expect((await comment("first body", key)).status).toBe(201);
    const other = await comment("second body", key);
    expect(other).toMatchObject({
      status: 422,
      type: "application/problem+json",
      body: { code: "idempotency_key_reused" },
    });
    expect(await countComments("second body")).toBe(0);
    // Another path with the same body is another request too.
    const elsewhere = await post(modelsRoute.POST, {
      token: tokens.alice,
      body: JSON.stringify({ body: "first body" }),
      headers: { "idempotency-key": key },
    });
    expect(elsewhere.status).toBe(422);
  });

  it("five at once with one key: the comment is posted once; the others are a 409 with Retry-After or the replay", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => comment("raced", "race-key")));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(answers.filter((a) => a.status === 201 && a.headers.get("idempotency-replayed") === null)).toHaveLength(1);
    for (const busy of answers.filter((a) => a.status === 409)) {
      expect(busy.body.code).toBe("idempotency_key_in_progress");
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect(await countComments("raced")).toBe(1);
    const later = await comment("raced", "race-key");
    expect(later).toMatchObject({ status: 201 });
    expect(later.headers.get("idempotency-replayed")).toBe("true");
  });

  it("a malformed key is a 400 naming the header, and nothing runs", async () => {
    for (const bad of ["", '"unterminated', "two words", '"a", "b"', "x".repeat(256), '"tab\there"', "k;a=1"]) {
      const answer = await comment("malformed", bad);
      expect(answer, bad).toMatchObject({ status: 400, type: "application/problem+json" });
      expect(answer.body.errors).toHaveProperty("Idempotency-Key");
    }
    expect(await countComments("malformed")).toBe(0);
    expect((await comment("longest", "k".repeat(255))).status).toBe(201);
  });

  it("a handler that fails releases the key: the retry runs and succeeds", async () => {
    state.failHandler = true;
    const failed = await comment("after a failure", "fails-first");
    expect(failed.status).toBe(500);
    expect(await t().db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, "fails-first"))).toHaveLength(0);
    state.failHandler = false;
    const retried = await comment("after a failure", "fails-first");
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotency-replayed")).toBeNull();
    expect(await countComments("after a failure")).toBe(1);
  });

  it("a 4xx is the answer: kept and replayed", async () => {
    const refused = await comment("", "empty-body-key");
    expect(refused.status).toBe(400);
    const again = await comment("", "empty-body-key");
    expect(again).toMatchObject({ status: 400, body: refused.body });
    expect(again.headers.get("idempotency-replayed")).toBe("true");
  });

  it("keys belong to the caller: another token, or another person, with the same key runs on its own", async () => {
    expect((await comment("mine", "shared-key", tokens.alice)).status).toBe(201);
    const otherToken = await comment("mine", "shared-key", tokens.alice2);
    expect(otherToken.status).toBe(201);
    expect(otherToken.headers.get("idempotency-replayed")).toBeNull();
    const otherPerson = await comment("theirs", "shared-key", tokens.bob);
    expect(otherPerson.status).toBe(201);
    expect(await countComments("mine")).toBe(2);
    expect(await countComments("theirs")).toBe(1);
  });

  it("an expired key runs again (and its old row is purged)", async () => {
    expect((await comment("expiring", "old-key")).status).toBe(201);
    await t()
      .db.update(idempotencyKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(idempotencyKeys.key, "old-key"));
    const again = await comment("expiring", "old-key");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotency-replayed")).toBeNull();
    expect(await countComments("expiring")).toBe(2);
    expect(await t().db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, "old-key"))).toHaveLength(1);
  });

  it("a claim left in progress by a dead server is taken over after its lease; a committed one is never run twice", async () => {
    expect((await comment("stuck", "stuck-key")).status).toBe(201);
    const where = and(eq(idempotencyKeys.key, "stuck-key"))!;
    // As if the server died after committing, before storing the answer.
    await t()
      .db.update(idempotencyKeys)
      .set({ state: "committed", responseStatus: null, claimedAt: new Date(Date.now() - 10 * 60_000) })
      .where(where);
    const lost = await comment("stuck", "stuck-key");
    expect(lost).toMatchObject({ status: 409, body: { code: "idempotency_answer_lost" } });
    expect(await countComments("stuck")).toBe(1);
    // As if it died before committing anything: the retry runs.
    await t().db.update(idempotencyKeys).set({ state: "in_progress" }).where(where);
    const taken = await comment("stuck", "stuck-key");
    expect(taken.status).toBe(201);
    expect(await countComments("stuck")).toBe(2);
  });

  it("a verb whose claim was taken over meanwhile does not commit: the mark fails inside its transaction", async () => {
    const fingerprint = { method: "POST", path: "/x", bodySha256: "0".repeat(64) };
    const outcome = await claimKey(t().db, { scope: "test:holder", key: "taken-over", fingerprint }, new Date());
    if (outcome.kind !== "claimed") throw new Error(`expected a claim, got ${outcome.kind}`);
    // A retry took the claim over (the holder looked dead): the claim token is no longer the holder's.
    await t()
      .db.update(idempotencyKeys)
      .set({ claimToken: crypto.randomUUID() })
      .where(eq(idempotencyKeys.id, outcome.claim.id));
    const holder = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    await expect(
      addComment({ ...holder, joinCommit: (tx) => markCommitted(tx, outcome.claim) }, { number, body: "never saved" }),
    ).rejects.toMatchObject({ status: 409 });
    expect(await countComments("never saved")).toBe(0);
  });

  it("without the header nothing changes: each post is a new comment", async () => {
    expect((await comment("no key")).status).toBe(201);
    expect((await comment("no key")).status).toBe(201);
    expect(await countComments("no key")).toBe(2);
  });

  it("a committed comment is never answered 500 because the read after it failed; its replay is the same", async () => {
    state.failDetailRead = true;
    const answer = await comment("read fails after", "read-fails");
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ result: { body: "read fails after" }, request: null });
    state.failDetailRead = false;
    const replayed = await comment("read fails after", "read-fails");
    expect(replayed).toMatchObject({ status: 201, body: answer.body });
    expect(await countComments("read fails after")).toBe(1);
  });

  it("PATCH: an edit whose read-back fails still answers 200 with the edited record; the key replays it", async () => {
    state.failDetailRead = true;
    const patch = () =>
      callRoute(one.PATCH, `/api/v1/requests/${number}`, {
        token: tokens.alice,
        method: "PATCH",
        params: { number },
        body: JSON.stringify({ title: "Ship v3 now" }),
        headers: { "idempotency-key": "patch-key" },
      });
    const answer = await patch();
    expect(answer).toMatchObject({ status: 200, body: { number, partial: true, approvalsReset: false } });
    state.failDetailRead = false;
    const replayed = await patch();
    expect(replayed).toMatchObject({ status: 200, body: answer.body });
    expect(replayed.headers.get("idempotency-replayed")).toBe("true");
  });
});
