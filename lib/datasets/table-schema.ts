import { z } from "zod";
import { FIELD_TYPES, type ColumnConstraints, type DatasetColumn } from "@/db/schema/datasets";
import type { FieldErrors } from "../errors";

// Pure: a Frictionless Table Schema (v1, https://specs.frictionlessdata.io/table-schema/) in and out.
// The standard properties carry what they can (title, description as the column's meaning,
// constraints, constraints.required as not-nullable, example); the facts Table Schema has no word
// for travel as custom properties of the field descriptor under the "greenlight:" prefix (ADR 0025),
// which the spec permits and other tools ignore. Any other property of a field is kept as given.

/** At most this many fields in one schema (and so columns in one dataset version). */
export const MAX_FIELDS = 2_000;
export const MAX_MISSING_VALUES = 100;
export const MAX_FOREIGN_KEYS = 100;
export const MAX_EXAMPLES = 20;
export const MAX_ENUM_VALUES = 1_000;

export const GREENLIGHT_PROPERTIES = {
  unit: "greenlight:unit",
  populatedBy: "greenlight:populatedBy",
  owningTeam: "greenlight:owningTeam",
  examples: "greenlight:examples",
} as const;

const STANDARD_FIELD_PROPERTIES = new Set([
  "name",
  "type",
  "format",
  "title",
  "description",
  "example",
  "constraints",
  ...Object.values(GREENLIGHT_PROPERTIES),
]);

const bounded = (max: number, what: string) =>
  z
    .string({ error: `${what} must be text.` })
    .max(max, `${what} can be at most ${max.toLocaleString("en")} characters.`);
const Scalar = z.union([bounded(1_000, "A value"), z.number(), z.boolean(), z.null()], {
  error: "A value is a string, a number, true, false or null.",
});
const Bound = z.union([bounded(100, "A bound"), z.number()], {
  error: "A bound is a number or a string (a date, say).",
});
const Length = z.number({ error: "A length is a whole number." }).int("A length is a whole number.").min(0).max(1e9);
const names = (what: string) =>
  z.union([bounded(200, what), z.array(bounded(200, what)).max(MAX_FIELDS)], {
    error: `${what} is a field name or a list of them.`,
  });

const Constraints = z.strictObject(
  {
    required: z.boolean({ error: "required is true or false." }).optional(),
    unique: z.boolean({ error: "unique is true or false." }).optional(),
    minLength: Length.optional(),
    maxLength: Length.optional(),
    minimum: Bound.optional(),
    maximum: Bound.optional(),
    pattern: bounded(1_000, "A pattern")
      .refine((p) => {
        try {
          new RegExp(p, "u");
          return true;
        } catch {
          return false;
        }
      }, "The pattern is not a valid regular expression.")
      .optional(),
    enum: z
      .array(Scalar)
      .min(1, "enum lists at least one value.")
      .max(MAX_ENUM_VALUES, `enum lists at most ${MAX_ENUM_VALUES} values.`)
      .optional(),
  },
  { error: "Table Schema constraints are required, unique, minLength, maxLength, minimum, maximum, pattern and enum." },
);

const Field = z.looseObject({
  name: bounded(200, "A field name").trim().min(1, "Name the field."),
  // The spec's default type is string.
  type: z.enum(FIELD_TYPES, { error: `A field type is one of ${FIELD_TYPES.join(", ")}.` }).default("string"),
  format: bounded(200, "A format").optional(),
  title: bounded(500, "A title").optional(),
  description: bounded(5_000, "A description").optional(),
  example: Scalar.optional(),
  constraints: Constraints.optional(),
  [GREENLIGHT_PROPERTIES.unit]: bounded(100, "A unit").optional(),
  [GREENLIGHT_PROPERTIES.populatedBy]: bounded(2_000, "How it is populated").optional(),
  [GREENLIGHT_PROPERTIES.owningTeam]: bounded(200, "The owning team").optional(),
  [GREENLIGHT_PROPERTIES.examples]: z.array(Scalar).max(MAX_EXAMPLES, `At most ${MAX_EXAMPLES} examples.`).optional(),
});

const ForeignKey = z.object({
  fields: names("A foreign key's fields"),
  reference: z.object({ resource: bounded(200, "A resource"), fields: names("A reference's fields") }),
});

const Schema = z.object(
  {
    fields: z
      .array(z.unknown())
      .min(1, "A Table Schema lists at least one field.")
      .max(MAX_FIELDS, `A Table Schema lists at most ${MAX_FIELDS.toLocaleString("en")} fields.`),
    primaryKey: names("primaryKey").optional(),
    missingValues: z
      .array(bounded(100, "A missing value"))
      .max(MAX_MISSING_VALUES, `At most ${MAX_MISSING_VALUES} missing values.`)
      .optional(),
    foreignKeys: z.array(z.unknown()).max(MAX_FOREIGN_KEYS, `At most ${MAX_FOREIGN_KEYS} foreign keys.`).optional(),
  },
  { error: "A Table Schema is a JSON object with a list of fields." },
);

export type TableSchemaField = z.output<typeof Field>;
export type TableSchema = {
  fields: Record<string, unknown>[];
  primaryKey?: string[];
  missingValues: string[];
  foreignKeys?: unknown[];
};
export type ImportedSchema = {
  columns: DatasetColumn[];
  primaryKey: string[];
  missingValues: string[];
  foreignKeys: unknown[];
};

/** A zod path as JSON path: ["fields", 3, "type"] -> "fields[3].type". */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

function collect(errors: FieldErrors, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]) {
  for (const issue of issues) {
    const key = jsonPath([...prefix, ...issue.path]) || "_form";
    (errors[key] ??= []).push(issue.message);
  }
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : typeof v === "string" ? [v] : v);

function toColumn(field: TableSchemaField): DatasetColumn {
  const { required, ...constraints } = field.constraints ?? {};
  const extra = Object.fromEntries(Object.entries(field).filter(([key]) => !STANDARD_FIELD_PROPERTIES.has(key)));
  const examples = field[GREENLIGHT_PROPERTIES.examples] ?? (field.example !== undefined ? [field.example] : []);
  return {
    name: field.name,
    type: field.type,
    format: field.format && field.format !== "default" ? field.format : null,
    title: field.title || null,
    description: field.description ?? "",
    unit: field[GREENLIGHT_PROPERTIES.unit] || null,
    nullable: required !== true,
    constraints: constraints as ColumnConstraints,
    populatedBy: field[GREENLIGHT_PROPERTIES.populatedBy] || null,
    owningTeam: field[GREENLIGHT_PROPERTIES.owningTeam] || null,
    examples,
    extra,
  };
}

/**
 * Reads a Table Schema descriptor into column definitions. Every problem is a field error at its JSON
 * path ("fields[3].type", "primaryKey[1]"), never an exception: names must be unique, and the primary
 * and foreign keys must name fields of this schema.
 */
export function importTableSchema(
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): { ok: true; schema: ImportedSchema } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const top = Schema.safeParse(input);
  if (!top.success) {
    collect(errors, top.error.issues, prefix);
    return { ok: false, errors };
  }
  const columns: DatasetColumn[] = [];
  const seen = new Map<string, number>();
  top.data.fields.forEach((raw, index) => {
    const field = Field.safeParse(raw);
    if (!field.success) return collect(errors, field.error.issues, [...prefix, "fields", index]);
    const at = seen.get(field.data.name);
    if (at !== undefined) {
      collect(
        errors,
        [{ code: "custom", path: ["name"], message: `Field ${at} has this name already.`, input: raw }],
        [...prefix, "fields", index],
      );
      return;
    }
    seen.set(field.data.name, index);
    columns.push(toColumn(field.data));
  });
  const keyNames = (value: string | string[] | undefined, path: PropertyKey[]) => {
    const given = list(value);
    given.forEach((name, i) => {
      if (!seen.has(name)) {
        const where = typeof value === "string" ? path : [...path, i];
        collect(
          errors,
          [{ code: "custom", path: [], message: `No field is named "${name}".`, input: name }],
          [...prefix, ...where],
        );
      }
    });
    return given;
  };
  const primaryKey = keyNames(top.data.primaryKey, ["primaryKey"]);
  const foreignKeys: unknown[] = [];
  (top.data.foreignKeys ?? []).forEach((raw, index) => {
    const key = ForeignKey.safeParse(raw);
    if (!key.success) return collect(errors, key.error.issues, [...prefix, "foreignKeys", index]);
    keyNames(key.data.fields, ["foreignKeys", index, "fields"]);
    foreignKeys.push(key.data);
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    schema: { columns, primaryKey, missingValues: top.data.missingValues ?? [""], foreignKeys },
  };
}

/** A dataset version as a Table Schema descriptor: what importTableSchema reads back to the same columns. */
export function exportTableSchema(version: {
  columns: readonly DatasetColumn[];
  primaryKey: readonly string[];
  missingValues: readonly string[];
  foreignKeys: readonly unknown[];
}): TableSchema {
  const fields = version.columns.map((c) => {
    const constraints: Record<string, unknown> = { ...(c.nullable ? {} : { required: true }), ...c.constraints };
    return {
      ...c.extra,
      name: c.name,
      type: c.type,
      ...(c.format ? { format: c.format } : {}),
      ...(c.title ? { title: c.title } : {}),
      ...(c.description ? { description: c.description } : {}),
      ...(c.examples.length ? { example: c.examples[0] } : {}),
      ...(Object.keys(constraints).length ? { constraints } : {}),
      ...(c.unit ? { [GREENLIGHT_PROPERTIES.unit]: c.unit } : {}),
      ...(c.populatedBy ? { [GREENLIGHT_PROPERTIES.populatedBy]: c.populatedBy } : {}),
      ...(c.owningTeam ? { [GREENLIGHT_PROPERTIES.owningTeam]: c.owningTeam } : {}),
      ...(c.examples.length ? { [GREENLIGHT_PROPERTIES.examples]: [...c.examples] } : {}),
    };
  });
  return {
    fields,
    ...(version.primaryKey.length ? { primaryKey: [...version.primaryKey] } : {}),
    missingValues: [...version.missingValues],
    ...(version.foreignKeys.length ? { foreignKeys: [...version.foreignKeys] } : {}),
  };
}
