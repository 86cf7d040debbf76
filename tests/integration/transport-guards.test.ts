import { beforeAll, beforeEach, expect, it, vi } from "vitest";
import type { Session } from "next-auth";
import { describeDb, type TestDatabase } from "../support/database";
import { actorFor, seed, userId } from "../support/fixtures";
import { createToken } from "../../lib/tokens/create-token";

// Server actions and route handlers are public endpoints: drive them as a browser or script would,
// with the session Auth.js would give, against a real database.
const state = vi.hoisted(() => ({ session: null as Session | null, db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { setRoleAction, createTeamAction, deactivateAction } = await import("../../app/(app)/admin/actions");
const rolesRoute = await import("../../app/api/v1/users/[id]/roles/route");
const usersRoute = await import("../../app/api/v1/users/route");
const roleRoute = await import("../../app/api/v1/users/[id]/roles/[role]/route");

describeDb("server actions and route handlers check the caller", (t) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = t();
    await seed(database.db);
    state.db = database.db;
  });
  beforeEach(() => {
    state.session = null;
  });
  const signInAs = async (email: string) => {
    const a = await actorFor(database.db, email);
    state.session = {
      user: { id: a.id, email: a.email, name: a.name, roles: a.roles, teamIds: a.teamIds },
      expires: "2099-01-01",
    };
  };
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };

  it("a server action refuses a signed-out caller (401) and a requester (403)", async () => {
    const bob = await userId(database.db, "bob@example.com");
    expect(await setRoleAction(form({ userId: bob, role: "admin", grant: "true" }))).toMatchObject({
      ok: false,
      status: 401,
    });
    await signInAs("alice@example.com");
    expect(await setRoleAction(form({ userId: bob, role: "admin", grant: "true" }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await createTeamAction(form({ name: "Sneaky" }))).toMatchObject({ ok: false, status: 403 });
    expect(await deactivateAction(form({ userId: bob }))).toMatchObject({ ok: false, status: 403 });
    expect((await actorFor(database.db, "bob@example.com")).roles).not.toContain("admin");
  });

  it("a server action returns field errors for bad input and succeeds for an admin", async () => {
    await signInAs("ada@example.com");
    const bad = await createTeamAction(form({ name: "" }));
    expect(bad).toMatchObject({ ok: false, status: 400, fieldErrors: { name: [expect.stringMatching(/at least 2/)] } });
    expect(await createTeamAction(form({ name: "Platform" }))).toEqual({ ok: true, message: "Team Platform created." });
  });

  it("a route handler answers 401, 403 and 400 as problem+json, never a stack trace", async () => {
    const bob = await userId(database.db, "bob@example.com");
    const post = (body: string) =>
      rolesRoute.POST(
        new Request(`http://localhost/api/v1/users/${bob}/roles`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", origin: "http://localhost" },
        }),
        {
          params: Promise.resolve({ id: bob }),
        },
      );

    const anonymous = await post('{"role":"admin"}');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");

    await signInAs("alice@example.com");
    const forbidden = await post('{"role":"admin"}');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ status: 403, title: "Forbidden" });
    expect(
      (await usersRoute.GET(new Request("http://localhost/api/v1/users"), { params: Promise.resolve({}) })).status,
    ).toBe(403);

    await signInAs("ada@example.com");
    for (const garbage of ["{", "[]", "null", '"role"', '{"role": 42}']) {
      const response = await post(garbage);
      expect(response.status, garbage).toBe(400);
      const body = await response.json();
      expect(body.errors).toBeDefined();
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    }
    const created = await post('{"role":"security"}');
    expect(created.status).toBe(201);
    expect((await actorFor(database.db, "bob@example.com")).roles).toContain("security");
  });

  it("the users routes take a bearer token like every /api/v1 route: an admin's works, a requester's is 403", async () => {
    const token = async (email: string) =>
      (await createToken({ db: database.db, actor: await actorFor(database.db, email) }, { name: "ci" })).token;
    const [admin, requester] = [await token("ada@example.com"), await token("alice@example.com")];
    const bob = await userId(database.db, "bob@example.com");
    const send = (
      handler: (req: Request, ctx: { params: Promise<never> }) => Promise<Response>,
      bearer: string,
      init: { method: string; body?: string; params?: Record<string, string> },
    ) =>
      handler(
        new Request("http://localhost/api/v1/users", {
          method: init.method,
          body: init.body,
          headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
        }),
        { params: Promise.resolve(init.params ?? {}) as Promise<never> },
      );
    const newUser = JSON.stringify({ email: "carol@example.com", name: "Carol", roles: ["requester"] });

    // No session at all: the token alone is who calls.
    const refused = await send(usersRoute.POST, requester, { method: "POST", body: newUser });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ status: 403, detail: "This needs the admin role." });
    expect((await send(usersRoute.GET, requester, { method: "GET" })).status).toBe(403);
    const grant = { method: "POST", body: '{"role":"ml_lead"}', params: { id: bob } };
    expect((await send(rolesRoute.POST, requester, grant)).status).toBe(403);
    const revoke = { method: "DELETE", params: { id: bob, role: "ml_lead" } };
    expect((await send(roleRoute.DELETE, requester, revoke)).status).toBe(403);

    const created = await send(usersRoute.POST, admin, { method: "POST", body: newUser });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toEqual({ id: expect.any(String), email: "carol@example.com" });
    const listed = await send(usersRoute.GET, admin, { method: "GET" });
    expect(listed.status).toBe(200);
    const carol = (await listed.json()).users.find((u: { email: string }) => u.email === "carol@example.com");
    expect(carol).toEqual({
      id: body.id,
      email: "carol@example.com",
      name: "Carol",
      active: true,
      roles: ["requester"],
      teams: [],
    });
    expect(Object.keys(carol)).not.toContain("passwordHash");

    expect(await (await send(rolesRoute.POST, admin, grant)).json()).toEqual({ changed: true });
    expect((await actorFor(database.db, "bob@example.com")).roles).toContain("ml_lead");
    expect(await (await send(roleRoute.DELETE, admin, revoke)).json()).toEqual({ changed: true, stranded: [] });
    expect((await actorFor(database.db, "bob@example.com")).roles).not.toContain("ml_lead");
  });

  it("the session changes nothing over /api/v1 from another origin, another site's subdomain, or as text/plain", async () => {
    await signInAs("ada@example.com"); // an admin: only the request's origin can refuse
    const lee = await userId(database.db, "lee@example.com");
    const grant = (headers: Record<string, string>, body = '{"role":"admin"}') =>
      rolesRoute.POST(new Request(`http://localhost/api/v1/users/${lee}/roles`, { method: "POST", body, headers }), {
        params: Promise.resolve({ id: lee }),
      });
    const json = { "content-type": "application/json" };
    const attempts = [
      { ...json, origin: "https://evil.example" }, // another origin
      { ...json, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { ...json, origin: "http://tools.localhost", "sec-fetch-site": "same-site" }, // a sibling subdomain
      { ...json, "sec-fetch-site": "same-origin", origin: "https://evil.example" }, // forged Origin
      json, // no Origin and no Sec-Fetch-Site: not provably ours
    ];
    for (const headers of attempts) {
      const refused = await grant(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect((await refused.json()).detail).toMatch(/API token/);
    }
    // A simple (no preflight) cross-site request is text/plain: refused even from our own origin.
    const plain = await grant({ "content-type": "text/plain", origin: "http://localhost" });
    expect(plain.status).toBe(415);
    expect((await actorFor(database.db, "lee@example.com")).roles).not.toContain("admin");

    // The app's own pages (same origin, JSON) and every bearer token keep working.
    const ours = await grant(
      { ...json, origin: "http://localhost", "sec-fetch-site": "same-origin" },
      '{"role":"security"}',
    );
    expect(ours.status).toBe(201);
    state.session = null;
    expect((await actorFor(database.db, "lee@example.com")).roles).toContain("security");
  });
});
