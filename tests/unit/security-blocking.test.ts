import { describe, expect, it } from "vitest";
import { blockingPackages, describeBlocking, type PackageForBlocking } from "../../lib/security/blocking";

const pkg = (name: string, over: Partial<PackageForBlocking> = {}): PackageForBlocking => ({
  name,
  version: "1.0",
  decision: "pending",
  openMalware: [],
  ...over,
});

describe("blocking packages (rejected means blocked)", () => {
  it("a rejected package blocks; an open malware record blocks unless the package was approved", () => {
    const blocking = blockingPackages([
      pkg("numpy", { decision: "rejected" }),
      pkg("reqeusts", { version: "2.31.0", openMalware: ["MAL-2024-4312", "MAL-2024-4312"] }),
      pkg("evil", { decision: "approved", openMalware: ["MAL-1"] }),
      pkg("pandas"),
      pkg("scipy", { decision: "approved" }),
    ]);
    expect(blocking).toEqual([
      { name: "numpy", version: "1.0", why: "rejected", ids: [] },
      { name: "reqeusts", version: "2.31.0", why: "malware", ids: ["MAL-2024-4312"] },
    ]);
    expect(describeBlocking(blocking)).toBe(
      "numpy 1.0 is rejected; reqeusts 2.31.0 has an open malware record (MAL-2024-4312)",
    );
  });

  it("undecided packages block only when asked; the message counts them and names at most ten others", () => {
    const many = [
      ...Array.from({ length: 12 }, (_, i) => pkg(`bad${i}`, { decision: "rejected", version: null })),
      pkg("a"),
      pkg("b"),
      pkg("c", { decision: "approved" }),
    ];
    expect(blockingPackages(many)).toHaveLength(12);
    const strict = blockingPackages(many, { requireAllDecided: true });
    expect(strict).toHaveLength(14);
    const text = describeBlocking(strict);
    expect(text).toMatch(/^bad0 is rejected; bad1 is rejected;/);
    expect(text).not.toMatch(/bad10/);
    expect(text).toMatch(/; 2 more packages are rejected or flagged as malware; 2 packages are undecided$/);
    expect(describeBlocking([{ name: "x", version: "1", why: "malware", ids: ["MAL-1", "MAL-2"] }])).toBe(
      "x 1 has open malware records (MAL-1, MAL-2)",
    );
  });
});
