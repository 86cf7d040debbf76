import "server-only";
import { cache } from "react";
import type { Db } from "@/db";
import { Unauthorized } from "../errors";
import type { Actor } from "./actor";
import { auth } from "./config";

export type UserActor = Extract<Actor, { kind: "user" }>;

/** What a read (and a transport) works with: the database and the signed-in person. */
export type UserContext = { db: Db; actor: UserActor };

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
