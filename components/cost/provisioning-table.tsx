import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { sum } from "@/lib/cba/decimal";
import { formatMoney, toMinorUnits } from "@/lib/cba/money";
import { lineMonthlyCost, lineTotalCost } from "@/lib/cba/provisioning";
import type { ProvisioningLine } from "@/lib/cba/types";
import { label } from "./format";

/** Resource lines with their monthly and total cost, computed from the quoted prices. */
export function ProvisioningTable({ lines, currency }: { lines: ProvisioningLine[]; currency: string }) {
  const m = (d: ReturnType<typeof lineMonthlyCost>) => formatMoney(toMinorUnits(d, currency), currency);
  return (
    <Table aria-label="Resources" scrollable>
      <TableHeader>
        <TableRow>
          <TableHead>Instance</TableHead>
          <TableHead className="text-right">GPUs × nodes</TableHead>
          <TableHead className="text-right">Hours / month</TableHead>
          <TableHead className="text-right">Months</TableHead>
          <TableHead>Price</TableHead>
          <TableHead className="text-right">Monthly</TableHead>
          <TableHead className="text-right">Total</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l, i) => (
          <TableRow key={i}>
            <TableCell>
              <span className="font-medium">{l.instanceType}</span>
              <span className="block text-xs text-muted-foreground">
                {[l.provider, l.region, label(l.pricingModel)].filter(Boolean).join(" · ")}
              </span>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {l.gpuType ? `${l.gpuCount} × ${l.gpuType} × ${l.nodes}` : `${l.nodes} node${l.nodes === 1 ? "" : "s"}`}
            </TableCell>
            <TableCell className="text-right tabular-nums">{l.hoursPerMonth}</TableCell>
            <TableCell className="text-right tabular-nums">{l.months}</TableCell>
            <TableCell className="min-w-44 text-xs">
              <span className="whitespace-nowrap">
                {l.pricePerHour} {currency} / {l.priceUnit === "gpu_hour" ? "GPU-hour" : "node-hour"}
              </span>
              {Number(l.storageGb) > 0 && (
                <span className="block whitespace-nowrap">
                  + {l.storageGb} GB at {l.storagePricePerGbMonth} / GB-month
                </span>
              )}
              <span className="block text-muted-foreground">
                {l.priceSource}, {l.priceDate}
              </span>
            </TableCell>
            <TableCell className="text-right tabular-nums">{m(lineMonthlyCost(l))}</TableCell>
            <TableCell className="text-right font-medium tabular-nums">{m(lineTotalCost(l))}</TableCell>
          </TableRow>
        ))}
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell colSpan={6} className="font-medium">
            Total for resources
          </TableCell>
          <TableCell className="text-right font-semibold tabular-nums">{m(sum(lines.map(lineTotalCost)))}</TableCell>
        </TableRow>
      </TableFooter>
    </Table>
  );
}
