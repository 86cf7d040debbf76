import "server-only";
import { setMlflowDispatcher } from "../mlflow/dispatch";
import { setDeliveryDispatcher } from "../notifications/dispatch";
import { setWebhookDispatcher } from "../audit/queue-webhooks";
import { QUEUES } from "./queues";
import { sendDeliveries, sendWebhookJobs, type JobQueue } from "./send";

// The one job queue this process started (lib/jobs/start.ts), shared by every route bundle through
// globalThis as lib/db.ts shares its connection (Next loads route modules separately).
const KEY = Symbol.for("greenlight.jobs");
type Holder = { [KEY]?: JobQueue };

export function currentJobQueue(): JobQueue | undefined {
  return (globalThis as Holder)[KEY];
}

/** Records the process's queue; committed notifications then become its delivery jobs. */
export function setCurrentJobQueue(queue: JobQueue | undefined): void {
  if (queue) (globalThis as Holder)[KEY] = queue;
  else delete (globalThis as Holder)[KEY];
  setDeliveryDispatcher(queue ? (ids) => sendDeliveries(queue, ids) : undefined);
  setWebhookDispatcher(queue ? (ids) => sendWebhookJobs(queue, ids) : undefined);
  // One job waiting per queue at most ("short" policy + singleton key): pressing twice queues one.
  setMlflowDispatcher(
    queue && {
      wakeWriteBacks: async () => {
        await queue.boss.send(QUEUES.mlflowWriteBack, {}, { singletonKey: "mlflow-write-back" });
      },
      sendSync: async () => Boolean(await queue.boss.send(QUEUES.mlflowSync, {}, { singletonKey: "mlflow-sync" })),
    },
  );
}
