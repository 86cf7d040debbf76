import { analyse } from "../cba/analyse";
import { currencyDigits, fromMinorUnits } from "../cba/money";
import type { ChangeRequest } from "@/db/schema";

/** A request's money side for /api/v1 and the request page: as entered, and evaluated. */
export function requestCost(
  request: Pick<ChangeRequest, "currency" | "totalCostMinor" | "costBenefit" | "provisioning">,
) {
  if (!request.currency) return null;
  const report = request.costBenefit ? analyse(request.costBenefit, request.provisioning) : null;
  const decimal = (minor: number | null) =>
    minor === null ? null : fromMinorUnits(minor, request.currency!).toFixed(currencyDigits(request.currency!));
  return {
    currency: request.currency,
    totalCostMinor: request.totalCostMinor,
    totalCost: decimal(request.totalCostMinor),
    costBenefit: request.costBenefit,
    provisioning: request.provisioning,
    analysis: report,
  };
}
