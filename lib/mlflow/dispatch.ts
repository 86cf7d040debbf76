import "server-only";

/**
 * How this process asks for MLflow work to run now: the job queue's, when one runs here. Set by
 * lib/jobs/current.ts (so lib/mlflow does not import lib/jobs: the jobs run lib/mlflow's code).
 * `sendSync` answers false when a sync job was already waiting.
 */
export type MlflowDispatcher = { wakeWriteBacks(): Promise<void>; sendSync(): Promise<boolean> };

// Shared by every route bundle through globalThis, as lib/notifications/dispatch.ts is.
const KEY = Symbol.for("greenlight.mlflow-dispatcher");
type Holder = { [KEY]?: MlflowDispatcher };

export function setMlflowDispatcher(dispatcher: MlflowDispatcher | undefined): void {
  if (dispatcher) (globalThis as Holder)[KEY] = dispatcher;
  else delete (globalThis as Holder)[KEY];
}

export function mlflowDispatcher(): MlflowDispatcher | undefined {
  return (globalThis as Holder)[KEY];
}
