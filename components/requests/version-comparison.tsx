import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LiveComparison } from "@/lib/models/diff";

type Props = {
  model: string;
  environment: string;
  version: { label: string };
  live: { label: string; number: number; same: boolean } | null;
  comparison: LiveComparison;
};

const show = (v: unknown) => (v === undefined || v === null ? "—" : typeof v === "string" ? v : JSON.stringify(v));
const signed = (n: number | null) => (n === null ? "" : n > 0 ? `+${n}` : String(n));

/** What the approvers approve: this version's metrics, dataset and hyperparameters beside the live one's. */
export function VersionComparison({ model, environment, version, live, comparison }: Props) {
  const { metrics, dataset, hyperparameters } = comparison;
  const beside = live !== null && !live.same;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p className="text-muted-foreground" data-testid="live-version">
        {live === null
          ? `Nothing deployed to ${environment} yet.`
          : live.same
            ? `${model} ${version.label} is already live in ${environment} (CR-${live.number}).`
            : `Live in ${environment}: ${model} ${live.label} (CR-${live.number}).`}
      </p>
      <Table
        scrollable
        aria-label={beside ? `${version.label} compared with live ${live.label}` : `${version.label} in brief`}
      >
        <TableHeader>
          <TableRow>
            <TableHead>Metric</TableHead>
            <TableHead>{version.label}</TableHead>
            {beside && <TableHead>Live ({live.label})</TableHead>}
            {beside && <TableHead>Difference</TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {metrics.map((m) => (
            <TableRow key={m.key}>
              <TableCell className="font-mono text-xs">{m.key}</TableCell>
              <TableCell className="font-mono text-xs font-medium">{show(m.current)}</TableCell>
              {beside && <TableCell className="font-mono text-xs">{show(m.live)}</TableCell>}
              {beside && <TableCell className="font-mono text-xs">{signed(m.difference)}</TableCell>}
            </TableRow>
          ))}
          <TableRow className={dataset.changed ? "bg-warning-soft" : undefined}>
            <TableCell className="text-xs text-muted-foreground">Dataset</TableCell>
            <TableCell className="font-mono text-xs font-medium">{dataset.current}</TableCell>
            {beside && <TableCell className="font-mono text-xs">{dataset.live}</TableCell>}
            {beside && <TableCell className="text-xs">{dataset.changed ? "Changed" : "Same"}</TableCell>}
          </TableRow>
        </TableBody>
      </Table>
      {hyperparameters.length > 0 ? (
        <Table scrollable aria-label={beside ? "Hyperparameters that differ" : "Hyperparameters"}>
          <TableHeader>
            <TableRow>
              <TableHead>{beside ? "Hyperparameter that differs" : "Hyperparameter"}</TableHead>
              <TableHead>{version.label}</TableHead>
              {beside && <TableHead>Live ({live.label})</TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {hyperparameters.map((h) => (
              <TableRow key={h.key}>
                <TableCell className="font-mono text-xs">{h.key}</TableCell>
                <TableCell className="font-mono text-xs font-medium">{show(h.current)}</TableCell>
                {beside && <TableCell className="font-mono text-xs">{show(h.live)}</TableCell>}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        beside && <p className="text-xs text-muted-foreground">Same hyperparameters as the live version.</p>
      )}
    </div>
  );
}
