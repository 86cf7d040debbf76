import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { decide } from "../../lib/requests/decide";
import { createToken } from "../../lib/tokens/create-token";
import { runCli } from "../support/cli";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { artifactDigestOf, seedRegistry } from "../support/registry";

// The pipeline's commands as a CI runner uses them: a separate process with nothing but
// GREENLIGHT_URL and GREENLIGHT_TOKEN (its DATABASE_URL points nowhere), talking HTTP to a server.
// The test process plays the server: a plain HTTP listener hands each call to the route handlers,
// and decisions are taken meanwhile through the verbs, as people on the request page would.
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const requestsRoute = await import("../../app/api/v1/requests/route");
const requestRoute = await import("../../app/api/v1/requests/[number]/route");
const submitRoute = await import("../../app/api/v1/requests/[number]/submit/route");
const receiptRoute = await import("../../app/api/v1/requests/[number]/receipt/route");
const gateRoute = await import("../../app/api/v1/gate/route");
const ROUTES: [method: string, pattern: RegExp, handler: Handler][] = [
  ["POST", /^\/api\/v1\/requests$/, requestsRoute.POST as Handler],
  ["GET", /^\/api\/v1\/requests\/(?<number>[^/]+)$/, requestRoute.GET as Handler],
  ["POST", /^\/api\/v1\/requests\/(?<number>[^/]+)\/submit$/, submitRoute.POST as Handler],
  ["GET", /^\/api\/v1\/requests\/(?<number>[^/]+)\/receipt$/, receiptRoute.GET as Handler],
  ["GET", /^\/api\/v1\/gate$/, gateRoute.GET as Handler],
];

const cli = runCli;

describeDb("npm run cli -- request / gate (the pipeline's commands, over HTTP)", (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-cli-pipeline-"));
  let http: Server;
  let url: string;
  let requester: Record<string, string>;
  let lead: Record<string, string>;
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    http = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const { pathname } = new URL(req.url!, "http://127.0.0.1");
      const route = ROUTES.find(([method, pattern]) => method === req.method && pattern.test(pathname));
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      const answer = await route[2](
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === "GET" ? undefined : body,
        }),
        { params: Promise.resolve({ ...route[1].exec(pathname)!.groups }) },
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const env = async (email: string) => ({
      GREENLIGHT_URL: url,
      GREENLIGHT_TOKEN: (await createToken(await as(email), { name: "ci" })).token,
      DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
    });
    requester = await env("alice@example.com");
    lead = await env("lee@example.com");
  });
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
  });

  const gateArgs = (version: string, environment = "staging") => [
    "gate",
    "check",
    "--model",
    "fraud-detector",
    "--version",
    version,
    "--environment",
    environment,
  ];
  /** `request create` for a fraud-detector version in staging; the test adds the rest. */
  const createArgs = (version: string) => [
    "request",
    "create",
    "--model",
    "fraud-detector",
    "--version",
    version,
    "--environment",
    "staging",
  ];
  const status = async (number: string) =>
    (await t().sql`select status from change_requests where number = ${Number(number.replace("CR-", ""))}`)[0]!
      .status as string;

  it("files from flags (the number alone on stdout), submits, and the gate waits for the decision, then allows with a receipt", async () => {
    const created = await cli(
      [...createArgs("v1"), "--digest", artifactDigestOf("v1"), "--title", "Ship v1 to staging"],
      requester,
    );
    expect(created.code, created.stderr).toBe(0);
    const number = created.stdout.trim();
    expect(number).toMatch(/^CR-\d+$/);
    expect(created.stderr).toContain(`Filed ${number} as a draft`);
    expect(await status(number)).toBe("draft");

    const draft = await cli(gateArgs("v1"), requester);
    expect(draft).toMatchObject({ code: 1, stdout: `refused: ${number} for fraud-detector v1 in staging is draft.\n` });

    const submitted = await cli(["request", "submit", number], requester);
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toContain(`${number} is in review:`);
    expect(submitted.stdout).toMatch(/stage 1 · .+ \(ml_lead\): pending, 0 of 1 approvals/);

    // The pipeline waits; an ML lead approves four seconds later; the gate opens without a restart.
    const receipt = path.join(dir, "v1.receipt.json");
    const waiting = cli([...gateArgs("v1"), "--wait", "2m", "--interval", "1s", "--receipt", receipt], requester);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await status(number)).toBe("in_review");
    await decide(await as("lee@example.com"), { number: Number(number.slice(3)), decision: "approve" });
    const answered = await waiting;
    expect(answered.code, `${answered.stderr}${answered.stdout}`).toBe(0);
    expect(answered.stderr).toMatch(
      new RegExp(`waiting: ${number} is in review: waiting on .+ \\(0 of 1\\); (2m|1m\\d+s) left`),
    );
    expect(answered.stdout).toBe(
      `allowed: ${number} approves fraud-detector v1 in staging as ${artifactDigestOf("v1")}\n`,
    );
    // The receipt it saved is the signed approval for those bytes.
    const envelope = JSON.parse(readFileSync(receipt, "utf8"));
    expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
    expect(statement.subject[0].digest.sha256).toBe(artifactDigestOf("v1").slice("sha256:".length));
    expect(answered.stderr).toContain(`receipt saved to ${receipt}`);
  });

  it("from a JSON file with --submit; a digest that is not the version's is refused at the field, nothing filed", async () => {
    const file = path.join(dir, "request.json");
    writeFileSync(
      file,
      JSON.stringify({ model: "fraud-detector", version: "v2", environment: "staging", title: "From the file" }),
    );
    const filed = await cli(["request", "create", "--file", file, "--title", "Flags win", "--submit"], requester);
    expect(filed.code, filed.stderr).toBe(0);
    const number = filed.stdout.trim();
    expect(await status(number)).toBe("in_review");
    const [row] = await t().sql`select title from change_requests where number = ${Number(number.slice(3))}`;
    expect(row!.title).toBe("Flags win");

    const before = (await t().sql`select count(*)::int as n from change_requests`)[0]!.n;
    const wrong = `sha256:${"0".repeat(64)}`;
    const refused = await cli(["request", "create", "--file", file, "--digest", wrong], requester);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(
      `refused: fraud-detector v2 records the artifact ${artifactDigestOf("v2")}, not ${wrong}.`,
    );
    const malformed = await cli(["request", "create", "--file", file, "--digest", "sha256:xyz"], requester);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("digest: A digest is sha256: and 64 lowercase hex characters.");
    expect((await t().sql`select count(*)::int as n from change_requests`)[0]!.n).toBe(before);
  });

  it("waits no longer than --wait; a rejection ends the wait at once with the reason", async () => {
    const filed = await cli(createArgs("v3"), requester);
    // No title: the server's field error, exit 1.
    expect(filed.code).toBe(1);
    expect(filed.stderr).toContain("title:");
    const made = await cli([...createArgs("v3"), "--title", "Ship v3", "--submit"], requester);
    const number = made.stdout.trim();
    const started = Date.now();
    const timedOut = await cli([...gateArgs("v3"), "--wait", "3s", "--interval", "1s"], requester);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stdout).toBe(
      `refused: ${number} for fraud-detector v3 in staging is in review. Still undecided after 3s.\n`,
    );
    expect(Date.now() - started).toBeLessThan(20_000);

    const waiting = cli([...gateArgs("v3"), "--wait", "5m", "--interval", "1s"], requester);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await decide(await as("lee@example.com"), { number: Number(number.slice(3)), decision: "reject", comment: "No." });
    const rejected = await waiting;
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toBe(`refused: ${number} for fraud-detector v3 in staging is rejected.\n`);
  });

  it("refused actor, bad token, no server and bad usage: exit 1 for the server's no, 2 when it could not ask", async () => {
    const notRequester = await cli([...createArgs("v4"), "--title", "x y z"], lead);
    expect(notRequester.code).toBe(1);
    expect(notRequester.stderr).toMatch(/^refused: /);

    const badToken = await cli(gateArgs("v4"), { ...requester, GREENLIGHT_TOKEN: "glt_not-a-token" });
    expect(badToken).toMatchObject({ code: 2 });
    expect(badToken.stderr).toContain("refused the token (401)");

    const noServer = await cli(gateArgs("v4"), { GREENLIGHT_URL: "http://127.0.0.1:1", GREENLIGHT_TOKEN: "x" });
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain("cannot reach http://127.0.0.1:1");

    const unset = await cli(gateArgs("v4"), {});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("set GREENLIGHT_URL");

    expect((await cli(["gate", "check", "--model", "fraud-detector"], requester)).stderr).toContain(
      "gate check needs --version, --environment",
    );
    expect((await cli([...gateArgs("v4"), "--wait", "soon"], requester)).code).toBe(2);
    expect((await cli(["request", "submit"], requester)).code).toBe(2);
    // A question the server cannot parse is a usage error too, with the server's field named.
    const badEnvironment = await cli(gateArgs("v4", "no such place!"), requester);
    expect(badEnvironment.code).toBe(2);
    expect(badEnvironment.stderr).toContain("environment");
  });

  it("two pipelines submitting the same draft at once: one sends it, the other is refused, one chain", async () => {
    const made = await cli([...createArgs("v5"), "--title", "Ship v5"], requester);
    const number = made.stdout.trim();
    const runs = await Promise.all([0, 1].map(() => cli(["request", "submit", number], requester)));
    expect(runs.map((r) => r.code).sort(), JSON.stringify([made, ...runs])).toEqual([0, 1]);
    expect(runs.find((r) => r.code === 1)!.stderr).toMatch(/^refused: /);
    const [steps] = await t()
      .sql`select count(*)::int as n from request_steps s join change_requests c on c.id = s.request_id where c.number = ${Number(number.slice(3))}`;
    expect(steps!.n).toBe(1);
  });
});
