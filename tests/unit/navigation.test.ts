import { describe, expect, it } from "vitest";
import { sectionsFor } from "../../lib/session/navigation";
import { formToObject, parseInput } from "../../lib/validation";
import { ValidationError } from "../../lib/errors";
import { z } from "zod";

describe("navigation by role", () => {
  const labels = (...roles: Parameters<typeof sectionsFor>[0]) => sectionsFor(roles).map((s) => s.label);
  it("shows each role only its sections", () => {
    expect(labels("requester")).toEqual(["Inbox", "Requests", "Models", "Environments", "Data"]);
    expect(labels("manager")).toEqual(["Inbox", "Requests", "Models", "Environments", "Data", "Budgets", "Insights"]);
    expect(labels("security")).toEqual(["Inbox", "Requests", "Models", "Environments", "Data", "Security"]);
    expect(labels("ml_lead")).toEqual(["Inbox", "Requests", "Models", "Environments", "Data", "Insights"]);
    expect(labels("admin")).toEqual([
      "Inbox",
      "Requests",
      "Models",
      "Environments",
      "Data",
      "Budgets",
      "Insights",
      "Security",
      "Audit",
      "Admin",
    ]);
    expect(labels("requester", "security")).toEqual([
      "Inbox",
      "Requests",
      "Models",
      "Environments",
      "Data",
      "Security",
    ]);
    expect(labels()).toEqual(["Models", "Environments", "Data"]); // every signed-in person may read the models they are asked to approve
  });
});

describe("input parsing", () => {
  it("gives one list of messages per field", () => {
    const schema = z.object({ name: z.string().min(2, "too short"), age: z.number({ error: "a number" }) });
    try {
      parseInput(schema, { name: "x", age: "y" });
      throw new Error("should not parse");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors).toEqual({ name: ["too short"], age: ["a number"] });
      expect((error as ValidationError).status).toBe(400);
    }
  });

  it("reads repeated form fields as arrays and drops Next's action fields", () => {
    const form = new FormData();
    form.append("teamIds", "a");
    form.append("teamIds", "b");
    form.append("userId", "u1");
    form.append("$ACTION_ID_123", "");
    expect(formToObject(form)).toEqual({ teamIds: ["a", "b"], userId: "u1" });
  });
});
