"use client";

import { Plus, Trash2 } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { FormFieldError } from "@/components/forms/action-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { analyse } from "@/lib/cba/analyse";
import { provisioningLinesSchema } from "@/lib/cba/provisioning-schema";
import { costBenefitSchema } from "@/lib/cba/schemas";
import {
  COST_CATEGORIES,
  CONFIDENCE_LEVELS,
  PRICING_MODELS,
  type CostBenefitAnalysis,
  type ProvisioningLine,
} from "@/lib/cba/types";
import { CbaReport } from "./cba-report";
import { ProvisioningTable } from "./provisioning-table";
import { label } from "./format";
import { draftFrom, serialise, EMPTY_BENEFIT, EMPTY_COST, EMPTY_LINE, type Draft } from "./draft";
import { useHydrated } from "@/components/use-hydrated";

/**
 * Edits a request's money side: resource lines, cost items, benefits and assumptions. Figures are
 * worked out in the browser with the same decimal code the server uses; what is posted is the JSON of
 * the draft (hidden inputs), which the server validates again and answers with field errors.
 */
type Props = {
  initial?: { currency: string | null; costBenefit: CostBenefitAnalysis | null; provisioning: ProvisioningLine[] };
  provisioningFirst?: boolean;
  /** Told the posted values whenever they change (the new-request form previews the chain with them). */
  onChange?: (out: ReturnType<typeof serialise>) => void;
};

export function CostEditor({ initial, provisioningFirst = false, onChange }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(initial));
  const hydrated = useHydrated();
  const out = serialise(draft);
  const posted = JSON.stringify(out);
  useEffect(() => {
    onChange?.(JSON.parse(posted));
  }, [posted, onChange]);
  const live = useMemo(() => {
    const cba = out.costBenefit ? costBenefitSchema.safeParse(out.costBenefit) : null;
    const lines = provisioningLinesSchema.safeParse(out.provisioning);
    const issues = [
      ...(cba && !cba.success
        ? cba.error.issues.map((i) => `${pathLabel(["costBenefit", ...i.path])}: ${i.message}`)
        : []),
      ...(!lines.success
        ? lines.error.issues.map((i) => `${pathLabel(["provisioning", ...i.path])}: ${i.message}`)
        : []),
    ];
    if (issues.length) return { issues };
    const parsedLines = lines.success ? lines.data : [];
    return {
      issues,
      lines: parsedLines,
      report: cba?.success ? { analysis: cba.data, report: analyse(cba.data, parsedLines) } : null,
    };
  }, [out.costBenefit, out.provisioning]);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setList = <K extends "costs" | "benefits" | "lines">(key: K, index: number, patch: Partial<Draft[K][number]>) =>
    set({ [key]: draft[key].map((row, i) => (i === index ? { ...row, ...patch } : row)) } as Partial<Draft>);

  const sections = [
    <Section
      key="lines"
      title="Resources"
      help="GPU and compute lines: monthly and total cost are worked out from the quoted price. Their total feeds the analysis as costs."
      onAdd={() =>
        set({ lines: [...draft.lines, { ...EMPTY_LINE, priceDate: new Date().toISOString().slice(0, 10) }] })
      }
      addLabel="Add a resource line"
    >
      {draft.lines.map((l, i) => (
        <Row
          key={i}
          onRemove={() => set({ lines: draft.lines.filter((_, j) => j !== i) })}
          removeLabel={`Remove resource line ${i + 1}`}
        >
          <Field
            path={`provisioning.${i}.instanceType`}
            label="Instance type"
            value={l.instanceType}
            onChange={(v) => setList("lines", i, { instanceType: v })}
            wide
          />
          <Field
            path={`provisioning.${i}.gpuType`}
            label="GPU type"
            value={l.gpuType}
            onChange={(v) => setList("lines", i, { gpuType: v })}
            placeholder="none"
          />
          <Field
            path={`provisioning.${i}.gpuCount`}
            label="GPUs per node"
            value={l.gpuCount}
            onChange={(v) => setList("lines", i, { gpuCount: v })}
            numeric
          />
          <Field
            path={`provisioning.${i}.nodes`}
            label="Nodes"
            value={l.nodes}
            onChange={(v) => setList("lines", i, { nodes: v })}
            numeric
          />
          <Field
            path={`provisioning.${i}.hoursPerMonth`}
            label="Hours / month"
            value={l.hoursPerMonth}
            onChange={(v) => setList("lines", i, { hoursPerMonth: v })}
            numeric
          />
          <Field
            path={`provisioning.${i}.months`}
            label="Months"
            value={l.months}
            onChange={(v) => setList("lines", i, { months: v })}
            numeric
          />
          <Choice
            path={`provisioning.${i}.pricingModel`}
            label="Pricing"
            value={l.pricingModel}
            options={PRICING_MODELS}
            onChange={(v) => setList("lines", i, { pricingModel: v })}
          />
          <Field
            path={`provisioning.${i}.pricePerHour`}
            label={l.gpuType ? "Price / GPU-hour" : "Price / node-hour"}
            value={l.pricePerHour}
            onChange={(v) => setList("lines", i, { pricePerHour: v })}
            numeric
          />
          <Field
            path={`provisioning.${i}.priceSource`}
            label="Price source"
            value={l.priceSource}
            onChange={(v) => setList("lines", i, { priceSource: v })}
            wide
          />
          <Field
            path={`provisioning.${i}.priceDate`}
            label="Price date"
            value={l.priceDate}
            onChange={(v) => setList("lines", i, { priceDate: v })}
            type="date"
          />
          <Field
            path={`provisioning.${i}.storageGb`}
            label="Storage GB"
            value={l.storageGb}
            onChange={(v) => setList("lines", i, { storageGb: v })}
            numeric
          />
          <Field
            path={`provisioning.${i}.storagePricePerGbMonth`}
            label="Price / GB-month"
            value={l.storagePricePerGbMonth}
            onChange={(v) => setList("lines", i, { storagePricePerGbMonth: v })}
            numeric
          />
        </Row>
      ))}
    </Section>,
    <Section
      key="costs"
      title="Other costs"
      help="People, licences, storage and anything else; one-off costs land in the period they start, recurring ones in each period."
      onAdd={() => set({ costs: [...draft.costs, { ...EMPTY_COST }] })}
      addLabel="Add a cost"
    >
      {draft.costs.map((c, i) => (
        <Row
          key={i}
          onRemove={() => set({ costs: draft.costs.filter((_, j) => j !== i) })}
          removeLabel={`Remove cost ${i + 1}`}
        >
          <Field
            path={`costBenefit.costs.${i}.description`}
            label="Cost"
            value={c.description}
            onChange={(v) => setList("costs", i, { description: v })}
            wide
          />
          <Choice
            path={`costBenefit.costs.${i}.category`}
            label="Category"
            value={c.category}
            options={COST_CATEGORIES}
            onChange={(v) => setList("costs", i, { category: v })}
          />
          <Choice
            path={`costBenefit.costs.${i}.recurrence`}
            label="When"
            value={c.recurrence}
            options={["one_off", "recurring"] as const}
            onChange={(v) => setList("costs", i, { recurrence: v })}
          />
          <Field
            path={`costBenefit.costs.${i}.quantity`}
            label="Quantity"
            value={c.quantity}
            onChange={(v) => setList("costs", i, { quantity: v })}
            numeric
          />
          <Field
            path={`costBenefit.costs.${i}.unit`}
            label="Unit"
            value={c.unit}
            onChange={(v) => setList("costs", i, { unit: v })}
            placeholder="FTE-day"
          />
          <Field
            path={`costBenefit.costs.${i}.unitPrice`}
            label="Unit price"
            value={c.unitPrice}
            onChange={(v) => setList("costs", i, { unitPrice: v })}
            numeric
          />
          <Field
            path={`costBenefit.costs.${i}.priceSource`}
            label="Price source"
            value={c.priceSource}
            onChange={(v) => setList("costs", i, { priceSource: v })}
          />
          <Field
            path={`costBenefit.costs.${i}.startPeriod`}
            label="Starts in period"
            value={c.startPeriod}
            onChange={(v) => setList("costs", i, { startPeriod: v })}
            numeric
          />
        </Row>
      ))}
    </Section>,
    <Section
      key="benefits"
      title="Benefits"
      help="What the change is worth per period; a benefit you cannot put a number on is listed but left out of the figures."
      onAdd={() => set({ benefits: [...draft.benefits, { ...EMPTY_BENEFIT }] })}
      addLabel="Add a benefit"
    >
      {draft.benefits.map((b, i) => (
        <Row
          key={i}
          onRemove={() => set({ benefits: draft.benefits.filter((_, j) => j !== i) })}
          removeLabel={`Remove benefit ${i + 1}`}
        >
          <Field
            path={`costBenefit.benefits.${i}.description`}
            label="Benefit"
            value={b.description}
            onChange={(v) => setList("benefits", i, { description: v })}
            wide
          />
          <Field
            path={`costBenefit.benefits.${i}.amountPerPeriod`}
            label={`Amount per ${draft.period}`}
            value={b.amountPerPeriod}
            onChange={(v) => setList("benefits", i, { amountPerPeriod: v })}
            numeric
          />
          <Field
            path={`costBenefit.benefits.${i}.periods`}
            label="Periods"
            value={b.periods}
            onChange={(v) => setList("benefits", i, { periods: v })}
            numeric
          />
          <Field
            path={`costBenefit.benefits.${i}.startPeriod`}
            label="From period"
            value={b.startPeriod}
            onChange={(v) => setList("benefits", i, { startPeriod: v })}
            numeric
          />
          <Choice
            path={`costBenefit.benefits.${i}.confidence`}
            label="Confidence"
            value={b.confidence}
            options={CONFIDENCE_LEVELS}
            onChange={(v) => setList("benefits", i, { confidence: v })}
          />
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-[var(--primary)]"
              checked={b.monetised}
              onChange={(e) => setList("benefits", i, { monetised: e.target.checked })}
            />
            Monetised
          </label>
        </Row>
      ))}
    </Section>,
  ];

  return (
    // Disabled until React has taken the form over: hydration would reset what was typed.
    <fieldset disabled={!hydrated} className="flex flex-col gap-5 rounded-md border border-border p-4">
      <legend className="px-1 text-base font-semibold">Cost and benefit</legend>
      <input type="hidden" name="currency" value={out.currency} />
      <input type="hidden" name="costBenefit" value={JSON.stringify(out.costBenefit)} />
      <input type="hidden" name="provisioning" value={JSON.stringify(out.provisioning)} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Field
          path="currency"
          label="Currency"
          value={draft.currency}
          onChange={(v) => set({ currency: v.toUpperCase() })}
          placeholder="USD"
        />
        <Field
          path="costBenefit.assumptions.discountRate"
          label="Discount rate / year"
          value={draft.discountRate}
          onChange={(v) => set({ discountRate: v })}
          numeric
          hint="0.08 is 8%"
        />
        <Choice
          path="costBenefit.assumptions.period"
          label="Period"
          value={draft.period}
          options={["year", "month"] as const}
          onChange={(v) => set({ period: v })}
        />
        <Field
          path="costBenefit.assumptions.horizon"
          label={`Horizon (${draft.period}s)`}
          value={draft.horizon}
          onChange={(v) => set({ horizon: v })}
          numeric
        />
        <Field
          path="costBenefit.assumptions.optimismBias"
          label="Optimism bias"
          value={draft.optimismBias}
          onChange={(v) => set({ optimismBias: v })}
          numeric
          hint="0.1 adds 10% to costs"
        />
      </div>
      {provisioningFirst ? sections : [sections[1], sections[2], sections[0]]}
      <FormFieldError name="costBenefit" id="costBenefit-error" />
      <section aria-live="polite" aria-label="Figures" className="flex flex-col gap-3">
        <h2 className="text-sm font-semibold">Figures</h2>
        {live.issues.length > 0 ? (
          <ul className="flex flex-col gap-1 rounded-md border border-warning/40 bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground">
            {live.issues.slice(0, 6).map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        ) : !live.report && !live.lines?.length ? (
          <p className="text-sm text-muted-foreground">Add a resource line, a cost or a benefit to see the figures.</p>
        ) : (
          <>
            {live.report && <CbaReport report={live.report.report} analysis={live.report.analysis} />}
            {!live.report && live.lines && live.lines.length > 0 && out.currency && (
              <ProvisioningTable lines={live.lines} currency={out.currency} />
            )}
          </>
        )}
      </section>
    </fieldset>
  );
}

const NOUNS: Record<string, string> = {
  provisioning: "Resource line",
  costs: "Cost",
  benefits: "Benefit",
  assumptions: "Assumptions",
};

/** ["provisioning", 0, "priceSource"] -> "Resource line 1, price source". */
function pathLabel(path: PropertyKey[]) {
  const words = (key: string) => key.replace(/([A-Z])/g, " $1").toLowerCase();
  const parts: string[] = [];
  for (const p of path.filter((p) => p !== "costBenefit")) {
    if (typeof p === "number") parts[parts.length - 1] += ` ${p + 1}`;
    else parts.push(NOUNS[String(p)] ?? words(String(p)));
  }
  return parts.join(", ");
}

function Section({
  title,
  help,
  children,
  onAdd,
  addLabel,
}: {
  title: string;
  help: string;
  children: React.ReactNode;
  onAdd: () => void;
  addLabel: string;
}) {
  return (
    <section className="flex flex-col gap-2" aria-label={title}>
      <div>
        <h2 className="text-sm font-semibold">{title}</h2>
        <p className="text-xs text-muted-foreground">{help}</p>
      </div>
      {children}
      <div>
        <Button type="button" variant="outline" size="sm" onClick={onAdd}>
          <Plus aria-hidden="true" /> {addLabel}
        </Button>
      </div>
    </section>
  );
}

function Row({
  children,
  onRemove,
  removeLabel,
}: {
  children: React.ReactNode;
  onRemove: () => void;
  removeLabel: string;
}) {
  return (
    <div className="flex items-start gap-2 rounded-md border border-border bg-muted/30 p-3">
      <div className="grid flex-1 grid-cols-2 gap-3 md:grid-cols-4">{children}</div>
      <Button type="button" variant="ghost" size="icon" onClick={onRemove} aria-label={removeLabel}>
        <Trash2 aria-hidden="true" />
      </Button>
    </div>
  );
}

const fieldId = (path: string) => `cost-${path.replace(/\./g, "-")}`;

function Field({
  path,
  label: name,
  value,
  onChange,
  numeric,
  wide,
  placeholder,
  hint,
  type = "text",
}: {
  path: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  numeric?: boolean;
  wide?: boolean;
  placeholder?: string;
  hint?: string;
  type?: string;
}) {
  const id = fieldId(path);
  return (
    <div className={`flex flex-col gap-1 ${wide ? "col-span-2" : ""}`}>
      <Label htmlFor={id} className="text-xs">
        {name}
      </Label>
      <Input
        id={id}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode={numeric ? "decimal" : undefined}
        placeholder={placeholder}
        className="h-8"
        aria-describedby={`${id}-error${hint ? ` ${id}-hint` : ""}`}
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      <FormFieldError name={path} id={`${id}-error`} />
    </div>
  );
}

function Choice<T extends string>({
  path,
  label: name,
  value,
  options,
  onChange,
}: {
  path: string;
  label: string;
  value: T;
  options: readonly T[];
  onChange: (v: T) => void;
}) {
  const id = fieldId(path);
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id} className="text-xs">
        {name}
      </Label>
      <NativeSelect
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
        className="h-8"
        aria-describedby={`${id}-error`}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </NativeSelect>
      <FormFieldError name={path} id={`${id}-error`} />
    </div>
  );
}
