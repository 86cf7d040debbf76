import { z } from "zod";
import { REQUEST_KINDS, type Environment } from "@/db/schema/requests";
import { environmentName } from "../environments/schemas";
import { calendarDate } from "../validation";

const DAY = 86_400_000;
/** The longest period one call covers: a year, so the work stays bounded whatever is asked. */
export const MAX_PERIOD_DAYS = 366;
/** Without dates: the last twelve weeks, enough for a weekly trend. */
export const DEFAULT_PERIOD_DAYS = 84;

const blank = (v: unknown) => (v === "" ? undefined : v);

export const InsightQuery = z
  .object({
    from: z.preprocess(blank, calendarDate("A day like 2026-11-01.").optional()),
    to: z.preprocess(blank, calendarDate("A day like 2026-11-30.").optional()),
    team: z.preprocess(blank, z.uuid("Give a team's id.").optional()),
    kind: z.preprocess(blank, z.enum(REQUEST_KINDS, { error: `One of ${REQUEST_KINDS.join(", ")}.` }).optional()),
    environment: z.preprocess(blank, environmentName.optional()),
    format: z.preprocess(blank, z.enum(["json", "csv"], { error: "json or csv." }).optional()),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end comes on or after the start." });
    if (q.from && q.to && (Date.parse(q.to) - Date.parse(q.from)) / DAY + 1 > MAX_PERIOD_DAYS)
      ctx.addIssue({ code: "custom", path: ["to"], message: `At most ${MAX_PERIOD_DAYS} days at a time.` });
  });
export type InsightQuery = z.output<typeof InsightQuery>;

/** What the figures are computed over: [start, end) in UTC, and the narrowing filters. */
export type InsightScope = {
  start: Date;
  end: Date;
  /** The first and last day shown, YYYY-MM-DD (end - 1 day). */
  from: string;
  to: string;
  /** null: every team; otherwise these teams only (a manager's own, or the one asked for). */
  teamIds: readonly string[] | null;
  kind: (typeof REQUEST_KINDS)[number] | null;
  environment: Environment | null;
  now: Date;
};

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The period a query asks for: both days given, one of them (the other a default length away), or neither. */
export function periodOf(query: Pick<InsightQuery, "from" | "to">, now: Date): { from: string; to: string } {
  if (query.from && query.to) return { from: query.from, to: query.to };
  if (query.from) {
    const to = new Date(Date.parse(query.from) + (DEFAULT_PERIOD_DAYS - 1) * DAY);
    return { from: query.from, to: day(to) };
  }
  const to = query.to ?? day(now);
  return { from: day(new Date(Date.parse(to) - (DEFAULT_PERIOD_DAYS - 1) * DAY)), to };
}

/** The query string of a scope, for links between the page, its API figures and the CSV. */
export function queryOf(scope: Partial<Record<"from" | "to" | "team" | "kind" | "environment", string | null>>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(scope)) if (value) params.set(key, value);
  return params.toString();
}

export const periodBounds = (period: { from: string; to: string }) => ({
  start: new Date(`${period.from}T00:00:00.000Z`),
  end: new Date(Date.parse(`${period.to}T00:00:00.000Z`) + DAY),
});
