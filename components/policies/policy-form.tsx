import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { PolicyDefinition } from "@/db/schema/governance";
import { REQUEST_KINDS } from "@/db/schema/requests";
import type { ActionResult } from "@/lib/http/action";
import { AUTO_PASS_RULES } from "@/lib/policies/auto-pass";
import { kindInWords } from "@/lib/labels";

type Policy = {
  id: string;
  name: string;
  description: string;
  version: number;
  active: boolean;
  definition: PolicyDefinition;
};

const EXAMPLE: PolicyDefinition["stages"] = [
  [{ name: "ML lead review", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }],
];

export function PolicyForm({
  policy,
  teams,
  environments,
  action,
}: {
  policy?: Policy;
  teams: { id: string; name: string }[];
  /** Every environment's name, in promotion order. */
  environments: string[];
  action: (form: FormData) => Promise<ActionResult>;
}) {
  const c = policy?.definition.conditions ?? {};
  const id = policy?.id ?? "new";
  return (
    <ActionForm
      action={action}
      resetOnSuccess={!policy}
      className="flex flex-col gap-4"
      aria-label={policy ? `Edit ${policy.name}` : "New policy"}
    >
      {policy && <input type="hidden" name="id" value={policy.id} />}
      {policy && <input type="hidden" name="expectedVersion" value={policy.version} />}
      <div className="grid gap-4 md:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-name`}>Name</Label>
          <Input id={`${id}-name`} name="name" defaultValue={policy?.name} aria-describedby={`${id}-name-error`} />
          <FormFieldError name="name" id={`${id}-name-error`} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-description`}>Description</Label>
          <Input id={`${id}-description`} name="description" defaultValue={policy?.description} />
        </div>
      </div>
      <fieldset className="grid gap-4 rounded-md border border-border p-3 md:grid-cols-4">
        <legend className="px-1 text-sm font-medium">Applies to (empty means any)</legend>
        <div className="flex flex-col gap-1">
          <span className="text-sm font-medium">Kinds</span>
          {REQUEST_KINDS.map((k) => (
            <label key={k} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="kinds"
                value={k}
                defaultChecked={c.kinds?.includes(k)}
                className="size-4 accent-[var(--primary)]"
              />
              {kindInWords(k)}
            </label>
          ))}
        </div>
        <div className="flex flex-col gap-1">
          <span className="text-sm font-medium">Environments</span>
          {environments.map((e) => (
            <label key={e} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="environments"
                value={e}
                defaultChecked={c.environments?.includes(e)}
                className="size-4 accent-[var(--primary)]"
              />
              {e}
            </label>
          ))}
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-risk`}>Minimum risk</Label>
          <NativeSelect id={`${id}-risk`} name="minRisk" defaultValue={c.minRisk ?? ""}>
            <option value="">any</option>
            <option value="medium">medium</option>
            <option value="high">high</option>
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-emergency`}>Emergency</Label>
          <NativeSelect
            id={`${id}-emergency`}
            name="emergency"
            defaultValue={c.emergency === undefined ? "" : c.emergency ? "yes" : "no"}
          >
            <option value="">either</option>
            <option value="yes">only emergencies</option>
            <option value="no">never emergencies</option>
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-has-cost`}>Cost</Label>
          <NativeSelect
            id={`${id}-has-cost`}
            name="hasCost"
            defaultValue={c.hasCost === undefined ? "" : c.hasCost ? "yes" : "no"}
          >
            <option value="">with or without</option>
            <option value="yes">only requests with a cost</option>
            <option value="no">only requests without a cost</option>
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-cost-amount`}>Total cost at least</Label>
          <div className="flex gap-2">
            <Input
              id={`${id}-cost-amount`}
              name="costAtLeastAmount"
              inputMode="decimal"
              placeholder="10000"
              defaultValue={c.costAtLeast?.amount}
              aria-describedby={`${id}-cost-error`}
            />
            <Input
              aria-label="Currency of the cost threshold"
              name="costAtLeastCurrency"
              className="w-20 uppercase"
              maxLength={3}
              defaultValue={c.costAtLeast?.currency ?? "USD"}
            />
          </div>
          <FormFieldError name="definition.conditions.costAtLeast.amount" id={`${id}-cost-error`} />
          <FormFieldError name="definition.conditions.costAtLeast.currency" id={`${id}-cost-currency-error`} />
        </div>
        <div className="flex flex-col gap-1">
          <span className="text-sm font-medium">Teams</span>
          {teams.map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="teamIds"
                value={t.id}
                defaultChecked={c.teamIds?.includes(t.id)}
                className="size-4 accent-[var(--primary)]"
              />
              {t.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${id}-stages`}>Stages (JSON: stages in order, steps in a stage run in parallel)</Label>
        <Textarea
          id={`${id}-stages`}
          name="stages"
          rows={8}
          className="font-mono text-xs"
          defaultValue={JSON.stringify(policy?.definition.stages ?? EXAMPLE, null, 2)}
          aria-describedby={`${id}-stages-help ${id}-stages-error`}
        />
        <p id={`${id}-stages-help`} className="text-xs text-muted-foreground">
          Each step: name, role (requester, manager, security, ml_lead, admin), scope (any | requester_team), quorum,
          slaHours, autoPass ({Object.keys(AUTO_PASS_RULES).join(", ")}).
        </p>
        <FormFieldError name="stages" id={`${id}-stages-error`} />
        <FormFieldError name="definition.stages" id={`${id}-definition-error`} />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="active"
          defaultChecked={policy?.active ?? true}
          className="size-4 accent-[var(--primary)]"
        />
        Active
      </label>
      <div>
        <SubmitButton pendingLabel="Saving…">
          {policy ? `Save as version ${policy.version + 1}` : "Create policy"}
        </SubmitButton>
      </div>
    </ActionForm>
  );
}
