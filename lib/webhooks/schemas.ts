import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES } from "@/db/schema/webhooks";
import { storable } from "../validation";
import { WEBHOOK_EVENT_TYPES } from "../audit/webhook-events";

const URL_MESSAGE = "An http(s) URL the receiver listens on, like https://ci.example.com/hooks/greenlight.";

export const webhookUrl = z
  .string({ error: "Give the endpoint's URL." })
  .trim()
  .min(1, "Give the endpoint's URL.")
  .max(2000, "Keep the URL under 2,000 characters.")
  .pipe(z.url({ protocol: /^https?$/, error: URL_MESSAGE }))
  // Runs even when the URL check above failed (zod reports every issue), so it must not throw.
  .refine(
    (v) => !URL.canParse(v) || !new URL(v).hash,
    "A URL with a #fragment: the fragment is never sent; leave it out.",
  );

export const webhookEvents = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Not an event Greenlight sends (see the list of events)." }), {
    error: "Choose the events to send, as a list.",
  })
  .min(1, "Choose at least one event.")
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((events) => [...new Set(events)].sort());

const description = z
  .string({ error: "The description is text." })
  .trim()
  .max(500, "Keep the description under 500 characters.")
  .superRefine(storable);

export const CreateWebhookInput = z.object({
  url: webhookUrl,
  events: webhookEvents,
  description: description.default(""),
  enabled: z.boolean({ error: "enabled is true or false." }).default(true),
});

export const webhookId = z.uuid({ error: "No such webhook endpoint." });

export const UpdateWebhookInput = z.object({
  id: webhookId,
  url: webhookUrl.optional(),
  events: webhookEvents.optional(),
  description: description.optional(),
  enabled: z.boolean({ error: "enabled is true or false." }).optional(),
});

export const DeleteWebhookInput = z.object({ id: webhookId });

export const RedeliverInput = z.object({ id: webhookId, deliveryId: z.uuid({ error: "No such delivery." }) });

/** The delivery log's query: a page after `before` (a cursor from `next`), optionally of one status. */
export const WebhookDeliveriesQuery = z.object({
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z_[0-9a-f-]{36}$/i, "Pass the `next` value of the page before.")
    .refine((v) => !Number.isNaN(Date.parse(v.split("_")[0]!)), "Pass the `next` value of the page before.")
    .optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});
