import type { ColumnConstraints, DatasetColumn } from "@/db/schema/datasets";

// Pure: what changed between two versions of a dataset, column by column, and the sentences that
// tell a model's people that a column it uses is not what it was trained on.

/** The facts of a column a diff compares, in the order it reports them. */
export const COLUMN_FACTS = [
  "type",
  "format",
  "unit",
  "description",
  "nullable",
  "constraints",
  "populatedBy",
  "title",
  "owningTeam",
  "examples",
] as const;
export type ColumnFact = (typeof COLUMN_FACTS)[number];

/**
 * A change to one of these makes a column "changed" for a model that uses it: the values it reads
 * would mean something else. A new title, owner or examples do not.
 */
export const MATERIAL_FACTS: ReadonlySet<ColumnFact> = new Set([
  "type",
  "format",
  "unit",
  "description",
  "nullable",
  "constraints",
  "populatedBy",
]);

export const FACT_LABELS: Record<ColumnFact, string> = {
  type: "type",
  format: "format",
  // A unit is what a number means: "cents -> dollars" is a change of meaning to whoever reads it.
  unit: "meaning",
  description: "description",
  nullable: "nullability",
  constraints: "allowed values",
  populatedBy: "how it is populated",
  title: "title",
  owningTeam: "owning team",
  examples: "examples",
};

export type FactChange = { fact: ColumnFact; before: string; after: string };
export type ColumnChange = { name: string; changes: FactChange[]; material: boolean };
export type DatasetDiff = { added: string[]; removed: string[]; changed: ColumnChange[] };

const MAX_SHOWN = 200;
const clip = (s: string) => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s);
const shown = (v: unknown) => (v === null || v === undefined || v === "" ? "(none)" : String(v));

/** Constraints in words: "0 to 100", "one of a, b", "unique", "pattern ^x$". */
export function describeConstraints(c: ColumnConstraints): string {
  const parts: string[] = [];
  if (c.enum) parts.push(`one of ${c.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (c.minimum !== undefined && c.maximum !== undefined) parts.push(`${c.minimum} to ${c.maximum}`);
  else if (c.minimum !== undefined) parts.push(`at least ${c.minimum}`);
  else if (c.maximum !== undefined) parts.push(`at most ${c.maximum}`);
  if (c.minLength !== undefined) parts.push(`length at least ${c.minLength}`);
  if (c.maxLength !== undefined) parts.push(`length at most ${c.maxLength}`);
  if (c.pattern !== undefined) parts.push(`pattern ${c.pattern}`);
  if (c.unique) parts.push("unique");
  return parts.join("; ");
}

function factValue(column: DatasetColumn, fact: ColumnFact): string {
  switch (fact) {
    case "nullable":
      return column.nullable ? "nullable" : "required";
    case "constraints":
      return describeConstraints(column.constraints);
    case "examples":
      return column.examples.map((v) => JSON.stringify(v)).join(", ");
    default:
      return column[fact] ?? "";
  }
}

// Key order must not make two equal constraint objects differ.
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.entries(v)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, inner]) => [k, canonical(inner)]),
        )
      : v;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** How one column differs between two versions (empty: it does not). */
export function diffColumn(before: DatasetColumn, after: DatasetColumn): FactChange[] {
  return COLUMN_FACTS.filter((fact) => !same(before[fact], after[fact])).map((fact) => ({
    fact,
    before: clip(shown(factValue(before, fact))),
    after: clip(shown(factValue(after, fact))),
  }));
}

/** Columns added, removed and changed (with what changed), in the newer version's order. */
export function diffDatasetVersions(from: readonly DatasetColumn[], to: readonly DatasetColumn[]): DatasetDiff {
  const old = new Map(from.map((c) => [c.name, c]));
  const now = new Map(to.map((c) => [c.name, c]));
  const changed: ColumnChange[] = [];
  for (const column of to) {
    const before = old.get(column.name);
    if (!before) continue;
    const changes = diffColumn(before, column);
    if (changes.length)
      changed.push({ name: column.name, changes, material: changes.some((c) => MATERIAL_FACTS.has(c.fact)) });
  }
  return {
    added: to.filter((c) => !old.has(c.name)).map((c) => c.name),
    removed: from.filter((c) => !now.has(c.name)).map((c) => c.name),
    changed,
  };
}

/** The columns a model version reads: its features and its label, each once. */
export function usedColumns(link: { features: readonly string[] | null; label: string | null }): string[] {
  return [...new Set([...(link.features ?? []), ...(link.label ? [link.label] : [])])];
}

export type ChangedColumn = { column: string; sentences: string[] };

/**
 * The used columns that changed materially (or went) between the version a model was trained on and
 * a newer one, each with its sentences: "column `amount` changed meaning since this model was
 * trained: cents -> dollars".
 */
export function changedSinceTraining(
  trainedOn: readonly DatasetColumn[],
  newer: readonly DatasetColumn[],
  used: readonly string[],
): ChangedColumn[] {
  const old = new Map(trainedOn.map((c) => [c.name, c]));
  const now = new Map(newer.map((c) => [c.name, c]));
  const out: ChangedColumn[] = [];
  for (const name of used) {
    const before = old.get(name);
    if (!before) continue;
    const after = now.get(name);
    if (!after) {
      out.push({ column: name, sentences: [`column \`${name}\` was removed since this model was trained`] });
      continue;
    }
    const material = diffColumn(before, after).filter((c) => MATERIAL_FACTS.has(c.fact));
    if (material.length)
      out.push({
        column: name,
        sentences: material.map(
          (c) =>
            `column \`${name}\` changed ${FACT_LABELS[c.fact]} since this model was trained: ${c.before} -> ${c.after}`,
        ),
      });
  }
  return out;
}
