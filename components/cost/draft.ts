import type {
  CostBenefitAnalysis,
  CostCategory,
  Confidence,
  PricingModel,
  ProvisioningLine,
  Recurrence,
} from "@/lib/cba/types";

// The cost editor's working copy: every field as the person typed it (strings), so a half-typed number
// is never lost or coerced; serialise() turns it into the shape the server validates.

export type CostDraft = {
  description: string;
  category: CostCategory;
  recurrence: Recurrence;
  quantity: string;
  unit: string;
  unitPrice: string;
  priceSource: string;
  startPeriod: string;
};
export type BenefitDraft = {
  description: string;
  amountPerPeriod: string;
  periods: string;
  startPeriod: string;
  confidence: Confidence;
  monetised: boolean;
};
export type LineDraft = {
  instanceType: string;
  gpuType: string;
  gpuCount: string;
  nodes: string;
  hoursPerMonth: string;
  months: string;
  pricingModel: PricingModel;
  pricePerHour: string;
  priceSource: string;
  priceDate: string;
  storageGb: string;
  storagePricePerGbMonth: string;
};
export type Draft = {
  currency: string;
  discountRate: string;
  period: "year" | "month";
  horizon: string;
  optimismBias: string;
  costs: CostDraft[];
  benefits: BenefitDraft[];
  lines: LineDraft[];
};

export const EMPTY_COST: CostDraft = {
  description: "",
  category: "people",
  recurrence: "one_off",
  quantity: "1",
  unit: "",
  unitPrice: "",
  priceSource: "",
  startPeriod: "0",
};
export const EMPTY_BENEFIT: BenefitDraft = {
  description: "",
  amountPerPeriod: "",
  periods: "",
  startPeriod: "1",
  confidence: "medium",
  monetised: true,
};
export const EMPTY_LINE: LineDraft = {
  instanceType: "",
  gpuType: "",
  gpuCount: "1",
  nodes: "1",
  hoursPerMonth: "730",
  months: "1",
  pricingModel: "on_demand",
  pricePerHour: "",
  priceSource: "",
  priceDate: "",
  storageGb: "0",
  storagePricePerGbMonth: "0",
};

export function draftFrom(initial?: {
  currency: string | null;
  costBenefit: CostBenefitAnalysis | null;
  provisioning: ProvisioningLine[];
}): Draft {
  const cba = initial?.costBenefit;
  return {
    currency: initial?.currency ?? "USD",
    discountRate: cba?.assumptions.discountRate ?? "0.08",
    period: cba?.assumptions.period ?? "year",
    horizon: String(cba?.assumptions.horizon ?? 3),
    optimismBias: cba?.assumptions.optimismBias ?? "0",
    costs: (cba?.costs ?? []).map((c) => ({
      description: c.description,
      category: c.category,
      recurrence: c.recurrence,
      quantity: c.quantity,
      unit: c.unit,
      unitPrice: c.unitPrice,
      priceSource: c.priceSource,
      startPeriod: String(c.startPeriod),
    })),
    benefits: (cba?.benefits ?? []).map((b) => ({
      description: b.description,
      amountPerPeriod: b.amountPerPeriod,
      periods: String(b.periods),
      startPeriod: String(b.startPeriod),
      confidence: b.confidence,
      monetised: b.monetised,
    })),
    lines: (initial?.provisioning ?? []).map((l) => ({
      instanceType: l.instanceType,
      gpuType: l.gpuType ?? "",
      gpuCount: String(l.gpuCount),
      nodes: String(l.nodes),
      hoursPerMonth: l.hoursPerMonth,
      months: String(l.months),
      pricingModel: l.pricingModel,
      pricePerHour: l.pricePerHour,
      priceSource: l.priceSource,
      priceDate: l.priceDate,
      storageGb: l.storageGb,
      storagePricePerGbMonth: l.storagePricePerGbMonth,
    })),
  };
}

/**
 * What the form posts. With resource lines only, there is no analysis (null): the request's cost is the
 * lines' total. Once a cost or a benefit is added, the lines feed the analysis as costs.
 */
export function serialise(d: Draft) {
  const blank = (v: string) => (v.trim() === "" ? undefined : v.trim());
  const costBenefit =
    d.costs.length || d.benefits.length
      ? {
          currency: d.currency,
          assumptions: {
            discountRate: d.discountRate,
            period: d.period,
            horizon: d.horizon,
            optimismBias: d.optimismBias,
          },
          costs: d.costs.map((c) => ({ ...c, startPeriod: blank(c.startPeriod) })),
          benefits: d.benefits.map((b) => ({ ...b, periods: blank(b.periods), startPeriod: blank(b.startPeriod) })),
        }
      : null;
  const provisioning = d.lines.map((l) => ({
    ...l,
    gpuType: blank(l.gpuType) ?? null,
    gpuCount: l.gpuType.trim() ? l.gpuCount : blank(l.gpuCount),
  }));
  return { currency: d.currency, costBenefit, provisioning };
}
