import { ALERT_THRESHOLDS, type AlertBasis } from "@/db/schema/budgets";

export type AlertCrossing = { basis: AlertBasis; threshold: number; valueMinor: number };

/**
 * The alert thresholds (50/80/100% of the budget) that actual spend or its forecast has reached.
 * The caller sends each (basis, threshold) once per budget; a zero budget alerts on any spend.
 */
export function crossedThresholds(
  amountMinor: number,
  spentMinor: number,
  forecastMinor: number | null,
): AlertCrossing[] {
  const crossings: AlertCrossing[] = [];
  const reached = (value: number, threshold: number) => value > 0 && value * 100 >= amountMinor * threshold;
  for (const threshold of ALERT_THRESHOLDS) {
    if (reached(spentMinor, threshold)) crossings.push({ basis: "actual", threshold, valueMinor: spentMinor });
    if (forecastMinor !== null && reached(forecastMinor, threshold))
      crossings.push({ basis: "forecast", threshold, valueMinor: forecastMinor });
  }
  return crossings;
}
