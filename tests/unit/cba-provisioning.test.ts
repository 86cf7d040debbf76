import { describe, expect, it } from "vitest";
import {
  lineMonthlyCost,
  lineTotalCost,
  provisioningCostFlows,
  provisioningLineSchema,
  toMinorUnits,
  type ProvisioningLine,
} from "../../lib/cba";

function line(overrides: Record<string, unknown> = {}): ProvisioningLine {
  return provisioningLineSchema.parse({
    provider: "aws",
    region: "eu-west-1",
    instanceType: "p4d.24xlarge",
    gpuType: "A100",
    gpuCount: 8,
    months: 3,
    pricingModel: "on_demand",
    pricePerHour: "2.50",
    priceSource: "AWS price list",
    priceDate: "2025-01-15",
    ...overrides,
  });
}

describe("provisioning line costs", () => {
  it("worked case 7: 8 GPUs x 730 h x $2.50 per GPU-hour is 1,460,000 cents a month", () => {
    const gpus = line();
    expect(gpus.priceUnit).toBe("gpu_hour");
    expect(gpus.hoursPerMonth).toBe("730");
    expect(toMinorUnits(lineMonthlyCost(gpus), "USD")).toBe(1_460_000);
    expect(toMinorUnits(lineTotalCost(gpus), "USD")).toBe(4_380_000);
  });

  it("multiplies GPUs by nodes for GPU-hour pricing", () => {
    expect(lineMonthlyCost(line({ nodes: 2 })).toFixed()).toBe("29200");
  });

  it("charges per node for node-hour pricing, ignoring the GPU count", () => {
    const nodes = line({ nodes: 2, priceUnit: "node_hour", pricePerHour: "32.77" });
    expect(lineMonthlyCost(nodes).toFixed()).toBe("47844.2");
    const cpu = line({ gpuType: null, gpuCount: undefined, instanceType: "m7i.4xlarge", pricePerHour: "0.8064" });
    expect(cpu.priceUnit).toBe("node_hour");
    expect(lineMonthlyCost(cpu).toFixed()).toBe("588.672");
  });

  it("adds storage per GB-month with sub-cent prices kept exact", () => {
    const withStorage = line({
      gpuType: null,
      gpuCount: 0,
      pricePerHour: "0",
      storageGb: "1500",
      storagePricePerGbMonth: "0.0000166667",
    });
    expect(lineMonthlyCost(withStorage).toFixed()).toBe("0.02500005");
  });
});

describe("provisioningCostFlows", () => {
  it("puts monthly cost in months 1..months and nothing at t = 0", () => {
    const flows = provisioningCostFlows([line({ months: 3 })], "month", 5);
    expect(flows.map((f) => f.toFixed())).toEqual(["0", "14600", "14600", "14600", "0", "0"]);
  });

  it("splits an 18-month line into 12 months in year 1 and 6 in year 2", () => {
    const flows = provisioningCostFlows([line({ months: 18 })], "year", 3);
    expect(flows.map((f) => f.toFixed())).toEqual(["0", "175200", "87600", "0"]);
  });

  it("clips months beyond the horizon and adds lines together", () => {
    const flows = provisioningCostFlows([line({ months: 4 }), line({ months: 1, gpuCount: 1 })], "month", 2);
    expect(flows.map((f) => f.toFixed())).toEqual(["0", "16425", "14600"]);
  });
});
