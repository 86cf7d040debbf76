// The IRR's worst case the schemas allow, in memory: one evaluation of the most cash flows an
// analysis may have (2 * MAX_HORIZON + 1 = 1,201, 15 digits before the point and 10 after) with the
// most sign changes, so the whole rate grid is scanned and every root found is bisected.
//   npx tsx bench/irr-worst-case.ts
// A request evaluates at most three such series (the scenarios) per call, so the budget per series
// is 1/3 of a second. Median of RUNS runs after one warm-up run.
// Measured on the shared 2-core dev machine (under load from other work, so +-50%):
//   case                 every NPV in Decimal   float64 screen + caps (lib/cba/irr.ts)
//   alternating          6,172 ms               17-26 ms
//   ripple               3,827 ms               18-31 ms
//   noise                3,982 ms               28-44 ms
//   flat                 4,915 ms               194 ms (spends most of the Decimal budget)
//   largest analysis     8,949 ms               115 ms
// with the same roots found (tests/unit/cba-irr-bounds.test.ts checks that against an all-Decimal scan).
import { Dec } from "../lib/cba/decimal";
import { irrRoots, searchIrr } from "../lib/cba/irr";
import { analyse } from "../lib/cba/analyse";
import { costBenefitSchema, MAX_HORIZON } from "../lib/cba/schemas";

const RUNS = 5;
const BUDGET_MS = 333;
const FLOWS = 2 * MAX_HORIZON + 1;

export interface IrrBenchFigures {
  flows: number;
  /** Per case: roots found, median and warm-up (cold) time of one irrRoots call, in milliseconds. */
  cases: {
    name: string;
    signChanges: number;
    roots: number;
    exactEvaluations: number;
    medianMs: number;
    coldMs: number;
  }[];
  budgetMs: number;
  /** The largest analysis the schemas allow (200 costs, 100 benefits, 600 periods, 3 scenarios), analysed whole. */
  analysis: { medianMs: number; coldMs: number };
}

/** Costs and benefits that start and stop at staggered periods, so the net series changes sign often. */
const largestAnalysis = costBenefitSchema.parse({
  currency: "USD",
  assumptions: { discountRate: "0.0725", period: "month", horizon: MAX_HORIZON, optimismBias: "0.15" },
  costs: Array.from({ length: 200 }, (_, i) => ({
    description: `Cost ${i}`,
    category: "compute",
    recurrence: "recurring",
    quantity: "3.5",
    unit: "GPU-hour",
    unitPrice: "1234.5678901234",
    startPeriod: (i * 7) % MAX_HORIZON,
    periods: 1 + ((i * 13) % 40),
  })),
  benefits: Array.from({ length: 100 }, (_, i) => ({
    description: `Benefit ${i}`,
    amountPerPeriod: "99999.9999999999",
    startPeriod: (i * 11) % MAX_HORIZON,
    periods: 1 + ((i * 17) % 30),
    confidence: "medium",
    monetised: true,
  })),
});

/** Alternating signs, the largest amounts allowed: 1,200 sign changes, so no early end to the scan. */
const alternating = Array.from({ length: FLOWS }, (_, t) => (t % 2 ? "" : "-") + "999999999999999.9999999999");
/** Alternating signs that cross zero near r = 0 several times (a ripple on a cost-then-benefit shape). */
const ripple = Array.from({ length: FLOWS }, (_, t) =>
  t === 0 ? "-100000" : String(Math.round(Math.sin(t / 3) * 100_000 + (t % 2 ? 5 : -5) * 1_000)),
);
/**
 * (1 - 1.05/(1+r))^11 in 25-digit amounts, padded with 25-digit noise far below them: NPV is too flat
 * around 5% for float64 to tell its sign, so the search spends its whole Decimal budget
 * (MAX_EXACT_EVALUATIONS) there, each of those NPVs at full cost.
 */
const flat = (() => {
  let c = [1];
  for (let m = 0; m < 11; m += 1) c = [...c, 0].map((v, i) => v - (i ? c[i - 1]! * 1.05 : 0));
  const scale = new Dec("99999999999.9999999999");
  const tail = Array.from({ length: FLOWS - c.length }, () => "0.0000000001");
  return [...c.map((v) => scale.times(v.toFixed(4)).toFixed(10)), ...tail];
})();
/** Random amounts with random signs (fixed seed), the shape a fuzzer would send. */
let seed = 12_345;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
const noise = Array.from({ length: FLOWS }, () => (random() * 1e15).toFixed(10));

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function signChanges(flows: string[]) {
  let changes = 0;
  let last = 0;
  for (const f of flows) {
    const sign = Math.sign(Number(f));
    if (sign && last && sign !== last) changes += 1;
    if (sign) last = sign;
  }
  return changes;
}

export function runIrrBench(): IrrBenchFigures {
  const cases = Object.entries({ alternating, ripple, noise, flat }).map(([name, flows]) => {
    let t = performance.now();
    const roots = irrRoots(flows).length;
    const coldMs = performance.now() - t;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      t = performance.now();
      irrRoots(flows);
      times.push(performance.now() - t);
    }
    const { exactEvaluations } = searchIrr(flows);
    return { name, signChanges: signChanges(flows), roots, exactEvaluations, medianMs: median(times), coldMs };
  });
  let t = performance.now();
  analyse(largestAnalysis);
  const coldMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    t = performance.now();
    analyse(largestAnalysis);
    times.push(performance.now() - t);
  }
  return { flows: FLOWS, cases, budgetMs: BUDGET_MS, analysis: { medianMs: median(times), coldMs } };
}

export function irrBenchReport(figures: IrrBenchFigures): string {
  const lines = [`IRR worst case: ${figures.flows} cash flows, one irrRoots call (budget ${figures.budgetMs} ms)`];
  for (const c of figures.cases) {
    const verdict = c.medianMs <= figures.budgetMs ? "within budget" : "OVER BUDGET";
    lines.push(
      `  ${c.name.padEnd(12)} ${String(c.signChanges).padStart(5)} sign changes, ${c.roots} roots, ${c.exactEvaluations} in Decimal: ` +
        `median ${c.medianMs.toFixed(1)} ms, cold ${c.coldMs.toFixed(1)} ms (${verdict})`,
    );
  }
  lines.push(
    `  largest analysis (200 costs, 100 benefits, ${MAX_HORIZON} months, 3 scenarios): ` +
      `median ${figures.analysis.medianMs.toFixed(1)} ms, cold ${figures.analysis.coldMs.toFixed(1)} ms`,
  );
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("irr-worst-case.ts")) console.log(irrBenchReport(runIrrBench()));
