import { Badge } from "@/components/ui/badge";
import { FACT_LABELS, type DatasetDiff } from "@/lib/datasets/diff";

/** What changed between two versions: columns added, removed, and each changed column's facts, before and after. */
export function DiffView({ diff }: { diff: DatasetDiff }) {
  const nothing = !diff.added.length && !diff.removed.length && !diff.changed.length;
  if (nothing) return <p className="text-sm text-muted-foreground">These versions define the same columns.</p>;
  return (
    <div className="flex flex-col gap-4 text-sm">
      {diff.added.length > 0 && (
        <section aria-label="Added columns">
          <h3 className="font-medium">Added ({diff.added.length})</h3>
          <p className="font-mono break-words">{diff.added.join(", ")}</p>
        </section>
      )}
      {diff.removed.length > 0 && (
        <section aria-label="Removed columns">
          <h3 className="font-medium">Removed ({diff.removed.length})</h3>
          <p className="font-mono break-words">{diff.removed.join(", ")}</p>
        </section>
      )}
      {diff.changed.length > 0 && (
        <section aria-label="Changed columns">
          <h3 className="font-medium">Changed ({diff.changed.length})</h3>
          <ul className="mt-1 flex flex-col divide-y rounded-md border">
            {diff.changed.map((c) => (
              <li key={c.name} className="p-3">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-mono font-medium break-all">{c.name}</span>
                  {c.material ? (
                    <Badge variant="warning">changes what models read</Badge>
                  ) : (
                    <Badge variant="secondary">title, owner or examples only</Badge>
                  )}
                </p>
                <dl className="mt-1 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
                  {c.changes.map((f) => (
                    <div key={f.fact} className="contents">
                      <dt className="text-muted-foreground">{FACT_LABELS[f.fact]}</dt>
                      <dd className="break-words">
                        <span className="line-through decoration-muted-foreground">{f.before}</span> → {f.after}
                      </dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
