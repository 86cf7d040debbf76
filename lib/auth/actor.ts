import type { Db, Tx } from "@/db";
import type { Role } from "@/db/schema/org";
import { Forbidden } from "../errors";

/** Who is acting: a signed-in person, or the system itself (CLI, seed, scheduled jobs). */
export type Actor =
  | { kind: "user"; id: string; email: string; name: string | null; roles: Role[]; teamIds: string[] }
  | { kind: "system"; label: string };

export type UserActor = Extract<Actor, { kind: "user" }>;

/**
 * What a read (and a transport) works with: the database, the signed-in person, and the time (fixed
 * for tests). `joinCommit` is passed on to the verbs it calls (lib/verb.ts's VerbContext).
 */
export type UserContext = { db: Db; actor: UserActor; now?: Date; joinCommit?: (tx: Tx) => Promise<void> };

export const systemActor = (label: string): Actor => ({ kind: "system", label });

/** How an email names who acted: a person's name (or address), or what the system actor is. */
export const actorName = (actor: Actor) =>
  actor.kind === "user" ? (actor.name ?? actor.email) : `Greenlight (${actor.label})`;

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  // The system actor runs with the database's own trust (an operator at the CLI).
  return actor.kind === "system" || roles.some((r) => actor.roles.includes(r));
}

export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) {
    throw new Forbidden(`This needs the ${roles.join(" or ")} role.`);
  }
}

export function actorLabel(actor: Actor): string {
  return actor.kind === "user" ? actor.email : actor.label;
}
