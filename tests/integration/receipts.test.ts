import { createHash, createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { receipts, signingKeys } from "../../db/schema";
import { registerVersion } from "../../lib/models/register-version";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { expireApprovals } from "../../lib/requests/expire-approvals";
import { gate } from "../../lib/requests/gate";
import { readRequestPage } from "../../lib/requests/read-request-page";
import { checkReceipt } from "../../lib/requests/receipt-statement";
import { revokeRequest } from "../../lib/requests/revoke-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { withdrawRequest } from "../../lib/requests/withdraw-request";
import { keysFromJwks } from "../../lib/signing/dsse";
import { publishedKeys, receiptJwks } from "../../lib/signing/published-keys";
import { rotateSigningKey } from "../../lib/audit/rotate-signing-key";
import { systemActor } from "../../lib/auth/actor";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, artifactDigestOf, seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

const receiptRoute = await import("../../app/api/v1/requests/[number]/receipt/route");
const keysRoute = await import("../../app/api/v1/receipts/keys/route");
const revokedRoute = await import("../../app/api/v1/receipts/revoked/route");
const gateRoute = await import("../../app/api/v1/gate/route");
const versionsRoute = await import("../../app/api/v1/models/[name]/versions/route");
const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/x", opts);

type Envelope = { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };

/**
 * A verifier written from the specs alone, sharing nothing with the product's code: DSSE protocol v1
 * (PAE over the payload type and the decoded payload bytes, an Ed25519 signature over it), the in-toto
 * Statement v1 layout, and RFC 8037 JWKs imported with node:crypto. It returns the statement, or throws.
 */
function independentlyVerify(envelope: Envelope, jwks: { keys: JsonWebKey[] }, digest: string) {
  const body = Buffer.from(envelope.payload, "base64");
  const type = Buffer.from(envelope.payloadType, "utf8");
  const message = Buffer.concat([
    Buffer.from("DSSEv1 "),
    Buffer.from(String(type.byteLength)),
    Buffer.from(" "),
    type,
    Buffer.from(" "),
    Buffer.from(String(body.byteLength)),
    Buffer.from(" "),
    body,
  ]);
  const good = envelope.signatures.some(({ sig }) =>
    jwks.keys.some((jwk) => {
      if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519") return false;
      const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x! }, format: "jwk" });
      return verify(null, message, key, Buffer.from(sig, "base64"));
    }),
  );
  if (!good) throw new Error("no signature verifies");
  if (envelope.payloadType !== "application/vnd.in-toto+json") throw new Error("not an in-toto payload");
  const statement = JSON.parse(body.toString("utf8"));
  if (statement._type !== "https://in-toto.io/Statement/v1") throw new Error("not a Statement v1");
  const [algorithm, hex] = digest.split(":");
  if (!statement.subject.some((s: { digest: Record<string, string> }) => s.digest[algorithm!] === hex))
    throw new Error("subject digest differs");
  return statement;
}

describeDb("signed approval receipts", (t) => {
  let token: string;
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    // A version registered before digests were recorded: it may go to staging, never to production.
    await registerVersion(await as("alice@example.com"), {
      model: "fraud-detector",
      version: "legacy",
      sourceUri: "s3://m/legacy",
      framework: "xgboost",
      hyperparameters: {},
      datasetName: "tx",
      datasetVersion: "1",
      metrics: {},
    });
    token = (await createToken(await as("bob@example.com"), { name: "ci" })).token;
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const file = async (version: string, environment: "staging" | "production") =>
    (
      await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version,
        environment,
        title: `Deploy ${version} to ${environment}`,
      })
    ).number;
  /** Staging takes one ML lead's approval. */
  const approvedStaging = async (version: string) => {
    const number = await file(version, "staging");
    await submitRequest(await as("alice@example.com"), { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    return number;
  };
  const fetchReceipt = (number: number) => call(receiptRoute.GET, { token, params: { number: String(number) } });
  const jwks = async () => (await call(keysRoute.GET, { token })).body as { keys: JsonWebKey[] };
  const receiptRows = async (number: number) =>
    t()
      .sql`select r.revision, r.revoked_at, r.revoked_reason from receipts r join change_requests c on c.id = r.request_id where c.number = ${number} order by r.revision`;

  it("register: artifactDigest is recorded and returned; a malformed one is a 400 at the field; others' models refused", async () => {
    const digest = `sha256:${"1".repeat(64)}`;
    const alice = (await createToken(await as("alice@example.com"), { name: "alice-ci" })).token;
    const body = (version: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        version,
        sourceUri: `s3://m/${version}`,
        framework: "xgboost",
        hyperparameters: {},
        datasetName: "tx",
        datasetVersion: "1",
        metrics: {},
        ...extra,
      });
    const made = await call(versionsRoute.POST, {
      token: alice,
      method: "POST",
      params: { name: "fraud-detector" },
      body: body("d1", { artifactDigest: digest, trainingRunId: "run-42", gitCommit: "abc1234" }),
    });
    expect(made).toMatchObject({
      status: 201,
      body: { artifactDigest: digest, trainingRunId: "run-42", gitCommit: "abc1234" },
    });
    const listed = await call(versionsRoute.GET, { token, params: { name: "fraud-detector" } });
    expect(listed.body.versions.find((v: { version: string }) => v.version === "d1")).toMatchObject({
      artifactDigest: digest,
    });
    const bad = await call(versionsRoute.POST, {
      token: alice,
      method: "POST",
      params: { name: "fraud-detector" },
      body: body("d2", { artifactDigest: `sha256:${"A".repeat(64)}` }),
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { errors: { artifactDigest: [expect.stringContaining("sha256:")] } },
    });
    const refused = await call(versionsRoute.POST, {
      token, // bob: another team's model
      method: "POST",
      params: { name: "fraud-detector" },
      body: body("d3", { artifactDigest: digest }),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    // Immutable: the table refuses an update of the digest.
    await expect(t().sql`update model_versions set artifact_digest = null where version = 'd1'`).rejects.toThrow();
  });

  it("a production request for a version with no digest is refused at submit, naming why", async () => {
    const number = await file("legacy", "production");
    const refused = await expectStatus(submitRequest(await as("alice@example.com"), { number }), 409);
    expect(refused.message).toContain("fraud-detector legacy has no recorded artifact digest");
    expect((await t().sql`select status from change_requests where number = ${number}`)[0]).toMatchObject({
      status: "draft",
    });
  });

  it("an approved request gets a receipt an independent verifier accepts: DSSE over PAE, Statement v1, the digest", async () => {
    const number = await approvedStaging("v1");
    const res = await fetchReceipt(number);
    expect(res.status).toBe(200);
    expect(res.headers.get("greenlight-receipt-state")).toBe("valid");
    const envelope = res.body as Envelope;
    expect(Object.keys(envelope).sort()).toEqual(["payload", "payloadType", "signatures"]);
    const statement = independentlyVerify(envelope, await jwks(), artifactDigestOf("v1"));
    expect(statement).toMatchObject({
      subject: [{ name: "fraud-detector@v1", digest: { sha256: artifactDigestOf("v1").slice(7) } }],
      predicateType: "https://greenlight.dev/approval-receipt/v1",
      predicate: {
        request: { number: `CR-${number}`, revision: 1, environment: "staging" },
        decisions: [{ by: { email: "lee@example.com" }, role: "ml_lead", decision: "approve", onBehalfOf: null }],
        policies: [expect.objectContaining({ name: expect.any(String), version: expect.any(Number) })],
        expiresAt: expect.any(String),
      },
    });
    const [row] = await t().sql`select approval_expires_at from change_requests where number = ${number}`;
    expect(new Date(statement.predicate.expiresAt).getTime()).toBe(new Date(row!.approval_expires_at).getTime());

    // Tampered payload, tampered signature, a key nobody published: refused by the same verifier.
    const forged = JSON.parse(Buffer.from(envelope.payload, "base64").toString());
    forged.subject[0].digest.sha256 = "0".repeat(64);
    const tampered = { ...envelope, payload: Buffer.from(JSON.stringify(forged)).toString("base64") };
    const published = await jwks();
    expect(() => independentlyVerify(tampered, published, "sha256:" + "0".repeat(64))).toThrow("no signature");
    const sig = Buffer.from(envelope.signatures[0]!.sig, "base64");
    sig[10] = sig[10]! ^ 0xff;
    const badSig = { ...envelope, signatures: [{ ...envelope.signatures[0]!, sig: sig.toString("base64") }] };
    expect(() => independentlyVerify(badSig, published, artifactDigestOf("v1"))).toThrow("no signature");
    const stranger = { keys: [{ kty: "OKP", crv: "Ed25519", x: Buffer.alloc(32, 7).toString("base64url") }] };
    expect(() => independentlyVerify(envelope, stranger, artifactDigestOf("v1"))).toThrow("no signature");
    // The product's own check agrees.
    const trusted = keysFromJwks(published);
    expect(checkReceipt(envelope, trusted, { digest: artifactDigestOf("v1"), now: new Date() })).toMatchObject({
      ok: true,
    });
    expect(checkReceipt(tampered, trusted, { now: new Date() })).toMatchObject({ ok: false });
    expect(checkReceipt(envelope, trusted, { digest: artifactDigestOf("v2"), now: new Date() })).toMatchObject({
      ok: false,
    });

    // The download link on the request page serves the same envelope as a file.
    const page = await readRequestPage(await as("alice@example.com"), { number: String(number) });
    expect(page.receipt).toMatchObject({ href: `/api/v1/requests/${number}/receipt?download=1`, state: "valid" });
    const download = await call(receiptRoute.GET, { token, params: { number: String(number) }, query: "?download=1" });
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="CR-${number}-r1.receipt.json"`);
    expect(download.body).toEqual(envelope);
  });

  it("the production chain's receipt lists every decision and the policy versions", async () => {
    const number = await file("v3", "production");
    await submitRequest(await as("alice@example.com"), { number });
    await decide(await as("maya@example.com"), { number, decision: "approve" });
    await decide(await as("sam@example.com"), { number, decision: "approve" });
    expect((await fetchReceipt(number)).status).toBe(404); // not approved yet
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    const statement = independentlyVerify((await fetchReceipt(number)).body, await jwks(), artifactDigestOf("v3"));
    expect(statement.predicate.decisions.map((d: { by: { email: string } }) => d.by.email)).toEqual([
      "maya@example.com",
      "sam@example.com",
      "lee@example.com",
    ]);
    expect(statement.predicate.request.environment).toBe("production");
  });

  it("no digest, no receipt: a 404 problem and the request page say why", async () => {
    const number = await approvedStaging("legacy");
    const res = await fetchReceipt(number);
    expect(res).toMatchObject({ status: 404, type: "application/problem+json" });
    expect(res.body.detail).toContain("fraud-detector legacy has no recorded artifact digest");
    const page = await readRequestPage(await as("alice@example.com"), { number: String(number) });
    expect(page.receipt).toBeNull();
    expect(page.noReceipt).toContain("no recorded artifact digest");
    expect((await call(receiptRoute.GET, { token, params: { number: "999999" } })).status).toBe(404);
    expect((await call(receiptRoute.GET, { params: { number: String(number) } })).status).toBe(401);
  });

  it("gate by digest: the approved digest opens it; another is 403 naming both; none keeps today's answer", async () => {
    const number = await approvedStaging("v2");
    const ask = (query: Record<string, string>) =>
      call(gateRoute.GET, {
        token,
        query: `?${new URLSearchParams({ model: "fraud-detector", environment: "staging", ...query })}`,
      });
    const right = await ask({ version: "v2", digest: artifactDigestOf("v2") });
    expect(right).toMatchObject({
      status: 200,
      body: { allowed: true, approvedDigest: artifactDigestOf("v2"), request: { number: `CR-${number}` } },
    });
    const wrong = `sha256:${"e".repeat(64)}`;
    const mismatch = await ask({ version: "v2", digest: wrong });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.reason).toContain(wrong);
    expect(mismatch.body.reason).toContain(artifactDigestOf("v2"));
    expect(await ask({ version: "v2" })).toMatchObject({
      status: 200,
      body: { allowed: true, approvedDigest: artifactDigestOf("v2") },
    });
    const legacy = await gate(t().db, {
      model: "fraud-detector",
      version: "legacy",
      environment: "staging",
      digest: wrong,
    });
    expect(legacy).toEqual({
      allowed: false,
      reason: `fraud-detector legacy has no recorded artifact digest, so no approval covers ${wrong}.`,
      waiting: false,
    });
    expect(await gate(t().db, { model: "fraud-detector", version: "legacy", environment: "staging" })).toMatchObject({
      allowed: true,
      approvedDigest: null,
    });
    expect((await ask({ version: "v2", digest: "sha256:nothex" })).status).toBe(400);
  });

  it("revoked, withdrawn, expired or superseded: the receipt is marked and listed as revoked", async () => {
    const revoked = await approvedStaging("v4");
    await revokeRequest(await as("lee@example.com"), { number: revoked, reason: "Found a data leak." });
    expect((await fetchReceipt(revoked)).headers.get("greenlight-receipt-state")).toBe("revoked");
    const withdrawn = await approvedStaging("v5");
    await withdrawRequest(await as("alice@example.com"), { number: withdrawn });
    const lapsed = await approvedStaging("v6");
    await expireApprovals(t().db, new Date(Date.now() + 400 * 86_400_000));
    const revised = await approvedStaging("v7");
    await updateRequest(await as("alice@example.com"), { number: revised, title: "Deploy v7, retitled" });
    expect(await receiptRows(revised)).toMatchObject([
      { revision: 1, revoked_reason: "approvals reset by revision 2" },
    ]);
    await decide(await as("lee@example.com"), { number: revised, decision: "approve" });
    expect(await receiptRows(revised)).toMatchObject([{ revision: 1 }, { revision: 2, revoked_at: null }]);
    const list = (await call(revokedRoute.GET, { token })).body.receipts as {
      request: string;
      reason: string;
      digest: string;
    }[];
    const reason = (n: number) => list.find((r) => r.request === `CR-${n}`);
    expect(reason(revoked)).toMatchObject({
      digest: artifactDigestOf("v4"),
      reason: "approval revoked: Found a data leak.",
      revokedAt: expect.any(String),
    });
    expect(reason(withdrawn)).toMatchObject({ reason: "withdrawn by the requester" });
    expect(reason(lapsed)).toMatchObject({ reason: "approval expired", expiredAt: expect.any(String) });
    expect(reason(revised)).toMatchObject({ revision: 1, reason: "approvals reset by revision 2" });
  });

  it("concurrent approvals issue one receipt; concurrent revokes mark it once", async () => {
    const leads = await addPeople(t().db, "rlead", 6, "ml_lead");
    const number = await file("v8", "staging");
    await submitRequest(await as("alice@example.com"), { number });
    const actors = await Promise.all(leads.map((e) => as(e)));
    const { ok, statuses } = await race(actors.map((a) => () => decide(a, { number, decision: "approve" })));
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual(Array(5).fill(409));
    expect(await receiptRows(number)).toHaveLength(1);
    const revokes = await race(actors.map((a) => () => revokeRequest(a, { number, reason: "race" })));
    expect(revokes.ok).toHaveLength(1);
    expect(await receiptRows(number)).toMatchObject([{ revoked_reason: "approval revoked: race" }]);
    // A refused actor changes nothing: alice may not revoke.
    await expectStatus(revokeRequest(await as("alice@example.com"), { number, reason: "mine" }), 403);
  });

  it("rotate-key: the new key signs, the old one stays in the JWKS and still verifies what it signed", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-rotate-"));
    const keyFile = path.join(dir, "signing-key.pem");
    const before = (await publishedKeys(t().db)).map((k) => k.keyId);
    const first = await rotateSigningKey(t().db, systemActor("test"), new Date(), keyFile);
    const second = await rotateSigningKey(t().db, systemActor("test"), new Date(), keyFile);
    expect(second.retired.keyId).toBe(first.current.keyId);
    const kids = (await jwks()).keys.map((k) => (k as { kid: string }).kid);
    expect(kids).toEqual(
      expect.arrayContaining([...before, first.retired.keyId, first.current.keyId, second.current.keyId]),
    );
    const rotations = await t().sql`select data from audit_events where action = 'signing_key.rotated' order by seq`;
    expect(rotations.map((r) => r.data)).toEqual([
      { retired: first.retired.keyId, current: first.current.keyId },
      { retired: second.retired.keyId, current: second.current.keyId },
    ]);
    const rows = await t().db.select().from(signingKeys);
    expect(rows.filter((r) => r.retiredAt === null).map((r) => r.keyId)).toEqual([second.current.keyId]);
    // Receipts signed before the rotation still verify against the published set.
    const [old] = await t().db.select().from(receipts).where(eq(receipts.revision, 1)).limit(1);
    expect(checkReceipt(old!.envelope, keysFromJwks(await receiptJwks(t().db)), { now: new Date(0) })).toMatchObject({
      ok: true,
    });
    expect(
      createHash("sha256")
        .update(second.current.publicKey.export({ type: "spki", format: "der" }))
        .digest("hex"),
    ).toBe(second.current.keyId);
  });
});
