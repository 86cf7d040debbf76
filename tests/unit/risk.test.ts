import { describe, expect, it } from "vitest";
import { effectiveRisk, riskRaisedBy, type RiskFacts } from "../../lib/requests/risk";

const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  declared: "low",
  kind: "deployment",
  environment: "staging",
  protectedEnvironment: false,
  emergency: false,
  cost: { currency: null, totalMinor: null },
  highCost: { minor: 1_000_000, currency: "USD" },
  dependencies: null,
  ...over,
});
const clean = { newToOrg: [], vulnerable: [], deniedLicence: [], malware: [] };

describe("effective risk", () => {
  it("is the declared risk when no fact says more", () => {
    expect(effectiveRisk(facts())).toEqual({ risk: "low", factors: [] });
    expect(effectiveRisk(facts({ declared: "high" }))).toEqual({ risk: "high", factors: [] });
    expect(
      effectiveRisk(facts({ kind: "provisioning", environment: "production", protectedEnvironment: true })).risk,
    ).toBe("low");
  });

  it("a deployment to a protected environment is at least medium, whatever its name; an emergency is high", () => {
    const prod = { environment: "production", protectedEnvironment: true };
    expect(effectiveRisk(facts(prod))).toEqual({
      risk: "medium",
      factors: [{ fact: "a deployment to a protected environment (production)", risk: "medium" }],
    });
    expect(effectiveRisk(facts({ environment: "eu-live", protectedEnvironment: true })).factors).toEqual([
      { fact: "a deployment to a protected environment (eu-live)", risk: "medium" },
    ]);
    // An unprotected environment named "production" raises nothing: the flag decides, not the name.
    expect(effectiveRisk(facts({ environment: "production" })).risk).toBe("low");
    expect(effectiveRisk(facts({ ...prod, emergency: true })).risk).toBe("high");
  });

  it("never lowers the declared risk", () => {
    expect(effectiveRisk(facts({ declared: "high", environment: "production", protectedEnvironment: true })).risk).toBe(
      "high",
    );
  });

  it("a total cost at or over the threshold is high, in the threshold's currency only", () => {
    const at = effectiveRisk(facts({ cost: { currency: "USD", totalMinor: 1_000_000 } }));
    expect(at).toEqual({
      risk: "high",
      factors: [{ fact: "a total cost at or over $10,000.00", risk: "high", detail: "$10,000.00" }],
    });
    expect(effectiveRisk(facts({ cost: { currency: "USD", totalMinor: 999_999 } })).risk).toBe("low");
    expect(effectiveRisk(facts({ cost: { currency: "EUR", totalMinor: 99_000_000 } })).risk).toBe("low");
    const yen = facts({
      highCost: { minor: 1_000_000, currency: "JPY" },
      cost: { currency: "JPY", totalMinor: 2_000_000 },
    });
    expect(effectiveRisk(yen).factors[0]).toMatchObject({ risk: "high", detail: "¥2,000,000" });
  });

  it("the manifest's facts: new packages are medium; malware, open high vulnerabilities and denied licences are high", () => {
    expect(effectiveRisk(facts({ dependencies: clean }))).toEqual({ risk: "low", factors: [] });
    expect(effectiveRisk(facts({ dependencies: { ...clean, newToOrg: ["numpy"] } }))).toEqual({
      risk: "medium",
      factors: [{ fact: "a package new to the organisation", risk: "medium", detail: "numpy" }],
    });
    for (const deps of [
      { ...clean, malware: ["evil-pkg"] },
      { ...clean, vulnerable: [{ name: "jinja2", id: "PYSEC-2019-217" }] },
      { ...clean, deniedLicence: [{ name: "agplthing", licence: "AGPL-3.0-only" }] },
    ]) {
      expect(effectiveRisk(facts({ dependencies: deps })).risk).toBe("high");
    }
    const many = effectiveRisk(facts({ dependencies: { ...clean, newToOrg: ["a", "b", "c", "d", "e"] } }));
    expect(many.factors[0]).toEqual({
      fact: "packages new to the organisation",
      risk: "medium",
      detail: "a, b, c and 2 more",
    });
  });

  it("says which facts raised it, only when they did", () => {
    const assessed = effectiveRisk(
      facts({
        environment: "production",
        protectedEnvironment: true,
        dependencies: { ...clean, malware: ["evil-pkg"], newToOrg: ["evil-pkg"] },
      }),
    );
    expect(assessed.risk).toBe("high");
    expect(assessed.factors.map((f) => f.risk)).toEqual(["medium", "high", "medium"]);
    expect(riskRaisedBy({ ...assessed, declared: "low" })).toBe(
      "High risk: a package with a malware record (evil-pkg); declared low",
    );
    expect(riskRaisedBy({ ...assessed, declared: "high" })).toBeNull();
    const two = effectiveRisk(facts({ emergency: true, cost: { currency: "USD", totalMinor: 2_500_000 } }));
    expect(riskRaisedBy({ ...two, declared: "medium" })).toBe(
      "High risk: an emergency change; a total cost at or over $10,000.00 ($25,000.00); declared medium",
    );
  });
});
