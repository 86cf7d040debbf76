import "server-only";
import type { UserContext } from "../auth/actor";
import { NotFound } from "../errors";
import { currentManifest } from "../security/manifest-review";
import { mayDecidePackages } from "../security/permissions";
import { mayEdit } from "./permissions";
import { findRequestRecord } from "./queries";

/** A request's current manifest with its review (anyone signed in, like the request itself). */
export async function readManifest(ctx: UserContext, input: { number: string }) {
  const request = await findRequestRecord(ctx.db, input.number);
  if (!request) throw new NotFound("No such request.");
  const current = await currentManifest(ctx.db, request.id);
  if (!current) throw new NotFound(`CR-${request.number} has no dependency manifest.`);
  return current;
}

/** A request's dependencies page: its manifest review, and what the caller may do there. */
export async function readDependenciesPage(ctx: UserContext, input: { number: string }) {
  const request = await findRequestRecord(ctx.db, input.number);
  if (!request) throw new NotFound("No such request.");
  const current = await currentManifest(ctx.db, request.id);
  return {
    request: { number: request.number, title: request.title, status: request.status },
    current,
    can: { edit: mayEdit(ctx.actor.id, request), decidePackages: mayDecidePackages(ctx.actor, request) },
  };
}
