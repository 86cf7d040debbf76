// The arithmetic of the insights, apart from the SQL so it can be checked by hand: percentiles the
// way PostgreSQL's percentile_cont takes them, the bottleneck sentence, and the estimate of the
// approver time an auto-pass saved.

/** percentile_cont: linear interpolation between the closest ranks; null for no values. */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export const median = (values: readonly number[]) => percentile(values, 0.5);
export const p90 = (values: readonly number[]) => percentile(values, 0.9);

/** Hours rounded to a tenth for people and machines alike (the raw figures stay in the SQL). */
export function roundHours(hours: number | null): number | null {
  return hours === null || !Number.isFinite(hours) ? null : Math.round(hours * 10) / 10;
}

/** "5.0 hours", "2.1 days": days once a wait passes two of them, as people count waits. */
export function durationInWords(hours: number): string {
  if (hours >= 48) return `${(hours / 24).toFixed(1)} days`;
  if (hours >= 1) return `${hours.toFixed(1)} hours`;
  const minutes = Math.round(hours * 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export type WaitShare = {
  /** The step's name as policies give it ("Security review"). */
  name: string;
  /** Hours waited on it in the period: decided steps' waits plus open steps' current ages. */
  waitingHours: number;
  /** Median wait of its decided steps (null when none was decided in the period). */
  medianHours: number | null;
};

export type Bottleneck = { name: string; share: number; medianHours: number | null; sentence: string };

/**
 * The step holding the largest share of the period's waiting time, named in one sentence
 * ("Security review holds 61% of waiting time; median 2.1 days"). Null when nobody waited.
 */
export function bottleneck(rows: readonly WaitShare[]): Bottleneck | null {
  const total = rows.reduce((sum, r) => sum + Math.max(0, r.waitingHours), 0);
  if (total <= 0) return null;
  const top = [...rows].sort((a, b) => b.waitingHours - a.waitingHours || a.name.localeCompare(b.name))[0]!;
  const share = Math.round((top.waitingHours / total) * 100);
  const median = top.medianHours === null ? "none decided yet" : `median ${durationInWords(top.medianHours)}`;
  return {
    name: top.name,
    share,
    medianHours: top.medianHours,
    sentence: `${top.name} holds ${share}% of waiting time; ${median}.`,
  };
}

/**
 * Approver time an auto-pass saved, as an estimate: each passed step counts the median wait of the
 * human decisions on the same role in the period (a step nobody had to open waited nothing, and
 * the median is what a person would most likely have taken). Null without human decisions to
 * estimate from: no figure rather than a made-up one.
 */
export function savedHoursEstimate(passed: number, humanMedianHours: number | null): number | null {
  if (humanMedianHours === null) return passed === 0 ? 0 : null;
  return passed * humanMedianHours;
}

/** Share in whole percent, 0 for an empty whole. */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}
