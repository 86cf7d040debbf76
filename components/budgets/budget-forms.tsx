import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import type { ActionResult } from "@/lib/http/action";

type Action = (form: FormData) => Promise<ActionResult>;

function Field({
  id,
  label,
  name,
  children,
  hint,
}: {
  id: string;
  label: string;
  name: string;
  children: React.ReactNode;
  hint?: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
      <FormFieldError name={name} id={`${id}-error`} />
    </div>
  );
}

export function SetBudgetForm({
  teamId,
  action,
  defaults,
}: {
  teamId: string;
  action: Action;
  defaults: { periodStart: string; currency: string };
}) {
  return (
    <ActionForm action={action} className="flex flex-col gap-3" aria-label="Set a budget">
      <input type="hidden" name="teamId" value={teamId} />
      <div className="grid grid-cols-2 gap-3">
        <Field id="budget-interval" label="Period" name="interval">
          <NativeSelect id="budget-interval" name="interval" defaultValue="month">
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
          </NativeSelect>
        </Field>
        <Field id="budget-start" label="Starts on" name="periodStart">
          <Input
            id="budget-start"
            name="periodStart"
            type="date"
            defaultValue={defaults.periodStart}
            required
            aria-describedby="budget-start-error"
          />
        </Field>
        <Field id="budget-amount" label="Amount" name="amount">
          <Input
            id="budget-amount"
            name="amount"
            inputMode="decimal"
            placeholder="50000"
            required
            aria-describedby="budget-amount-error"
          />
        </Field>
        <Field id="budget-currency" label="Currency" name="currency">
          <Input
            id="budget-currency"
            name="currency"
            defaultValue={defaults.currency}
            maxLength={3}
            className="uppercase"
            required
            aria-describedby="budget-currency-error"
          />
        </Field>
      </div>
      <SubmitButton pendingLabel="Saving…">Save budget</SubmitButton>
    </ActionForm>
  );
}

export function RecordSpendForm({
  budgetId,
  currency,
  action,
  today,
}: {
  budgetId: string;
  currency: string;
  action: Action;
  today: string;
}) {
  return (
    <ActionForm action={action} resetOnSuccess className="flex flex-col gap-3" aria-label="Record spend">
      <input type="hidden" name="budgetId" value={budgetId} />
      <input type="hidden" name="currency" value={currency} />
      <div className="grid grid-cols-2 gap-3">
        <Field
          id="spend-amount"
          label={`Amount (${currency})`}
          name="amount"
          hint="Negative for a refund or correction."
        >
          <Input id="spend-amount" name="amount" inputMode="decimal" required aria-describedby="spend-amount-error" />
        </Field>
        <Field id="spend-date" label="Spent on" name="spentOn">
          <Input
            id="spend-date"
            name="spentOn"
            type="date"
            defaultValue={today}
            required
            aria-describedby="spend-date-error"
          />
        </Field>
      </div>
      <Field id="spend-description" label="What for" name="description">
        <Input
          id="spend-description"
          name="description"
          placeholder="GPU invoice, week 47"
          required
          aria-describedby="spend-description-error"
        />
      </Field>
      <Field
        id="spend-request"
        label="Against request (optional)"
        name="request"
        hint="Spend against an approved request uses up its commitment."
      >
        <Input id="spend-request" name="request" placeholder="CR-1042" aria-describedby="spend-request-error" />
      </Field>
      <SubmitButton pendingLabel="Recording…">Record spend</SubmitButton>
    </ActionForm>
  );
}
