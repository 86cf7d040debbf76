import { describe, expect, it } from "vitest";
import { costBenefitSchema } from "../../lib/cba/schemas";
import { CreateRequestInput } from "../../lib/requests/schemas";
import { costSizeIssues } from "../../lib/requests/costing";

// Issue 20, item 1: a total too large to hold exactly is a field error, never a crash while the
// total is computed (a 14-digit unit price took the new-request and cost pages down).
const analysis = (unitPrice: string, quantity = "1") =>
  costBenefitSchema.parse({
    currency: "USD",
    assumptions: { horizon: 12, discountRate: "0.05", period: "month" },
    costs: [
      {
        description: "Labelling",
        category: "compute",
        recurrence: "one_off",
        quantity: "1",
        unit: "job",
        unitPrice: "10",
      },
      { description: "GPU hours", category: "compute", recurrence: "recurring", quantity, unit: "h", unitPrice },
    ],
    benefits: [],
  });

describe("cost totals too large to hold", () => {
  it("names the cost whose total is too large, at its unit price, with the limit in words", () => {
    expect(costSizeIssues({ costBenefit: analysis("12345678901234") })).toEqual([
      {
        path: ["costBenefit", "costs", 1, "unitPrice"],
        message:
          "This cost comes to more than $90,071,992,547,409.91 over its periods: check the quantity and the unit price.",
      },
    ]);
  });

  it("says nothing of totals that fit, up to the last cent", () => {
    expect(costSizeIssues({ costBenefit: analysis("1234567890.12", "3") })).toEqual([]);
    expect(costSizeIssues({})).toEqual([]);
  });

  it("the request's own schema refuses it with that field error instead of throwing", () => {
    const parsed = CreateRequestInput.safeParse({
      kind: "deployment",
      model: "fraud-detector",
      version: "v1",
      environment: "staging",
      title: "A very expensive request",
      costBenefit: JSON.stringify({
        currency: "USD",
        assumptions: { horizon: 12, discountRate: "0.05", period: "month" },
        costs: [
          {
            description: "GPU hours",
            category: "compute",
            recurrence: "recurring",
            quantity: "1",
            unit: "h",
            unitPrice: "99999999999999",
          },
        ],
        benefits: [],
      }),
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join("."))).toEqual(["costBenefit.costs.0.unitPrice"]);
  });
});
