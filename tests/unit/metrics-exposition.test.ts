import { describe, expect, it } from "vitest";
import { metricsAccess } from "../../lib/metrics/access";
import { Histogram, render, routeTemplate } from "../../lib/metrics/exposition";

describe("Prometheus exposition", () => {
  it("writes HELP, TYPE and samples, escaping label values and help text, ending in a newline", () => {
    const text = render([
      {
        name: "x_total",
        help: "a \\ help\nline",
        type: "counter",
        samples: [{ labels: { path: 'a"b\\c\nd' }, value: 3 }, { value: Infinity }],
      },
    ]);
    expect(text).toBe(
      '# HELP x_total a \\\\ help\\nline\n# TYPE x_total counter\nx_total{path="a\\"b\\\\c\\nd"} 3\nx_total +Inf\n',
    );
  });

  it("keeps cumulative buckets, +Inf, sum and count per label set", () => {
    const h = new Histogram("lat_seconds", "latency", [0.1, 1]);
    h.observe({ route: "/a" }, 0.05);
    h.observe({ route: "/a" }, 0.5);
    h.observe({ route: "/a" }, 3);
    expect(render([h.family()]).split("\n").slice(2, 7)).toEqual([
      'lat_seconds_bucket{route="/a",le="0.1"} 1',
      'lat_seconds_bucket{route="/a",le="1"} 2',
      'lat_seconds_bucket{route="/a",le="+Inf"} 3',
      'lat_seconds_sum{route="/a"} 3.55',
      'lat_seconds_count{route="/a"} 3',
    ]);
  });

  it("bounds the number of series a histogram keeps", () => {
    const h = new Histogram("n", "n", [1], 2);
    for (const route of ["/a", "/b", "/c", "/d"]) h.observe({ route }, 0.1);
    expect(h.family().samples.filter((s) => s.suffix === "_count")).toHaveLength(2);
  });

  it("names routes by their template, decoding what Next decoded", () => {
    expect(routeTemplate("/api/v1/requests/CR-1042/submit", { number: "CR-1042" })).toBe(
      "/api/v1/requests/{number}/submit",
    );
    expect(
      routeTemplate("/api/v1/models/fraud%20detector/environments/prod/rollback", {
        name: "fraud detector",
        environment: "prod",
      }),
    ).toBe("/api/v1/models/{name}/environments/{environment}/rollback");
    expect(routeTemplate("/api/v1/models/%E0%A4%A", { name: "x" })).toBe("/api/v1/models/%E0%A4%A");
  });

  it("opens the endpoint only with the configured bearer token", () => {
    expect(metricsAccess(undefined, "Bearer anything")).toBe("off");
    expect(metricsAccess("t".repeat(32), null)).toBe("refused");
    expect(metricsAccess("t".repeat(32), `Bearer ${"t".repeat(31)}`)).toBe("refused");
    expect(metricsAccess("t".repeat(32), `bearer ${"t".repeat(32)}`)).toBe("ok");
  });
});
