import "server-only";
import { z } from "zod";
import { OPERATIONS, pathParameter, type Operation } from "./operations";

// The OpenAPI 3.1 document of /api/v1, generated from the operations list and the zod schemas the
// handlers parse with (z.toJSONSchema, as the input side: what a client sends, defaults optional).
// JSON Schema 2020-12 is OpenAPI 3.1's own dialect, so the schemas go in as zod writes them.

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

const PROBLEM_TITLES: Record<number, string> = {
  400: "Bad input: `errors` names each field.",
  401: "No valid token or session.",
  403: "Not allowed for this person.",
  404: "No such thing (or not yours to see).",
  409: "The state does not allow it now (or a concurrent change won): the detail says why.",
  412: "If-Match names an older version.",
  413: "The body is too large.",
  415: "The body is not JSON.",
  429: "Too many requests: Retry-After says when to try again.",
  500: "Something failed on the server (logged).",
};
const ALWAYS = [401, 403, 429, 500] as const;
const ALWAYS_PUBLIC = [500] as const;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete out.$schema;
  return out;
}

function withoutFields(schema: JsonSchema, fields: readonly string[]): JsonSchema {
  if (!fields.length || !schema.properties) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !fields.includes(k)));
  const required = schema.required?.filter((k) => !fields.includes(k));
  return { ...schema, properties, ...(required ? { required } : {}) };
}

/** get /api/v1/requests/{number}/submit → getRequestsNumberSubmit. */
export function operationId(op: Pick<Operation, "method" | "path">): string {
  const words = op.path
    .replace(/^\/api\/v1\//, "")
    .split(/[/.\-{}]+/)
    .filter(Boolean);
  return op.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

function parameters(op: Operation) {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const path = inPath.map((name) => {
    const param = pathParameter(name);
    if (!param) throw new Error(`${op.path}: no description of the path parameter {${name}}`);
    return { name, in: "path", required: true, description: param.description, schema: jsonSchema(param.schema) };
  });
  const query = op.query ? jsonSchema(op.query) : null;
  const fromQuery = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
    name,
    in: "query",
    required: query!.required?.includes(name) ?? false,
    schema,
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
  }));
  const headers = Object.entries(op.requestHeaders ?? {}).map(([name, description]) => ({
    name,
    in: "header",
    required: false,
    description,
    schema: { type: "string" },
  }));
  return [...path, ...fromQuery, ...headers];
}

function responses(op: Operation) {
  const types = op.success.contentType ?? "application/json";
  const answer: Record<string, unknown> = {
    [op.success.status]: {
      description: op.success.description,
      content: Object.fromEntries((Array.isArray(types) ? types : [types]).map((t) => [t, { schema: {} }])),
      ...(op.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(op.headers).map(([name, description]) => [
                name,
                { description, schema: { type: "string" } },
              ]),
            ),
          }
        : {}),
    },
  };
  for (const [status, extra] of Object.entries(op.extra ?? {})) {
    answer[status] = {
      description: extra.description,
      content: {
        "application/json": { schema: extra.schema ? { $ref: `#/components/schemas/${extra.schema}` } : {} },
      },
    };
  }
  for (const status of [...new Set([...(op.problems ?? []), ...(op.public ? ALWAYS_PUBLIC : ALWAYS)])].sort()) {
    if (!(String(status) in answer)) answer[status] = { $ref: `#/components/responses/Problem${status}` };
  }
  return answer;
}

function operationObject(op: Operation) {
  const body = op.body ? withoutFields(jsonSchema(op.body.schema), op.body.fromPath ?? []) : null;
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `**Who:** ${op.access}`].filter(Boolean).join("\n\n"),
    parameters: parameters(op),
    ...(op.public ? { security: [] } : {}),
    ...(body
      ? {
          requestBody: {
            // A body with no required field may be left out (submit takes none).
            required: Boolean(body.required?.length) || !body.properties,
            content: { "application/json": { schema: body } },
          },
        }
      : {}),
    responses: responses(op),
  };
}

const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details (application/problem+json).",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", description: "about:blank: the status says what kind of problem." },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string", description: "What went wrong, in words a person can act on." },
    code: { type: "string", description: "A stable machine-readable code, when there is one." },
    errors: {
      type: "object",
      description: "Per field (dotted paths for nested ones), the messages to show beside it.",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
  },
};

const GATE_REFUSAL = {
  type: "object",
  required: ["allowed", "reason", "waiting"],
  properties: {
    allowed: { const: false },
    reason: { type: "string" },
    waiting: { type: "boolean", description: "True while a decision may still open the gate (keep asking)." },
    request: {
      type: "object",
      required: ["number", "status"],
      properties: { number: { type: "string" }, status: { type: "string" } },
    },
  },
};

let built: Record<string, unknown> | null = null;

/** The whole document (built once per process: it depends on nothing but the code). */
export function openApiDocument(): Record<string, unknown> {
  if (built) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const tags = [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name }));
  built = {
    openapi: "3.1.0",
    info: {
      title: "Greenlight API",
      version: "1",
      summary: "Approvals and governance for ML change requests: file, decide, gate, audit.",
      description:
        "Every call is authenticated with a person's API token (`Authorization: Bearer glt_…`, made on the Settings page or with `npm run cli -- token create`) or the app's session cookie, and acts as that person. Errors are RFC 9457 problem details.",
    },
    servers: [{ url: "/", description: "This Greenlight server" }],
    security: [{ bearerToken: [] }, { session: [] }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "A person's API token (glt_…)." },
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The app's session." },
      },
      schemas: { Problem: PROBLEM_SCHEMA, GateRefusal: GATE_REFUSAL },
      responses: Object.fromEntries(
        Object.entries(PROBLEM_TITLES).map(([status, description]) => [
          `Problem${status}`,
          {
            description,
            content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
            ...(status === "429"
              ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } } }
              : {}),
          },
        ]),
      ),
    },
  };
  return built;
}
