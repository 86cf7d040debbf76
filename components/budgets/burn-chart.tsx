import { LineChart, type ChartSeries } from "@/components/charts/line-chart";
import { formatMoney } from "@/lib/cba/money";

/** Cumulative spend per day of the period against the budget, with the linear forecast to the period's end. */
export function BurnChart({
  days,
  points,
  amountMinor,
  forecastMinor,
  currency,
}: {
  days: number;
  points: { day: number; cumulativeMinor: number }[];
  amountMinor: number;
  forecastMinor: number | null;
  currency: string;
}) {
  const last = points.at(-1);
  const series: ChartSeries[] = [
    {
      label: "Spent so far",
      tone: "primary",
      points: [{ x: 0, y: 0 }, ...points.map((p) => ({ x: p.day, y: p.cumulativeMinor }))],
    },
  ];
  if (last && forecastMinor !== null && last.day < days)
    series.push({
      label: "Forecast (linear)",
      tone: "warning",
      dashed: true,
      points: [
        { x: last.day, y: last.cumulativeMinor },
        { x: days, y: forecastMinor },
      ],
    });
  const money = (v: number) => formatMoney(Math.round(v), currency).replace(/\.\d+$/, "");
  return (
    <LineChart
      title="Budget burn"
      description={`Spent ${money(last?.cumulativeMinor ?? 0)} by day ${last?.day ?? 0} of ${days}; budget ${money(amountMinor)}${forecastMinor === null ? "" : `; forecast ${money(forecastMinor)}`}.`}
      series={series}
      rules={[{ label: "Budget", y: amountMinor, tone: "danger" }]}
      xDomain={[0, days]}
      formatX={(d) => `day ${d}`}
      formatY={money}
    />
  );
}
