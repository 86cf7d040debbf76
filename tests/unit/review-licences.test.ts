import { describe, expect, it } from "vitest";
import { DEFAULT_LICENCE_POLICY, canonicalLicenceId, checkLicence } from "../../lib/dependencies/review";

const status = (expression: string | null, policy = DEFAULT_LICENCE_POLICY) => checkLicence(expression, policy).status;

describe("checkLicence", () => {
  it("GPL-2.0 OR MIT satisfies [MIT]; GPL-2.0 AND MIT does not", () => {
    const policy = { allowed: ["MIT"], denied: [] };
    expect(status("GPL-2.0 OR MIT", policy)).toBe("allowed");
    expect(status("GPL-2.0 AND MIT", policy)).toBe("needs_review");
    expect(checkLicence("GPL-2.0 AND MIT", policy).detail).toContain("GPL-2.0-only");
  });

  it("allows permissive licences of the default policy, alone or combined", () => {
    expect(status("MIT")).toBe("allowed");
    expect(status("Apache-2.0 AND BSD-3-Clause")).toBe("allowed");
    expect(status("(MIT OR GPL-3.0-or-later) AND PSF-2.0")).toBe("allowed");
  });

  it("denies only when a denied licence cannot be avoided", () => {
    expect(status("AGPL-3.0-only")).toBe("denied");
    expect(status("MIT AND SSPL-1.0")).toBe("denied");
    expect(status("AGPL-3.0-only OR (GPL-2.0-only AND SSPL-1.0)")).toBe("denied");
    expect(status("MIT OR AGPL-3.0-only")).toBe("allowed");
    expect(status("GPL-3.0-only OR AGPL-3.0-only")).toBe("needs_review");
    expect(checkLicence("MIT AND SSPL-1.0").detail).toContain("SSPL-1.0");
  });

  it("treats deprecated GNU ids as their -only / -or-later forms", () => {
    expect(status("AGPL-3.0")).toBe("denied");
    expect(status("AGPL-3.0+")).toBe("denied");
    expect(status("GPL-2.0", { allowed: ["GPL-2.0-only"], denied: [] })).toBe("allowed");
    expect(status("GPL-2.0-only", { allowed: [], denied: ["GPL-2.0"] })).toBe("denied");
    expect(canonicalLicenceId("GPL-2.0")).toBe("GPL-2.0-only");
    expect(canonicalLicenceId("LGPL-2.1+")).toBe("LGPL-2.1-or-later");
    expect(canonicalLicenceId("MIT")).toBe("MIT");
  });

  it("sends everything else to review: weak copyleft, exceptions, custom licences", () => {
    expect(status("MPL-2.0")).toBe("needs_review");
    expect(status("LGPL-2.1-or-later")).toBe("needs_review");
    expect(status("Apache-2.0 WITH LLVM-exception")).toBe("needs_review");
    expect(status("LicenseRef-Proprietary")).toBe("needs_review");
  });

  it("missing, empty, NOASSERTION and NONE are unlicensed", () => {
    for (const value of [null, "", "   ", "NOASSERTION", "NONE", "UNLICENSED", "UNKNOWN"])
      expect(status(value)).toBe("unlicensed");
  });

  it("an expression that is not SPDX is unresolved, with the reason", () => {
    expect(status("Apache 2.0")).toBe("unresolved");
    expect(status("MIT OR")).toBe("unresolved");
    expect(status("))((")).toBe("unresolved");
    expect(checkLicence("BSD-like licence").detail).toMatch(/not an SPDX expression/);
  });

  it("ignores an unusable entry in the allow list rather than failing every check", () => {
    expect(status("MIT", { allowed: ["MIT OR ISC", "not a licence", "MIT"], denied: [] })).toBe("allowed");
  });

  it("lists the licences named, in their current form", () => {
    expect(checkLicence("GPL-2.0+ OR MIT").licences).toEqual(["GPL-2.0-or-later", "MIT"]);
  });
});
