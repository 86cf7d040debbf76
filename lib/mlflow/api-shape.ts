import type { MlflowAdminView } from "./queries";

/** The admin view as JSON for GET /api/v1/mlflow: instants as ISO strings, never the token. */
export function mlflowStatusJson(view: MlflowAdminView) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const c = view.connection;
  return {
    connection: c && {
      url: c.url,
      tokenSet: c.tokenSet,
      databricksHost: c.databricksHost,
      syncing: c.syncing,
      syncStartedAt: iso(c.syncStartedAt),
      syncFinishedAt: iso(c.syncFinishedAt),
      progress: c.progress,
      lastSyncError: c.lastSyncError,
    },
    models: view.models.map((m) => ({ ...m, lastSyncedAt: iso(m.lastSyncedAt) })),
    aliases: view.aliases,
    writeBacks: view.writeBacks,
  };
}
