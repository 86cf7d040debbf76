import { describe, expect, it } from "vitest";
import type { DatasetColumn } from "../../db/schema/datasets";
import { changedSinceTraining, diffDatasetVersions, usedColumns } from "../../lib/datasets/diff";

const column = (name: string, more: Partial<DatasetColumn> = {}): DatasetColumn => ({
  name,
  type: "string",
  format: null,
  title: null,
  description: "",
  unit: null,
  nullable: true,
  constraints: {},
  populatedBy: null,
  owningTeam: null,
  examples: [],
  extra: {},
  ...more,
});

const v1 = [
  column("transaction_id", { nullable: false }),
  column("amount", { type: "integer", unit: "cents", description: "What the card was charged." }),
  column("channel", { constraints: { enum: ["web", "app"] } }),
  column("legacy_flag"),
  column("country", { title: "Country" }),
];
const v2 = [
  column("transaction_id", { nullable: false }),
  column("amount", { type: "integer", unit: "dollars", description: "What the card was charged." }),
  column("channel", { constraints: { enum: ["web", "app", "pos"] } }),
  column("country", { title: "Country code" }),
  column("merchant_id"),
];

describe("dataset version diff", () => {
  it("lists added, removed and changed columns with what changed", () => {
    expect(diffDatasetVersions(v1, v2)).toEqual({
      added: ["merchant_id"],
      removed: ["legacy_flag"],
      changed: [
        { name: "amount", material: true, changes: [{ fact: "unit", before: "cents", after: "dollars" }] },
        {
          name: "channel",
          material: true,
          changes: [{ fact: "constraints", before: 'one of "web", "app"', after: 'one of "web", "app", "pos"' }],
        },
        { name: "country", material: false, changes: [{ fact: "title", before: "Country", after: "Country code" }] },
      ],
    });
  });

  it("two equal versions differ in nothing, whatever the key order of their constraints", () => {
    const a = [column("n", { constraints: { minimum: 0, maximum: 9 } })];
    const b = [column("n", { constraints: { maximum: 9, minimum: 0 } })];
    expect(diffDatasetVersions(a, b)).toEqual({ added: [], removed: [], changed: [] });
  });

  it("says nullable -> required, and a type change", () => {
    const changes = diffDatasetVersions([column("n")], [column("n", { nullable: false, type: "number" })]).changed[0]!
      .changes;
    expect(changes).toEqual([
      { fact: "type", before: "string", after: "number" },
      { fact: "nullable", before: "nullable", after: "required" },
    ]);
  });
});

describe("changed since training", () => {
  it("tells of the used columns that changed materially or went, in the sentence people read", () => {
    const used = usedColumns({ features: ["amount", "country", "legacy_flag", "transaction_id"], label: "channel" });
    expect(changedSinceTraining(v1, v2, used)).toEqual([
      {
        column: "amount",
        sentences: ["column `amount` changed meaning since this model was trained: cents -> dollars"],
      },
      {
        column: "legacy_flag",
        sentences: ["column `legacy_flag` was removed since this model was trained"],
      },
      {
        column: "channel",
        sentences: [
          'column `channel` changed allowed values since this model was trained: one of "web", "app" -> one of "web", "app", "pos"',
        ],
      },
    ]);
  });

  it("says nothing of columns the model does not use, or of a new title", () => {
    expect(changedSinceTraining(v1, v2, ["country", "transaction_id"])).toEqual([]);
    expect(changedSinceTraining(v1, v2, [])).toEqual([]);
  });
});
