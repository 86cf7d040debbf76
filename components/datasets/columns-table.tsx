import type { DatasetColumn } from "@/db/schema/datasets";
import { Badge } from "@/components/ui/badge";
import { describeConstraints } from "@/lib/datasets/diff";

const dash = <span className="text-muted-foreground">—</span>;

/**
 * A dataset version's columns, one card per column: a dozen facts per column do not fit a table
 * row on a phone, and a definition list reads the same on any width.
 */
export function ColumnsTable({
  columns,
  primaryKey,
}: {
  columns: readonly DatasetColumn[];
  primaryKey: readonly string[];
}) {
  return (
    <ul aria-label="Columns" className="flex flex-col divide-y rounded-md border">
      {columns.map((c) => {
        const allowed = describeConstraints(c.constraints);
        return (
          <li key={c.name} className="grid gap-2 p-3 text-sm md:grid-cols-[14rem_1fr]">
            <div className="min-w-0">
              <p className="font-mono font-medium break-all">{c.name}</p>
              <p className="text-xs text-muted-foreground">
                {c.type}
                {c.format ? ` (${c.format})` : ""}
                {c.unit ? ` · ${c.unit}` : ""}
              </p>
              <div className="mt-1 flex flex-wrap gap-1">
                {primaryKey.includes(c.name) && <Badge variant="secondary">primary key</Badge>}
                <Badge variant="outline">{c.nullable ? "nullable" : "required"}</Badge>
              </div>
            </div>
            <dl className="grid min-w-0 grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-xs sm:text-sm">
              {c.title && (
                <>
                  <dt className="text-muted-foreground">Title</dt>
                  <dd className="break-words">{c.title}</dd>
                </>
              )}
              <dt className="text-muted-foreground">Meaning</dt>
              <dd className="break-words">{c.description || dash}</dd>
              <dt className="text-muted-foreground">Allowed</dt>
              <dd className="break-words">{allowed || dash}</dd>
              <dt className="text-muted-foreground">Populated by</dt>
              <dd className="break-words">{c.populatedBy || dash}</dd>
              <dt className="text-muted-foreground">Owning team</dt>
              <dd className="break-words">{c.owningTeam || dash}</dd>
              <dt className="text-muted-foreground">Examples</dt>
              <dd className="font-mono break-all">
                {c.examples.length ? c.examples.map((e) => JSON.stringify(e)).join(", ") : dash}
              </dd>
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
