import "server-only";
import { and, asc, count, desc, eq, ilike, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "@/db";
import {
  auditEvents,
  changeRequests,
  comments,
  decisions,
  models,
  modelVersions,
  requestSteps,
  teams,
  users,
} from "@/db/schema";
import { REQUEST_KINDS, REQUEST_STATUSES } from "@/db/schema/requests";
import { listEnvironments } from "../environments/queries";
import { environmentName } from "../environments/schemas";
import type { Actor } from "../auth/actor";
import { delegationsInForceTo } from "../delegations/queries";
import { seatHolders } from "./approvers";
import { castDecisions, withConflicts } from "./load";
import { resolveStep } from "./resolve-step";
import { EXPIRY_WARNING_HOURS } from "./chase";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { listVersionChoices } from "../models/queries";
import { listTeams } from "../teams/queries";
import {
  mayBrowseRequests,
  mayEdit,
  mayFileFor,
  mayFileForSomeTeam,
  mayFileRequests,
  offersFiling,
} from "./permissions";
import { retroState } from "./retro";
import { requestNumber } from "./schemas";
import { INT4_MAX, parseInput } from "../validation";
import { datasetNotice } from "../datasets/affected";

export const PAGE_SIZE = 25;
const opt = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);
export const RequestFilters = z.object({
  status: opt(z.enum(REQUEST_STATUSES)),
  kind: opt(z.enum(REQUEST_KINDS)),
  environment: opt(environmentName),
  team: opt(z.uuid()),
  mine: opt(z.enum(["1"])),
  q: opt(z.string().trim().max(200)),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type RequestFilters = z.infer<typeof RequestFilters>;

const requester = alias(users, "requester");
const listColumns = {
  id: changeRequests.id,
  number: changeRequests.number,
  title: changeRequests.title,
  kind: changeRequests.kind,
  status: changeRequests.status,
  environment: changeRequests.environment,
  risk: changeRequests.risk,
  effectiveRisk: changeRequests.effectiveRisk,
  emergency: changeRequests.emergency,
  revision: changeRequests.revision,
  updatedAt: changeRequests.updatedAt,
  retroDueAt: changeRequests.retroDueAt,
  team: teams.name,
  requester: requester.email,
  model: models.name,
  version: modelVersions.version,
};

function listQuery(db: Db) {
  return db
    .select(listColumns)
    .from(changeRequests)
    .innerJoin(teams, eq(teams.id, changeRequests.teamId))
    .innerJoin(requester, eq(requester.id, changeRequests.requestedBy))
    .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
    .leftJoin(models, eq(models.id, modelVersions.modelId));
}

export async function listRequests(db: Db, filters: RequestFilters, viewerId: string) {
  const where: SQL[] = [];
  if (filters.status) where.push(eq(changeRequests.status, filters.status));
  if (filters.kind) where.push(eq(changeRequests.kind, filters.kind));
  if (filters.environment) where.push(eq(changeRequests.environment, filters.environment));
  if (filters.team) where.push(eq(changeRequests.teamId, filters.team));
  if (filters.mine) where.push(eq(changeRequests.requestedBy, viewerId));
  if (filters.q) {
    // A number the column could hold is looked up as one; a longer run of digits is searched as a title.
    const number = Number(/^(cr-)?(\d{1,10})$/i.exec(filters.q)?.[2]);
    where.push(
      number && number <= INT4_MAX
        ? eq(changeRequests.number, number)
        : ilike(changeRequests.title, `%${filters.q.replace(/[%_\\]/g, "\\$&")}%`),
    );
  }
  const condition = where.length ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    listQuery(db)
      .where(condition)
      .orderBy(desc(changeRequests.updatedAt), desc(changeRequests.number))
      .limit(PAGE_SIZE)
      .offset((filters.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(changeRequests).where(condition),
  ]);
  return { rows, total: total?.n ?? 0, page: filters.page, pages: Math.max(1, Math.ceil((total?.n ?? 0) / PAGE_SIZE)) };
}

/** Everything the request page shows (`now` decides whether an emergency's retro-approval is overdue). */
export async function getRequestDetail(db: Db, number: number, now = new Date()) {
  const [row] = await listQuery(db).where(eq(changeRequests.number, number));
  if (!row) return null;
  const [full] = await db.select().from(changeRequests).where(eq(changeRequests.id, row.id));
  const request = { ...full!, ...row };
  const [steps, earlierSteps, decisionRows, commentRows, timeline] = await Promise.all([
    db
      .select()
      .from(requestSteps)
      .where(and(eq(requestSteps.requestId, request.id), eq(requestSteps.revision, request.revision)))
      .orderBy(asc(requestSteps.stage), asc(requestSteps.role)),
    // Earlier revisions' chains, for their timings: what waited before an edit reset it.
    db
      .select({
        revision: requestSteps.revision,
        stage: requestSteps.stage,
        name: requestSteps.name,
        role: requestSteps.role,
        status: requestSteps.status,
        slaHours: requestSteps.slaHours,
        openedAt: requestSteps.openedAt,
        completedAt: requestSteps.completedAt,
      })
      .from(requestSteps)
      .where(and(eq(requestSteps.requestId, request.id), lt(requestSteps.revision, request.revision)))
      .orderBy(asc(requestSteps.revision), asc(requestSteps.stage), asc(requestSteps.role))
      .limit(500),
    db
      .select({
        id: decisions.id,
        stepId: decisions.stepId,
        revision: decisions.revision,
        decision: decisions.decision,
        comment: decisions.comment,
        createdAt: decisions.createdAt,
        actor: users.email,
        actorName: users.name,
        onBehalfOf: decisions.onBehalfOf,
      })
      .from(decisions)
      .innerJoin(users, eq(users.id, decisions.actorId))
      .where(eq(decisions.requestId, request.id))
      .orderBy(asc(decisions.createdAt)),
    db
      .select({
        id: comments.id,
        body: comments.body,
        createdAt: comments.createdAt,
        author: users.email,
        authorName: users.name,
      })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .where(eq(comments.requestId, request.id))
      .orderBy(asc(comments.createdAt)),
    db
      .select({
        seq: auditEvents.seq,
        action: auditEvents.action,
        actorEmail: auditEvents.actorEmail,
        occurredAt: auditEvents.occurredAt,
        data: auditEvents.data,
      })
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, "change_request"), eq(auditEvents.entityId, request.id)))
      .orderBy(asc(auditEvents.seq)),
  ]);
  const onBehalf = decisionRows.map((d) => d.onBehalfOf).filter((v): v is string => Boolean(v));
  const [behalfEmails, chain, approvers] = await Promise.all([
    onBehalf.length
      ? db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, onBehalf))
      : [],
    withConflicts(db, steps),
    seatHolders(db, full!, steps),
  ]);
  return {
    request,
    retro: retroState({ ...request, pendingSteps: steps.filter((s) => s.status === "pending").length }, now),
    steps: chain.map((s) => ({ ...s, eligible: (approvers.get(s.id) ?? []).map((p) => p.name ?? p.email) })),
    earlierSteps,
    decisions: decisionRows.map((d) => {
      const behalf = behalfEmails.find((b) => b.id === d.onBehalfOf);
      return {
        ...d,
        onBehalfOfEmail: behalf?.email ?? null,
        onBehalfOfName: behalf ? (behalf.name ?? behalf.email) : null,
      };
    }),
    comments: commentRows,
    timeline,
  };
}

/** The request's own record for a number as written in a URL ("1042" or "CR-1042"); null when there is none. */
export async function findRequestRecord(db: Db, rawNumber: string) {
  const number = requestNumber.safeParse(rawNumber);
  if (!number.success) return null;
  const [row] = await db.select().from(changeRequests).where(eq(changeRequests.number, number.data));
  return row ?? null;
}

/** The request page's data for a number as written in a URL ("1042" or "CR-1042"); null when there is none. */
export async function findRequestDetail(db: Db, rawNumber: string, now?: Date) {
  const number = requestNumber.safeParse(rawNumber);
  return number.success ? getRequestDetail(db, number.data, now) : null;
}

/**
 * Inbox: steps I may decide now (as myself, or for someone who delegated to me), my own requests,
 * and what I decided lately. "May decide now" is the decide verb's own rule (resolveStep), so the
 * inbox never offers a step the verb would refuse.
 */
export async function inbox(db: Db, actor: Extract<Actor, { kind: "user" }>) {
  const now = new Date();
  const grants = await delegationsInForceTo(db, actor.id, now);
  // A first cut in SQL: pending steps of a role I (or a delegator, within the delegation) hold.
  const roles = [
    ...new Set([
      ...actor.roles,
      ...grants.flatMap((g) => (g.role ? g.from.roles.filter((r) => r === g.role) : g.from.roles)),
    ]),
  ];
  const teamIds = [...new Set([...actor.teamIds, ...grants.flatMap((g) => g.from.teamIds)])];
  const candidates = roles.length
    ? await db
        .select({
          ...listColumns,
          stepId: requestSteps.id,
          stepName: requestSteps.name,
          stage: requestSteps.stage,
          role: requestSteps.role,
          scope: requestSteps.scope,
          quorum: requestSteps.quorum,
          approvals: requestSteps.approvals,
          stepStatus: requestSteps.status,
          openedAt: requestSteps.openedAt,
          slaHours: requestSteps.slaHours,
          teamId: changeRequests.teamId,
          requestedBy: changeRequests.requestedBy,
          authorId: modelVersions.createdBy,
          modelOwnerId: models.ownerId,
        })
        .from(requestSteps)
        .innerJoin(
          changeRequests,
          and(eq(changeRequests.id, requestSteps.requestId), eq(changeRequests.revision, requestSteps.revision)),
        )
        .innerJoin(teams, eq(teams.id, changeRequests.teamId))
        .innerJoin(requester, eq(requester.id, changeRequests.requestedBy))
        .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
        .leftJoin(models, eq(models.id, modelVersions.modelId))
        .where(
          and(
            eq(requestSteps.status, "pending"),
            inArray(requestSteps.role, roles),
            inArray(changeRequests.status, ["in_review", "approved"]),
            ne(changeRequests.requestedBy, actor.id),
            sql`not exists (select 1 from ${decisions} d where d.request_id = ${changeRequests.id} and d.revision = ${changeRequests.revision} and (d.principal_id = ${actor.id} or d.actor_id = ${actor.id}))`,
            or(eq(requestSteps.scope, "any"), teamIds.length ? inArray(requestSteps.teamId, teamIds) : sql`false`),
          ),
        )
        .orderBy(asc(requestSteps.openedAt))
        .limit(200)
    : [];
  // The rule needs the whole chain, its conflicts and this revision's decisions: load them for the few candidates.
  const ids = [...new Set(candidates.map((c) => c.id))];
  const [siblings, cast] = await Promise.all([
    ids.length
      ? db
          .select()
          .from(requestSteps)
          .innerJoin(
            changeRequests,
            and(eq(changeRequests.id, requestSteps.requestId), eq(changeRequests.revision, requestSteps.revision)),
          )
          .where(inArray(requestSteps.requestId, ids))
          .then((rows) =>
            withConflicts(
              db,
              rows.map((r) => r.request_steps),
            ),
          )
      : [],
    castDecisions(
      db,
      ids.map((id) => ({ id, revision: candidates.find((c) => c.id === id)!.revision })),
    ),
  ]);
  const me = { id: actor.id, roles: actor.roles, teamIds: actor.teamIds, name: actor.name, email: actor.email };
  const waiting = candidates.flatMap((c) => {
    const chain = siblings.filter((s) => s.requestId === c.id);
    const facts = {
      number: c.number,
      revision: c.revision,
      kind: c.kind,
      requestedBy: c.requestedBy,
      teamId: c.teamId,
      teamName: c.team,
      emergency: c.emergency,
      environment: c.environment,
      model: c.model,
      version: c.version,
      authorId: c.authorId,
      modelOwnerId: c.modelOwnerId,
    };
    const resolution = resolveStep(chain, facts, me, grants, cast.get(c.id) ?? [], c.stepId);
    if (!resolution.ok) return [];
    const principal = resolution.principal;
    return [
      {
        ...c,
        onBehalfOf: resolution.onBehalfOf ? (principal.name ?? principal.email ?? null) : null,
        dueAt: c.openedAt ? new Date(c.openedAt.getTime() + c.slaHours * 3_600_000) : null,
        overdue: c.openedAt ? c.openedAt.getTime() + c.slaHours * 3_600_000 < now.getTime() : false,
        retroOverdue: c.retroDueAt ? c.retroDueAt.getTime() < now.getTime() : false,
      },
    ];
  });
  // What the requester must do: a request sent back, a draft never submitted, an approval about to
  // lapse undeployed (the same window as its warning email).
  const soon = new Date(now.getTime() + EXPIRY_WARNING_HOURS * 3_600_000).toISOString();
  const [mine, decided, yours] = await Promise.all([
    listQuery(db).where(eq(changeRequests.requestedBy, actor.id)).orderBy(desc(changeRequests.updatedAt)).limit(20),
    db
      .select({ ...listColumns, decision: decisions.decision, decidedAt: decisions.createdAt })
      .from(decisions)
      .innerJoin(changeRequests, eq(changeRequests.id, decisions.requestId))
      .innerJoin(teams, eq(teams.id, changeRequests.teamId))
      .innerJoin(requester, eq(requester.id, changeRequests.requestedBy))
      .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
      .leftJoin(models, eq(models.id, modelVersions.modelId))
      .where(eq(decisions.actorId, actor.id))
      .orderBy(desc(decisions.createdAt))
      .limit(20),
    db
      .select({ ...listColumns, approvalExpiresAt: changeRequests.approvalExpiresAt })
      .from(changeRequests)
      .innerJoin(teams, eq(teams.id, changeRequests.teamId))
      .innerJoin(requester, eq(requester.id, changeRequests.requestedBy))
      .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
      .leftJoin(models, eq(models.id, modelVersions.modelId))
      .where(
        and(
          eq(changeRequests.requestedBy, actor.id),
          or(
            inArray(changeRequests.status, ["changes_requested", "draft"]),
            and(
              eq(changeRequests.status, "approved"),
              sql`${changeRequests.approvalExpiresAt} <= ${soon}::timestamptz`,
            ),
          ),
        ),
      )
      .orderBy(asc(changeRequests.updatedAt))
      .limit(50),
  ]);
  const needs = yours.map((r) => ({
    ...r,
    todo:
      r.status === "changes_requested"
        ? "Changes requested: revise it and resubmit"
        : r.status === "draft"
          ? "Draft: submit it when it is ready"
          : "Approved: deploy it before the approval lapses",
  }));
  return { waiting, mine, decided, yours: needs };
}

// Reads over /api/v1: anyone signed in may read requests.

/** One request with its chain and decisions. */
export async function readRequest(ctx: UserContext, input: { number: string }) {
  const detail = await findRequestDetail(ctx.db, input.number);
  if (!detail) throw new NotFound("No such request.");
  return { ...detail, datasetChanges: await datasetNotice(ctx.db, detail.request.modelVersionId) };
}

/** One page of requests, filtered from the query string (anything unreadable is ignored). */
export async function readRequestList(ctx: UserContext, query: unknown) {
  return listRequests(ctx.db, parseInput(RequestFilters, query), ctx.actor.id);
}

// Reads for the app's pages.

const NOT_REQUESTS = "Requests are for people holding a role.";

/** The requests page: the filtered list, the teams to filter by, and whether to offer filing. */
export async function readRequestsPage(ctx: UserContext, query: unknown) {
  permit(mayBrowseRequests(ctx.actor), NOT_REQUESTS);
  const filters = parseInput(RequestFilters, query);
  const [list, teams, environments] = await Promise.all([
    listRequests(ctx.db, filters, ctx.actor.id),
    listTeams(ctx.db),
    listEnvironments(ctx.db, { archived: true }),
  ]);
  return {
    filters,
    ...list,
    teams,
    environments: environments.map((e) => e.name),
    can: { file: offersFiling(ctx.actor) },
  };
}

/** The inbox: steps waiting for the caller, their own requests (when filing is theirs) and what they decided. */
export async function readInbox(ctx: UserContext) {
  permit(mayBrowseRequests(ctx.actor), NOT_REQUESTS);
  return { ...(await inbox(ctx.db, ctx.actor)), can: { file: offersFiling(ctx.actor) } };
}

/** The new-request page: the model versions the caller may file for, and whether they have a team to file for. */
export async function readNewRequestPage(ctx: UserContext) {
  permit(mayFileRequests(ctx.actor), "Requesters and admins file requests.");
  const [choices, environments] = await Promise.all([listVersionChoices(ctx.db), listEnvironments(ctx.db)]);
  const versions = choices.filter((v) => mayFileFor(ctx.actor, v.teamId));
  return {
    versions,
    environments: environments.map((e) => ({
      name: e.name,
      protected: e.protected,
      requiresDeployedIn: e.requiresDeployedIn,
    })),
    can: { fileForSomeTeam: mayFileForSomeTeam(ctx.actor) },
  };
}

/** The costs page: the request's money side as entered, and whether the caller may change it. */
export async function readRequestCostPage(ctx: UserContext, input: { number: string }) {
  const request = await findRequestRecord(ctx.db, input.number);
  if (!request) throw new NotFound("No such request.");
  return {
    request: {
      number: request.number,
      title: request.title,
      kind: request.kind,
      status: request.status,
      currency: request.currency,
      costBenefit: request.costBenefit,
      provisioning: request.provisioning,
    },
    can: { edit: mayEdit(ctx.actor.id, request) },
  };
}
