import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RequestDependency } from "@/db/schema/security";
import type { ActionResult } from "@/lib/http/action";
import { PackageDecision } from "./package-decision";

const SEVERITY: Record<string, "destructive" | "warning" | "secondary" | "outline"> = {
  critical: "destructive",
  high: "destructive",
  medium: "warning",
  low: "secondary",
  unknown: "outline",
  none: "outline",
};
const LICENCE: Record<string, { label: string; variant: "success" | "destructive" | "warning" | "outline" }> = {
  allowed: { label: "Allowed", variant: "success" },
  denied: { label: "Denied", variant: "destructive" },
  needs_review: { label: "Needs review", variant: "warning" },
  unlicensed: { label: "Unlicensed", variant: "warning" },
  unresolved: { label: "Unresolved", variant: "warning" },
  not_declared: { label: "Unknown", variant: "outline" },
};
const DECISION = {
  pending: { label: "Pending", variant: "outline" },
  approved: { label: "Approved", variant: "success" },
  rejected: { label: "Rejected", variant: "destructive" },
} as const;

/** The manifest's dependencies with what the review found; security decides each package here. */
export function DependencyTable({
  number,
  deps,
  canDecide,
  action,
}: {
  number: number;
  deps: RequestDependency[];
  canDecide: boolean;
  action: (form: FormData) => Promise<ActionResult>;
}) {
  return (
    <Table aria-label="Dependencies">
      <TableHeader>
        <TableRow>
          <TableHead>Package</TableHead>
          <TableHead>Vulnerabilities</TableHead>
          <TableHead>Licence</TableHead>
          <TableHead>Signals</TableHead>
          <TableHead>Decision</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deps.map((d) => (
          <TableRow key={d.id}>
            <TableCell className="align-top">
              <span className="font-medium">{d.name}</span>{" "}
              <span className="font-mono text-xs">{d.pinnedVersion ?? d.spec ?? "any version"}</span>
              <span className="mt-1 flex flex-wrap gap-1">
                <Badge variant="outline">{d.kind}</Badge>
                {d.newToOrg && <Badge variant="info">New to the org</Badge>}
                {d.markerResult === "false" && <Badge variant="secondary">Not installed on target</Badge>}
                {d.markerResult === "unknown" && <Badge variant="warning">Marker undecided</Badge>}
              </span>
              <span className="block text-xs text-muted-foreground">
                {d.ecosystem} · {d.direct ? "direct" : "transitive"}
                {d.line ? ` · line ${d.line}` : ""}
              </span>
            </TableCell>
            <TableCell className="align-top">
              {d.findings.length === 0 ? (
                <span className="text-sm text-muted-foreground">None known</span>
              ) : (
                <ul className="flex flex-col gap-1.5">
                  {d.findings.map((f) => (
                    <li key={f.primaryId} className="text-xs">
                      <Badge variant={f.malware ? "destructive" : (SEVERITY[f.severity] ?? "outline")}>
                        {f.malware ? "Malware" : `${f.severity}${f.score ? ` ${f.score}` : ""}`}
                      </Badge>{" "}
                      <span className="font-mono">{f.primaryId}</span>
                      {f.status !== "affected" && (
                        <span className="text-muted-foreground">
                          {" "}
                          ({f.status === "range_affected" ? "the range allows affected versions" : "undetermined"})
                        </span>
                      )}
                      {f.summary && <span className="block text-muted-foreground">{f.summary}</span>}
                      {f.fixedVersions.length > 0 && (
                        <span className="block">Fixed in {f.fixedVersions.join(", ")}</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </TableCell>
            <TableCell className="align-top">
              <Badge variant={LICENCE[d.licenceStatus]?.variant ?? "outline"}>
                {LICENCE[d.licenceStatus]?.label ?? d.licenceStatus}
              </Badge>
              {d.licence && <span className="block text-xs text-muted-foreground">{d.licence}</span>}
            </TableCell>
            <TableCell className="align-top">
              {d.signals.length === 0 ? (
                <span className="text-sm text-muted-foreground">None</span>
              ) : (
                <ul className="flex flex-col gap-1">
                  {d.signals.map((s) => (
                    <li key={s.kind} className="text-xs">
                      <Badge variant={s.kind === "malware" || s.kind === "typosquat" ? "destructive" : "warning"}>
                        {s.kind.replace("_", " ")}
                      </Badge>{" "}
                      {s.detail}
                    </li>
                  ))}
                </ul>
              )}
            </TableCell>
            <TableCell className="align-top">
              <Badge variant={DECISION[d.decision].variant}>{DECISION[d.decision].label}</Badge>
              {d.decisionReason && (
                <span className="block max-w-56 text-xs text-muted-foreground">{d.decisionReason}</span>
              )}
              {canDecide && d.decision === "pending" && (
                <PackageDecision
                  number={number}
                  dependency={{ id: d.id, name: d.name, findings: d.findings.length }}
                  dangerous={
                    d.findings.some((f) => f.malware) ||
                    d.signals.some((s) => s.kind === "malware" || s.kind === "typosquat")
                  }
                  action={action}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
