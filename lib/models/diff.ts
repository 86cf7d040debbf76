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
