import { LineChart, type ChartSeries } from "@/components/charts/line-chart";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AnalysisReport, ScenarioReport } from "@/lib/cba/analyse";
import { formatMoney } from "@/lib/cba/money";
import type { CostBenefitAnalysis } from "@/lib/cba/types";
import { cn } from "@/lib/utils";
import { label, money, percent, periods, ratio } from "./format";

const TONE = { pessimistic: "danger", expected: "primary", optimistic: "muted" } as const;

/** The evaluated analysis: totals, the three scenarios side by side, the cumulative discounted cash flow. */
export function CbaReport({ report, analysis }: { report: AnalysisReport; analysis: CostBenefitAnalysis }) {
  const { currency } = report;
  const period = analysis.assumptions.period;
  const m = (v: string) => money(v, currency);
  const rows: { label: string; value: (s: ScenarioReport) => React.ReactNode; hint?: string }[] = [
    {
      label: "NPV",
      value: (s) => (
        <span
          className={cn("font-semibold", s.npv.startsWith("-") ? "text-destructive" : "text-success-soft-foreground")}
        >
          {m(s.npv)}
        </span>
      ),
      hint: "t = 0 undiscounted",
    },
    { label: "IRR", value: (s) => (s.irr.length ? s.irr.map(percent).join(" / ") : "none") },
    { label: "Payback", value: (s) => periods(s.paybackPeriods, period) },
    { label: "Discounted payback", value: (s) => periods(s.discountedPaybackPeriods, period) },
    { label: "ROI", value: (s) => percent(s.roi) },
    { label: "Benefit-cost ratio", value: (s) => ratio(s.bcr) },
    {
      label: "Switching value",
      value: (s) => switching(s.switchingValue),
      hint: "change in benefits that brings NPV to 0",
    },
    { label: "PV of costs", value: (s) => m(s.pvCosts) },
    { label: "PV of benefits", value: (s) => m(s.pvBenefits) },
  ];
  const series: ChartSeries[] = report.scenarios.map((s) => ({
    label: `${label(s.name)} scenario`,
    tone: TONE[s.name],
    dashed: s.name !== "expected",
    points: s.cumulativeDiscounted.map((v, t) => ({ x: t, y: Number(v) })),
  }));
  const expected = report.scenarios.find((s) => s.name === "expected");
  return (
    <div className="flex flex-col gap-5">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Figure
          label="Total cost"
          value={formatMoney(report.totals.costMinor, currency)}
          hint="expected, undiscounted"
        />
        <Figure
          label="Monetised benefits"
          value={formatMoney(report.totals.benefitMinor, currency)}
          hint="expected, undiscounted"
        />
        <Figure
          label="NPV (expected)"
          value={expected ? m(expected.npv) : "—"}
          tone={expected?.npv.startsWith("-") ? "text-destructive" : "text-success-soft-foreground"}
        />
        <Figure
          label="Assumptions"
          value={`${percent(analysis.assumptions.discountRate)} a year`}
          hint={`${analysis.assumptions.horizon} ${period}s, optimism bias ${percent(analysis.assumptions.optimismBias)}`}
        />
      </dl>
      {report.warnings.length > 0 && (
        <ul
          className="flex flex-col gap-1 rounded-md border border-warning/40 bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
          aria-label="Warnings"
        >
          {report.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <Table aria-label="Scenarios" scrollable>
        <TableHeader>
          <TableRow>
            <TableHead>Measure</TableHead>
            {report.scenarios.map((s) => (
              <TableHead key={s.name} className="text-right">
                <span className="capitalize">{s.name}</span>
                <span className="block text-xs font-normal text-muted-foreground">
                  costs ×{s.costMultiplier}, benefits ×{s.benefitMultiplier}
                </span>
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.label}>
              <TableCell className="font-medium">
                {r.label}
                {r.hint && <span className="block text-xs font-normal text-muted-foreground">{r.hint}</span>}
              </TableCell>
              {report.scenarios.map((s) => (
                <TableCell
                  key={s.name}
                  className={cn("text-right tabular-nums", s.name === "expected" && "bg-muted/50")}
                >
                  {r.value(s)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <LineChart
        title="Cumulative discounted cash flow"
        description={`By ${period}, for each scenario; the request pays back where a line crosses zero.`}
        series={series}
        xDomain={[0, analysis.assumptions.horizon]}
        formatX={(t) => `${period} ${t}`}
        formatY={(y) => formatMoney(Math.round(y) * 10 ** report.digits, currency).replace(/\.\d+$/, "")}
      />
      <CostLines analysis={analysis} />
    </div>
  );
}

function switching(value: string | null) {
  if (value === null) return "—";
  return value.startsWith("-")
    ? `benefits must rise ${percent(value.slice(1))}`
    : `benefits may fall ${percent(value)}`;
}

function Figure({ label: name, value, hint, tone }: { label: string; value: string; hint?: string; tone?: string }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs font-medium text-muted-foreground">{name}</dt>
      <dd className={cn("text-lg font-semibold tabular-nums", tone)}>{value}</dd>
      {hint && <dd className="text-xs text-muted-foreground">{hint}</dd>}
    </div>
  );
}

function CostLines({ analysis }: { analysis: CostBenefitAnalysis }) {
  const m = (v: string) => money(v, analysis.currency);
  if (!analysis.costs.length && !analysis.benefits.length) return null;
  return (
    <div className="grid gap-4">
      {analysis.costs.length > 0 && (
        <Table aria-label="Cost items" scrollable>
          <TableHeader>
            <TableRow>
              <TableHead>Cost</TableHead>
              <TableHead>Category</TableHead>
              <TableHead className="text-right">Quantity</TableHead>
              <TableHead className="text-right">Unit price</TableHead>
              <TableHead>When</TableHead>
              <TableHead>Price source</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {analysis.costs.map((c, i) => (
              <TableRow key={i}>
                <TableCell className="font-medium">{c.description}</TableCell>
                <TableCell>
                  <Badge variant="outline">{label(c.category)}</Badge>
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {c.quantity} {c.unit}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {c.unitPrice.includes(".") && c.unitPrice.split(".")[1]!.length > 3
                    ? `${c.unitPrice} ${analysis.currency}`
                    : m(c.unitPrice)}
                </TableCell>
                <TableCell>
                  {c.recurrence === "one_off"
                    ? `once, ${analysis.assumptions.period} ${c.startPeriod}`
                    : `${analysis.assumptions.period}s ${c.startPeriod}–${c.startPeriod + c.periods - 1}`}
                </TableCell>
                <TableCell className="text-muted-foreground">
                  {c.priceSource || "—"}
                  {c.priceDate ? `, ${c.priceDate}` : ""}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {analysis.benefits.length > 0 && (
        <Table aria-label="Benefits, line by line" scrollable>
          <TableHeader>
            <TableRow>
              <TableHead>Benefit</TableHead>
              <TableHead className="text-right">Per {analysis.assumptions.period}</TableHead>
              <TableHead>When</TableHead>
              <TableHead>Confidence</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {analysis.benefits.map((b, i) => (
              <TableRow key={i}>
                <TableCell className="font-medium">{b.description}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {b.monetised ? m(b.amountPerPeriod) : "not monetised"}
                </TableCell>
                <TableCell>{`${analysis.assumptions.period}s ${b.startPeriod}–${b.startPeriod + b.periods - 1}`}</TableCell>
                <TableCell>
                  <Badge
                    variant={b.confidence === "high" ? "success" : b.confidence === "low" ? "warning" : "secondary"}
                  >
                    {b.confidence}
                  </Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
