import { describe, expect, it } from "vitest";
import { quoteFilterValue, trackingUrl } from "../../lib/mlflow/client";
import {
  decisionTags,
  greenlightModelName,
  importedVersion,
  isImportable,
  versionLink,
  writeBackDelayMs,
} from "../../lib/mlflow/mapping";

describe("MLflow mapping", () => {
  it("turns an MLflow version and its run into a Greenlight version", () => {
    const mapped = importedVersion(
      {
        name: "churn",
        version: "7",
        source: "s3://bucket/churn/7",
        run_id: "abc",
        status: "READY",
        tags: [{ key: "greenlight.artifact_digest", value: "AB".repeat(32) }],
      },
      {
        data: {
          params: [{ key: "lr", value: "0.1" }],
          metrics: [{ key: "auc", value: "0.91" }],
          tags: [
            { key: "mlflow.source.git.commit", value: "0123456789abcdef" },
            { key: "framework", value: "lightgbm" },
          ],
        },
        inputs: {
          dataset_inputs: [
            { dataset: { name: "eval", digest: "x" } },
            { tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "events", digest: "9f2c" } },
          ],
        },
      },
    );
    expect(mapped).toEqual({
      ok: true,
      value: {
        version: "7",
        sourceUri: "s3://bucket/churn/7",
        gitCommit: "0123456789abcdef",
        artifactDigest: `sha256:${"ab".repeat(32)}`,
        trainingRunId: "abc",
        framework: "lightgbm",
        hyperparameters: { lr: "0.1" },
        datasetName: "events",
        datasetVersion: "9f2c",
        metrics: { auc: 0.91 },
      },
    });
  });

  it("fills what MLflow did not record, and cleans what a text column refuses", () => {
    const mapped = importedVersion({ name: "m", version: "1", source: "a\u0000b\u0007c" }, null);
    expect(mapped.ok && mapped.value).toMatchObject({
      sourceUri: "abc",
      framework: "mlflow",
      datasetName: "(not recorded in MLflow)",
      hyperparameters: {},
      metrics: {},
      gitCommit: undefined,
      artifactDigest: undefined,
    });
    expect(importedVersion({ name: "m", version: "not a label!" }, null)).toMatchObject({ ok: false });
  });

  it("imports only finished registrations", () => {
    expect(isImportable({ version: "1", status: "READY" })).toBe(true);
    expect(isImportable({ version: "1", status: "PENDING_REGISTRATION" })).toBe(false);
    expect(isImportable({ version: "1", status: "FAILED_REGISTRATION" })).toBe(false);
  });

  it("names, filters, links, tags and backoff", () => {
    expect(greenlightModelName("Fraud Scorer")).toBe("fraud-scorer");
    expect(greenlightModelName("X")).toBe("mlflow-x");
    expect(greenlightModelName("__Ünïcode__")).toMatch(/^[a-z0-9][a-z0-9._-]{1,62}$/);
    expect(quoteFilterValue("o'brien\\x")).toBe("'o\\'brien\\\\x'");
    expect(versionLink({ url: "http://m", databricksHost: null }, "a b", "2")).toBe(
      "http://m/#/models/a%20b/versions/2",
    );
    expect(versionLink({ url: "http://m", databricksHost: "https://dbc.example/" }, "a", "2")).toBe(
      "https://dbc.example/ml/models/a/versions/2",
    );
    expect(decisionTags(12, "approved")).toEqual([
      { key: "greenlight.request", value: "CR-12" },
      { key: "greenlight.status", value: "approved" },
    ]);
    expect([1, 2, 3, 20].map(writeBackDelayMs)).toEqual([30_000, 60_000, 120_000, 3_600_000]);
  });

  it("fetches only http(s) addresses without credentials", () => {
    expect(trackingUrl(" https://mlflow.example.com/ ")).toBe("https://mlflow.example.com");
    expect(trackingUrl("http://10.0.0.5:5000/mlflow/")).toBe("http://10.0.0.5:5000/mlflow");
    for (const bad of [
      "file:///etc/passwd",
      "javascript:alert(1)",
      "https://u:p@m.example",
      "nonsense",
      "https://m?x=1",
    ])
      expect(() => trackingUrl(bad)).toThrow();
  });
});
