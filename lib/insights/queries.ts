import "server-only";
import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { changeRequests, requestSteps, teams } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { parseInput } from "../validation";
import { bottleneck, percentOf, roundHours, savedHoursEstimate } from "./figures";
import { InsightQuery, periodBounds, periodOf, type InsightScope } from "./filters";
import { seatHolders } from "../requests/approvers";
import { insightTeams, mayReadInsights, maySeeInsightPeople } from "./permissions";

// Every figure is one SQL statement over the request tables, aggregated in PostgreSQL
// (percentile_cont for medians and p90s), so the work does not grow with what is shipped to Node.
// The period and the filters reach every statement through `requestFilter` and the bounds.

const NOT_INSIGHTS = "Insights need the manager, ML lead or admin role.";

/** Who may see what, and over which period: the one gate every insights read and route goes through. */
export function insightScope(ctx: UserContext, raw: unknown): InsightScope & { query: InsightQuery } {
  permit(mayReadInsights(ctx.actor), NOT_INSIGHTS);
  const query = parseInput(InsightQuery, raw);
  const allowed = insightTeams(ctx.actor);
  if (query.team && allowed && !allowed.includes(query.team))
    permit(false, "You can see your own teams' figures only.");
  const now = ctx.now ?? new Date();
  const period = periodOf(query, now);
  return {
    ...periodBounds(period),
    ...period,
    teamIds: query.team ? [query.team] : allowed,
    kind: query.kind ?? null,
    environment: query.environment ?? null,
    now,
    query,
  };
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
// date_part is float8 throughout; extract() is numeric since PostgreSQL 14, and numeric division on
// every row (several times per row in the step figures) was a third of those queries' time at 100k.
const hoursBetween = (a: SQL, b: SQL) => sql`(date_part('epoch', ${b} - ${a}) / 3600)`;
const median = (x: SQL) => sql`percentile_cont(0.5) within group (order by ${x})`;
const p90 = (x: SQL) => sql`percentile_cont(0.9) within group (order by ${x})`;

/** The team, kind and environment filters on the request aliased `r`. */
function requestFilter(scope: InsightScope): SQL {
  const parts: SQL[] = [sql`true`];
  if (scope.teamIds)
    parts.push(
      scope.teamIds.length
        ? sql`r.team_id in (${sql.join(
            scope.teamIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`,
    );
  if (scope.kind) parts.push(sql`r.kind = ${scope.kind}`);
  if (scope.environment) parts.push(sql`r.environment = ${scope.environment}`);
  return sql.join(parts, sql` and `);
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return (await db.execute(query)) as unknown as T[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const hrs = (v: unknown): number | null => (v === null || v === undefined ? null : roundHours(Number(v)));
const isoDay = (v: unknown) => new Date(v as string | Date).toISOString().slice(0, 10);

type Scoped = InsightScope & { query: InsightQuery };

function period(scope: Scoped) {
  return {
    from: scope.from,
    to: scope.to,
    team: scope.query.team ?? null,
    kind: scope.kind,
    environment: scope.environment,
  };
}

// ---------------------------------------------------------------------------------------------------
// Lead time: model version registered -> request submitted -> approved -> deployed

// When a request was approved: its decision time, for the statuses an approval leads to.
const APPROVED_AT = sql`case when r.status in ('approved', 'deployed', 'rolled_back', 'expired') then r.decided_at end`;

type SegmentRow = Record<string, number | null>;
const SEGMENTS = {
  registeredToSubmitted: hoursBetween(sql`mv.created_at`, sql`r.submitted_at`),
  submittedToApproved: hoursBetween(sql`r.submitted_at`, APPROVED_AT),
  approvedToDeployed: hoursBetween(APPROVED_AT, sql`r.deployed_at`),
  registeredToDeployed: hoursBetween(sql`mv.created_at`, sql`r.deployed_at`),
} as const;
type Segment = keyof typeof SEGMENTS;
const segmentNames = Object.keys(SEGMENTS) as Segment[];

function segmentColumns() {
  return sql.join(
    segmentNames.flatMap((name) => [
      sql`${median(SEGMENTS[name])} as ${sql.identifier(`${name}_median`)}`,
      sql`${p90(SEGMENTS[name])} as ${sql.identifier(`${name}_p90`)}`,
      sql`count(${SEGMENTS[name]})::int as ${sql.identifier(`${name}_count`)}`,
    ]),
    sql`, `,
  );
}

const segmentJson = (row: SegmentRow) =>
  Object.fromEntries(
    segmentNames.map((name) => [
      name,
      {
        requests: num(row[`${name}_count`]),
        medianHours: hrs(row[`${name}_median`]),
        p90Hours: hrs(row[`${name}_p90`]),
      },
    ]),
  ) as Record<Segment, { requests: number; medianHours: number | null; p90Hours: number | null }>;

const WEEK = sql`date_trunc('week', r.submitted_at at time zone 'UTC')`;

/** Requests submitted in the period: how long each leg took, overall and per week of submission. */
export async function readLeadTime(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  const where = sql`r.submitted_at >= ${ts(scope.start)} and r.submitted_at < ${ts(scope.end)} and ${requestFilter(scope)}`;
  // One pass: the weeks and the whole period are grouping sets of the same scan (week null = the period).
  const found = await rows<SegmentRow & { week: string | null; requests: number }>(
    ctx.db,
    sql`select ${WEEK} as week, count(*)::int as requests, ${segmentColumns()}
        from change_requests r left join model_versions mv on mv.id = r.model_version_id where ${where}
        group by grouping sets ((${WEEK}), ()) order by 1 nulls first`,
  );
  const summary = found.find((w) => w.week === null);
  const weeks = found.filter((w) => w.week !== null);
  return {
    period: period(scope),
    requests: num(summary?.requests),
    ...segmentJson(summary ?? {}),
    weeks: weeks.map((w) => ({ weekStart: isoDay(w.week), requests: num(w.requests), ...segmentJson(w) })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Steps: wait from opening to decision, per role and per step name; open steps' ages; the bottleneck

const DECIDED = sql`s.status in ('approved', 'rejected', 'changes_requested')`;
const WAIT = hoursBetween(sql`s.opened_at`, sql`s.completed_at`);

function filtersRequests(scope: InsightScope): boolean {
  return Boolean(scope.teamIds || scope.kind || scope.environment);
}

/**
 * Decided in the period: opened by a person's turn and completed within [start, end). The request
 * (aliased `r`) is joined only when a filter or the caller reads it: unfiltered, the organisation's
 * figures come from the steps alone (a join over every request was most of the cost at 100k).
 */
function decidedSteps(scope: InsightScope, options: { request?: boolean } = {}) {
  const joined = options.request || filtersRequests(scope);
  return sql`from request_steps s ${joined ? sql`join change_requests r on r.id = s.request_id` : sql``}
    where ${DECIDED} and s.opened_at is not null
      and s.completed_at >= ${ts(scope.start)} and s.completed_at < ${ts(scope.end)}
      ${joined ? sql`and ${requestFilter(scope)}` : sql``}`;
}

/**
 * Waiting now: the current revision's pending steps that have opened, of requests still asking
 * (in review, or approved early and owing a retro-approval), opened before the period ends.
 */
function openSteps(scope: InsightScope) {
  return sql`from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision
    where s.status = 'pending' and s.opened_at is not null and r.status in ('in_review', 'approved', 'deployed')
      and s.opened_at < ${ts(scope.end)} and ${requestFilter(scope)}`;
}

type WaitRow = {
  role: Role | null;
  name: string | null;
  by_role: number;
  decided: number;
  median: number | null;
  p90: number | null;
  total: number | null;
};
type OpenRow = {
  role: Role | null;
  name: string | null;
  by_role: number;
  open: number;
  median_age: number | null;
  oldest: number | null;
  total: number | null;
};

async function waitFigures(db: Db, scope: InsightScope) {
  const age = hoursBetween(sql`s.opened_at`, ts(scope.now));
  const [decided, open] = await Promise.all([
    rows<WaitRow>(
      db,
      sql`select s.role, s.name, grouping(s.name) as by_role, count(*)::int as decided,
            ${median(WAIT)} as median, ${p90(WAIT)} as p90, sum(${WAIT})::float8 as total
          ${decidedSteps(scope)} group by grouping sets ((s.role), (s.name), ())`,
    ),
    rows<OpenRow>(
      db,
      sql`select s.role, s.name, grouping(s.name) as by_role, count(*)::int as open,
            ${median(age)} as median_age, max(${age})::float8 as oldest, sum(${age})::float8 as total
          ${openSteps(scope)} group by grouping sets ((s.role), (s.name), ())`,
    ),
  ]);
  return { decided, open };
}

type Group = { key: string; decided?: WaitRow; open?: OpenRow };

function merge(decided: WaitRow[], open: OpenRow[], pick: (r: WaitRow | OpenRow) => string | null) {
  const groups = new Map<string, Group>();
  for (const r of decided) {
    const key = pick(r);
    if (key !== null) groups.set(key, { ...groups.get(key), key, decided: r });
  }
  for (const r of open) {
    const key = pick(r);
    if (key !== null) groups.set(key, { ...groups.get(key), key, open: r });
  }
  return [...groups.values()].map((g) => ({
    decidedSteps: num(g.decided?.decided),
    medianWaitHours: hrs(g.decided?.median),
    p90WaitHours: hrs(g.decided?.p90),
    openSteps: num(g.open?.open),
    openMedianAgeHours: hrs(g.open?.median_age),
    oldestOpenAgeHours: hrs(g.open?.oldest),
    waitingHours: roundHours(num(g.decided?.total) + num(g.open?.total)) ?? 0,
    key: g.key,
  }));
}

/** Where requests wait: per role and per step name, decided waits and open ages, and the bottleneck. */
export async function readStepWaits(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  const { decided, open } = await waitFigures(ctx.db, scope);
  const byRole = (r: WaitRow | OpenRow) => (num(r.by_role) === 1 && r.role ? r.role : null);
  const byName = (r: WaitRow | OpenRow) => (num(r.by_role) === 0 && r.name ? r.name : null);
  const roles = merge(decided, open, byRole)
    .map(({ key, ...figures }) => ({ role: key as Role, ...figures }))
    .sort((a, b) => b.waitingHours - a.waitingHours || a.role.localeCompare(b.role));
  const steps = merge(decided, open, byName)
    .map(({ key, ...figures }) => ({ step: key, ...figures }))
    .sort((a, b) => b.waitingHours - a.waitingHours || a.step.localeCompare(b.step));
  const overall = merge(decided, open, (r) => (r.role === null && r.name === null ? "all" : null))[0];
  const named = bottleneck(
    steps.map((s) => ({ name: s.step, waitingHours: s.waitingHours, medianHours: s.medianWaitHours })),
  );
  return {
    period: period(scope),
    overall: {
      decidedSteps: overall?.decidedSteps ?? 0,
      medianWaitHours: overall?.medianWaitHours ?? null,
      p90WaitHours: overall?.p90WaitHours ?? null,
      openSteps: overall?.openSteps ?? 0,
      openMedianAgeHours: overall?.openMedianAgeHours ?? null,
      oldestOpenAgeHours: overall?.oldestOpenAgeHours ?? null,
      waitingHours: overall?.waitingHours ?? 0,
    },
    bottleneck: named
      ? { step: named.name, sharePercent: named.share, medianWaitHours: named.medianHours, sentence: named.sentence }
      : null,
    roles,
    steps,
  };
}

// ---------------------------------------------------------------------------------------------------
// SLA: breaches per role and team, reminders and escalations, decisions after escalation

type SlaRow = {
  role: Role | null;
  team_id: string | null;
  team: string | null;
  by_role: number;
  steps: number;
  breaches: number;
  reminders: number;
  escalations: number;
  after_escalation: number;
};

/** Steps decided in the period or waiting now: how many outran their SLA, and the chasing it took. */
export async function readSla(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  const took = hoursBetween(sql`s.opened_at`, sql`coalesce(s.completed_at, ${ts(scope.now)})`);
  const found = await rows<SlaRow>(
    ctx.db,
    sql`with chased as (
          select s.role, r.team_id, s.sla_hours, s.reminders_sent, s.escalated_at, s.completed_at, ${took} as took
          ${decidedSteps(scope, { request: true })}
          union all
          select s.role, r.team_id, s.sla_hours, s.reminders_sent, s.escalated_at, s.completed_at, ${took} as took
          ${openSteps(scope)}
        )
        select c.role, c.team_id, t.name as team, grouping(c.team_id, t.name) as by_role, count(*)::int as steps,
          count(*) filter (where c.took > c.sla_hours)::int as breaches,
          coalesce(sum(c.reminders_sent), 0)::int as reminders,
          count(c.escalated_at)::int as escalations,
          count(*) filter (where c.completed_at is not null and c.escalated_at is not null and c.completed_at > c.escalated_at)::int as after_escalation
        from chased c join teams t on t.id = c.team_id
        group by grouping sets ((c.role), (c.team_id, t.name), ())`,
  );
  const figures = (r: SlaRow) => ({
    steps: num(r.steps),
    breaches: num(r.breaches),
    breachPercent: percentOf(num(r.breaches), num(r.steps)),
    remindersSent: num(r.reminders),
    escalations: num(r.escalations),
    decidedAfterEscalation: num(r.after_escalation),
  });
  const total = found.find((r) => r.role === null && r.team_id === null);
  return {
    period: period(scope),
    overall: total
      ? figures(total)
      : figures({ steps: 0, breaches: 0, reminders: 0, escalations: 0, after_escalation: 0 } as SlaRow),
    roles: found
      .filter((r) => r.role !== null)
      .map((r) => ({ role: r.role!, ...figures(r) }))
      .sort((a, b) => b.breaches - a.breaches || a.role.localeCompare(b.role)),
    teams: found
      .filter((r) => r.team_id !== null)
      .map((r) => ({ teamId: r.team_id!, team: r.team!, ...figures(r) }))
      .sort((a, b) => b.breaches - a.breaches || a.team.localeCompare(b.team)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Auto-pass: what was passed, by rule, and the approver time it saved (an estimate)

export const SAVED_ESTIMATE_NOTE =
  "Estimate: each automatically passed step counts the median wait of the human decisions on the same role in the period.";

/** Steps passed automatically in the period, by rule and role, and the approver time saved. */
export async function readAutoPass(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  const [passed, human] = await Promise.all([
    rows<{ rule: string; role: Role; passed: number }>(
      ctx.db,
      sql`select s.auto_pass as rule, s.role, count(*)::int as passed
          from request_steps s ${filtersRequests(scope) ? sql`join change_requests r on r.id = s.request_id` : sql``}
          where s.status = 'auto_passed' and s.completed_at >= ${ts(scope.start)} and s.completed_at < ${ts(scope.end)}
            ${filtersRequests(scope) ? sql`and ${requestFilter(scope)}` : sql``}
          group by 1, 2 order by 3 desc, 1, 2`,
    ),
    rows<{ role: Role; decided: number; median: number | null }>(
      ctx.db,
      sql`select s.role, count(*)::int as decided, ${median(WAIT)} as median ${decidedSteps(scope)} group by 1`,
    ),
  ]);
  const medianOf = new Map(human.map((h) => [h.role, h.median === null ? null : Number(h.median)]));
  const byRule = passed.map((p) => {
    const humanMedian = medianOf.get(p.role) ?? null;
    const saved = savedHoursEstimate(num(p.passed), humanMedian);
    return {
      rule: p.rule,
      role: p.role,
      passedSteps: num(p.passed),
      humanMedianWaitHours: roundHours(humanMedian),
      estimatedSavedHours: roundHours(saved),
    };
  });
  const passedSteps = byRule.reduce((n, r) => n + r.passedSteps, 0);
  const humanSteps = human.reduce((n, h) => n + num(h.decided), 0);
  const known = byRule.filter((r) => r.estimatedSavedHours !== null);
  return {
    period: period(scope),
    passedSteps,
    humanDecidedSteps: humanSteps,
    passedPercent: percentOf(passedSteps, passedSteps + humanSteps),
    // Rules with no human decisions on their role to compare with are left out here (null in byRule).
    estimatedSavedHours: roundHours(known.reduce((n, r) => n + (r.estimatedSavedHours ?? 0), 0)),
    estimate: SAVED_ESTIMATE_NOTE,
    byRule,
  };
}

// ---------------------------------------------------------------------------------------------------
// Rework: changes requested, revisions per request, approvals reset by edits

/** Requests submitted in the period: how often they went back, and the approvals that were lost. */
export async function readRework(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  const [row] = await rows<Record<string, number | null>>(
    ctx.db,
    sql`with req as (
          select r.id, r.revision from change_requests r
          where r.submitted_at >= ${ts(scope.start)} and r.submitted_at < ${ts(scope.end)} and ${requestFilter(scope)}
        ), d as (
          select d.request_id,
            count(*) filter (where d.decision = 'request_changes')::int as changes,
            count(*) filter (where d.decision = 'approve' and d.revision < req.revision)::int as reset
          from decisions d join req on req.id = d.request_id group by d.request_id
        )
        select count(*)::int as requests,
          coalesce(sum(d.changes), 0)::int as changes,
          count(*) filter (where d.changes > 0)::int as with_changes,
          count(*) filter (where req.revision > 1)::int as revised,
          avg(req.revision)::float8 as mean_revisions,
          ${median(sql`req.revision::float8`)} as median_revisions,
          max(req.revision)::int as max_revisions,
          coalesce(sum(d.reset), 0)::int as reset,
          count(*) filter (where d.reset > 0)::int as with_reset
        from req left join d on d.request_id = req.id`,
  );
  const r = row ?? {};
  const round2 = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return {
    period: period(scope),
    requests: num(r.requests),
    changesRequested: num(r.changes),
    requestsWithChangesRequested: num(r.with_changes),
    requestsRevised: num(r.revised),
    revisionsPerRequestMean: round2(r.mean_revisions),
    revisionsPerRequestMedian: round2(r.median_revisions),
    revisionsPerRequestMax: r.max_revisions === null || r.max_revisions === undefined ? null : num(r.max_revisions),
    approvalsReset: num(r.reset),
    requestsWithApprovalsReset: num(r.with_reset),
  };
}

// ---------------------------------------------------------------------------------------------------
// Budgets: committed vs spent per team and period; cost approved per month

/** The budgets overlapping the period, with spend and commitments, and approved cost per month. */
export async function readBudgetFigures(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  const teamFilter = scope.teamIds
    ? scope.teamIds.length
      ? sql`b.team_id in (${sql.join(
          scope.teamIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : sql`false`
    : sql`true`;
  const [budgets, approved] = await Promise.all([
    rows<Record<string, unknown>>(
      ctx.db,
      sql`select b.id, t.name as team, b.period_start, b.interval, b.currency, b.amount_minor::float8 as amount,
            (select coalesce(sum(amount_minor), 0) from budget_spend s where s.budget_id = b.id)::float8 as spent,
            (select coalesce(sum(greatest(c.amount_minor - coalesce(
               (select sum(s.amount_minor) from budget_spend s where s.budget_id = c.budget_id and s.request_id = c.request_id), 0), 0)), 0)
             from budget_commitments c where c.budget_id = b.id and c.status = 'held')::float8 as committed
          from budgets b join teams t on t.id = b.team_id
          where b.period_start < ${scope.to}::date + 1 and b.period_end > ${scope.from}::date and ${teamFilter}
          order by t.name, b.period_start
          limit 500`,
    ),
    rows<{ month: string; currency: string; requests: number; cost: number }>(
      ctx.db,
      sql`select to_char(date_trunc('month', r.decided_at at time zone 'UTC'), 'YYYY-MM') as month, r.currency,
            count(*)::int as requests, sum(r.total_cost_minor)::float8 as cost
          from change_requests r
          where r.status in ('approved', 'deployed', 'rolled_back', 'expired') and r.total_cost_minor is not null
            and r.currency is not null and r.decided_at >= ${ts(scope.start)} and r.decided_at < ${ts(scope.end)}
            and ${requestFilter(scope)}
          group by 1, 2 order by 1, 2`,
    ),
  ]);
  return {
    period: period(scope),
    budgets: budgets.map((b) => ({
      budgetId: String(b.id),
      team: String(b.team),
      interval: String(b.interval),
      periodStart: String(b.period_start),
      currency: String(b.currency),
      amountMinor: num(b.amount),
      spentMinor: num(b.spent),
      committedMinor: num(b.committed),
    })),
    approvedCostPerMonth: approved.map((a) => ({
      month: a.month,
      currency: a.currency,
      requests: num(a.requests),
      costMinor: num(a.cost),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// People (admins): decisions per approver, and who holds the oldest waiting steps

const OLDEST_SHOWN = 5;

/** Decisions per approver in the period, and the oldest open steps with the people who could decide them. */
export async function readInsightPeople(ctx: UserContext, raw: unknown) {
  const scope = insightScope(ctx, raw);
  permit(maySeeInsightPeople(ctx.actor), "Named people's figures are for admins.");
  const response = hoursBetween(sql`s.opened_at`, sql`d.created_at`);
  const [approvers, oldest] = await Promise.all([
    rows<Record<string, unknown>>(
      ctx.db,
      sql`select u.email, u.name, count(*)::int as decisions,
            count(*) filter (where d.decision = 'approve')::int as approvals,
            count(*) filter (where d.decision = 'reject')::int as rejections,
            count(*) filter (where d.decision = 'request_changes')::int as changes,
            ${median(response)} as median_response
          from decisions d
          join request_steps s on s.id = d.step_id
          join change_requests r on r.id = d.request_id
          join users u on u.id = d.actor_id
          where d.created_at >= ${ts(scope.start)} and d.created_at < ${ts(scope.end)} and ${requestFilter(scope)}
          group by u.id, u.email, u.name order by 3 desc, u.email limit 50`,
    ),
    rows<{ step_id: string; request_id: string }>(
      ctx.db,
      sql`select s.id as step_id, r.id as request_id ${openSteps(scope)} order by s.opened_at, s.id limit ${OLDEST_SHOWN}`,
    ),
  ]);
  const stepRows = oldest.length
    ? await ctx.db
        .select({ step: requestSteps, request: changeRequests, team: teams.name })
        .from(requestSteps)
        .innerJoin(changeRequests, eq(changeRequests.id, requestSteps.requestId))
        .innerJoin(teams, eq(teams.id, changeRequests.teamId))
        .where(
          inArray(
            requestSteps.id,
            oldest.map((o) => o.step_id),
          ),
        )
    : [];
  const waiting = await Promise.all(
    stepRows.map(async ({ step, request, team }) => {
      const holders = (await seatHolders(ctx.db, request, [step])).get(step.id) ?? [];
      return {
        number: request.number,
        title: request.title,
        team,
        step: step.name,
        role: step.role,
        openedAt: step.openedAt!,
        ageHours: roundHours((scope.now.getTime() - step.openedAt!.getTime()) / 3_600_000) ?? 0,
        holders: holders.map((h) => h.name ?? h.email),
      };
    }),
  );
  return {
    period: period(scope),
    approvers: approvers.map((a) => ({
      approver: String(a.name ?? a.email),
      email: String(a.email),
      decisions: num(a.decisions),
      approvals: num(a.approvals),
      rejections: num(a.rejections),
      changesRequested: num(a.changes),
      medianResponseHours: hrs(a.median_response),
    })),
    oldestWaiting: waiting.sort((a, b) => b.ageHours - a.ageHours || a.number - b.number),
  };
}
