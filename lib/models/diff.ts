// Pure: a side-by-side comparison of two model versions, key by key.

export type DiffRow = { section: string; key: string; left: unknown; right: unknown; changed: boolean };

type Comparable = {
  hyperparameters: Record<string, unknown>;
  metrics: Record<string, unknown>;
  datasetName: string;
  datasetVersion: string;
  framework: string;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function objectRows(section: string, left: Record<string, unknown>, right: Record<string, unknown>): DiffRow[] {
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.map((key) => ({
    section,
    key,
    left: left[key],
    right: right[key],
    changed: !same(left[key], right[key]),
  }));
}

export function diffVersions(left: Comparable, right: Comparable): DiffRow[] {
  return [
    ...objectRows("Framework", { framework: left.framework }, { framework: right.framework }),
    ...objectRows(
      "Dataset",
      { name: left.datasetName, version: left.datasetVersion },
      { name: right.datasetName, version: right.datasetVersion },
    ),
    ...objectRows("Hyperparameters", left.hyperparameters, right.hyperparameters),
    ...objectRows("Metrics", left.metrics, right.metrics),
  ];
}

export type LiveComparison = {
  /** Every metric of either version: this version's value, the live one's, and this minus live when both are numbers. */
  metrics: { key: string; current: unknown; live: unknown; difference: number | null }[];
  dataset: { current: string; live: string | null; changed: boolean };
  /** Without a live version, every hyperparameter of this one; with one, only those that differ. */
  hyperparameters: { key: string; current: unknown; live: unknown }[];
};

type Described = Pick<Comparable, "hyperparameters" | "metrics" | "datasetName" | "datasetVersion">;

const decimals = (n: number) => (Number.isInteger(n) ? 0 : (String(n).split(".")[1]?.length ?? 0));

/** a - b without float noise: 0.951 - 0.944 is 0.007, not 0.0069999999999999. */
function difference(a: unknown, b: unknown): number | null {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  const places = Math.min(12, Math.max(decimals(a), decimals(b)));
  return Number((a - b).toFixed(places));
}

/**
 * A version set beside the one live in the same environment (null: nothing deployed there yet), for
 * the people approving it: metrics with their difference, the dataset, and the hyperparameters that
 * changed.
 */
export function compareWithLive(current: Described, live: Described | null): LiveComparison {
  const keys = (a: Record<string, unknown>, b: Record<string, unknown> = {}) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const dataset = (v: Described) => `${v.datasetName} @ ${v.datasetVersion}`;
  return {
    metrics: keys(current.metrics, live?.metrics).map((key) => ({
      key,
      current: current.metrics[key],
      live: live?.metrics[key],
      difference: live ? difference(current.metrics[key], live.metrics[key]) : null,
    })),
    dataset: {
      current: dataset(current),
      live: live ? dataset(live) : null,
      changed: live !== null && dataset(current) !== dataset(live),
    },
    hyperparameters: keys(current.hyperparameters, live?.hyperparameters)
      .filter((key) => !live || !same(current.hyperparameters[key], live.hyperparameters[key]))
      .map((key) => ({ key, current: current.hyperparameters[key], live: live?.hyperparameters[key] })),
  };
}
