import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { refreshFromOsv } from "../../lib/security/refresh-from-osv";
import { describeDb } from "../support/database";

// A stand-in for api.osv.dev on loopback: tests never touch the network.
const record = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/osv/PYSEC-2019-217.json"), "utf8"));
const calls: string[] = [];
let failing = false;
const server: Server = createServer((req, res) => {
  calls.push(`${req.method} ${req.url}`);
  if (failing) return void res.writeHead(503).end();
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/querybatch") {
      const { queries } = JSON.parse(body) as { queries: { package: { name: string }; version: string }[] };
      return void res.end(
        JSON.stringify({
          results: queries.map((q) => ({
            vulns: q.package.name === "jinja2" ? [{ id: record.id, modified: record.modified }] : [],
          })),
        }),
      );
    }
    if (req.url === `/v1/vulns/${record.id}`) return void res.end(JSON.stringify(record));
    res.writeHead(404).end("{}");
  });
});

describeDb("online OSV (only when OSV_API_URL is set)", (t) => {
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const deps = [
    { ecosystem: "PyPI", name: "jinja2", pinnedVersion: "2.9" },
    { ecosystem: "PyPI", name: "numpy", pinnedVersion: "1.26.4" },
    { ecosystem: "PyPI", name: "pandas", pinnedVersion: null },
  ];

  it("asks querybatch for pinned packages, fetches only records it does not hold, and stores them", async () => {
    expect(await refreshFromOsv(t().db, deps, new Date(), undefined)).toEqual({ fetched: 0, problem: null }); // not configured: no call
    expect(calls).toEqual([]);
    expect(await refreshFromOsv(t().db, deps, new Date(), base)).toEqual({ fetched: 1, problem: null });
    expect(calls).toEqual(["POST /v1/querybatch", `GET /v1/vulns/${record.id}`]);
    const stored = await t().sql`select source from advisories where id = ${record.id}`;
    expect(stored[0]!.source).toBe("osv-api");
    calls.length = 0;
    expect(await refreshFromOsv(t().db, deps, new Date(), base)).toEqual({ fetched: 0, problem: null }); // already current
    expect(calls).toEqual(["POST /v1/querybatch"]);
  });

  it("a failing API is reported, never fatal", async () => {
    failing = true;
    const result = await refreshFromOsv(t().db, deps, new Date(), base);
    expect(result.fetched).toBe(0);
    expect(result.problem).toMatch(/503/);
    failing = false;
  });
});
