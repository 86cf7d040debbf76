import type { Environment, RequestKind, Risk, RiskFactor } from "@/db/schema/requests";
import { formatMoney } from "../cba/money";
import type { ManifestRiskFacts } from "../security/risk-facts";

// Pure: a request's risk is what its requester declared OR what the facts say, whichever is higher.
// Policies match on the result (lib/policies/chain.ts), so declaring "low" cannot route a production
// change with a malware package around the high-risk policy.

export type RiskFacts = {
  declared: Risk;
  kind: RequestKind;
  environment: Environment;
  /** The environment is protected (db/schema/environments.ts): production, by default. */
  protectedEnvironment: boolean;
  emergency: boolean;
  cost: { currency: string | null; totalMinor: number | null };
  /** At or over this total (same currency only) a request is high risk: getEnv().riskHighCost. */
  highCost: { minor: number; currency: string };
  /** What the current manifest says (lib/security/risk-facts.ts); null without a manifest. */
  // Only the facts that weigh on risk; the rest (lib/security/risk-facts.ts) is for policy conditions.
  dependencies: Pick<ManifestRiskFacts, "newToOrg" | "vulnerable" | "deniedLicence" | "malware"> | null;
};

export type AssessedRisk = { risk: Risk; factors: RiskFactor[] };

const ORDER: Record<Risk, number> = { low: 0, medium: 1, high: 2 };
export const higherRisk = (a: Risk, b: Risk): Risk => (ORDER[a] >= ORDER[b] ? a : b);
export const isHigherRisk = (a: Risk, b: Risk): boolean => ORDER[a] > ORDER[b];

/** "a, b and c", or the first three and how many more. */
function some(names: readonly string[]): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, 3);
  if (unique.length > 3) return `${shown.join(", ")} and ${unique.length - 3} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : (shown[0] ?? "");
}

/** Every fact that says something about the risk, each with the level it calls for. */
export function riskFactors(facts: RiskFacts): RiskFactor[] {
  const found: RiskFactor[] = [];
  if (facts.kind === "deployment" && facts.protectedEnvironment)
    found.push({ fact: `a deployment to a protected environment (${facts.environment})`, risk: "medium" });
  if (facts.emergency) found.push({ fact: "an emergency change", risk: "high" });
  const { currency, totalMinor } = facts.cost;
  // Amounts in different currencies are never compared: a threshold in USD says nothing about EUR.
  if (currency === facts.highCost.currency && totalMinor !== null && totalMinor >= facts.highCost.minor) {
    found.push({
      fact: `a total cost at or over ${formatMoney(facts.highCost.minor, currency)}`,
      risk: "high",
      detail: formatMoney(totalMinor, currency),
    });
  }
  const deps = facts.dependencies;
  if (deps) {
    if (deps.malware.length)
      found.push({
        fact: deps.malware.length === 1 ? "a package with a malware record" : "packages with malware records",
        risk: "high",
        detail: some(deps.malware),
      });
    if (deps.vulnerable.length)
      found.push({
        fact: "an open vulnerability rated high or critical",
        risk: "high",
        detail: some(deps.vulnerable.map((v) => `${v.name} ${v.id}`)),
      });
    if (deps.deniedLicence.length)
      found.push({
        fact: "a denied licence",
        risk: "high",
        detail: some(deps.deniedLicence.map((d) => (d.licence ? `${d.name} ${d.licence}` : d.name))),
      });
    if (deps.newToOrg.length)
      found.push({
        fact: deps.newToOrg.length === 1 ? "a package new to the organisation" : "packages new to the organisation",
        risk: "medium",
        detail: some(deps.newToOrg),
      });
  }
  return found;
}

/** The highest of the declared risk and what the facts say, with every fact that applies. */
export function effectiveRisk(facts: RiskFacts): AssessedRisk {
  const factors = riskFactors(facts);
  return { risk: factors.reduce<Risk>((r, f) => higherRisk(r, f.risk), facts.declared), factors };
}

const LEVEL: Record<Risk, string> = { low: "Low", medium: "Medium", high: "High" };
const factorInWords = (f: RiskFactor) => (f.detail ? `${f.fact} (${f.detail})` : f.fact);

/**
 * What the request page says when the facts raised the risk above the declared one, naming the facts
 * that set the level: "High risk: a package with a malware record (evil-pkg); declared low". null
 * when the declared risk stands.
 */
export function riskRaisedBy(assessed: { risk: Risk; declared: Risk; factors: readonly RiskFactor[] }): string | null {
  if (!isHigherRisk(assessed.risk, assessed.declared)) return null;
  const raising = assessed.factors.filter((f) => f.risk === assessed.risk).map(factorInWords);
  return `${LEVEL[assessed.risk]} risk: ${raising.join("; ")}; declared ${assessed.declared}`;
}
