"use client";

import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  action: (form: FormData) => Promise<ActionResult>;
  settings: {
    modelLabel: string;
    versionLabel: string;
    environmentLabel: string;
    defaultAction: "rollback" | "retrain";
    actions: Record<string, "rollback" | "retrain">;
  };
};

const LABELS = [
  { name: "modelLabel", label: "Label naming the model" },
  { name: "versionLabel", label: "Label naming the model version (optional on alerts)" },
  { name: "environmentLabel", label: "Label naming the environment" },
] as const;

export function MonitoringSettingsForm({ action, settings }: Props) {
  const lines = Object.entries(settings.actions)
    .map(([name, act]) => `${name}: ${act}`)
    .join("\n");
  return (
    <ActionForm action={action} className="flex flex-col gap-4" aria-label="Monitoring settings">
      {LABELS.map((f) => (
        <div key={f.name} className="flex flex-col gap-1.5">
          <Label htmlFor={`monitoring-${f.name}`}>{f.label}</Label>
          <Input
            id={`monitoring-${f.name}`}
            name={f.name}
            defaultValue={settings[f.name]}
            className="font-mono"
            aria-describedby={`monitoring-${f.name}-error`}
          />
          <FormFieldError name={f.name} id={`monitoring-${f.name}-error`} />
        </div>
      ))}
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="monitoring-defaultAction">What a firing alert asks for, unless listed below</Label>
        <select
          id="monitoring-defaultAction"
          name="defaultAction"
          defaultValue={settings.defaultAction}
          className="h-9 rounded-md border border-input bg-background px-3 text-sm"
        >
          <option value="rollback">Roll back the live version</option>
          <option value="retrain">Retrain the model</option>
        </select>
        <FormFieldError name="defaultAction" id="monitoring-defaultAction-error" />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="monitoring-actions">Per alert name (one a line: AlertName: rollback or retrain)</Label>
        <Textarea
          id="monitoring-actions"
          name="actions"
          defaultValue={lines}
          rows={5}
          className="font-mono"
          placeholder={"HighErrorRate: rollback\nModelDrift: retrain"}
          aria-describedby="monitoring-actions-error"
        />
        <FormFieldError name="actions" id="monitoring-actions-error" />
      </div>
      <div>
        <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
      </div>
    </ActionForm>
  );
}
