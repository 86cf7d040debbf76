"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/http/action";
import { EventChoices } from "./event-choices";

type Props = {
  action: (form: FormData) => Promise<ActionResult>;
  events: { type: string; description: string }[];
};

/** Adds an endpoint and shows its signing secret once, in the page (not in a toast that disappears). */
export function CreateWebhookForm({ action, events }: Props) {
  const [result, formAction, pending] = useActionState<ActionResult | null, FormData>((_p, f) => action(f), null);
  const secret = result?.ok ? result.message.split(": ").pop() : null;
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  // Submitted by hand: React would reset the form after its action, wiping what was typed on an error.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Add a webhook endpoint" aria-busy={pending}>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="webhook-url">Endpoint URL</Label>
        <Input
          id="webhook-url"
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://ci.example.com/hooks/greenlight"
          aria-describedby="webhook-url-error"
          aria-invalid={Boolean(errors?.url)}
        />
        <FieldError id="webhook-url-error" errors={errors?.url ?? null} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="webhook-description">Description (optional)</Label>
        <Input
          id="webhook-description"
          name="description"
          placeholder="Deploy pipeline: resumes when a request is approved"
          aria-describedby="webhook-description-error"
        />
        <FieldError id="webhook-description-error" errors={errors?.description ?? null} />
      </div>
      <EventChoices
        events={events}
        chosen={["request.approved", "request.rejected", "request.revoked"]}
        errors={errors?.events}
      />
      {result && !result.ok && !errors && (
        <p role="alert" className="text-sm text-destructive">
          {result.message}
        </p>
      )}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add endpoint"}
        </Button>
      </div>
      {secret && (
        <div
          role="status"
          className="rounded-md border border-success/50 bg-success-soft p-3 text-sm text-success-soft-foreground"
        >
          <p className="font-medium">Copy the signing secret now: it is not shown again.</p>
          <p className="mt-1 text-xs">
            Receivers verify each delivery&apos;s webhook-signature with it (the Standard Webhooks scheme).
          </p>
          <code className="mt-2 block break-all font-mono text-xs" data-testid="new-webhook-secret">
            {secret}
          </code>
        </div>
      )}
    </form>
  );
}
