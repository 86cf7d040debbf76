import type { Session } from "next-auth";
import { beforeAll, expect, it, vi } from "vitest";
import { createRequest } from "../../lib/requests/create-request";
import { createToken } from "../../lib/tokens/create-token";
import { MANIFEST_LIMITS } from "../../lib/dependencies/manifests/limits";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { callRoute } from "../support/routes";

// Bounded work at the boundary: bodies over a route's limit are refused before they are read, an
// upload too big to review is refused before it is parsed (and only the requester's is parsed at
// all), identical dependency rows are stored once, and figures are bounded in digits and size.
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

const manifestRoute = await import("../../app/api/v1/requests/[number]/manifest/route");
const evaluateRoute = await import("../../app/api/v1/cba/evaluate/route");
const requestsRoute = await import("../../app/api/v1/requests/route");

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join("\n");

describeDb("limits", (t) => {
  const tokens: Record<string, string> = {};
  let number = 0;
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    for (const who of ["alice", "bob"]) {
      const actor = await actorFor(t().db, `${who}@example.com`);
      tokens[who] = (await createToken({ db: t().db, actor }, { name: "ci" })).token;
    }
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    number = (
      await createRequest(alice, { model: "fraud-detector", version: "v1", environment: "staging", title: "Limits" })
    ).number;
  });
  const upload = (body: unknown, token = tokens.alice!) =>
    callRoute(manifestRoute.POST, `/api/v1/requests/${number}/manifest`, {
      method: "POST",
      token,
      params: { number: String(number) },
      body: JSON.stringify(body),
    });
  const stored = async () =>
    Number(
      (
        await t()
          .sql`select count(*)::int as n from request_dependencies d join dependency_manifests m on m.id = d.manifest_id
          join change_requests r on r.id = m.request_id where r.number = ${number}`
      )[0]!.n,
    );

  it("the hostile upload (a 5 MB manifest plus 5 MB of includes) is refused before parsing, nothing stored", async () => {
    const big = lines(125_000, (i) => `pkg-${i}==1.0.${i % 9}`); // about 2.2 MB
    const includes = [1, 2, 3].map((i) => ({ name: `more-${i}.txt`, content: big }));
    const refused = await upload({ fileName: "requirements.txt", content: `-r more-1.txt\n${big}`, includes });
    expect(refused.status).toBe(400);
    expect(refused.type).toBe("application/problem+json");
    expect(refused.body.errors.content[0]).toMatch(
      /^The upload is [\d,]+ characters with its included files; Greenlight reviews at most 8,000,000\.$/,
    );
    const manyLines = await upload({
      fileName: "requirements.txt",
      content: lines(MANIFEST_LIMITS.lines + 1, () => "") + "numpy",
    });
    expect(manyLines.body.errors.content[0]).toMatch(/more than 150,000 lines/);
    expect(await stored()).toBe(0);
  });

  it("a body over the route's limit is a 413 problem, declared or streamed", async () => {
    const declared = await manifestRoute.POST(
      new Request(`http://localhost/api/v1/requests/${number}/manifest`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.alice}`,
          "content-type": "application/json",
          "content-length": String(30_000_000),
        },
        body: "{}",
      }),
      { params: Promise.resolve({ number: String(number) }) as Promise<never> },
    );
    expect(declared.status).toBe(413);
    expect(declared.headers.get("content-type")).toBe("application/problem+json");
    expect((await declared.json()).detail).toBe("The request body is over 24 MB, the limit for this call.");

    // No Content-Length: read up to the limit (1 MB for a filing), then cancelled.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64_000;
        controller.enqueue(new Uint8Array(64_000).fill(32));
      },
    });
    const streamed = await requestsRoute.POST(
      new Request("http://localhost/api/v1/requests", {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
      { params: Promise.resolve({}) as Promise<never> },
    );
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(1_300_000);
  });

  it("someone else's upload is refused before it is parsed; a bad one is a 400, not a 500", async () => {
    const bob = await upload({ fileName: "requirements.txt", content: lines(50_000, (i) => `p${i}==1`) }, tokens.bob);
    expect(bob.status).toBe(403);
    expect((await upload({ fileName: "requirements.txt" })).status).toBe(400);
    expect((await upload({ fileName: "requirements.txt", content: "numpy==1", includes: "no" })).status).toBe(400);
    expect(await stored()).toBe(0);
  });

  it("identical entries are stored once; more distinct entries than the cap is a 400 naming the cap", async () => {
    const same = lines(2_000, () => "numpy==1.26.4");
    const ok = await upload({
      fileName: "requirements.txt",
      content: `-r again.txt\n${same}\npandas==2.2.2`,
      includes: [{ name: "again.txt", content: same }],
    });
    expect(ok.status).toBe(201);
    expect(await stored()).toBeLessThanOrEqual(3); // numpy (as declared here and via the include) and pandas
    const tooMany = await upload({
      fileName: "requirements.txt",
      content: lines(MANIFEST_LIMITS.packages + 1, (i) => `pkg-${i}==1.0`),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.content).toEqual([
      "The manifest lists 5,001 distinct entries; Greenlight reviews at most 5,000 per request. Split the change, or upload the lockfile of one environment.",
    ]);
  });

  it("figures are bounded: a 100-digit number or one past a quadrillion is a field error", async () => {
    const evaluate = (cashFlows: unknown[]) =>
      callRoute(evaluateRoute.POST, "/api/v1/cba/evaluate", {
        method: "POST",
        token: tokens.alice,
        body: JSON.stringify({ currency: "USD", discountRate: "0.1", period: "year", cashFlows }),
      });
    const long = await evaluate(["-100", "9".repeat(100)]);
    expect(long.status).toBe(400);
    expect(long.body.errors["cashFlows.1"]).toEqual([
      "Cash flow has too many digits: use at most 15 before the decimal point and 10 after.",
    ]);
    const huge = await evaluate(["-100", "1e16", 2e15]);
    expect(huge.status).toBe(400);
    expect(huge.body.errors["cashFlows.2"]).toEqual(["Cash flow must be less than 1,000,000,000,000,000 in size."]);
    expect((await evaluate(["-100", "60", "60"])).status).toBe(200);
  });
});
