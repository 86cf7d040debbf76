import { expect, it } from "vitest";
import { describeConditions } from "../../lib/policies/describe";

it("a policy's conditions read as one line; none means every request", () => {
  const team = (id: string) => ({ t1: "Fraud" })[id] ?? "?";
  expect(describeConditions({}, team)).toBe("Applies to every request");
  expect(
    describeConditions({ kinds: ["deployment"], environments: ["production"], minRisk: "high", teamIds: ["t1"] }, team),
  ).toBe("Applies to: deployment · to production · high risk or higher · teams Fraud");
  expect(
    describeConditions({ hasCost: true, costAtLeast: { amount: "10000", currency: "USD" }, emergency: false }, team),
  ).toBe("Applies to: never emergencies · with a cost · total cost at least 10,000 USD");
});
