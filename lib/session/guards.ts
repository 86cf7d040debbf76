import "server-only";
import { cache } from "react";
import { Unauthorized } from "../errors";
import type { UserActor, UserContext } from "../auth/actor";
import { auth } from "./config";

export type { UserActor, UserContext };

/**
 * The signed-in, active user, or Unauthorized. Every action and handler starts here. Within one
 * server render (layout, page and components all ask) the session is read once: React's cache()
 * memoises per request there, and outside a render (route handlers, server actions, tests) it simply
 * calls through, so each call reads the session afresh.
 */
export const requireUser = cache(async (): Promise<UserActor> => {
  const session = await auth();
  if (!session?.user?.id) throw new Unauthorized();
  const { id, email, name, roles, teamIds } = session.user;
  return { kind: "user", id, email, name, roles, teamIds };
});
