import "server-only";
import type { UserContext } from "../auth/actor";
import { figureCsv } from "./csv";
import { readAutoPass, readLeadTime, readRework, readSla, readStepWaits } from "./queries";

type Segment = { requests: number; medianHours: number | null; p90Hours: number | null };
const SEGMENTS = [
  "registeredToSubmitted",
  "submittedToApproved",
  "approvedToDeployed",
  "registeredToDeployed",
] as const;
const segmentCells = (f: Record<(typeof SEGMENTS)[number], Segment>) =>
  Object.fromEntries(
    SEGMENTS.flatMap((s) => [
      [`${s}Requests`, f[s].requests],
      [`${s}MedianHours`, f[s].medianHours],
      [`${s}P90Hours`, f[s].p90Hours],
    ]),
  );

/**
 * GET /api/v1/insights/{figure}: the same read the Insights page uses, as JSON (units in the field
 * names) or, with ?format=csv, the rows behind it.
 */
export const INSIGHT_FIGURES = {
  "lead-time": {
    read: readLeadTime,
    csv: (f: Awaited<ReturnType<typeof readLeadTime>>) =>
      figureCsv(f, (x) => [
        { weekStart: "all", requests: x.requests, ...segmentCells(x) },
        ...x.weeks.map((w) => ({ weekStart: w.weekStart, requests: w.requests, ...segmentCells(w) })),
      ]),
  },
  steps: {
    read: readStepWaits,
    csv: (f: Awaited<ReturnType<typeof readStepWaits>>) =>
      figureCsv(f, (x) => [
        ...x.roles.map(({ role, ...r }) => ({ groupedBy: "role", group: role, ...r })),
        ...x.steps.map(({ step, ...r }) => ({ groupedBy: "step", group: step, ...r })),
      ]),
  },
  sla: {
    read: readSla,
    csv: (f: Awaited<ReturnType<typeof readSla>>) =>
      figureCsv(f, (x) => [
        ...x.roles.map(({ role, ...r }) => ({ groupedBy: "role", group: role, ...r })),
        ...x.teams.map(({ team, teamId, ...r }) => ({ groupedBy: "team", group: team, teamId, ...r })),
      ]),
  },
  "auto-pass": {
    read: readAutoPass,
    csv: (f: Awaited<ReturnType<typeof readAutoPass>>) => figureCsv(f, (x) => x.byRule),
  },
  rework: {
    read: readRework,
    csv: (f: Awaited<ReturnType<typeof readRework>>) =>
      figureCsv(f, (x) => [
        {
          requests: x.requests,
          changesRequested: x.changesRequested,
          requestsWithChangesRequested: x.requestsWithChangesRequested,
          requestsRevised: x.requestsRevised,
          revisionsPerRequestMean: x.revisionsPerRequestMean,
          revisionsPerRequestMedian: x.revisionsPerRequestMedian,
          revisionsPerRequestMax: x.revisionsPerRequestMax,
          approvalsReset: x.approvalsReset,
          requestsWithApprovalsReset: x.requestsWithApprovalsReset,
        },
      ]),
  },
} as const;
export type InsightFigure = keyof typeof INSIGHT_FIGURES;

export async function insightResponse(ctx: UserContext, figure: InsightFigure, query: Record<string, string>) {
  const spec = INSIGHT_FIGURES[figure];
  const data = await (spec.read as (c: UserContext, q: unknown) => Promise<unknown>)(ctx, query);
  if (query.format === "csv") {
    const stamp = (data as { period: { from: string; to: string } }).period;
    return new Response((spec.csv as (d: unknown) => string)(data), {
      headers: {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="greenlight-${figure}-${stamp.from}-to-${stamp.to}.csv"`,
        "cache-control": "no-store",
      },
    });
  }
  return Response.json(data, { headers: { "cache-control": "no-store" } });
}
