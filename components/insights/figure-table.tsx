import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type FigureColumn = { key: string; label: string; numeric?: boolean };
export type FigureRow = Record<string, string | number | null>;

/** The numbers behind a chart, as a table; "–" for a figure there is nothing to compute from. */
export function FigureTable({ label, columns, rows }: { label: string; columns: FigureColumn[]; rows: FigureRow[] }) {
  return (
    <Table aria-label={label} scrollable>
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHead key={c.key} className={c.numeric ? "text-right" : undefined}>
              {c.label}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r, i) => (
          <TableRow key={i}>
            {columns.map((c) => (
              <TableCell key={c.key} className={c.numeric ? "text-right tabular-nums" : undefined}>
                {r[c.key] === null || r[c.key] === undefined ? "–" : r[c.key]}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A chart's numbers one click away: a disclosure holding the table. */
export function NumbersBehind(props: { label: string; columns: FigureColumn[]; rows: FigureRow[] }) {
  return (
    <details className="rounded-md border border-border px-3 py-2 text-sm">
      <summary className="cursor-pointer font-medium text-primary">The numbers behind this chart</summary>
      <div className="mt-2">
        <FigureTable {...props} />
      </div>
    </details>
  );
}
