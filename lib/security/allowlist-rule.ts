import type { AutoPassOutcome } from "../auto-pass-outcome";
import type { DependencyCoverage } from "./manifest-review";

/**
 * `all_dependencies_allowlisted`: the security step adds nothing when every dependency on the
 * request's manifest is covered by an active allowlist entry and has no open finding.
 */
export function allDependenciesAllowlisted(ctx: { dependencies: DependencyCoverage }): AutoPassOutcome {
  const coverage = ctx.dependencies;
  if (!coverage)
    return {
      passed: false,
      reason: null,
      evidence: { note: "No dependency manifest on the request: the security team reviews it." },
    };
  if (coverage.dependencies === 0)
    return {
      passed: false,
      reason: null,
      evidence: { note: "The manifest lists no dependencies the review could read." },
    };
  if (!coverage.covered) {
    const first = coverage.uncovered.slice(0, 3).map((u) => `${u.name} (${u.why})`);
    const more = coverage.uncovered.length > 3 ? `, and ${coverage.uncovered.length - 3} more` : "";
    return {
      passed: false,
      reason: null,
      evidence: {
        note: `${coverage.uncovered.length} of ${coverage.dependencies} dependencies need review: ${first.join("; ")}${more}.`,
        uncovered: coverage.uncovered.slice(0, 50),
      },
    };
  }
  const n = coverage.dependencies;
  return {
    passed: true,
    reason: `All ${n} ${n === 1 ? "dependency is" : "dependencies are"} on the security allowlist with no open vulnerability (${coverage.usedEntryIds.length} allowlist ${coverage.usedEntryIds.length === 1 ? "entry" : "entries"} used).`,
    evidence: { dependencies: n, allowlistEntries: coverage.usedEntryIds },
  };
}
