import { NumbersBehind, type FigureColumn, type FigureRow } from "./figure-table";

// Horizontal bars drawn in SVG, labels and values in HTML beside them: the text keeps its size
// whatever the window's width, and a screen reader reads each row as "label, value".

export type Bar = {
  label: string;
  value: number;
  /** What the row says in words ("2.1 days"). */
  display: string;
  /** A second mark on the same scale (the p90 beside a median). */
  marker?: number | null;
  tone?: "primary" | "warning" | "danger" | "muted";
};

const TONES = {
  primary: "var(--primary)",
  warning: "var(--warning, #b45309)",
  danger: "var(--destructive)",
  muted: "var(--muted-foreground)",
} as const;

export function BarChart({
  id,
  title,
  description,
  bars,
  markerLabel,
  table,
  empty,
  max: fixedMax,
}: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  markerLabel?: string;
  table: { columns: FigureColumn[]; rows: FigureRow[] };
  empty: string;
  /** The value a full bar stands for (100 for shares); the largest value when not given. */
  max?: number;
}) {
  const max = Math.max(fixedMax ?? 0, ...bars.map((b) => Math.max(b.value, b.marker ?? 0)));
  const scale = (v: number) => (max > 0 ? Math.max(0, Math.min(100, (v / max) * 100)) : 0);
  return (
    <figure aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="flex min-w-0 flex-col gap-3">
      <div>
        <figcaption id={`${id}-title`} className="text-base font-semibold">
          {title}
        </figcaption>
        <p id={`${id}-desc`} className="text-sm text-muted-foreground">
          {description}
        </p>
      </div>
      {bars.length === 0 ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {bars.map((b) => (
            <li
              key={b.label}
              className="grid grid-cols-[minmax(0,8rem)_minmax(0,1fr)_auto] items-center gap-x-3 text-sm sm:grid-cols-[minmax(0,13rem)_minmax(0,1fr)_auto]"
            >
              <span className="break-words">{b.label}</span>
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="h-3 w-full" aria-hidden="true">
                <rect x="0" y="0" width="100" height="10" fill="var(--muted)" />
                <rect x="0" y="0" width={scale(b.value)} height="10" fill={TONES[b.tone ?? "primary"]} />
                {b.marker != null && (
                  <rect x={Math.max(0, scale(b.marker) - 0.6)} y="0" width="1.2" height="10" fill="var(--foreground)" />
                )}
              </svg>
              <span className="text-right text-xs tabular-nums text-muted-foreground">{b.display}</span>
            </li>
          ))}
        </ul>
      )}
      {markerLabel && bars.some((b) => b.marker != null) && (
        <p className="flex items-center gap-2 text-xs text-muted-foreground">
          <svg width="4" height="12" aria-hidden="true">
            <rect width="2" height="12" fill="var(--foreground)" />
          </svg>
          {markerLabel}
        </p>
      )}
      {table.rows.length > 0 && <NumbersBehind label={`${title}: the numbers`} {...table} />}
    </figure>
  );
}
