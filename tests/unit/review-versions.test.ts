import * as pep440 from "@renovatebot/pep440";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparePep440, pep440Scheme, semverScheme } from "../../lib/dependencies/review/versions";

// Versions built from PEP 440's parts, in the spellings people actually write.
const pep440Version = fc
  .record({
    epoch: fc.oneof(fc.constant(""), fc.constantFrom("1!", "2!")),
    // Mostly a few shared releases, so pre/post/dev/local orderings within one release get exercised.
    release: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom([1], [1, 0], [1, 0, 0], [2, 1]) },
      { weight: 1, arbitrary: fc.array(fc.nat(12), { minLength: 1, maxLength: 4 }) },
    ),
    pre: fc.option(fc.tuple(fc.constantFrom("a", "b", "rc", "alpha", "c", "pre"), fc.option(fc.nat(3)))),
    post: fc.option(fc.tuple(fc.constantFrom(".post", "-", "post", ".r"), fc.nat(3))),
    dev: fc.option(fc.tuple(fc.constantFrom(".dev", "dev"), fc.option(fc.nat(3)))),
    local: fc.option(
      fc.array(fc.constantFrom("cu118", "cpu", "1", "20", "abc", "ubuntu"), { minLength: 1, maxLength: 3 }),
    ),
  })
  .map(
    ({ epoch, release, pre, post, dev, local }) =>
      epoch +
      release.join(".") +
      (pre ? pre[0] + (pre[1] ?? "") : "") +
      (post ? post[0] + post[1] : "") +
      (dev ? dev[0] + (dev[1] ?? "") : "") +
      (local ? `+${local.join(".")}` : ""),
  );

describe("PEP 440 ordering", () => {
  it("orders exactly as @renovatebot/pep440 does (property)", () => {
    fc.assert(
      fc.property(pep440Version, pep440Version, (a, b) => {
        expect(comparePep440(a, b)).toBe(Math.sign(pep440.compare(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it("knows the orderings that string comparison gets wrong", () => {
    expect(comparePep440("2.10", "2.9")).toBe(1);
    expect(comparePep440("1.0", "1.0.0")).toBe(0);
    expect(comparePep440("1.0.dev0", "1.0a1")).toBe(-1);
    expect(comparePep440("1.0rc1", "1.0")).toBe(-1);
    expect(comparePep440("1.0", "1.0.post1")).toBe(-1);
    expect(comparePep440("1!0.1", "2.0")).toBe(1);
    expect(comparePep440("1.0+abc", "1.0+5")).toBe(-1);
  });

  it("ignores a local label only against a version without one", () => {
    expect(pep440Scheme.compareToEvent("2.1.0+cu118", "2.1.0")).toBe(0);
    expect(pep440Scheme.compareToEvent("2.1.0+cu118", "2.1.0+cu117")).toBe(1);
    expect(pep440Scheme.sameAs("2.1.0+cu118", "2.1")).toBe(true);
  });
});

describe("spec points", () => {
  it("names a spec's bounds and the first release above an exclusive lower bound", () => {
    expect(pep440Scheme.specPoints(">2.8.0, <3, ==2.9.*")).toEqual(["2.8.0", "2.8.1", "3", "2.9"]);
    expect(semverScheme.specPoints(">1.2.3 <2.0.0")).toEqual(["1.2.3", "1.2.4", "2.0.0", "1.2.4"]);
    expect(semverScheme.specPoints("not a range!")).toEqual([]);
  });

  it("maps a pre-release to the release it leads to", () => {
    expect(pep440Scheme.releaseOf("3.0.0rc1")).toBe("3.0.0");
    expect(pep440Scheme.releaseOf("3.0.0")).toBeNull();
    expect(semverScheme.releaseOf("3.0.0-beta.2")).toBe("3.0.0");
  });
});
