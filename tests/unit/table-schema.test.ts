import { describe, expect, it } from "vitest";
import { exportTableSchema, importTableSchema, jsonPath, MAX_FIELDS } from "../../lib/datasets/table-schema";

// Fixtures written from the Table Schema spec (https://specs.frictionlessdata.io/table-schema/):
// fields with name, type, format, title, description, constraints; primaryKey as a string or a list;
// missingValues (default [""]); foreignKeys; custom properties on a field descriptor.

const minimal = { fields: [{ name: "id" }] };

const transactions = {
  fields: [
    {
      name: "transaction_id",
      type: "string",
      format: "uuid",
      title: "Transaction id",
      description: "The ledger's id for the transaction.",
      constraints: { required: true, unique: true },
    },
    { name: "line", type: "integer", constraints: { required: true, minimum: 1 } },
    {
      name: "amount",
      type: "integer",
      description: "What the card was charged.",
      example: 1250,
      constraints: { required: true, minimum: 0, maximum: 100000000 },
      "greenlight:unit": "cents",
      "greenlight:populatedBy": "Ledger export, nightly",
      "greenlight:owningTeam": "Payments",
      "greenlight:examples": [1250, 99],
    },
    {
      name: "channel",
      type: "string",
      constraints: { enum: ["web", "app", "pos"], pattern: "^[a-z]+$", maxLength: 10 },
    },
    { name: "booked_on", type: "date", format: "%Y-%m-%d", constraints: { minimum: "2020-01-01" } },
    { name: "is_fraud", type: "boolean", trueValues: ["Y"], falseValues: ["N"] },
    { name: "location", type: "geopoint", format: "array" },
    { name: "merchant_id", type: "string" },
  ],
  primaryKey: ["transaction_id", "line"],
  missingValues: ["", "NA", "-"],
  foreignKeys: [{ fields: "merchant_id", reference: { resource: "merchants", fields: "id" } }],
};

function imported(descriptor: unknown) {
  const result = importTableSchema(descriptor);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.schema;
}

describe("Table Schema import", () => {
  it('reads a minimal schema with the spec\'s defaults: type string, nullable, missingValues [""]', () => {
    const schema = imported(minimal);
    expect(schema.missingValues).toEqual([""]);
    expect(schema.primaryKey).toEqual([]);
    expect(schema.columns).toEqual([
      {
        name: "id",
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
      },
    ]);
  });

  it("maps required to not nullable, keeps range and enum constraints, the greenlight facts and other properties", () => {
    const schema = imported(transactions);
    const amount = schema.columns.find((c) => c.name === "amount")!;
    expect(amount).toMatchObject({
      type: "integer",
      description: "What the card was charged.",
      unit: "cents",
      nullable: false,
      constraints: { minimum: 0, maximum: 100000000 },
      populatedBy: "Ledger export, nightly",
      owningTeam: "Payments",
      examples: [1250, 99],
    });
    expect(schema.columns.find((c) => c.name === "channel")!.constraints).toEqual({
      enum: ["web", "app", "pos"],
      pattern: "^[a-z]+$",
      maxLength: 10,
    });
    expect(schema.columns.find((c) => c.name === "is_fraud")!.extra).toEqual({ trueValues: ["Y"], falseValues: ["N"] });
    expect(schema.primaryKey).toEqual(["transaction_id", "line"]);
    expect(schema.missingValues).toEqual(["", "NA", "-"]);
    expect(schema.foreignKeys).toHaveLength(1);
  });

  it("takes a primaryKey given as one field name", () => {
    expect(imported({ fields: [{ name: "id", type: "integer" }], primaryKey: "id" }).primaryKey).toEqual(["id"]);
  });

  it("takes a lone example as the examples list", () => {
    expect(imported({ fields: [{ name: "n", type: "number", example: 3.5 }] }).columns[0]!.examples).toEqual([3.5]);
  });
});

describe("Table Schema round trip", () => {
  it.each([
    ["minimal", minimal],
    ["primaryKey list, missingValues, enum and range constraints, custom facts", transactions],
  ])("%s: export then import gives the same columns, keys and missing values", (_name, descriptor) => {
    const first = imported(descriptor);
    const exported = exportTableSchema(first);
    expect(imported(exported)).toEqual(first);
    // And exporting again is stable.
    expect(exportTableSchema(imported(exported))).toEqual(exported);
  });

  it("writes the standard properties where the spec has them and the rest under greenlight:", () => {
    const exported = exportTableSchema(imported(transactions));
    const amount = exported.fields.find((f) => f.name === "amount")!;
    expect(amount).toEqual({
      name: "amount",
      type: "integer",
      description: "What the card was charged.",
      example: 1250,
      constraints: { required: true, minimum: 0, maximum: 100000000 },
      "greenlight:unit": "cents",
      "greenlight:populatedBy": "Ledger export, nightly",
      "greenlight:owningTeam": "Payments",
      "greenlight:examples": [1250, 99],
    });
    expect(exported.primaryKey).toEqual(["transaction_id", "line"]);
    expect(exported.missingValues).toEqual(["", "NA", "-"]);
  });
});

describe("Table Schema import refuses, with errors at the JSON path", () => {
  const errorsOf = (descriptor: unknown) => {
    const result = importTableSchema(descriptor);
    if (result.ok) throw new Error("expected errors");
    return result.errors;
  };

  it("an unknown type at fields[3].type", () => {
    const fields = [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d", type: "money" }];
    expect(Object.keys(errorsOf({ fields }))).toEqual(["fields[3].type"]);
  });

  it("a field without a name, a duplicate name, a misspelt constraint and a bad pattern", () => {
    const errors = errorsOf({
      fields: [
        { type: "string" },
        { name: "a" },
        { name: "a" },
        { name: "b", constraints: { requried: true } },
        { name: "c", constraints: { pattern: "([" } },
      ],
    });
    expect(Object.keys(errors).sort()).toEqual([
      "fields[0].name",
      "fields[2].name",
      "fields[3].constraints",
      "fields[4].constraints.pattern",
    ]);
  });

  it("a primary key or foreign key naming no field", () => {
    expect(Object.keys(errorsOf({ fields: [{ name: "a" }], primaryKey: ["a", "z"] }))).toEqual(["primaryKey[1]"]);
    expect(Object.keys(errorsOf({ fields: [{ name: "a" }], primaryKey: "z" }))).toEqual(["primaryKey"]);
    expect(
      Object.keys(
        errorsOf({
          fields: [{ name: "a" }],
          foreignKeys: [{ fields: ["q"], reference: { resource: "", fields: ["id"] } }],
        }),
      ),
    ).toEqual(["foreignKeys[0].fields[0]"]);
  });

  it("no fields, too many fields, not an object", () => {
    expect(Object.keys(errorsOf({ fields: [] }))).toEqual(["fields"]);
    const many = Array.from({ length: MAX_FIELDS + 1 }, (_, i) => ({ name: `c${i}` }));
    expect(Object.keys(errorsOf({ fields: many }))).toEqual(["fields"]);
    expect(Object.keys(errorsOf([1, 2]))).toEqual(["_form"]);
    expect(Object.keys(errorsOf({ fields: [{ name: "a", example: { nested: true } }] }))).toEqual([
      "fields[0].example",
    ]);
  });

  it("paths start from the prefix the caller gives", () => {
    const result = importTableSchema({ fields: [{ name: "a", type: 7 }] }, ["tableSchema"]);
    expect(result.ok ? [] : Object.keys(result.errors)).toEqual(["tableSchema.fields[0].type"]);
    expect(jsonPath(["tableSchema", "fields", 3, "constraints", "enum", 0])).toBe(
      "tableSchema.fields[3].constraints.enum[0]",
    );
  });
});
