// The numbers behind each insights figure as CSV (RFC 4180: CRLF rows, quoted where needed), one
// row per thing measured, with the period's filters repeated on every row so a sheet can mix exports.

type Row = Record<string, string | number | null>;

function cell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  // Spreadsheets run cells that start like a formula; a quote mark keeps it text.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly Row[]): string {
  if (rows.length === 0) return "\r\n";
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\r\n") + "\r\n";
}

type Period = { from: string; to: string; team: string | null; kind: string | null; environment: string | null };
const periodCells = (p: Period) => ({
  from: p.from,
  to: p.to,
  team: p.team,
  kind: p.kind,
  environment: p.environment,
});

/** Flattens a figure's JSON: `rows` picks the listed things, each spread into columns. */
export function figureCsv<T extends { period: Period }>(figure: T, rows: (f: T) => Row[]): string {
  return toCsv(rows(figure).map((r) => ({ ...r, ...periodCells(figure.period) })));
}
