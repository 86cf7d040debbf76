// A small dependency-free SVG line chart: a few series over one x axis, optional horizontal reference
// lines, a zero line when values go negative. The figures it draws are also given as text beside it
// (callers render a table or a summary), so the picture is an aid, never the only way to read them.

export type ChartSeries = {
  label: string;
  points: { x: number; y: number }[];
  tone: "primary" | "muted" | "warning" | "danger";
  dashed?: boolean;
};
export type ChartRule = { label: string; y: number; tone: "muted" | "danger" | "warning" };

const TONES = {
  primary: "var(--primary)",
  muted: "var(--muted-foreground)",
  warning: "var(--warning, #b45309)",
  danger: "var(--destructive)",
} as const;
const W = 640;
const H = 220;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

export function LineChart({
  title,
  description,
  series,
  rules = [],
  xDomain,
  formatY,
  formatX = (x) => String(x),
}: {
  title: string;
  description: string;
  series: ChartSeries[];
  rules?: ChartRule[];
  xDomain: [number, number];
  formatY: (y: number) => string;
  formatX?: (x: number) => string;
}) {
  const ys = [...series.flatMap((s) => s.points.map((p) => p.y)), ...rules.map((r) => r.y), 0];
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const span = yMax - yMin || 1;
  const x = (v: number) => PAD.left + ((v - xDomain[0]) / (xDomain[1] - xDomain[0] || 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - yMin) / span) * (H - PAD.top - PAD.bottom);
  const ticks = [yMin, yMin + span / 2, yMax];
  const xTicks = [xDomain[0], Math.round((xDomain[0] + xDomain[1]) / 2), xDomain[1]];
  return (
    <figure className="flex flex-col gap-2">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}. ${description}`}
        className="h-auto w-full text-xs"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--border)" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fill="var(--muted-foreground)">
              {formatY(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            key={t}
            x={x(t)}
            y={H - 8}
            textAnchor={i === 0 ? "start" : i === xTicks.length - 1 ? "end" : "middle"}
            fill="var(--muted-foreground)"
          >
            {formatX(t)}
          </text>
        ))}
        {yMin < 0 && (
          <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke="var(--foreground)" strokeWidth={1} />
        )}
        {rules.map((r) => (
          <line
            key={r.label}
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(r.y)}
            y2={y(r.y)}
            stroke={TONES[r.tone]}
            strokeDasharray="2 4"
            strokeWidth={1.5}
          />
        ))}
        {series.map((s) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={TONES[s.tone]}
            strokeWidth={2}
            strokeDasharray={s.dashed ? "6 4" : undefined}
            points={s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {[
          ...series.map((s) => ({ label: s.label, tone: s.tone, dashed: s.dashed })),
          ...rules.map((r) => ({ label: r.label, tone: r.tone, dashed: true })),
        ].map((l) => (
          <span key={l.label} className="flex items-center gap-1.5">
            <svg width="18" height="6" aria-hidden="true">
              <line
                x1="0"
                x2="18"
                y1="3"
                y2="3"
                stroke={TONES[l.tone]}
                strokeWidth={2}
                strokeDasharray={l.dashed ? "4 3" : undefined}
              />
            </svg>
            {l.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
