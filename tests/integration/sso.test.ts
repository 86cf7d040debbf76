import { and, eq } from "drizzle-orm";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, memberships, teams, userRoles, users } from "../../db/schema";
import { parseEnv } from "../../lib/env";
import { authOptions } from "../../lib/session/config";
import { groupMapping } from "../../lib/sso/mapping-store";
import { setGroupMapping } from "../../lib/sso/set-group-mapping";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race, seed, userId } from "../support/fixtures";
import { startOidcStandIn, type DirectoryPerson } from "../support/oidc-provider";

// Company SSO end to end without a browser: Auth.js's own handlers (the ones app/api/auth serves),
// configured by lib/session/config.ts, against a local OpenID Connect provider (tests/support/
// oidc-provider.ts). Each sign-in goes csrf → POST signin/oidc → the provider's authorization
// endpoint → Auth.js's callback, which exchanges the code (client_secret_basic + PKCE), validates the
// signed ID token against the provider's JWKS, creates or links the user, applies the group mapping
// and issues the session cookie; /api/auth/session then shows what the session carries.

const APP = "http://localhost:3000";
const CLIENT = { clientId: "greenlight-test", clientSecret: "stand-in-secret-0123456789" };

class CookieJar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === "" || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

describeDb("company SSO (OpenID Connect) with directory groups", (t) => {
  let idp: Awaited<ReturnType<typeof startOidcStandIn>>;
  let handlers: ReturnType<typeof NextAuth>["handlers"];

  beforeAll(async () => {
    await seed(t().db);
    idp = await startOidcStandIn(CLIENT);
    const env = parseEnv(
      {
        DATABASE_URL: "postgres://unused@127.0.0.1/unused",
        AUTH_SECRET: "sso-test-secret-sso-test-secret-0123456789",
        APP_URL: APP,
        DEMO_MODE: "false",
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      },
      "/tmp",
    );
    ({ handlers } = NextAuth(authOptions(t().db, env)));
  });
  afterAll(() => idp?.close());

  const admin = async () => ({ db: t().db, actor: await actorFor(t().db, "ada@example.com") });

  /** One whole sign-in through the stand-in as this person; returns the session Auth.js issued. */
  async function ssoSignIn(person: DirectoryPerson) {
    idp.signInAs(person);
    const jar = new CookieJar();
    const call = async (
      url: string,
      init: { method?: string; headers?: Record<string, string>; body?: string } = {},
    ) => {
      const response = await (init.method === "POST" ? handlers.POST : handlers.GET)(
        new NextRequest(url, { ...init, headers: { ...init.headers, cookie: jar.header() } }),
      );
      jar.take(response);
      return response;
    };
    const { csrfToken } = (await (await call(`${APP}/api/auth/csrf`)).json()) as { csrfToken: string };
    const start = await call(`${APP}/api/auth/signin/oidc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/inbox` }).toString(),
    });
    expect(start.status).toBe(302);
    const authorize = start.headers.get("location")!;
    expect(authorize.startsWith(`${idp.issuer}/authorize?`)).toBe(true);
    const atIdp = await fetch(authorize, { redirect: "manual" });
    expect(atIdp.status).toBe(302);
    const callback = await call(atIdp.headers.get("location")!);
    const landed = callback.headers.get("location") ?? "";
    const session = (await (await call(`${APP}/api/auth/session`)).json()) as {
      user?: { id: string; email: string; roles: string[]; teamIds: string[] };
    } | null;
    return { landed, session };
  }

  const rolesOf = async (id: string) =>
    (await t().db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, id)))
      .map((r) => r.role)
      .sort();
  const teamsOf = async (id: string) =>
    (
      await t()
        .db.select({ name: teams.name })
        .from(memberships)
        .innerJoin(teams, eq(teams.id, memberships.teamId))
        .where(eq(memberships.userId, id))
    )
      .map((r) => r.name)
      .sort();

  it("setGroupMapping: an admin saves rules from the page's text; teams by name, audited", async () => {
    const mapping = await setGroupMapping(await admin(), {
      rules:
        "# directory groups\ngl-admins: admin\nml-leads: ml_lead, team Fraud\n\nfraud-managers: manager, team fraud",
    });
    expect(mapping.rules.map((r) => [r.group, r.roles])).toEqual([
      ["gl-admins", ["admin"]],
      ["ml-leads", ["ml_lead"]],
      ["fraud-managers", ["manager"]],
    ]);
    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    expect(mapping.rules[1]!.teamIds).toEqual([fraud!.id]);
    expect(await groupMapping(t().db)).toEqual(mapping);
    const [event] = await t().db.select().from(auditEvents).where(eq(auditEvents.action, "sso.group_mapping_updated"));
    expect(event).toMatchObject({ actorEmail: "ada@example.com" });
  });

  it("setGroupMapping: refuses non-admins and bad rules (unknown role or team, no colon, duplicates) with a 400 at rules", async () => {
    const maya = { db: t().db, actor: await actorFor(t().db, "maya@example.com") };
    await expectStatus(setGroupMapping(maya, { rules: "x: admin" }), 403);
    const cases: [unknown, RegExp][] = [
      ["ml-leads: wizard", /wizard is not a role/],
      ["ml-leads: team Nowhere", /No team named nowhere/],
      ["just a group", /Line 1: .*colon/],
      ["a: admin\na: manager", /"a" has two rules/],
      ["a:", /name at least one role or team/],
      [[{ group: "a", roles: "admin" }], /Rule 1: write/],
      [42, /rules must be a list/],
    ];
    for (const [rules, message] of cases) {
      const error = await expectStatus(setGroupMapping(await admin(), { rules }), 400);
      expect(error.fieldErrors?.rules?.join(" "), String(rules)).toMatch(message);
    }
    // Nothing was saved by the refusals.
    expect((await groupMapping(t().db)).rules).toHaveLength(3);
  });

  it("setGroupMapping: two admins saving at once both commit, whole; the last one stands and both are audited", async () => {
    const before = await t().db.select().from(auditEvents).where(eq(auditEvents.action, "sso.group_mapping_updated"));
    const ctx = await admin();
    const mine = "gl-admins: admin\nml-leads: ml_lead, team Fraud\nfraud-managers: manager, team Fraud";
    const { ok, statuses } = await race([
      () => setGroupMapping(ctx, { rules: mine }),
      () => setGroupMapping(ctx, { rules: [{ group: "gl-admins", roles: ["admin"] }, ...[]] }),
    ]);
    expect(statuses).toEqual([]);
    const saved = await groupMapping(t().db);
    expect(ok.map((m) => JSON.stringify(m))).toContain(JSON.stringify(saved));
    const after = await t().db.select().from(auditEvents).where(eq(auditEvents.action, "sso.group_mapping_updated"));
    expect(after.length - before.length).toBe(2);
    await setGroupMapping(ctx, { rules: mine }); // the rules the sign-ins below use
  });

  it("a first SSO sign-in creates a requester, and the directory's groups add the mapped role and team", async () => {
    const { landed, session } = await ssoSignIn({
      sub: "idp-carol",
      email: "Carol@Corp.example",
      name: "Carol Diaz",
      groups: ["ml-leads", "unmapped-group"],
    });
    expect(landed).toBe(`${APP}/inbox`);
    const carol = await userId(t().db, "carol@corp.example");
    expect(await rolesOf(carol)).toEqual(["ml_lead", "requester"]);
    expect(await teamsOf(carol)).toEqual(["Fraud"]);
    expect(session?.user).toMatchObject({ id: carol, email: "carol@corp.example", roles: ["ml_lead", "requester"] });
    expect(session?.user?.teamIds).toHaveLength(1);
    // The code was exchanged with the client's credentials and the PKCE verifier.
    const exchange = idp.tokenRequests.at(-1)!;
    expect(exchange.authorization).toMatch(/^Basic /);
    expect(exchange.body).toMatchObject({
      grant_type: "authorization_code",
      redirect_uri: `${APP}/api/auth/callback/oidc`,
    });
    expect(exchange.body.code_verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    const events = await t().db.select().from(auditEvents).where(eq(auditEvents.entityId, carol));
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["user.created", "user.directory_synced", "auth.signed_in"]),
    );
  });

  it("leaving a group removes its role and team at the next sign-in; roles no rule names stay; requester stays", async () => {
    const carol = await userId(t().db, "carol@corp.example");
    await t().db.insert(userRoles).values({ userId: carol, role: "security" }); // granted by hand
    const { session } = await ssoSignIn({ sub: "idp-carol", email: "carol@corp.example", name: "Carol", groups: [] });
    expect(await rolesOf(carol)).toEqual(["requester", "security"]);
    expect(await teamsOf(carol)).toEqual([]);
    expect(session?.user?.roles).toEqual(["requester", "security"]);
    // One group as a bare string (some providers send that for a single group).
    await ssoSignIn({ sub: "idp-carol", email: "carol@corp.example", name: "Carol", groups: "fraud-managers" });
    expect(await rolesOf(carol)).toEqual(["manager", "requester", "security"]);
    expect(await teamsOf(carol)).toEqual(["Fraud"]);
  });

  it("a token without the groups claim changes nothing (a misconfigured provider must not strip everyone)", async () => {
    const carol = await userId(t().db, "carol@corp.example");
    const before = [await rolesOf(carol), await teamsOf(carol)];
    const { session } = await ssoSignIn({ sub: "idp-carol", email: "carol@corp.example", name: "Carol" });
    expect(session?.user?.id).toBe(carol);
    expect([await rolesOf(carol), await teamsOf(carol)]).toEqual(before);
  });

  it("the last active admin keeps the admin role when the directory stops saying so; another admin does not", async () => {
    const ada = await userId(t().db, "ada@example.com");
    await ssoSignIn({ sub: "idp-ada", email: "ada@example.com", name: "Ada", groups: [] });
    expect(await rolesOf(ada)).toContain("admin");
    const [kept] = await t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, ada), eq(auditEvents.action, "user.directory_synced")));
    expect(kept!.data).toMatchObject({ keptLastAdmin: true });
    // With a second admin from the directory, Ada's admin role follows the directory too.
    await ssoSignIn({ sub: "idp-dan", email: "dan@corp.example", name: "Dan", groups: ["gl-admins"] });
    expect(await rolesOf(await userId(t().db, "dan@corp.example"))).toContain("admin");
    await ssoSignIn({ sub: "idp-ada", email: "ada@example.com", name: "Ada", groups: [] });
    expect(await rolesOf(ada)).not.toContain("admin");
  });

  it("two sign-ins of one person at once both finish, and leave the roles of one of them", async () => {
    const carol = await userId(t().db, "carol@corp.example");
    const person = { sub: "idp-carol", email: "carol@corp.example", name: "Carol" };
    const results = await Promise.all([
      ssoSignIn({ ...person, groups: ["ml-leads"] }),
      ssoSignIn({ ...person, groups: ["ml-leads"] }),
    ]);
    for (const { session } of results) expect(session?.user?.id).toBe(carol);
    expect(await rolesOf(carol)).toEqual(["ml_lead", "requester", "security"]);
    expect(await teamsOf(carol)).toEqual(["Fraud"]);
  });

  // Not tested: a token signed with a foreign key. Auth.js (oauth4webapi) does not check the ID token's
  // signature in the code flow; it trusts the token endpoint's TLS (OpenID Connect Core §3.1.3.7),
  // which is why lib/env.ts refuses an http:// OIDC_ISSUER outside loopback.
  it("an ID token issued to another client is refused: no session, no change", async () => {
    const carol = await userId(t().db, "carol@corp.example");
    const before = await rolesOf(carol);
    idp.misaddressNextToken();
    const { landed, session } = await ssoSignIn({
      sub: "idp-carol",
      email: "carol@corp.example",
      name: "Carol",
      groups: ["gl-admins"],
    });
    expect(landed).toMatch(/\/sign-in\?error=/);
    expect(session?.user).toBeUndefined();
    expect(await rolesOf(carol)).toEqual(before);
  });

  it("a deactivated person cannot sign in through SSO, whatever their groups", async () => {
    const dan = await userId(t().db, "dan@corp.example");
    await t().db.update(users).set({ active: false }).where(eq(users.id, dan));
    const { landed, session } = await ssoSignIn({
      sub: "idp-dan",
      email: "dan@corp.example",
      name: "Dan",
      groups: ["gl-admins"],
    });
    expect(landed).toMatch(/\/sign-in\?error=AccessDenied/);
    expect(session?.user).toBeUndefined();
  });
});
