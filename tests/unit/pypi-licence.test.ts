import { describe, expect, it } from "vitest";
import { licenceFromPypiInfo } from "../../lib/dependencies/review";

describe("a Python release's licence from PyPI's JSON API info", () => {
  it("takes license_expression first, then a short SPDX license field, then unambiguous classifiers", () => {
    expect(licenceFromPypiInfo({ license_expression: "MIT OR Apache-2.0", license: "GPL-3.0-only" })).toBe(
      "MIT OR Apache-2.0",
    );
    expect(licenceFromPypiInfo({ license: "Apache-2.0" })).toBe("Apache-2.0");
    expect(
      licenceFromPypiInfo({
        license: "Copyright (c) the authors.\nPermission is hereby granted…",
        classifiers: [
          "License :: OSI Approved :: MIT License",
          "License :: OSI Approved :: Apache Software License",
          "Topic :: Scientific/Engineering",
        ],
      }),
    ).toBe("MIT OR Apache-2.0");
  });

  it("leaves what it cannot name exactly unknown", () => {
    expect(licenceFromPypiInfo({ license: "BSD", classifiers: ["License :: OSI Approved :: BSD License"] })).toBeNull();
    expect(licenceFromPypiInfo({ license: "", license_expression: "not an expression ((" })).toBeNull();
    expect(licenceFromPypiInfo(null)).toBeNull();
    expect(licenceFromPypiInfo({ classifiers: "License :: OSI Approved :: MIT License" })).toBeNull();
  });
});
