import { describe, expect, it } from "vitest";
import {
  DependencyListQuery,
  DependencyListQueryOrDefaults,
  dependencyWindow,
} from "../../lib/security/dependency-list";

describe("dependency list pages", () => {
  it("places a page in its list: rows shown, neighbours, an empty list and a page past the end", () => {
    expect(dependencyWindow(4_812, { page: 1, limit: 100 })).toMatchObject({
      from: 1,
      to: 100,
      pages: 49,
      next: 2,
      previous: null,
    });
    expect(dependencyWindow(4_812, { page: 49, limit: 100 })).toMatchObject({
      from: 4_801,
      to: 4_812,
      next: null,
      previous: 48,
    });
    expect(dependencyWindow(0, { page: 1, limit: 100 })).toMatchObject({
      from: 0,
      to: 0,
      pages: 1,
      next: null,
      previous: null,
    });
    expect(dependencyWindow(150, { page: 9, limit: 100 })).toMatchObject({ from: 0, to: 0, next: null, previous: 2 });
  });

  it("the API's query is strict, the page's forgiving", () => {
    expect(DependencyListQuery.parse({})).toEqual({ page: 1, limit: 100, show: "all" });
    expect(DependencyListQuery.safeParse({ limit: "501" }).success).toBe(false);
    expect(DependencyListQuery.safeParse({ page: "0" }).success).toBe(false);
    expect(DependencyListQuery.safeParse({ show: "__proto__" }).success).toBe(false);
    expect(DependencyListQueryOrDefaults.parse({ page: "x", limit: "9999", show: "nope" })).toEqual({
      page: 1,
      limit: 100,
      show: "all",
    });
  });
});
