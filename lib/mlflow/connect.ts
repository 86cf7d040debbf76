import "server-only";
import { eq } from "drizzle-orm";
import { mlflowConnections, mlflowModels, mlflowVersionLinks, mlflowWriteBacks } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { MlflowError, searchRegisteredModels } from "./client";
import { loadConnection } from "./connection";
import { ConnectInput } from "./schemas";

/**
 * Saves the tracking server (admins). MLflow is asked first, outside the transaction: an address
 * that does not answer like MLflow, or a token it refuses, is a field error and nothing is saved.
 * Connecting again updates the one connection; a blank token keeps the saved one.
 */
export const connectMlflow = defineVerb({
  allow: ["admin"],
  input: ConnectInput,
  conflict: "Someone saved the connection at the same moment; reload and try again.",
  async prepare({ db, signal }, input) {
    const saved = await loadConnection(db);
    const token = input.clearToken ? null : (input.token ?? saved?.token ?? null);
    try {
      await searchRegisteredModels({ url: input.url, token }, { maxResults: 1, signal });
    } catch (error) {
      if (!(error instanceof MlflowError)) throw error;
      const field = error.status === 401 || error.status === 403 ? "token" : "url";
      throw new ValidationError(error.message, { [field]: [error.message] });
    }
    return { token };
  },
  async run({ tx, actor, now }, input, { token }) {
    const values = {
      url: input.url,
      token,
      databricksHost: input.databricksHost ?? null,
      updatedAt: now,
    };
    const existing = await loadConnection(tx);
    // Another server: what was picked and queued for the old one means nothing there. Its imported
    // versions stay (their links keep the old address), and nothing is written back to the new one.
    const moved = existing !== null && existing.url !== input.url;
    if (moved) {
      await tx.delete(mlflowModels).where(eq(mlflowModels.connectionId, existing.id));
      await tx.delete(mlflowWriteBacks).where(eq(mlflowWriteBacks.connectionId, existing.id));
      await tx
        .update(mlflowVersionLinks)
        .set({ connectionId: null })
        .where(eq(mlflowVersionLinks.connectionId, existing.id));
    }
    const [row] = existing
      ? await tx
          .update(mlflowConnections)
          .set(moved ? { ...values, syncProgress: null, lastSyncError: null, syncFinishedAt: null } : values)
          .where(eq(mlflowConnections.id, existing.id))
          .returning()
      : await tx
          .insert(mlflowConnections)
          .values({ ...values, createdBy: actor.kind === "user" ? actor.id : null, createdAt: now })
          .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "mlflow.connected",
        entityType: "mlflow_connection",
        entityId: row!.id,
        // Never the token: only whether one is set.
        data: {
          url: row!.url,
          databricksHost: row!.databricksHost,
          tokenSet: Boolean(row!.token),
          updated: Boolean(existing),
          ...(moved && { previousUrl: existing.url }),
        },
      },
      now,
    );
    return { id: row!.id, url: row!.url, tokenSet: Boolean(row!.token), databricksHost: row!.databricksHost };
  },
});
