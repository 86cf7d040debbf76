import type { JWT } from "next-auth/jwt";
import type { UserActor } from "../auth/actor";
import { logError } from "../log";

/**
 * The session token as each request sees it: the person reloaded from the database (ADR 0004), so a
 * deactivation or a role change holds at once. Null ends the session (gone or deactivated).
 *
 * A reload that fails (the database busy or restarting) is not a sign-out, yet Auth.js deletes the
 * session cookie on any error thrown here. An established session is therefore kept for that one
 * request: every write re-loads the actor inside its own transaction (ADR 0006), and the next request
 * reloads again. Signing in still needs the database to answer.
 */
export async function refreshSessionToken(
  load: (id: string) => Promise<UserActor | null>,
  token: JWT,
  user?: { id?: string },
): Promise<JWT | null> {
  const id = user?.id ?? token.sub;
  if (!id) return null;
  let actor: UserActor | null;
  try {
    actor = await load(id);
  } catch (error) {
    if (user || !token.sub) throw error;
    logError("session reload failed; the session is kept for this request", error);
    return token;
  }
  if (!actor) return null;
  return {
    ...token,
    sub: actor.id,
    email: actor.email,
    name: actor.name,
    roles: actor.roles,
    teamIds: actor.teamIds,
  };
}
