/** One headline figure of the period: what it is, the figure, and what it is out of. */
export function Headline({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note: string;
  testId?: string;
}) {
  return (
    <div className="flex flex-col gap-1 rounded-lg border border-border p-3" data-testid={testId}>
      <span className="text-xs text-muted-foreground">{label}</span>
      <span className="text-xl font-semibold tabular-nums">{value}</span>
      <span className="text-xs text-muted-foreground">{note}</span>
    </div>
  );
}

/** A term and its figure in a definition list. */
export function Fact({ term, value, note }: { term: string; value: string | number; note: string }) {
  return (
    <div className="rounded-md border border-border p-3">
      <dt className="text-muted-foreground">{term}</dt>
      <dd className="text-xl font-semibold tabular-nums">{value}</dd>
      <dd className="text-xs text-muted-foreground">{note}</dd>
    </div>
  );
}
