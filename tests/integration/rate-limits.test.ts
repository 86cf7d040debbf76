import type { Session } from "next-auth";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { connect } from "../../db";
import { auditEvents, notifications } from "../../db/schema";
import { addComment } from "../../lib/requests/add-comment";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { COUNTED_LIMITS, MENTIONS_PER_COMMENT, SIGN_IN_ANSWER_MS } from "../../lib/rate-limit/limits";
import { consumeLimit, limitReached } from "../../lib/rate-limit/store";
import { CHECK_EMAIL_PAGE, emailLinkDecision, requestSignInLink } from "../../lib/session/sign-in-request";
import { deactivateUser } from "../../lib/users/deactivate-user";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, userId } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// Rate limits (docs/adr/0011-rate-limits.md) on both engines: counted in the database, so two app
// instances over one database share them; 429 with Retry-After on the API; the sign-in form answers
// alike for known and unknown addresses; mentions capped; re-asks after edits coalesced.
const state = vi.hoisted(() => {
  // A small per-token limit and the real failed-token one (vitest.config.mts raises it for other
  // suites), read when this file's first limiter opens: lib/env.ts reads the environment once.
  const saved = { calls: process.env.API_RATE_LIMIT_PER_MINUTE, failures: process.env.API_FAILED_TOKENS_PER_IP };
  process.env.API_RATE_LIMIT_PER_MINUTE = "3";
  process.env.API_FAILED_TOKENS_PER_IP = "20";
  return { db: null as unknown, session: null as Session | null, ip: "198.51.100.1", saved };
});
class Redirected extends Error {
  constructor(readonly url: string) {
    super(`redirect to ${url}`);
  }
}
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": state.ip }) }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Redirected(url);
  },
}));
// Passed through, but counted: a blocked address must be refused before any token lookup.
vi.mock("../../lib/tokens/authenticate", async (original) => {
  const real = await original<typeof import("../../lib/tokens/authenticate")>();
  return { ...real, actorForToken: vi.fn(real.actorForToken) };
});

const { signIn } = await import("../../lib/session/config");
const { actorForToken } = await import("../../lib/tokens/authenticate");
const models = await import("../../app/api/v1/models/route");
const { emailSignIn } = await import("../../app/sign-in/actions");

afterAll(() => {
  for (const [name, value] of [
    ["API_RATE_LIMIT_PER_MINUTE", state.saved.calls],
    ["API_FAILED_TOKENS_PER_IP", state.saved.failures],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** GET /api/v1/models as a script from `ip` would, with its answer's status, type and Retry-After. */
async function listModels(token: string, ip: string) {
  const response = await models.GET(
    new Request("http://localhost/api/v1/models", {
      headers: { authorization: `Bearer ${token}`, "x-forwarded-for": ip },
    }),
    { params: Promise.resolve({}) },
  );
  const body = (await response.json()) as { detail?: string; status?: number };
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    retryAfter: response.headers.get("retry-after"),
    body,
  };
}

/** Submits the sign-in form; answers the page it sends the browser to. */
async function signInForm(email: string, ip = state.ip) {
  state.ip = ip;
  const form = new FormData();
  form.set("email", email);
  form.set("callbackUrl", "/");
  const started = Date.now();
  const outcome = await emailSignIn(form).then(
    () => "no redirect",
    (error: unknown) => (error instanceof Redirected ? error.url : Promise.reject(error)),
  );
  return { to: outcome, ms: Date.now() - started };
}

describeDb("rate limits", (t) => {
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const tokenOf = async (email: string) =>
    (await createToken(await as(email), { name: `ci-${Math.random().toString(36).slice(2)}` })).token;

  it("two app instances over one database share the counts (the library's own table, made again if dropped)", async () => {
    const other = connect(t().url, { max: 2 }); // a second instance: its own pool and its own limiters
    try {
      const key = "shared@example.com";
      for (let i = 0; i < COUNTED_LIMITS.signInPerAddress.points; i++) {
        const db = i % 2 ? other.db : t().db;
        expect(await consumeLimit(db, "signInPerAddress", key)).toEqual({ allowed: true });
      }
      const refused = await consumeLimit(other.db, "signInPerAddress", key);
      expect(refused).toMatchObject({ allowed: false });
      expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
      expect(await limitReached(t().db, "signInPerAddress", key)).toMatchObject({ allowed: false });
      // Another key is untouched; the table holds hashes, never the address.
      expect(await consumeLimit(t().db, "signInPerAddress", "other@example.com")).toEqual({ allowed: true });
      const keys = await t().sql`select key from rate_limits`;
      expect(keys.some((row) => String(row.key).includes("@"))).toBe(false);
      // A table dropped under a running server (db reset) is made again on the next check.
      await t().sql`drop table rate_limits`;
      expect(await consumeLimit(t().db, "signInPerAddress", key)).toEqual({ allowed: true });
      expect(await limitReached(other.db, "signInPerAddress", key)).toEqual({ allowed: true });
    } finally {
      await other.close();
    }
  });

  it("API calls per token: 429 problem+json with Retry-After past the limit; another token is not held", async () => {
    const token = await tokenOf("alice@example.com");
    for (let i = 0; i < 3; i++) expect((await listModels(token, "192.0.2.10")).status).toBe(200);
    const limited = await listModels(token, "192.0.2.11"); // per token, whatever the address
    expect(limited).toMatchObject({ status: 429, type: "application/problem+json", body: { status: 429 } });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    expect(limited.body.detail).toMatch(/too many calls/i);
    expect((await listModels(await tokenOf("alice@example.com"), "192.0.2.10")).status).toBe(200);
  });

  it("failed token attempts per IP: blocked before any token lookup, even with a real token; other IPs are not", async () => {
    const ip = "203.0.113.50";
    for (let i = 0; i < COUNTED_LIMITS.failedTokensPerIp.points; i++) {
      expect((await listModels(`glt_wrong${i}`, ip)).status).toBe(401);
    }
    const real = await tokenOf("sam@example.com");
    const lookups = vi.mocked(actorForToken).mock.calls.length;
    const blocked = await listModels(real, ip);
    expect(blocked).toMatchObject({ status: 429, type: "application/problem+json" });
    expect(Number(blocked.retryAfter)).toBeGreaterThan(9 * 60);
    expect(blocked.body.detail).toMatch(/Too many failed API token attempts.*Try again in 10 minutes/);
    expect((await listModels("glt_wrong-again", ip)).status).toBe(429);
    expect(vi.mocked(actorForToken).mock.calls.length).toBe(lookups); // no token work for a blocked address
    expect((await listModels(real, "203.0.113.51")).status).toBe(200);
  });

  it("sign-in: the same answer for a known and an unknown address, no faster for the unknown", async () => {
    vi.mocked(signIn).mockClear();
    const known = await signInForm("alice@example.com", "198.51.100.20");
    const unknown = await signInForm("nobody-here@example.com", "198.51.100.20");
    expect(known.to).toBe("/sign-in/check-email");
    expect(unknown.to).toBe(known.to);
    // Both go through Auth.js alike (same cookies); its signIn callback decides who is mailed.
    expect(vi.mocked(signIn).mock.calls.map((call) => call[1])).toEqual([
      { email: "alice@example.com", redirectTo: "/", redirect: false },
      { email: "nobody-here@example.com", redirectTo: "/", redirect: false },
    ]);
    expect(unknown.ms).toBeGreaterThanOrEqual(SIGN_IN_ANSWER_MS - 5);
    expect(known.ms).toBeGreaterThanOrEqual(SIGN_IN_ANSWER_MS - 5);
  });

  it("sign-in: a link only for an active account; anyone else gets the page a sent link leads to, and no mail", async () => {
    const ada = await as("ada@example.com");
    await deactivateUser(ada, { userId: await userId(t().db, "bob@example.com") });
    expect(await emailLinkDecision(t().db, "alice@example.com")).toBe(true);
    expect(await emailLinkDecision(t().db, "ALICE@example.com")).toBe(true);
    expect(await emailLinkDecision(t().db, "bob@example.com")).toBe(CHECK_EMAIL_PAGE);
    expect(await emailLinkDecision(t().db, "nobody-here@example.com")).toBe(CHECK_EMAIL_PAGE);
    expect(await emailLinkDecision(t().db, undefined)).toBe(CHECK_EMAIL_PAGE);
  });

  it("sign-in: links per address are limited (known or not), with a polite wait on the form", async () => {
    for (const email of ["lee@example.com", "ghost@example.com"]) {
      vi.mocked(signIn).mockClear();
      for (let i = 0; i < COUNTED_LIMITS.signInPerAddress.points; i++) {
        expect((await signInForm(email, `198.51.100.${30 + i}`)).to).toBe("/sign-in/check-email");
      }
      const limited = await signInForm(email.toUpperCase(), "198.51.100.99"); // one address, any case, any IP
      expect(limited.to).toMatch(/^\/sign-in\?error=TooManyAttempts&retry=\d+$/);
      const retry = Number(new URL(limited.to, "http://x").searchParams.get("retry"));
      expect(retry).toBeGreaterThan(14 * 60);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      // Spellings Auth.js would mail to the same inbox are the same address.
      for (const variant of [`${email},2`, email.replace(/^./, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))]) {
        expect((await signInForm(variant, "198.51.100.98")).to).toMatch(/error=TooManyAttempts/);
      }
      expect(vi.mocked(signIn)).toHaveBeenCalledTimes(COUNTED_LIMITS.signInPerAddress.points); // not the refused ones
    }
  });

  it("sign-in: links per IP are limited across addresses; another IP is not held", async () => {
    const send = vi.fn(async () => undefined);
    const ip = "192.0.2.200";
    for (let i = 0; i < COUNTED_LIMITS.signInPerIp.points; i++) {
      expect(await requestSignInLink(t().db, { email: `p${i}@example.com`, ip }, send, 0)).toEqual({ limited: false });
    }
    expect(await requestSignInLink(t().db, { email: "maya@example.com", ip }, send, 0)).toMatchObject({
      limited: true,
    });
    expect(send).toHaveBeenCalledTimes(COUNTED_LIMITS.signInPerIp.points); // not for maya's, refused
    expect(await requestSignInLink(t().db, { email: "maya@example.com", ip: "192.0.2.201" }, send, 0)).toEqual({
      limited: false,
    });
  });

  it(`a comment mentions at most ${MENTIONS_PER_COMMENT} people: more is a 400 on the body, and nobody is mailed`, async () => {
    const fans = await addPeople(t().db, "fan", 120, "requester");
    const { number } = await createRequest(await as("alice@example.com"), {
      model: "fraud-detector",
      version: "v4",
      environment: "staging",
      title: "Deploy v4 to staging",
    });
    const mentionMail = () =>
      t()
        .db.select({ to: notifications.recipientEmail })
        .from(notifications)
        .where(
          and(
            eq(notifications.template, "comment-mention"),
            sql`${notifications.payload}->>'number' = ${String(number)}`,
          ),
        );
    const all = fans.map((f) => `@${f}`).join(" ");
    const error = await expectStatus(addComment(await as("alice@example.com"), { number, body: all }), 400);
    expect(error.fieldErrors?.body?.[0]).toMatch(/at most 10 people.*mentions 120/);
    expect(await mentionMail()).toEqual([]);
    // Handles that name nobody do not count; exactly the cap is fine.
    const ten = fans
      .slice(0, MENTIONS_PER_COMMENT)
      .map((f) => `@${f}`)
      .join(" ");
    await addComment(await as("alice@example.com"), { number, body: `${ten} @nobody @types/node` });
    expect((await mentionMail()).length).toBe(MENTIONS_PER_COMMENT);
  });

  it("ten edits in review: one re-ask email per approver within the window, every edit still audited", async () => {
    const { number } = await createRequest(await as("alice@example.com"), {
      model: "fraud-detector",
      version: "v5",
      environment: "production",
      title: "Deploy v5",
    });
    await submitRequest(await as("alice@example.com"), { number });
    for (let i = 1; i <= 10; i++) {
      await updateRequest(await as("alice@example.com"), { number, title: `Deploy v5 (edit ${i})` });
    }
    const reasks = async () =>
      (
        await t()
          .db.select({ to: notifications.recipientEmail, revision: sql<string>`${notifications.payload}->>'revision'` })
          .from(notifications)
          .where(
            and(
              eq(notifications.template, "request-submitted"),
              sql`${notifications.payload}->>'number' = ${String(number)}`,
              sql`${notifications.payload}->>'revision' is not null`,
            ),
          )
      ).map((m) => `${m.to}@r${m.revision}`);
    const first = await reasks();
    const people = [...new Set(first.map((m) => m.replace(/@r\d+$/, "")))];
    expect(people.length).toBeGreaterThan(0);
    expect(first.length).toBe(people.length); // one each, not ten
    expect(first.every((m) => m.endsWith("@r2"))).toBe(true); // sent on the first edit
    const audited = await t()
      .db.select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "request.updated"), sql`${auditEvents.data}->>'number' = ${String(number)}`));
    expect(audited.length).toBe(10);
    // Past the window, the next edit asks again.
    const later = new Date(Date.now() + 16 * 60_000);
    await updateRequest(await as("alice@example.com", later), { number, title: "Deploy v5 (later)" });
    expect((await reasks()).length).toBe(people.length * 2);
  });
});
