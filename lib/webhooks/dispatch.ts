import "server-only";
import { inBackground } from "../notifications/deliver";

/** A delivery and how many attempts it has had: which attempt a job is for. */
export type WebhookAttemptRef = { id: string; attempts: number };

/** Hands committed deliveries to a job queue, when one runs in this process (set by lib/jobs). */
export type WebhookDispatcher = (deliveries: readonly WebhookAttemptRef[]) => Promise<unknown>;

// Shared by every route bundle through globalThis, as lib/notifications/dispatch.ts is.
const KEY = Symbol.for("greenlight.webhook-dispatcher");
type Holder = { [KEY]?: WebhookDispatcher };

export function setWebhookDispatcher(dispatcher: WebhookDispatcher | undefined): void {
  if (dispatcher) (globalThis as Holder)[KEY] = dispatcher;
  else delete (globalThis as Holder)[KEY];
}

/**
 * After commit: each delivery becomes a job at once. A process without a job queue (the CLI, a
 * test) leaves them due in the table, where the worker's sweep finds them within a minute.
 */
export function dispatchWebhookDeliveries(deliveries: readonly WebhookAttemptRef[]): void {
  const dispatch = (globalThis as Holder)[KEY];
  if (dispatch && deliveries.length) inBackground("queueing webhooks", () => dispatch(deliveries));
}
