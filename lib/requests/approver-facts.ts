import "server-only";
import type { Tx } from "@/db";
import type { ChangeRequest, RequestStep } from "@/db/schema";
import type { ApproverFacts } from "@/emails/parts";
import { listNames } from "@/emails/parts";
import { budgetImpact, type BudgetImpact } from "../budgets/queries";
import { formatMoney } from "../cba/money";
import { currentManifestRecord, dependencyCounts } from "../security/manifest-review";
import { manifestRiskFacts, type ManifestRiskFacts } from "../security/risk-facts";
import { getEnv } from "../env";
import { modelVersionName } from "../models/queries";

/** Names listed per risk line before "and N more": the email is read on a phone. */
const NAMES_PER_LINE = 5;

function someNames(names: readonly string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= NAMES_PER_LINE) return listNames(unique);
  return `${unique.slice(0, NAMES_PER_LINE).join(", ")} and ${unique.length - NAMES_PER_LINE} more`;
}

/** "USD 38,000.00 of 50,000.00 left in Fraud's Nov 2026 budget; USD 26,000.00 after this request." */
export function budgetInWords(impact: BudgetImpact | "no-budget"): string {
  if (impact === "no-budget") return "The team has no budget for this period: nothing to compare the amount with.";
  const { position } = impact;
  const money = (minor: number) => formatMoney(minor, position.currency);
  if (!impact.sameCurrency)
    return `The ${position.label} budget is kept in ${position.currency}, this request in another currency: compare them on the request page.`;
  const left = `${money(position.remainingMinor)} of ${money(position.amountMinor)} left in the ${position.label} budget`;
  const after =
    impact.afterMinor < 0
      ? `approving it overspends by ${money(-impact.afterMinor)}`
      : `${money(impact.afterMinor)} left after this request`;
  return `${left}; ${after}${impact.heldByThisRequest ? " (already held for it)" : ""}.`;
}

/** The risk lines the security team reads first: malware, then vulnerabilities, typosquats, licences, new packages. */
export function risksInWords(facts: ManifestRiskFacts): string[] {
  const lines: string[] = [];
  if (facts.malware.length) lines.push(`Malware: ${someNames(facts.malware)}`);
  if (facts.vulnerable.length)
    lines.push(`High or critical vulnerabilities: ${someNames(facts.vulnerable.map((v) => `${v.name} (${v.id})`))}`);
  if (facts.typosquats.length) lines.push(`Names close to popular packages: ${someNames(facts.typosquats)}`);
  if (facts.deniedLicence.length)
    lines.push(
      `Denied licences: ${someNames(facts.deniedLicence.map((d) => `${d.name} (${d.licence ?? "unknown licence"})`))}`,
    );
  if (facts.newToOrg.length) lines.push(`New to the organisation: ${someNames(facts.newToOrg)}`);
  if (facts.unpinned.length) lines.push(`Not pinned to one version: ${someNames(facts.unpinned)}`);
  return lines;
}

export type ApproverFactsFor = (steps: readonly Pick<RequestStep, "role">[], seesBudget: boolean) => ApproverFacts;

/**
 * Reads, once per notice, what each approver's email states; each recipient then gets the part their
 * steps call for. The amount and budget figures only for those who may see them
 * (lib/budgets/permissions.ts: the team's managers, admins); the manifest only for the security team.
 */
export async function readApproverFacts(
  tx: Tx,
  request: ChangeRequest,
  steps: readonly Pick<RequestStep, "role">[],
  now: Date,
): Promise<ApproverFactsFor> {
  const hasCost = request.totalCostMinor !== null && Boolean(request.currency);
  const security = steps.some((s) => s.role === "security");
  const [version, impact, manifest, risks] = await Promise.all([
    modelVersionName(tx, request.modelVersionId),
    hasCost ? budgetImpact(tx, request, now) : null,
    security ? currentManifestRecord(tx, request.id) : null,
    security ? manifestRiskFacts(tx, request, now) : null,
  ]);
  const counts = manifest ? await dependencyCounts(tx, manifest.id) : null;
  const amount = hasCost ? formatMoney(request.totalCostMinor!, request.currency!) : undefined;
  const packages = !security
    ? undefined
    : manifest && counts
      ? `${counts.all} in ${manifest.fileName}; ${counts.pending ? `${counts.pending} need a decision` : "none needs a decision"}${counts.rejected ? `, ${counts.rejected} rejected` : ""}.`
      : "No manifest uploaded yet.";
  const riskLines = risks ? risksInWords(risks) : [];
  return (mine, seesBudget) => {
    const decidesPackages = mine.some((s) => s.role === "security");
    return {
      version,
      // The ask and the budget together, for those who hold the budget.
      amount: seesBudget ? amount : undefined,
      budget: seesBudget && impact ? budgetInWords(impact) : undefined,
      packages: decidesPackages ? packages : undefined,
      risks: decidesPackages ? riskLines : [],
    };
  };
}

/** Where each approver acts: the security team on the package list, everyone else at the decision form. */
export function actUrl(number: number, steps: readonly Pick<RequestStep, "role">[]): string {
  const base = `${getEnv().appUrl}/requests/${number}`;
  return steps.some((s) => s.role === "security") ? `${base}/dependencies?show=pending` : `${base}#decide`;
}
