import "server-only";
import { eq } from "drizzle-orm";
import { mlflowConnections } from "@/db/schema";
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
    const [row] = existing
      ? await tx.update(mlflowConnections).set(values).where(eq(mlflowConnections.id, existing.id)).returning()
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
        },
      },
      now,
    );
    return { id: row!.id, url: row!.url, tokenSet: Boolean(row!.token), databricksHost: row!.databricksHost };
  },
});
