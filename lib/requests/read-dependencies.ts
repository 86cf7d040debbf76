import "server-only";
import type { UserContext } from "../auth/actor";
import { NotFound } from "../errors";
import { DependencyListQuery, DependencyListQueryOrDefaults } from "../security/dependency-list";
import { currentManifestRecord, dependencyCounts, dependencyPage } from "../security/manifest-review";
import { mayDecidePackages } from "../security/permissions";
import { parseInput } from "../validation";
import { mayEdit } from "./permissions";
import { findRequestRecord } from "./queries";

/**
 * One page of the manifest's dependencies, with every list's count (in SQL, never by loading the
 * rows): a manifest may hold thousands of packages, and a read loads at most one page of them.
 */
async function manifestPage(ctx: UserContext, requestId: string, query: DependencyListQuery) {
  const manifest = await currentManifestRecord(ctx.db, requestId);
  if (!manifest) return null;
  const counts = await dependencyCounts(ctx.db, manifest.id);
  const { rows, window } = await dependencyPage(ctx.db, manifest.id, query, counts[query.show]);
  return { manifest, deps: rows, counts, show: query.show, page: window };
}

/**
 * A request's current manifest with its review, a page at a time (anyone signed in, like the request
 * itself). The query string is strict: `page`, `limit` (at most 500) and `show` that do not parse are a 400.
 */
export async function readManifest(ctx: UserContext, input: { number: string; query?: unknown }) {
  const query = parseInput(DependencyListQuery, input.query ?? {});
  const request = await findRequestRecord(ctx.db, input.number);
  if (!request) throw new NotFound("No such request.");
  const current = await manifestPage(ctx, request.id, query);
  if (!current) throw new NotFound(`CR-${request.number} has no dependency manifest.`);
  return { request: { number: request.number }, ...current };
}

/** A request's dependencies page: one page of its manifest review, and what the caller may do there. */
export async function readDependenciesPage(ctx: UserContext, input: { number: string; query?: unknown }) {
  const query = DependencyListQueryOrDefaults.parse(input.query ?? {});
  const request = await findRequestRecord(ctx.db, input.number);
  if (!request) throw new NotFound("No such request.");
  const current = await manifestPage(ctx, request.id, query);
  return {
    request: { number: request.number, title: request.title, status: request.status },
    current,
    can: { edit: mayEdit(ctx.actor.id, request), decidePackages: mayDecidePackages(ctx.actor, request) },
  };
}
