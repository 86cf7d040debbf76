import type { PolicyConditions } from "@/db/schema/governance";
import { kindInWords } from "../labels";

/** A policy's conditions in words, for the policy list ("Every request" when it has none). */
export function describeConditions(c: PolicyConditions, teamName: (id: string) => string): string {
  const parts: string[] = [];
  if (c.kinds?.length) parts.push(c.kinds.map(kindInWords).join(" or "));
  if (c.environments?.length) parts.push(`to ${c.environments.join(" or ")}`);
  if (c.minRisk) parts.push(`${c.minRisk} risk or higher`);
  if (c.emergency !== undefined) parts.push(c.emergency ? "emergencies only" : "never emergencies");
  if (c.hasCost !== undefined) parts.push(c.hasCost ? "with a cost" : "without a cost");
  if (c.usesChangedColumn !== undefined)
    parts.push(
      c.usesChangedColumn ? "using a column changed since training" : "using no column changed since training",
    );
  if (c.costAtLeast)
    parts.push(`total cost at least ${Number(c.costAtLeast.amount).toLocaleString("en-US")} ${c.costAtLeast.currency}`);
  if (c.teamIds?.length) parts.push(`teams ${c.teamIds.map(teamName).join(", ")}`);
  const signals = dependencySignalsInWords(c);
  if (signals.length) parts.push(`manifests bringing ${signals.join(" or ")}`);
  return parts.length ? `Applies to: ${parts.join(" · ")}` : "Applies to every request";
}

/** The dependency signals a policy routes on, in words ("malware", "a vulnerability rated high or worse"). */
export function dependencySignalsInWords(c: PolicyConditions): string[] {
  const d = c.dependencies;
  if (!d) return [];
  const words: string[] = [];
  if (d.malware) words.push("malware");
  if (d.typosquat) words.push("a possible typosquat");
  if (d.vulnerabilityAtLeast) words.push(`a vulnerability rated ${d.vulnerabilityAtLeast} or worse (or unrated)`);
  if (d.deniedLicence) words.push("a denied licence");
  if (d.newToOrg) words.push("a package new to the organisation");
  if (d.unpinned) words.push("an unpinned requirement");
  return words;
}
