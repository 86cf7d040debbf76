import "server-only";
import { eq } from "drizzle-orm";
import { mlflowConnections } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound } from "../errors";
import { defineVerb } from "../verb";
import { loadConnection } from "./connection";
import { DisconnectInput } from "./schemas";

/**
 * Forgets the tracking server (admins, after confirming): the picked models and any write-backs not
 * yet made go with it. Imported versions stay, still marked as imported from MLflow.
 */
export const disconnectMlflow = defineVerb({
  allow: ["admin"],
  input: DisconnectInput,
  async run({ tx, actor, now }) {
    const connection = await loadConnection(tx);
    if (!connection) throw new NotFound("No MLflow tracking server is connected.");
    const [gone] = await tx
      .delete(mlflowConnections)
      .where(eq(mlflowConnections.id, connection.id))
      .returning({ id: mlflowConnections.id });
    // A concurrent disconnect deleted it first: nothing left to record.
    if (!gone) throw new NotFound("No MLflow tracking server is connected.");
    await recordAudit(
      tx,
      actor,
      {
        action: "mlflow.disconnected",
        entityType: "mlflow_connection",
        entityId: connection.id,
        data: { url: connection.url },
      },
      now,
    );
    return { disconnected: connection.url };
  },
});
