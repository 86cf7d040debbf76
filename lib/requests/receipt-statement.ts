import { verifyEnvelope, type DsseEnvelope } from "../signing/dsse";
import type { VerifyingKey } from "../signing/ed25519";

// An approval receipt is an in-toto Statement v1 (https://in-toto.io/Statement/v1) whose subject is
// the approved artifact (name and sha256) and whose predicate says who approved it, under which
// policies, for where, until when. It travels in a DSSE envelope (lib/signing/dsse.ts), so CI can
// check offline that "yes" was said for exactly these bytes.

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const RECEIPT_PREDICATE_TYPE = "https://greenlight.dev/approval-receipt/v1";
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

const DIGEST = /^sha256:([0-9a-f]{64})$/;

export type ReceiptDecision = {
  step: string;
  role: string;
  decision: string;
  by: { email: string; name: string | null };
  onBehalfOf: { email: string; name: string | null } | null;
  at: string;
};

export type ReceiptPredicate = {
  request: {
    number: string;
    revision: number;
    title: string;
    kind: string;
    environment: string;
    emergency: boolean;
  };
  model: {
    name: string;
    version: string;
    gitCommit: string | null;
    trainingRunId: string | null;
    dataset: { name: string; version: string };
  };
  decisions: ReceiptDecision[];
  autoPassed: { step: string; role: string; reason: string | null }[];
  policies: { id: string; name: string; version: number }[];
  costBenefit: { currency: string | null; totalCostMinor: number | null; npvExpected: string | null } | null;
  dependencyReview: {
    manifestSha256: string;
    fileName: string;
    packages: number;
    decisions: Record<string, number>;
  } | null;
  issuer: string;
  issuedAt: string;
  expiresAt: string | null;
};

export type ReceiptStatement = {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: typeof RECEIPT_PREDICATE_TYPE;
  predicate: ReceiptPredicate;
};

/** The statement for an approved model version; its artifact digest is "sha256:<hex>". */
export function receiptStatement(artifactDigest: string, predicate: ReceiptPredicate): ReceiptStatement {
  const hex = DIGEST.exec(artifactDigest)?.[1];
  if (!hex) throw new Error(`not a sha256 artifact digest: ${artifactDigest}`);
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: `${predicate.model.name}@${predicate.model.version}`, digest: { sha256: hex } }],
    predicateType: RECEIPT_PREDICATE_TYPE,
    predicate,
  };
}

/** The exact bytes signed: the statement as JSON (UTF-8). DSSE signs bytes, so no canonical form is needed. */
export function statementBytes(statement: ReceiptStatement): Buffer {
  return Buffer.from(JSON.stringify(statement), "utf8");
}

export type ReceiptCheck =
  { ok: true; statement: ReceiptStatement; keyId: string; digest: string } | { ok: false; problem: string };

/**
 * What `receipt verify` checks, offline: a signature from a trusted key over the envelope, an
 * in-toto Statement of Greenlight's receipt type inside, the subject's digest equal to the one
 * expected (when given), and not expired at `now`. Revocation needs the server's list
 * (GET /api/v1/receipts/revoked); a receipt cannot say it was withdrawn.
 */
export function checkReceipt(
  envelope: unknown,
  trusted: readonly VerifyingKey[],
  options: { digest?: string; now: Date },
): ReceiptCheck {
  const signed = verifyEnvelope(envelope, trusted);
  if (!signed.ok) return signed;
  if ((envelope as DsseEnvelope).payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { ok: false, problem: `the payload type is not ${IN_TOTO_PAYLOAD_TYPE}` };
  }
  let statement: ReceiptStatement;
  try {
    statement = JSON.parse(signed.body.toString("utf8")) as ReceiptStatement;
  } catch {
    return { ok: false, problem: "the payload is not JSON" };
  }
  if (statement?._type !== STATEMENT_TYPE) return { ok: false, problem: `not an in-toto Statement v1` };
  if (statement.predicateType !== RECEIPT_PREDICATE_TYPE) {
    return { ok: false, problem: `the predicate type is not ${RECEIPT_PREDICATE_TYPE}` };
  }
  const hex = statement.subject?.[0]?.digest?.sha256;
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex))
    return { ok: false, problem: "the subject has no sha256 digest" };
  const digest = `sha256:${hex}`;
  if (options.digest !== undefined && options.digest !== digest) {
    return { ok: false, problem: `the receipt approves ${digest}, not ${options.digest}` };
  }
  const expiresAt = statement.predicate?.expiresAt;
  if (expiresAt && !(new Date(expiresAt).getTime() > options.now.getTime())) {
    return { ok: false, problem: `the approval expired at ${expiresAt}` };
  }
  return { ok: true, statement, keyId: signed.keyId, digest };
}
