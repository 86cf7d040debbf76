import type { DependencyManifest, ManifestProblem, RequestDependency } from "@/db/schema";

// What /api/v1 shows of a request's dependency manifest: the review, never the stored rows as such.

/** One dependency as declared, with its findings, licence, signals and the security team's decision. */
export function dependencyJson(d: RequestDependency) {
  return {
    id: d.id,
    ecosystem: d.ecosystem,
    name: d.name,
    normalizedName: d.normalizedName,
    spec: d.spec,
    pinnedVersion: d.pinnedVersion,
    kind: d.kind,
    extras: d.extras,
    marker: d.marker,
    markerResult: d.markerResult,
    hashes: d.hashes,
    direct: d.direct,
    line: d.line,
    url: d.url,
    licence: d.licence,
    hasInstallScript: d.hasInstallScript,
    findings: d.findings,
    licenceStatus: d.licenceStatus,
    signals: d.signals,
    newToOrg: d.newToOrg,
    decision: d.decision,
    decisionReason: d.decisionReason,
    decidedAt: d.decidedAt,
  };
}

/** The request's current manifest (GET /api/v1/requests/{number}/manifest). */
export function manifestJson({ manifest, deps }: { manifest: DependencyManifest; deps: RequestDependency[] }) {
  return {
    fileName: manifest.fileName,
    format: manifest.format,
    target: manifest.target,
    advisorySnapshotAt: manifest.advisorySnapshotAt,
    errors: manifest.errors,
    warnings: manifest.warnings,
    dependencies: deps.map(dependencyJson),
  };
}

/** What an upload found (POST /api/v1/requests/{number}/manifest): counts, line problems, whether approvals reset. */
export function manifestUploadJson(r: {
  format: string;
  dependencies: number;
  findings: number;
  signals: number;
  errors: ManifestProblem[];
  warnings: ManifestProblem[];
  request: { revision: number };
  reset: boolean;
}) {
  return {
    format: r.format,
    dependencies: r.dependencies,
    findings: r.findings,
    signals: r.signals,
    errors: r.errors,
    warnings: r.warnings,
    revision: r.request.revision,
    approvalsReset: r.reset,
  };
}
