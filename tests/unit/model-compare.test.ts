import { describe, expect, it } from "vitest";
import { compareWithLive } from "../../lib/models/diff";

const v = (metrics: Record<string, unknown>, hyperparameters: Record<string, unknown>, datasetVersion = "2026-08") => ({
  metrics,
  hyperparameters,
  datasetName: "transactions",
  datasetVersion,
});

describe("a version beside the live one", () => {
  it("every metric with this minus live, the dataset, and the hyperparameters that differ", () => {
    const current = v(
      { auc: 0.951, recall: 0.76, f1: 0.7, note: "shadow" },
      { depth: 8, eta: 0.03, loss: "logloss" },
      "2026-10",
    );
    const live = v({ auc: 0.944, recall: 0.74, latency_ms: 38 }, { depth: 8, eta: 0.05, subsample: 0.8 });
    expect(compareWithLive(current, live)).toEqual({
      metrics: [
        { key: "auc", current: 0.951, live: 0.944, difference: 0.007 },
        { key: "f1", current: 0.7, live: undefined, difference: null },
        { key: "latency_ms", current: undefined, live: 38, difference: null },
        { key: "note", current: "shadow", live: undefined, difference: null },
        { key: "recall", current: 0.76, live: 0.74, difference: 0.02 },
      ],
      dataset: { current: "transactions @ 2026-10", live: "transactions @ 2026-08", changed: true },
      hyperparameters: [
        { key: "eta", current: 0.03, live: 0.05 },
        { key: "loss", current: "logloss", live: undefined },
        { key: "subsample", current: undefined, live: 0.8 },
      ],
    });
  });

  it("with nothing live: this version's figures alone, every hyperparameter", () => {
    expect(compareWithLive(v({ auc: 0.9 }, { depth: 6, eta: 0.1 }), null)).toEqual({
      metrics: [{ key: "auc", current: 0.9, live: undefined, difference: null }],
      dataset: { current: "transactions @ 2026-08", live: null, changed: false },
      hyperparameters: [
        { key: "depth", current: 6, live: undefined },
        { key: "eta", current: 0.1, live: undefined },
      ],
    });
  });

  it("the same version live: no difference anywhere", () => {
    const same = v({ auc: 0.9, loss: 0.2 }, { depth: 6 });
    const compared = compareWithLive(same, same);
    expect(compared.metrics.map((m) => m.difference)).toEqual([0, 0]);
    expect(compared.hyperparameters).toEqual([]);
    expect(compared.dataset.changed).toBe(false);
  });
});
