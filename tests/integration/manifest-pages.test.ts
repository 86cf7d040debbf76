import type { Session } from "next-auth";
import { beforeAll, expect, it, vi } from "vitest";
import { createRequest } from "../../lib/requests/create-request";
import { VERSION_LIST_LIMIT, readModelPage, readModels, readVersionPage } from "../../lib/models/queries";
import { readDependenciesPage } from "../../lib/requests/read-dependencies";
import { readNewRequestPage } from "../../lib/requests/queries";
import { readRequestPage } from "../../lib/requests/read-request-page";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { callRoute } from "../support/routes";

// Long reads come a page at a time: a manifest of 1,234 packages is read 100 (or up to 500) rows at a
// time, with every list's count from SQL, and a query string that does not parse is a 400.
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

const manifestRoute = await import("../../app/api/v1/requests/[number]/manifest/route");
const versionsRoute = await import("../../app/api/v1/models/[name]/versions/route");

const PACKAGES = 1_234;

describeDb("manifest pages", (t) => {
  let token = "";
  let number = 0;
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    token = (await createToken(alice, { name: "ci" })).token;
    number = (
      await createRequest(alice, { model: "fraud-detector", version: "v1", environment: "staging", title: "Pages" })
    ).number;
    const content = Array.from({ length: PACKAGES }, (_, i) => `pkg-${String(i).padStart(4, "0")}==1.0.${i}`).join(
      "\n",
    );
    const uploaded = await callRoute(manifestRoute.POST, `/api/v1/requests/${number}/manifest`, {
      method: "POST",
      token,
      params: { number: String(number) },
      body: JSON.stringify({ fileName: "requirements.txt", content }),
    });
    expect(uploaded.status).toBe(201);
    // One package decided, so the "Undecided" list is one short of all.
    await t().sql`update request_dependencies set decision = 'rejected' where name = 'pkg-0000'`;
  });
  const read = (query = "") =>
    callRoute(manifestRoute.GET, `/api/v1/requests/${number}/manifest`, {
      token,
      params: { number: String(number) },
      query,
    });

  it("the first page holds 100 rows in manifest order, with the total, the counts and a link to the next", async () => {
    const first = await read();
    expect(first.status).toBe(200);
    expect(first.body.fileName).toBe("requirements.txt");
    expect(first.body.dependencies).toHaveLength(100);
    expect(first.body.dependencies[0].name).toBe("pkg-0000");
    expect(first.body.dependencies[99].name).toBe("pkg-0099");
    expect(first.body.page).toEqual({ number: 1, limit: 100, total: PACKAGES, pages: 13 });
    expect(first.body.show).toBe("all");
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`/api/v1/requests/${number}/manifest?page=2&limit=100`);
    expect(first.body.counts).toEqual({
      dependencies: PACKAGES,
      undecided: PACKAGES - 1,
      newToOrg: PACKAGES,
      vulnerable: 0,
      licenceIssues: 0,
      withSignals: expect.any(Number),
      rejected: 1,
    });
  });

  it("following `next` walks every row once; the last page is short; past the end is empty", async () => {
    const seen = new Set<string>();
    let query: string | null = "?limit=500";
    let pages = 0;
    while (query !== null) {
      const page = await read(query);
      expect(page.status).toBe(200);
      for (const d of page.body.dependencies) seen.add(d.name);
      pages += 1;
      query = page.body.next ? page.body.next.slice(page.body.next.indexOf("?")) : null;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(PACKAGES);
    const last = await read("?page=13");
    expect(last.body.dependencies).toHaveLength(34);
    expect(last.body.next).toBeNull();
    expect(last.body.previous).toBe(`/api/v1/requests/${number}/manifest?page=12&limit=100`);
    const past = await read("?page=14");
    expect(past.status).toBe(200);
    expect(past.body.dependencies).toEqual([]);
    expect(past.body.page.total).toBe(PACKAGES);
  });

  it("a list is filtered in SQL and paged on its own total", async () => {
    const undecided = await read("?show=pending&limit=500");
    expect(undecided.body.page.total).toBe(PACKAGES - 1);
    expect(undecided.body.dependencies[0].name).toBe("pkg-0001");
    expect(undecided.body.next).toBe(`/api/v1/requests/${number}/manifest?show=pending&page=2&limit=500`);
    const vulnerable = await read("?show=affected");
    expect(vulnerable.body.dependencies).toEqual([]);
    expect(vulnerable.body.page).toEqual({ number: 1, limit: 100, total: 0, pages: 1 });
  });

  it("a page, limit or list that does not parse is a 400 naming the field", async () => {
    for (const [query, field] of [
      ["?limit=501", "limit"],
      ["?limit=0", "limit"],
      ["?limit=ten", "limit"],
      ["?page=0", "page"],
      ["?page=1.5", "page"],
      ["?page=-1", "page"],
      ["?show=everything", "show"],
    ] as const) {
      const refused = await read(query);
      expect(refused.status, query).toBe(400);
      expect(refused.type).toBe("application/problem+json");
      expect(Object.keys(refused.body.errors), query).toEqual([field]);
    }
  });

  it("the dependencies page loads one page and forgives a bad query; the request page only counts", async () => {
    const ctx = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    const page = await readDependenciesPage(ctx, { number: String(number), query: { page: "2", limit: "x" } });
    expect(page.current!.deps).toHaveLength(100);
    expect(page.current!.page).toMatchObject({ number: 2, from: 101, to: 200, total: PACKAGES, next: 3, previous: 1 });
    expect(page.current!.counts.pending).toBe(PACKAGES - 1);
    const request = await readRequestPage(ctx, { number: String(number) });
    expect(request.manifest).toEqual({
      fileName: "requirements.txt",
      packages: PACKAGES,
      vulnerable: 0,
      withSignals: expect.any(Number),
      rejected: 1,
    });
  });

  it("the registry reads are bounded: a model's newest versions, each model's newest 20 in the picker", async () => {
    const ctx = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    const model = (await t().sql`select id from models where name = 'fraud-detector'`)[0]!.id as string;
    const author = (await t().sql`select id from users where email = 'alice@example.com'`)[0]!.id as string;
    // Straight into the table: VERSION_LIST_LIMIT + 5 versions through the verb would only be slower.
    await t().sql`
      insert into model_versions (model_id, version, source_uri, framework, hyperparameters, dataset_name,
        dataset_version, metrics, created_by, created_at)
      select ${model}, 'bulk-' || g, 's3://m/bulk-' || g, 'xgboost', '{}'::jsonb, 'tx', '1', '{}'::jsonb, ${author},
        now() + g * interval '1 second'
      from generate_series(1, ${VERSION_LIST_LIMIT + 5}) g`;
    const page = await readModelPage(ctx, { name: "fraud-detector" });
    expect(page.model.versions).toHaveLength(VERSION_LIST_LIMIT);
    expect(page.model.versions[0]!.version).toBe(`bulk-${VERSION_LIST_LIMIT + 5}`);
    expect(page.model.versionCount).toBeGreaterThan(VERSION_LIST_LIMIT + 5);
    // An old version is still found on its own page, though it is not among the newest.
    const old = await readVersionPage(ctx, { name: "fraud-detector", version: "v1" });
    expect(old.current.version).toBe("v1");
    const picker = await readNewRequestPage(ctx);
    const fraud = picker.versions.filter((v) => v.model === "fraud-detector");
    expect(fraud).toHaveLength(20);
    expect(fraud[0]!.version).toBe(`bulk-${VERSION_LIST_LIMIT + 5}`);
    const list = await readModels(ctx);
    expect(list.total).toBe(list.models.length);
    const api = await callRoute(versionsRoute.GET, "/api/v1/models/fraud-detector/versions", {
      token,
      params: { name: "fraud-detector" },
    });
    expect(api.body).toMatchObject({ total: page.model.versionCount, truncated: true });
    expect(api.body.versions).toHaveLength(VERSION_LIST_LIMIT);
  });
});
