import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, expect, it, vi } from "vitest";
import { createRequest } from "../../lib/requests/create-request";
import { createToken } from "../../lib/tokens/create-token";
import { ROUTE_ACCESS } from "../support/access";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

// /api/v1/openapi.json against the handlers on disk: the document is valid OpenAPI 3.1 (checked by
// a validator that knows nothing of this code), lists every route handler and nothing else, and
// every operation it documents answers, with a status it documents (problems as problem+json).
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
const handlers = new Map<string, Handler>();
for (const file of walk(path.join(ROOT, "app/api/v1")).filter((f) => path.basename(f) === "route.ts")) {
  const template =
    "/" +
    path
      .relative(ROOT, path.dirname(file))
      .split(path.sep)
      .slice(1)
      .map((s) => s.replace(/^\[([^\]]+)\]$/, "{$1}"))
      .join("/");
  const exports = (await import(file)) as Record<string, unknown>;
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"])
    if (typeof exports[method] === "function") handlers.set(`${method} ${template}`, exports[method] as Handler);
}
const openapiRoute = await import("../../app/api/v1/openapi.json/route");

describeDb("the OpenAPI document", (t) => {
  let doc: Doc;
  let admin: string;
  let number: string;
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
    admin = (await createToken(await as("ada@example.com"), { name: "docs" })).token;
    const created = await createRequest(await as("alice@example.com"), {
      model: "fraud-detector",
      version: "v1",
      environment: "staging",
      title: "A draft for the docs test",
    });
    number = `CR-${created.number}`;
    const response = await openapiRoute.GET();
    expect(response.status).toBe(200);
    doc = (await response.json()) as Doc;
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${template}`, template, op })),
    );

  it("is valid OpenAPI 3.1 to an independent validator", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every route handler on disk, and nothing that is not one", () => {
    expect(handlers.size).toBeGreaterThan(50);
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual([...handlers.keys()].sort());
    // The same set as the access table the permission tests walk.
    expect(Object.keys(ROUTE_ACCESS).sort()).toEqual([...handlers.keys()].sort());
  });

  it("every documented operation answers with a status it documents; problems are problem+json", async () => {
    const sample: Record<string, string> = {
      number,
      name: "fraud-detector",
      version: "v1",
      environment: "staging",
      id: randomUUID(),
      role: "security",
    };
    const seen: string[] = [];
    for (const { key, template, op } of operations()) {
      const [method] = key.split(" ");
      const params: Record<string, string> = {};
      const concrete = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        params[name] = template.startsWith("/api/v1/environments") && name === "name" ? "staging" : sample[name]!;
        return encodeURIComponent(params[name]!);
      });
      const call = (token: string | null) =>
        handlers.get(key)!(
          new Request(`http://localhost${concrete}`, {
            method,
            headers: {
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }),
            },
            body: method === "GET" || method === "DELETE" ? undefined : "{}",
          }),
          { params: Promise.resolve(params) },
        );
      const answer = await call(admin);
      const documented = Object.keys(op.responses);
      expect(documented, `${key} answered ${answer.status}: ${await answer.clone().text()}`).toContain(
        String(answer.status),
      );
      expect(answer.status, key).not.toBe(500);
      const type = answer.headers.get("content-type") ?? "";
      if (answer.status >= 400 && !(key === "GET /api/v1/gate" && answer.status === 403))
        expect(type, key).toBe("application/problem+json");
      seen.push(`${key} ${answer.status}`);
      // Signed out: a documented 401 problem, except for the one public operation.
      const anonymous = await call(null);
      if (op.security?.length === 0) expect(anonymous.status, key).toBe(200);
      else {
        expect(anonymous.status, key).toBe(401);
        expect(documented, key).toContain("401");
      }
    }
    expect(seen.length).toBe(handlers.size);
  });
});
