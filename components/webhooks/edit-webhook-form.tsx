"use client";

import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/http/action";
import { EventChoices } from "./event-choices";

type Props = {
  action: (form: FormData) => Promise<ActionResult>;
  events: { type: string; description: string }[];
  endpoint: { id: string; url: string; description: string; events: string[]; enabled: boolean };
};

export function EditWebhookForm({ action, events, endpoint }: Props) {
  return (
    <ActionForm action={action} className="flex flex-col gap-4" aria-label="Edit the endpoint">
      <input type="hidden" name="id" value={endpoint.id} />
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="webhook-url">Endpoint URL</Label>
        <Input
          id="webhook-url"
          name="url"
          type="url"
          defaultValue={endpoint.url}
          aria-describedby="webhook-url-error"
        />
        <FormFieldError name="url" id="webhook-url-error" />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="webhook-description">Description</Label>
        <Input
          id="webhook-description"
          name="description"
          defaultValue={endpoint.description}
          aria-describedby="webhook-description-error"
        />
        <FormFieldError name="description" id="webhook-description-error" />
      </div>
      <EventChoices events={events} chosen={endpoint.events} />
      <FormFieldError name="events" id="webhook-events-form-error" />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={endpoint.enabled} className="size-4 accent-primary" />
        Send deliveries to this endpoint (turning it on again clears its failure count)
      </label>
      <div>
        <SubmitButton pendingLabel="Saving…">Save endpoint</SubmitButton>
      </div>
    </ActionForm>
  );
}
