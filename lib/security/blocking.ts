// Pure: which packages of a request's manifest stop its security step from being approved, and why.
// "Rejected means blocked": a package the security team rejected, or one with a malware record
// nobody has dismissed, cannot ship because someone approved the step without looking at it.

/** One package of the current manifest as the rule needs it. */
export type PackageForBlocking = {
  name: string;
  version: string | null;
  decision: "pending" | "approved" | "rejected";
  /** Malware record ids on it that no active allowlist entry ignores. */
  openMalware: readonly string[];
};

export type BlockingPackage = {
  name: string;
  version: string | null;
  why: "rejected" | "malware" | "undecided";
  ids: string[];
};

/**
 * No policy option asks for every package to be decided yet, so undecided packages block only when
 * a caller passes `requireAllDecided`; the default leaves them to the person deciding the step.
 */
export function blockingPackages(
  packages: readonly PackageForBlocking[],
  options: { requireAllDecided?: boolean } = {},
): BlockingPackage[] {
  const out: BlockingPackage[] = [];
  for (const p of packages) {
    if (p.decision === "rejected") out.push({ name: p.name, version: p.version, why: "rejected", ids: [] });
    // Approving a package is the security team's decision on it with its findings in view, so it
    // settles a malware record the same way an ignore entry does.
    else if (p.decision !== "approved" && p.openMalware.length)
      out.push({ name: p.name, version: p.version, why: "malware", ids: [...new Set(p.openMalware)].sort() });
    else if (options.requireAllDecided && p.decision === "pending")
      out.push({ name: p.name, version: p.version, why: "undecided", ids: [] });
  }
  return out;
}

const SHOWN = 10;

/** "numpy 1.0 is rejected; reqeusts 2.31.0 has an open malware record (MAL-2024-4312); 3 packages are undecided" */
export function describeBlocking(blocking: readonly BlockingPackage[]): string {
  const label = (b: BlockingPackage) => (b.version ? `${b.name} ${b.version}` : b.name);
  const named = blocking.filter((b) => b.why !== "undecided");
  const parts = named
    .slice(0, SHOWN)
    .map((b) =>
      b.why === "rejected"
        ? `${label(b)} is rejected`
        : `${label(b)} has ${b.ids.length > 1 ? "open malware records" : "an open malware record"} (${b.ids.join(", ")})`,
    );
  if (named.length > SHOWN) parts.push(`${named.length - SHOWN} more packages are rejected or flagged as malware`);
  const undecided = blocking.length - named.length;
  if (undecided) parts.push(undecided === 1 ? "1 package is undecided" : `${undecided} packages are undecided`);
  return parts.join("; ");
}
