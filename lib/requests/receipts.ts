import "server-only";
import { createHash } from "node:crypto";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "@/db";
import {
  decisions,
  dependencyManifests,
  models,
  modelVersions,
  monitoringAlertLinks,
  receipts,
  requestDependencies,
  requestSteps,
  users,
  type ChangeRequest,
} from "@/db/schema";
import { analyse } from "../cba/analyse";
import { getEnv } from "../env";
import { isProtectedEnvironment } from "../environments/queries";
import { Conflict } from "../errors";
import { signEnvelope } from "../signing/dsse";
import type { SigningKey } from "../signing/ed25519";
import { loadSigningKey } from "../signing/key-file";
import { publishKey } from "../signing/published-keys";
import {
  IN_TOTO_PAYLOAD_TYPE,
  receiptStatement,
  statementBytes,
  type ReceiptDecision,
  type ReceiptPredicate,
} from "./receipt-statement";

/** The model version a request is about, with what a receipt and the protected-environment rule need. */
export async function artifactOf(tx: Db | Tx, request: Pick<ChangeRequest, "modelVersionId">) {
  if (!request.modelVersionId) return null;
  const [row] = await tx
    .select({
      model: models.name,
      version: modelVersions.version,
      artifactDigest: modelVersions.artifactDigest,
      gitCommit: modelVersions.gitCommit,
      trainingRunId: modelVersions.trainingRunId,
      datasetName: modelVersions.datasetName,
      datasetVersion: modelVersions.datasetVersion,
    })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(modelVersions.id, request.modelVersionId));
  return row ?? null;
}

/**
 * A deployment to a protected environment (production, by default) binds its approval to the artifact's bytes, so the version must say what
 * those bytes are. Checked whenever a chain is taken (submit, and a revision going back to review).
 */
export async function assertDeployableArtifact(tx: Tx, request: ChangeRequest): Promise<void> {
  if (request.kind !== "deployment" || !(await isProtectedEnvironment(tx, request.environment))) return;
  const artifact = await artifactOf(tx, request);
  if (artifact && !artifact.artifactDigest) {
    throw new Conflict(
      `CR-${request.number}: ${artifact.model} ${artifact.version} has no recorded artifact digest, and a deployment to ${request.environment} (a protected environment) is approved for exact bytes. Register the version again under a new label with its artifactDigest (sha256:…); versions are immutable.`,
    );
  }
}

/**
 * Signs the receipt for a request revision that has just been approved, in the approving
 * transaction: the receipt exists exactly when the approval does. A version with no digest gets
 * none (there are no bytes to bind "yes" to); the request page says so.
 */
export async function issueReceipt(
  tx: Tx,
  request: ChangeRequest,
  now: Date,
  key: SigningKey = loadSigningKey(),
): Promise<boolean> {
  if (request.kind !== "deployment") return false;
  // Approving what a monitoring alert opened (a rollback, a retraining) vouches for no artifact.
  const [alerted] = await tx
    .select({ id: monitoringAlertLinks.id })
    .from(monitoringAlertLinks)
    .where(eq(monitoringAlertLinks.requestId, request.id))
    .limit(1);
  if (alerted) return false;
  const artifact = await artifactOf(tx, request);
  if (!artifact?.artifactDigest) return false;
  const predicate: ReceiptPredicate = {
    request: {
      number: `CR-${request.number}`,
      revision: request.revision,
      title: request.title,
      kind: request.kind,
      environment: request.environment,
      emergency: request.emergency,
    },
    model: {
      name: artifact.model,
      version: artifact.version,
      gitCommit: artifact.gitCommit,
      trainingRunId: artifact.trainingRunId,
      dataset: { name: artifact.datasetName, version: artifact.datasetVersion },
    },
    ...(await chainOf(tx, request)),
    costBenefit: costHeadline(request),
    dependencyReview: await dependencyReviewOf(tx, request),
    issuer: getEnv().appUrl,
    issuedAt: now.toISOString(),
    expiresAt: request.approvalExpiresAt?.toISOString() ?? null,
  };
  const envelope = signEnvelope(
    key,
    IN_TOTO_PAYLOAD_TYPE,
    statementBytes(receiptStatement(artifact.artifactDigest, predicate)),
  );
  await publishKey(tx, key, now);
  await tx.insert(receipts).values({
    requestId: request.id,
    revision: request.revision,
    artifactDigest: artifact.artifactDigest,
    envelope,
    keyId: key.keyId,
    expiresAt: request.approvalExpiresAt,
    createdAt: now,
  });
  return true;
}

/** The approval is gone (revoked, expired, withdrawn, superseded): its receipt stops vouching for it. */
export async function revokeReceipts(tx: Tx, requestId: string, reason: string, now: Date): Promise<void> {
  await tx
    .update(receipts)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(receipts.requestId, requestId), isNull(receipts.revokedAt)));
}

async function chainOf(tx: Tx, request: ChangeRequest) {
  const actor = alias(users, "actor");
  const principal = alias(users, "principal");
  const rows = await tx
    .select({
      step: requestSteps.name,
      role: requestSteps.role,
      decision: decisions.decision,
      actorEmail: actor.email,
      actorName: actor.name,
      onBehalfOf: decisions.onBehalfOf,
      principalEmail: principal.email,
      principalName: principal.name,
      at: decisions.createdAt,
    })
    .from(decisions)
    .innerJoin(requestSteps, eq(requestSteps.id, decisions.stepId))
    .innerJoin(actor, eq(actor.id, decisions.actorId))
    .innerJoin(principal, eq(principal.id, decisions.principalId))
    .where(and(eq(decisions.requestId, request.id), eq(decisions.revision, request.revision)))
    .orderBy(asc(decisions.createdAt), asc(decisions.id));
  const steps = await tx
    .select({
      name: requestSteps.name,
      role: requestSteps.role,
      status: requestSteps.status,
      reason: requestSteps.reason,
      policies: requestSteps.policies,
    })
    .from(requestSteps)
    .where(and(eq(requestSteps.requestId, request.id), eq(requestSteps.revision, request.revision)))
    .orderBy(asc(requestSteps.stage), asc(requestSteps.role));
  const policies = new Map<string, { id: string; name: string; version: number }>();
  for (const p of steps.flatMap((s) => s.policies)) policies.set(`${p.id}@${p.version}`, p);
  const decided: ReceiptDecision[] = rows.map((r) => ({
    step: r.step,
    role: r.role,
    decision: r.decision,
    by: { email: r.actorEmail, name: r.actorName },
    onBehalfOf: r.onBehalfOf ? { email: r.principalEmail, name: r.principalName } : null,
    at: r.at.toISOString(),
  }));
  return {
    decisions: decided,
    autoPassed: steps
      .filter((s) => s.status === "auto_passed")
      .map((s) => ({ step: s.name, role: s.role, reason: s.reason })),
    policies: [...policies.values()],
  };
}

function costHeadline(request: ChangeRequest): ReceiptPredicate["costBenefit"] {
  if (!request.costBenefit && request.totalCostMinor === null) return null;
  let npvExpected: string | null = null;
  if (request.costBenefit) {
    try {
      npvExpected =
        analyse(request.costBenefit, request.provisioning).scenarios.find((s) => s.name === "expected")?.npv ?? null;
    } catch {
      npvExpected = null; // an analysis that no longer evaluates still has its stored totals
    }
  }
  return { currency: request.currency, totalCostMinor: request.totalCostMinor, npvExpected };
}

async function dependencyReviewOf(tx: Tx, request: ChangeRequest): Promise<ReceiptPredicate["dependencyReview"]> {
  const [manifest] = await tx
    .select({
      id: dependencyManifests.id,
      fileName: dependencyManifests.fileName,
      content: dependencyManifests.content,
    })
    .from(dependencyManifests)
    .where(and(eq(dependencyManifests.requestId, request.id), eq(dependencyManifests.current, true)));
  if (!manifest) return null;
  const tally = await tx
    .select({ decision: requestDependencies.decision, n: count() })
    .from(requestDependencies)
    .where(eq(requestDependencies.manifestId, manifest.id))
    .groupBy(requestDependencies.decision);
  return {
    manifestSha256: createHash("sha256").update(manifest.content, "utf8").digest("hex"),
    fileName: manifest.fileName,
    packages: tally.reduce((sum, t) => sum + Number(t.n), 0),
    decisions: Object.fromEntries(tally.map((t) => [t.decision, Number(t.n)])),
  };
}
