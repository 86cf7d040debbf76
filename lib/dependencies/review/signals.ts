// Supply-chain signals: facts about how a dependency arrives that deserve a reviewer's eye even when
// no advisory names it. Each is a reason to look, not a finding on its own.
import type { VulnerabilityFinding } from "./match";
import type { TyposquatSuspicion } from "./typosquat";
import type { ReviewedDependency } from "./types";

export type SupplyChainSignalKind = "url_dependency" | "vcs_dependency" | "install_script" | "malware" | "typosquat";

export interface SupplyChainSignal {
  kind: SupplyChainSignalKind;
  detail: string;
}

const REASON_WORDS: Record<TyposquatSuspicion["reason"], string> = {
  distance_1: "one character away from",
  adjacent_swap: "two swapped letters away from",
  hyphen_permutation: "the hyphenated parts of",
  python_variant: "a py/python variant of",
};

/** The signals for one dependency, given its vulnerability findings and its typosquat check. */
export function supplyChainSignals(
  dep: ReviewedDependency,
  findings: readonly VulnerabilityFinding[],
  typosquat: TyposquatSuspicion | null,
): SupplyChainSignal[] {
  const signals: SupplyChainSignal[] = [];
  // Code fetched from an arbitrary URL or repository bypasses the registry, its advisories and its
  // takedowns, and can change under the same reference.
  if (dep.kind === "url") signals.push({ kind: "url_dependency", detail: `installed from ${dep.url ?? "a URL"}` });
  if (dep.kind === "vcs")
    signals.push({ kind: "vcs_dependency", detail: `installed from ${dep.url ?? "a version-control repository"}` });
  // Install scripts run arbitrary code on the machine that installs the package, before any review.
  if (dep.hasInstallScript)
    signals.push({ kind: "install_script", detail: `${dep.name} runs a script when installed` });
  const malwareIds = [
    ...new Set(findings.filter((f) => f.malware && sameDependency(f.dependency, dep)).map((f) => f.primaryId)),
  ].sort();
  if (malwareIds.length > 0) {
    signals.push({ kind: "malware", detail: `reported as a malicious package: ${malwareIds.join(", ")}` });
  }
  if (typosquat) {
    signals.push({
      kind: "typosquat",
      detail: `${dep.normalizedName} is ${REASON_WORDS[typosquat.reason]} the popular ${typosquat.resembles}`,
    });
  }
  return signals;
}

// Callers may pass the whole review's findings; only this dependency's count.
function sameDependency(a: ReviewedDependency, b: ReviewedDependency): boolean {
  return a === b || (a.ecosystem === b.ecosystem && a.normalizedName === b.normalizedName);
}
