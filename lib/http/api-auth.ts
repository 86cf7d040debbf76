import "server-only";
import { requireUser, type UserContext } from "../session/guards";
import { getDb } from "../db";
import { Unauthorized } from "../errors";
import { actorForToken } from "../tokens/authenticate";

/** Who is calling /api/v1: a bearer token (CI, scripts) or, from the browser, the session. */
export async function apiContext(request: Request): Promise<UserContext> {
  const db = await getDb();
  const header = request.headers.get("authorization");
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const actor = token ? await actorForToken(db, token) : null;
    if (!actor) throw new Unauthorized("The API token is missing, unknown, revoked, or its owner is deactivated.");
    return { db, actor };
  }
  return { db, actor: await requireUser() };
}
