"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { checkbox, formToObject } from "@/lib/validation";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { redeliverWebhook } from "@/lib/webhooks/redeliver";
import { updateWebhook } from "@/lib/webhooks/update-webhook";

// Thin adapters: each verb checks the admin role itself (a server action is a public endpoint).

/** Checkboxes arrive as one value or many; the verb takes a list (none ticked: an empty one). */
function endpointFields(form: FormData): Record<string, unknown> {
  const fields = formToObject(form);
  const events = form.getAll("events").filter((v): v is string => typeof v === "string");
  return { ...fields, events };
}

export async function createWebhookAction(form: FormData) {
  return runAction(async (ctx) => {
    const endpoint = await createWebhook(ctx, endpointFields(form));
    revalidatePath("/admin/webhooks");
    // Shown once: the message carries the secret so the page can display it.
    return `Endpoint added. Copy its signing secret now, it is not shown again: ${endpoint.secret}`;
  });
}

export async function updateWebhookAction(form: FormData) {
  return runAction(async (ctx) => {
    const fields = endpointFields(form);
    const endpoint = await updateWebhook(ctx, { ...fields, enabled: checkbox.parse(fields.enabled) });
    revalidatePath("/admin/webhooks");
    revalidatePath(`/admin/webhooks/${endpoint.id}`);
    return endpoint.enabled ? "Endpoint saved." : "Endpoint saved; it is turned off.";
  });
}

export async function deleteWebhookAction(form: FormData) {
  return runAction(async (ctx) => {
    await deleteWebhook(ctx, formToObject(form));
    revalidatePath("/admin/webhooks");
    return "Endpoint removed with its delivery log.";
  });
}

export async function redeliverWebhookAction(form: FormData) {
  return runAction(async (ctx) => {
    const fields = formToObject(form);
    const delivery = await redeliverWebhook(ctx, fields);
    revalidatePath(`/admin/webhooks/${String(fields.id)}`);
    return `Queued to send again now (${delivery.eventType}).`;
  });
}
