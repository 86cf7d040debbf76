import type Decimal from "decimal.js";
import { Dec, ZERO } from "./decimal";
import type { Period, ProvisioningLine } from "./types";

const MONTHS_PER_YEAR = 12;

/** What the hourly price is multiplied by: every GPU when priced per GPU-hour, every node otherwise. */
export function billedUnits(line: ProvisioningLine): Decimal {
  return line.priceUnit === "gpu_hour" ? new Dec(line.gpuCount).times(line.nodes) : new Dec(line.nodes);
}

export function lineMonthlyCost(line: ProvisioningLine): Decimal {
  const compute = billedUnits(line).times(line.hoursPerMonth).times(line.pricePerHour);
  const storage = new Dec(line.storageGb).times(line.storagePricePerGbMonth);
  return compute.plus(storage);
}

export function lineTotalCost(line: ProvisioningLine): Decimal {
  return lineMonthlyCost(line).times(line.months);
}

/** How many of the line's months (which run from month 1) fall inside analysis period t. */
function monthsInPeriod(line: ProvisioningLine, period: Period, t: number): number {
  if (period === "month") return t <= line.months ? 1 : 0;
  const first = (t - 1) * MONTHS_PER_YEAR + 1;
  const last = t * MONTHS_PER_YEAR;
  return Math.max(0, Math.min(last, line.months) - first + 1);
}

/**
 * Provisioning cost per analysis period, index 0..horizon. Nothing is bought up front (t = 0 stays zero):
 * machines are paid for as they run. Months beyond the horizon are dropped; the caller warns about them.
 */
export function provisioningCostFlows(lines: readonly ProvisioningLine[], period: Period, horizon: number): Decimal[] {
  const flows: Decimal[] = Array.from({ length: horizon + 1 }, () => ZERO);
  for (const line of lines) {
    const monthly = lineMonthlyCost(line);
    for (let t = 1; t <= horizon; t += 1) {
      const months = monthsInPeriod(line, period, t);
      if (months > 0) flows[t] = (flows[t] ?? ZERO).plus(monthly.times(months));
    }
  }
  return flows;
}

/** Months of the line that the analysis horizon cannot hold. */
export function monthsBeyondHorizon(line: ProvisioningLine, period: Period, horizon: number): number {
  const horizonMonths = period === "month" ? horizon : horizon * MONTHS_PER_YEAR;
  return Math.max(0, line.months - horizonMonths);
}
