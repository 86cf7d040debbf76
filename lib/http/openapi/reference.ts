// The API reference page's view of the OpenAPI document: operations grouped by tag, each field with
// its type and constraints in words. Pure: it reads only the document, so the page shows exactly what
// /api/v1/openapi.json says, and needs nothing from the network.

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  $ref?: string;
};

export type ReferenceField = { name: string; where?: string; type: string; required: boolean; notes: string };
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string[];
  parameters: ReferenceField[];
  body: { fields: ReferenceField[]; required: boolean; schema: string } | null;
  responses: { status: string; description: string; problem: boolean }[];
  /** The problem statuses every signed-in call can answer (401, 403, 429, 500), listed once per card. */
  common: string[];
};
export type ReferenceSection = { tag: string; operations: ReferenceOperation[] };

const SAFE_INTEGER = 9_007_199_254_740_991;
const COMMON = ["401", "403", "429", "500"];

/** "string", "integer", "one of a, b", "list of object", "string or number". */
export function typeInWords(schema: Schema): string {
  if (schema.$ref) return schema.$ref.split("/").pop()!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return `one of ${schema.enum.map((v) => String(v)).join(", ")}`;
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) {
    const words = [...new Set(choices.filter((c) => c.const !== "").map(typeInWords))];
    return words.join(" or ");
  }
  if (schema.type === "array") return `list of ${schema.items ? typeInWords(schema.items) : "any"}`;
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  return schema.type ?? "any";
}

function notesOf(schema: Schema): string {
  const notes: string[] = [];
  if (schema.format) notes.push(schema.format);
  if (schema.pattern && !schema.format) notes.push(`matches ${schema.pattern}`);
  if (schema.minLength !== undefined && schema.minLength > 1) notes.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  if (schema.minimum !== undefined && schema.minimum > -SAFE_INTEGER) notes.push(`from ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < SAFE_INTEGER) notes.push(`up to ${schema.maximum}`);
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`);
  if (schema.default !== undefined && schema.default !== "") notes.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.description) notes.push(schema.description);
  return notes.join("; ");
}

function fieldsOf(schema: Schema): ReferenceField[] {
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    name,
    type: typeInWords(field),
    required: schema.required?.includes(name) ?? false,
    notes: notesOf(field),
  }));
}

type Document = {
  tags?: { name: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components?: { responses?: Record<string, { description: string }> };
};
type OperationObject = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; $ref?: string }>;
};

export function referenceSections(document: Document): ReferenceSection[] {
  const byTag = new Map<string, ReferenceOperation[]>((document.tags ?? []).map((t) => [t.name, []]));
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const bodySchema = op.requestBody?.content["application/json"]?.schema;
      const operation: ReferenceOperation = {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: (op.description ?? "").split("\n\n").filter(Boolean),
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          where: p.in,
          type: typeInWords(p.schema),
          required: p.required ?? false,
          notes: [p.description, notesOf(p.schema)].filter(Boolean).join("; "),
        })),
        body: bodySchema
          ? {
              fields: fieldsOf(bodySchema),
              required: op.requestBody?.required ?? false,
              schema: JSON.stringify(bodySchema, null, 2),
            }
          : null,
        responses: [],
        common: [],
      };
      for (const [status, response] of Object.entries(op.responses)) {
        const ref = response.$ref?.split("/").pop();
        if (ref && COMMON.includes(status)) {
          operation.common.push(status);
          continue;
        }
        operation.responses.push({
          status,
          description: ref ? (document.components?.responses?.[ref]?.description ?? "") : (response.description ?? ""),
          problem: Boolean(ref?.startsWith("Problem")),
        });
      }
      const tag = op.tags[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation]);
    }
  }
  return [...byTag].filter(([, ops]) => ops.length).map(([tag, operations]) => ({ tag, operations }));
}
