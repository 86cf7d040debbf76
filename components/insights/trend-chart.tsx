import { NumbersBehind, type FigureColumn, type FigureRow } from "./figure-table";

// A weekly trend: the lines in SVG (stretched to the width, strokes kept thin), the axis labels in
// HTML so they keep their size on any screen.

export type TrendSeries = { label: string; tone: "primary" | "warning"; values: (number | null)[] };

const TONES = { primary: "var(--primary)", warning: "var(--warning, #b45309)" } as const;
const W = 100;
const H = 40;

export function TrendChart({
  id,
  title,
  description,
  weeks,
  series,
  formatY,
  table,
}: {
  id: string;
  title: string;
  description: string;
  weeks: string[];
  series: TrendSeries[];
  formatY: (v: number) => string;
  table: { columns: FigureColumn[]; rows: FigureRow[] };
}) {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(0, ...values);
  const x = (i: number) => (weeks.length <= 1 ? W / 2 : (i / (weeks.length - 1)) * W);
  const y = (v: number) => H - (max > 0 ? (v / max) * (H - 2) : 0) - 1;
  // Gaps (weeks without a figure) break the line rather than drawing through them.
  const runs = (vals: (number | null)[]) => {
    const out: string[][] = [];
    let run: string[] = [];
    vals.forEach((v, i) => {
      if (v === null) {
        if (run.length) out.push(run);
        run = [];
      } else run.push(`${x(i)},${y(v)}`);
    });
    if (run.length) out.push(run);
    return out;
  };
  return (
    <figure aria-labelledby={`${id}-title`} className="flex min-w-0 flex-col gap-3">
      <div>
        <figcaption id={`${id}-title`} className="text-base font-semibold">
          {title}
        </figcaption>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {weeks.length === 0 || values.length === 0 ? (
        <p className="text-sm text-muted-foreground">No week in this period has a figure yet.</p>
      ) : (
        <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2">
          <div className="flex flex-col justify-between text-right text-xs tabular-nums text-muted-foreground">
            <span>{formatY(max)}</span>
            <span>0</span>
          </div>
          <svg
            viewBox={`0 0 ${W} ${H}`}
            preserveAspectRatio="none"
            className="h-40 w-full border-b border-l border-border"
            role="img"
            aria-labelledby={`${id}-svg-title ${id}-svg-desc`}
          >
            <title id={`${id}-svg-title`}>{title}</title>
            <desc id={`${id}-svg-desc`}>{description}</desc>
            <line
              x1="0"
              x2={W}
              y1={y(max / 2)}
              y2={y(max / 2)}
              stroke="var(--border)"
              vectorEffect="non-scaling-stroke"
            />
            {series.map((s) =>
              runs(s.values).map((points, i) =>
                points.length === 1 ? (
                  <line
                    key={`${s.label}-${i}`}
                    x1={Number(points[0]!.split(",")[0]) - 0.8}
                    x2={Number(points[0]!.split(",")[0]) + 0.8}
                    y1={points[0]!.split(",")[1]}
                    y2={points[0]!.split(",")[1]}
                    stroke={TONES[s.tone]}
                    strokeWidth={4}
                    vectorEffect="non-scaling-stroke"
                  />
                ) : (
                  <polyline
                    key={`${s.label}-${i}`}
                    fill="none"
                    stroke={TONES[s.tone]}
                    strokeWidth={2}
                    strokeDasharray={s.tone === "warning" ? "6 4" : undefined}
                    vectorEffect="non-scaling-stroke"
                    points={points.join(" ")}
                  />
                ),
              ),
            )}
          </svg>
          <span />
          <div className="flex justify-between text-xs text-muted-foreground">
            <span>week of {weeks[0]}</span>
            {weeks.length > 1 && <span>week of {weeks.at(-1)}</span>}
          </div>
        </div>
      )}
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {series.map((s) => (
          <span key={s.label} className="flex items-center gap-1.5">
            <svg width="18" height="6" aria-hidden="true">
              <line
                x1="0"
                x2="18"
                y1="3"
                y2="3"
                stroke={TONES[s.tone]}
                strokeWidth={2}
                strokeDasharray={s.tone === "warning" ? "4 3" : undefined}
              />
            </svg>
            {s.label}
          </span>
        ))}
      </p>
      {table.rows.length > 0 && <NumbersBehind label={`${title}: the numbers`} {...table} />}
    </figure>
  );
}
