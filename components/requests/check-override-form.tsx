"use client";

import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  number: number;
  stepId: string;
  stepName: string;
  /** What the check found ("Check failed: auc 0.87 < 0.90: >= 0.90 required."). */
  failure: string;
  action: (form: FormData) => Promise<ActionResult>;
};

/** Overriding a failed check: the reason is required, recorded as the person's decision and audited. */
export function CheckOverrideForm({ number, stepId, stepName, failure, action }: Props) {
  const id = `override-${stepId}`;
  return (
    <Card className="border-primary/40">
      <CardHeader>
        <CardTitle>Override the failed check</CardTitle>
        <CardDescription>
          {stepName} stopped this request. Overriding passes it and lets the request go on; your reason is recorded with
          the check&apos;s figures.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <p className="mb-3 rounded-md bg-muted px-3 py-2 font-mono text-xs break-words">{failure}</p>
        <ActionForm action={action} className="flex flex-col gap-3" aria-label={`Override ${stepName}`}>
          <input type="hidden" name="number" value={number} />
          <input type="hidden" name="stepId" value={stepId} />
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`${id}-reason`}>Why the check should not hold this request (required)</Label>
            <Textarea
              id={`${id}-reason`}
              name="reason"
              rows={3}
              required
              minLength={10}
              maxLength={1000}
              aria-describedby={`${id}-reason-error`}
            />
            <FormFieldError name="reason" id={`${id}-reason-error`} />
          </div>
          <SubmitButton pendingLabel="Overriding…">Override and continue</SubmitButton>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
