import "server-only";
import { eq, sql } from "drizzle-orm";
import { environments, mlflowConnections } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { SetAliasInput } from "./schemas";

/**
 * Sets (or, blank, removes) the alias Greenlight points at the version deployed to an environment
 * (admins): "production" for production, say. The connection row is locked, so two admins setting
 * aliases for different environments at once both keep theirs.
 */
export const setMlflowAlias = defineVerb({
  allow: ["admin"],
  input: SetAliasInput,
  async run({ tx, actor, now }, input) {
    const [connection] = await tx
      .select()
      .from(mlflowConnections)
      .where(eq(mlflowConnections.slot, "default"))
      .for("update");
    if (!connection) throw new NotFound("Connect an MLflow tracking server first.");
    const [env] = await tx
      .select({ name: environments.name })
      .from(environments)
      .where(eq(environments.name, input.environment));
    if (!env) throw new ValidationError("Unknown environment.", { environment: ["Choose an existing environment."] });
    const aliases = { ...connection.aliases };
    const before = aliases[input.environment] ?? null;
    if (input.alias) aliases[input.environment] = input.alias;
    else delete aliases[input.environment];
    await tx
      .update(mlflowConnections)
      .set({ aliases: sql`${JSON.stringify(aliases)}::jsonb`, updatedAt: now })
      .where(eq(mlflowConnections.id, connection.id));
    await recordAudit(
      tx,
      actor,
      {
        action: "mlflow.alias_set",
        entityType: "mlflow_connection",
        entityId: connection.id,
        data: { environment: input.environment, alias: input.alias ?? null, before },
      },
      now,
    );
    return { environment: input.environment, alias: input.alias ?? null };
  },
});
