import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Session } from "next-auth";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { Cancelled } from "../../lib/errors";
import { createRequest } from "../../lib/requests/create-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

// A cancelled upload stops where it can: a client that goes away before or during `prepare` (the
// parse and the online OSV check) stops the OSV calls in flight, and nothing is stored or audited.
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null, osv: "" }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("../../lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/env")>();
  return { ...real, getEnv: () => ({ ...real.getEnv(), osvApiUrl: state.osv || undefined }) };
});

const manifestRoute = await import("../../app/api/v1/requests/[number]/manifest/route");

// A stand-in for api.osv.dev on loopback that holds querybatch open until told to answer (or until
// the caller hangs up), so a test can cancel while prepare is waiting on it.
const seen: string[] = [];
let hold = true;
let arrived: () => void = () => {};
const server: Server = createServer((req, res) => {
  seen.push(`${req.method} ${req.url}`);
  res.on("close", () => {
    if (!res.writableEnded) seen.push("hung up");
  });
  req.resume();
  if (!hold) return void res.setHeader("content-type", "application/json").end(JSON.stringify({ results: [] }));
  arrived();
});

describeDb("cancelled upload", (t) => {
  let token = "";
  let number = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.osv = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.db = t().db;
    await seedRegistry(t().db);
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    token = (await createToken(alice, { name: "ci" })).token;
    number = (
      await createRequest(alice, { model: "fraud-detector", version: "v1", environment: "staging", title: "Cancel" })
    ).number;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const body = JSON.stringify({ fileName: "requirements.txt", content: "numpy==1.26.4\npandas==2.2.2\n" });
  const post = (signal: AbortSignal, headers: Record<string, string> = {}) =>
    manifestRoute.POST(
      new Request(`http://localhost/api/v1/requests/${number}/manifest`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
        body,
        signal,
      }),
      { params: Promise.resolve({ number: String(number) }) },
    );
  const nothingSaved = async () => {
    const [row] = await t().sql`
      select (select count(*)::int from dependency_manifests m join change_requests r on r.id = m.request_id
              where r.number = ${number}) as manifests,
             (select count(*)::int from audit_events where action = 'manifest.uploaded') as audited`;
    return row;
  };

  it("cancelled before prepare: a 499, no OSV call, nothing stored, no audit event", async () => {
    const aborted = new AbortController();
    aborted.abort();
    seen.length = 0;
    const answer = await post(aborted.signal);
    expect(answer.status).toBe(499);
    expect((await answer.json()).code).toBe("cancelled");
    expect(seen).toEqual([]);
    expect(await nothingSaved()).toEqual({ manifests: 0, audited: 0 });
    // The verb on its own, called with a signal already aborted, refuses the same way.
    const ctx = { db: t().db, actor: await actorFor(t().db, "alice@example.com"), signal: aborted.signal };
    await expect(
      uploadManifest(ctx, { number: String(number), fileName: "requirements.txt", content: "numpy==1.26.4" }),
    ).rejects.toBeInstanceOf(Cancelled);
  });

  it("cancelled while OSV is asked: the fetch is aborted, no transaction, nothing stored; the key stays free", async () => {
    hold = true;
    seen.length = 0;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const client = new AbortController();
    const pending = post(client.signal, { "idempotency-key": "cancel-1" });
    await waiting; // prepare is now waiting on querybatch
    client.abort();
    const answer = await pending;
    expect(answer.status).toBe(499);
    await vi.waitFor(() => expect(seen).toEqual(["POST /v1/querybatch", "hung up"]));
    expect(await nothingSaved()).toEqual({ manifests: 0, audited: 0 });
    // The retry with the same Idempotency-Key runs (a cancelled call keeps no answer) and is stored once.
    hold = false;
    const retry = await post(new AbortController().signal, { "idempotency-key": "cancel-1" });
    expect(retry.status).toBe(201);
    expect(await nothingSaved()).toEqual({ manifests: 1, audited: 1 });
  });
});
