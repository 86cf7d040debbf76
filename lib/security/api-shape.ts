import type { DependencyManifest, ManifestProblem, RequestDependency } from "@/db/schema";
import type { DependencyCounts, DependencyFilter, DependencyWindow } from "./dependency-list";

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

/**
 * The request's current manifest (GET /api/v1/requests/{number}/manifest): `dependencies` is one page
 * of the list asked for; `page` says where it sits (with links to its neighbours) and `counts` how many
 * rows every list holds, so a client never needs every page to summarise the manifest.
 */
export function manifestJson({
  request,
  manifest,
  deps,
  counts,
  show,
  page,
}: {
  request: { number: number };
  manifest: DependencyManifest;
  deps: RequestDependency[];
  counts: DependencyCounts;
  show: DependencyFilter;
  page: DependencyWindow;
}) {
  const link = (n: number | null) =>
    n === null
      ? null
      : `/api/v1/requests/${request.number}/manifest?${new URLSearchParams({
          ...(show === "all" ? {} : { show }),
          page: String(n),
          limit: String(page.limit),
        })}`;
  return {
    fileName: manifest.fileName,
    format: manifest.format,
    target: manifest.target,
    advisorySnapshotAt: manifest.advisorySnapshotAt,
    errors: manifest.errors,
    warnings: manifest.warnings,
    dependencies: deps.map(dependencyJson),
    show,
    page: { number: page.number, limit: page.limit, total: page.total, pages: page.pages },
    next: link(page.next),
    previous: link(page.previous),
    counts: {
      dependencies: counts.all,
      undecided: counts.pending,
      newToOrg: counts.new,
      vulnerable: counts.affected,
      licenceIssues: counts.licence,
      withSignals: counts.signals,
      rejected: counts.rejected,
    },
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
