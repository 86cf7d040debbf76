import { describe, expect, it } from "vitest";
import { referenceSections, typeInWords } from "../../lib/http/openapi/reference";

describe("the API reference page's reading of the document", () => {
  it("names types the way a reader says them", () => {
    expect(typeInWords({ type: "string" })).toBe("string");
    expect(typeInWords({ type: "string", enum: ["low", "high"] })).toBe("one of low, high");
    expect(typeInWords({ type: "array", items: { type: "integer" } })).toBe("list of integer");
    // An optional text field zod writes as "a string, or the empty string": one word for it.
    expect(typeInWords({ anyOf: [{ type: "string" }, { type: "string", const: "" }] })).toBe("string");
    expect(typeInWords({ anyOf: [{ type: "string" }, { type: "number" }] })).toBe("string or number");
    expect(typeInWords({ $ref: "#/components/schemas/Problem" })).toBe("Problem");
    expect(typeInWords({})).toBe("any");
  });

  it("groups operations by tag in the document's order, with fields, constraints and problem answers", () => {
    const sections = referenceSections({
      tags: [{ name: "Gate" }, { name: "Empty" }],
      paths: {
        "/api/v1/gate": {
          get: {
            operationId: "getGate",
            tags: ["Gate"],
            summary: "May it ship?",
            description: "First.\n\n**Who:** anyone",
            parameters: [
              { name: "model", in: "query", required: true, schema: { type: "string", maxLength: 63 } },
              { name: "digest", in: "query", schema: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" } },
            ],
            responses: {
              "200": { description: "Yes." },
              "400": { $ref: "#/components/responses/Problem400" },
              "401": { $ref: "#/components/responses/Problem401" },
            },
          },
        },
      },
      components: { responses: { Problem400: { description: "Bad input." } } },
    });
    expect(sections.map((s) => s.tag)).toEqual(["Gate"]); // a tag with no operation is left out
    const [op] = sections[0]!.operations;
    expect(op).toMatchObject({
      id: "getGate",
      method: "GET",
      description: ["First.", "**Who:** anyone"],
      parameters: [
        { name: "model", where: "query", type: "string", required: true, notes: "at most 63 characters" },
        { name: "digest", required: false, notes: "matches ^sha256:[0-9a-f]{64}$" },
      ],
      body: null,
      responses: [
        { status: "200", description: "Yes.", problem: false },
        { status: "400", description: "Bad input.", problem: true },
      ],
      common: ["401"],
    });
  });
});
