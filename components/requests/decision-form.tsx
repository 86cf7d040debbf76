"use client";

import { useState } from "react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";
import { DECISION_LABELS } from "@/lib/labels";

type Props = {
  number: number;
  step: string;
  stepName: string;
  onBehalfOf: string | null;
  action: (form: FormData) => Promise<ActionResult>;
};

export function DecisionForm({ number, step, stepName, onBehalfOf, action }: Props) {
  const [decision, setDecision] = useState<"approve" | "reject" | "request_changes">("approve");
  return (
    // The approver emails link here (#decide): the reader lands on the form, not the top of the page.
    <Card id="decide" className="scroll-mt-20 border-primary/40">
      <CardHeader>
        <CardTitle>Your decision</CardTitle>
        <CardDescription>
          {stepName}
          {onBehalfOf ? `, for ${onBehalfOf}` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ActionForm action={action} className="flex flex-col gap-3" aria-label="Your decision">
          <input type="hidden" name="number" value={number} />
          <input type="hidden" name="stepId" value={step} />
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 text-sm font-medium">Decision</legend>
            {(["approve", "request_changes", "reject"] as const)
              .map((value) => [value, DECISION_LABELS[value].action] as const)
              .map(([value, label]) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="decision"
                    value={value}
                    checked={decision === value}
                    onChange={() => setDecision(value)}
                    className="size-4 accent-[var(--primary)]"
                  />
                  {label}
                </label>
              ))}
          </fieldset>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="decision-comment">Comment{decision === "approve" ? " (optional)" : " (required)"}</Label>
            <Textarea
              id="decision-comment"
              name="comment"
              rows={3}
              required={decision !== "approve"}
              aria-describedby="decision-comment-error"
            />
            <FormFieldError name="comment" id="decision-comment-error" />
          </div>
          {decision === "reject" && (
            <p className="text-sm text-destructive" role="note">
              Rejecting ends CR-{number} for good: it cannot be approved later, and the requester must file a new
              request. To let them fix it, ask for changes instead.
            </p>
          )}
          <SubmitButton variant={decision === "reject" ? "destructive" : "default"} pendingLabel="Recording…">
            {DECISION_LABELS[decision].action}
          </SubmitButton>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
