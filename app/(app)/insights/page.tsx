import type { Metadata } from "next";
import Link from "next/link";
import { BarChart } from "@/components/insights/bar-chart";
import { FigureTable } from "@/components/insights/figure-table";
import { Fact, Headline } from "@/components/insights/headline";
import { TrendChart } from "@/components/insights/trend-chart";
import { asOptions, FilterSelect } from "@/components/forms/labeled-select";
import { ROLE_LABELS } from "@/components/roles";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { REQUEST_KINDS } from "@/db/schema/requests";
import { formatMoney } from "@/lib/cba/money";
import { durationInWords } from "@/lib/insights/figures";
import { queryOf } from "@/lib/insights/filters";
import { readInsightsPage } from "@/lib/insights/page";
import { REQUEST_KIND_LABELS } from "@/lib/labels";
import { ruleFor } from "@/lib/policies/auto-pass";
import { pageRead } from "@/lib/session/page-guard";

export const metadata: Metadata = { title: "Insights · Greenlight" };

const hours = (h: number | null) => (h === null ? "–" : durationInWords(h));
const LEGS = [
  { key: "registeredToSubmitted", label: "Registered → submitted" },
  { key: "submittedToApproved", label: "Submitted → approved" },
  { key: "approvedToDeployed", label: "Approved → deployed" },
  { key: "registeredToDeployed", label: "Registered → deployed (whole)" },
] as const;

export default async function InsightsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const data = await pageRead((ctx) => readInsightsPage(ctx, params));
  const { leadTime, steps, sla, autoPass, rework, budgets, people, period } = data;
  const filters = {
    from: period.from,
    to: period.to,
    team: period.team ?? "",
    kind: period.kind ?? "",
    environment: period.environment ?? "",
  };
  const api = (figure: string) => `/api/v1/insights/${figure}?${queryOf(filters)}`;
  const csv = (figure: string) => `${api(figure)}&format=csv`;
  const fieldError = (name: string) => data.errors?.[name]?.join(" ");
  const roleLabel = (r: string) => ROLE_LABELS[r as keyof typeof ROLE_LABELS] ?? r;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Insights</h1>
        <p className="text-sm text-muted-foreground">
          Where change requests wait, for whom and how long, from {period.from} to {period.to} (UTC).
        </p>
      </div>

      <form
        method="get"
        className="grid grid-cols-2 gap-3 rounded-lg border border-border p-3 md:grid-cols-6"
        aria-label="Filter the figures"
      >
        <div className="flex flex-col gap-1">
          <Label htmlFor="from">From</Label>
          <Input
            id="from"
            name="from"
            type="date"
            defaultValue={data.asked.from || period.from}
            aria-invalid={fieldError("from") ? true : undefined}
            aria-describedby={fieldError("from") ? "from-error" : undefined}
          />
          {fieldError("from") && (
            <p id="from-error" className="text-xs text-destructive">
              {fieldError("from")}
            </p>
          )}
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="to">To</Label>
          <Input
            id="to"
            name="to"
            type="date"
            defaultValue={data.asked.to || period.to}
            aria-invalid={fieldError("to") ? true : undefined}
            aria-describedby={fieldError("to") ? "to-error" : undefined}
          />
          {fieldError("to") && (
            <p id="to-error" className="text-xs text-destructive">
              {fieldError("to")}
            </p>
          )}
        </div>
        <FilterSelect
          id="team"
          label="Team"
          name="team"
          value={filters.team}
          any={data.teams.length > 1 ? "All my teams" : "Any"}
          options={data.teams.map((t) => ({ value: t.id, label: t.name }))}
        />
        <FilterSelect
          id="kind"
          label="Kind"
          name="kind"
          value={filters.kind}
          options={asOptions(REQUEST_KINDS, (v) => REQUEST_KIND_LABELS[v as keyof typeof REQUEST_KIND_LABELS])}
        />
        <FilterSelect
          id="environment"
          label="Environment"
          name="environment"
          value={filters.environment}
          options={asOptions(data.environments)}
        />
        <div className="flex items-end gap-2">
          <Button type="submit" size="sm">
            Apply
          </Button>
          <Button asChild size="sm" variant="ghost">
            <Link href="/insights">Last 12 weeks</Link>
          </Button>
        </div>
      </form>

      <section aria-labelledby="headline-heading" className="flex flex-col gap-3">
        <h2 id="headline-heading" className="sr-only">
          The period in brief
        </h2>
        <p className="rounded-lg border border-border bg-muted/40 p-4 text-base font-medium" data-testid="bottleneck">
          {steps.bottleneck
            ? `Bottleneck: ${steps.bottleneck.sentence}`
            : "Nobody waited on a step in this period: no bottleneck to name. Widen the period or clear a filter."}
        </p>
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <Headline
            label="Submitted → approved, median"
            value={hours(leadTime.submittedToApproved.medianHours)}
            note={`${leadTime.submittedToApproved.requests} of ${leadTime.requests} requests approved`}
          />
          <Headline
            label="Steps waiting now"
            value={String(steps.overall.openSteps)}
            note={`oldest ${hours(steps.overall.oldestOpenAgeHours)}`}
          />
          <Headline
            label="Passed automatically"
            value={String(autoPass.passedSteps)}
            note={
              autoPass.estimatedSavedHours
                ? `about ${hours(autoPass.estimatedSavedHours)} of approver time saved (estimate)`
                : `${autoPass.passedPercent}% of steps`
            }
            testId="saved"
          />
          <Headline
            label="SLA breaches"
            value={String(sla.overall.breaches)}
            note={`${sla.overall.breachPercent}% of ${sla.overall.steps} steps`}
          />
        </div>
      </section>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Lead time</CardTitle>
          <CardDescription>
            From a model version&apos;s registration to its request being submitted, approved and deployed, for the{" "}
            {leadTime.requests} requests submitted in the period.{" "}
            <Link className="underline" href={api("lead-time")}>
              JSON
            </Link>{" "}
            ·{" "}
            <Link className="underline" href={csv("lead-time")}>
              CSV
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-8 lg:grid-cols-2 [&>*]:min-w-0">
          <BarChart
            id="lead-legs"
            title="Median time per leg"
            description="Bars show the median; the mark shows the 90th percentile."
            markerLabel="90th percentile"
            bars={LEGS.filter((l) => leadTime[l.key].medianHours !== null).map((l) => ({
              label: l.label,
              value: leadTime[l.key].medianHours!,
              marker: leadTime[l.key].p90Hours,
              display: hours(leadTime[l.key].medianHours),
            }))}
            empty="No request in this period has reached a step that can be timed yet."
            table={{
              columns: [
                { key: "leg", label: "Leg" },
                { key: "requests", label: "Requests", numeric: true },
                { key: "median", label: "Median (h)", numeric: true },
                { key: "p90", label: "p90 (h)", numeric: true },
              ],
              rows: LEGS.map((l) => ({
                leg: l.label,
                requests: leadTime[l.key].requests,
                median: leadTime[l.key].medianHours,
                p90: leadTime[l.key].p90Hours,
              })),
            }}
          />
          <TrendChart
            id="lead-trend"
            title="Median per week of submission"
            description={`Submitted → approved and registered → deployed, over ${leadTime.weeks.length} week${leadTime.weeks.length === 1 ? "" : "s"}.`}
            weeks={leadTime.weeks.map((w) => w.weekStart)}
            series={[
              {
                label: "Submitted → approved",
                tone: "primary",
                values: leadTime.weeks.map((w) => w.submittedToApproved.medianHours),
              },
              {
                label: "Registered → deployed",
                tone: "warning",
                values: leadTime.weeks.map((w) => w.registeredToDeployed.medianHours),
              },
            ]}
            formatY={(v) => hours(v)}
            table={{
              columns: [
                { key: "week", label: "Week of" },
                { key: "requests", label: "Requests", numeric: true },
                { key: "approved", label: "Submitted → approved, median (h)", numeric: true },
                { key: "deployed", label: "Registered → deployed, median (h)", numeric: true },
              ],
              rows: leadTime.weeks.map((w) => ({
                week: w.weekStart,
                requests: w.requests,
                approved: w.submittedToApproved.medianHours,
                deployed: w.registeredToDeployed.medianHours,
              })),
            }}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Where requests wait</CardTitle>
          <CardDescription>
            Time from a step opening to its decision, for steps decided in the period, plus the age of the steps waiting
            now.{" "}
            <Link className="underline" href={api("steps")}>
              JSON
            </Link>{" "}
            ·{" "}
            <Link className="underline" href={csv("steps")}>
              CSV
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-8 lg:grid-cols-2 [&>*]:min-w-0">
          <BarChart
            id="wait-steps"
            title="Share of waiting time, per step"
            description="Decided waits plus the current age of open steps."
            bars={steps.steps.map((s, i) => ({
              label: s.step,
              value: s.waitingHours,
              display: `${Math.round((s.waitingHours / (steps.overall.waitingHours || 1)) * 100)}% · ${hours(s.waitingHours)}`,
              tone: i === 0 ? "warning" : "primary",
            }))}
            empty="No step opened and waited in this period."
            table={{
              columns: [
                { key: "step", label: "Step" },
                { key: "decided", label: "Decided", numeric: true },
                { key: "median", label: "Median wait (h)", numeric: true },
                { key: "p90", label: "p90 wait (h)", numeric: true },
                { key: "open", label: "Open now", numeric: true },
                { key: "oldest", label: "Oldest open (h)", numeric: true },
              ],
              rows: steps.steps.map((s) => ({
                step: s.step,
                decided: s.decidedSteps,
                median: s.medianWaitHours,
                p90: s.p90WaitHours,
                open: s.openSteps,
                oldest: s.oldestOpenAgeHours,
              })),
            }}
          />
          <BarChart
            id="wait-roles"
            title="Median wait per role"
            description="Bars show the median wait for a decision; the mark shows the 90th percentile."
            markerLabel="90th percentile"
            bars={steps.roles
              .filter((r) => r.medianWaitHours !== null)
              .map((r) => ({
                label: roleLabel(r.role),
                value: r.medianWaitHours!,
                marker: r.p90WaitHours,
                display: hours(r.medianWaitHours),
              }))}
            empty="No human decision in this period yet."
            table={{
              columns: [
                { key: "role", label: "Role" },
                { key: "decided", label: "Decided", numeric: true },
                { key: "median", label: "Median wait (h)", numeric: true },
                { key: "p90", label: "p90 wait (h)", numeric: true },
                { key: "open", label: "Open now", numeric: true },
                { key: "openMedian", label: "Open, median age (h)", numeric: true },
                { key: "oldest", label: "Oldest open (h)", numeric: true },
              ],
              rows: steps.roles.map((r) => ({
                role: roleLabel(r.role),
                decided: r.decidedSteps,
                median: r.medianWaitHours,
                p90: r.p90WaitHours,
                open: r.openSteps,
                openMedian: r.openMedianAgeHours,
                oldest: r.oldestOpenAgeHours,
              })),
            }}
          />
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <CardHeader>
            <CardTitle as="h2">What auto-pass saved</CardTitle>
            <CardDescription>
              {autoPass.passedSteps} step{autoPass.passedSteps === 1 ? "" : "s"} passed automatically (
              {autoPass.passedPercent}% of steps). {autoPass.estimate}{" "}
              <Link className="underline" href={api("auto-pass")}>
                JSON
              </Link>{" "}
              ·{" "}
              <Link className="underline" href={csv("auto-pass")}>
                CSV
              </Link>
            </CardDescription>
          </CardHeader>
          <CardContent>
            <BarChart
              id="auto-pass"
              title="Approver time saved, per rule (estimate)"
              description="Steps passed automatically times the median wait of human decisions on the same role."
              bars={autoPass.byRule.map((r) => ({
                label: `${ruleFor(r.rule).label} (${roleLabel(r.role)})`,
                value: r.estimatedSavedHours ?? 0,
                display:
                  r.estimatedSavedHours === null
                    ? `${r.passedSteps} passed · no human decisions to compare`
                    : `${r.passedSteps} passed · ~${hours(r.estimatedSavedHours)}`,
              }))}
              empty="No step passed automatically in this period. Allowlisted dependencies and team budgets let steps pass by themselves."
              table={{
                columns: [
                  { key: "rule", label: "Rule" },
                  { key: "role", label: "Role" },
                  { key: "passed", label: "Passed", numeric: true },
                  { key: "median", label: "Human median (h)", numeric: true },
                  { key: "saved", label: "Saved, estimate (h)", numeric: true },
                ],
                rows: autoPass.byRule.map((r) => ({
                  rule: ruleFor(r.rule).label,
                  role: roleLabel(r.role),
                  passed: r.passedSteps,
                  median: r.humanMedianWaitHours,
                  saved: r.estimatedSavedHours,
                })),
              }}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle as="h2">Rework</CardTitle>
            <CardDescription>
              What sent the {rework.requests} requests submitted in the period back.{" "}
              <Link className="underline" href={api("rework")}>
                JSON
              </Link>{" "}
              ·{" "}
              <Link className="underline" href={csv("rework")}>
                CSV
              </Link>
            </CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <Fact
                term="Changes requested"
                value={rework.changesRequested}
                note={`on ${rework.requestsWithChangesRequested} requests`}
              />
              <Fact
                term="Approvals reset by edits"
                value={rework.approvalsReset}
                note={`on ${rework.requestsWithApprovalsReset} requests`}
              />
              <Fact term="Requests revised" value={rework.requestsRevised} note={`of ${rework.requests}`} />
              <Fact
                term="Revisions per request"
                value={rework.revisionsPerRequestMean ?? "–"}
                note={`mean; median ${rework.revisionsPerRequestMedian ?? "–"}, most ${rework.revisionsPerRequestMax ?? "–"}`}
              />
            </dl>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle as="h2">SLA</CardTitle>
          <CardDescription>
            Steps decided in the period or waiting now that took longer than their SLA, and the chasing it took:{" "}
            {sla.overall.remindersSent} reminders, {sla.overall.escalations} escalations,{" "}
            {sla.overall.decidedAfterEscalation} decided only after escalation.{" "}
            <Link className="underline" href={api("sla")}>
              JSON
            </Link>{" "}
            ·{" "}
            <Link className="underline" href={csv("sla")}>
              CSV
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          {[
            { label: "Per role", rows: sla.roles.map((r) => ({ ...r, group: roleLabel(r.role) })) },
            { label: "Per team", rows: sla.teams.map((t) => ({ ...t, group: t.team })) },
          ].map((g) => (
            <div key={g.label} className="flex flex-col gap-2">
              <h3 className="text-sm font-semibold">{g.label}</h3>
              {g.rows.length === 0 ? (
                <p className="text-sm text-muted-foreground">No step was open in this period.</p>
              ) : (
                <FigureTable
                  label={`SLA ${g.label.toLowerCase()}`}
                  columns={[
                    { key: "group", label: g.label === "Per role" ? "Role" : "Team" },
                    { key: "steps", label: "Steps", numeric: true },
                    { key: "breaches", label: "Breaches", numeric: true },
                    { key: "remindersSent", label: "Reminders", numeric: true },
                    { key: "escalations", label: "Escalations", numeric: true },
                    { key: "decidedAfterEscalation", label: "Decided after escalation", numeric: true },
                  ]}
                  rows={g.rows.map((r) => ({
                    group: r.group,
                    steps: r.steps,
                    breaches: `${r.breaches} (${r.breachPercent}%)`,
                    remindersSent: r.remindersSent,
                    escalations: r.escalations,
                    decidedAfterEscalation: r.decidedAfterEscalation,
                  }))}
                />
              )}
            </div>
          ))}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Budgets</CardTitle>
          <CardDescription>
            Spent and committed against each team budget that overlaps the period, and cost approved per month.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-8 lg:grid-cols-2 [&>*]:min-w-0">
          <BarChart
            id="budgets"
            title="Spent and committed, share of budget"
            description="The bar shows spent plus committed as a share of the budget; the mark shows spend alone."
            markerLabel="Spent so far"
            max={100}
            bars={budgets.budgets.map((b) => {
              const share = b.amountMinor > 0 ? ((b.spentMinor + b.committedMinor) / b.amountMinor) * 100 : 0;
              return {
                label: `${b.team} · ${b.periodStart.slice(0, 7)}`,
                value: share,
                marker: b.amountMinor > 0 ? (b.spentMinor / b.amountMinor) * 100 : 0,
                display: `${Math.round(share)}% of ${formatMoney(b.amountMinor, b.currency)}`,
                tone: share >= 100 ? "danger" : share >= 80 ? "warning" : "primary",
              };
            })}
            empty="No team budget covers this period. Managers set budgets on the Budgets page."
            table={{
              columns: [
                { key: "team", label: "Team" },
                { key: "period", label: "Period from" },
                { key: "amount", label: "Budget", numeric: true },
                { key: "spent", label: "Spent", numeric: true },
                { key: "committed", label: "Committed", numeric: true },
              ],
              rows: budgets.budgets.map((b) => ({
                team: b.team,
                period: b.periodStart,
                amount: formatMoney(b.amountMinor, b.currency),
                spent: formatMoney(b.spentMinor, b.currency),
                committed: formatMoney(b.committedMinor, b.currency),
              })),
            }}
          />
          <div className="flex flex-col gap-2">
            <h3 id="approved-cost-heading" className="text-base font-semibold">
              Cost approved per month
            </h3>
            {budgets.approvedCostPerMonth.length === 0 ? (
              <p className="text-sm text-muted-foreground">No costed request was approved in this period.</p>
            ) : (
              <FigureTable
                label="Cost approved per month"
                columns={[
                  { key: "month", label: "Month" },
                  { key: "requests", label: "Requests", numeric: true },
                  { key: "cost", label: "Cost approved", numeric: true },
                ]}
                rows={budgets.approvedCostPerMonth.map((m) => ({
                  month: m.month,
                  requests: m.requests,
                  cost: formatMoney(m.costMinor, m.currency),
                }))}
              />
            )}
          </div>
        </CardContent>
      </Card>

      {people && (
        <Card>
          <CardHeader>
            <CardTitle as="h2">People</CardTitle>
            <CardDescription>
              Decisions per approver in the period, and who holds the oldest waiting steps (admins only).
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
            <div className="flex flex-col gap-2">
              <h3 id="approvers-heading" className="text-sm font-semibold">
                Decisions per approver
              </h3>
              {people.approvers.length === 0 ? (
                <p className="text-sm text-muted-foreground">Nobody decided a step in this period.</p>
              ) : (
                <FigureTable
                  label="Decisions per approver"
                  columns={[
                    { key: "approver", label: "Approver" },
                    { key: "decisions", label: "Decisions", numeric: true },
                    { key: "approvals", label: "Approved", numeric: true },
                    { key: "others", label: "Rejected / changes", numeric: true },
                    { key: "median", label: "Median response (h)", numeric: true },
                  ]}
                  rows={people.approvers.map((a) => ({
                    approver: a.approver,
                    decisions: a.decisions,
                    approvals: a.approvals,
                    others: `${a.rejections} / ${a.changesRequested}`,
                    median: a.medianResponseHours,
                  }))}
                />
              )}
            </div>
            <div className="flex flex-col gap-2">
              <h3 id="oldest-heading" className="text-sm font-semibold">
                Oldest waiting steps
              </h3>
              {people.oldestWaiting.length === 0 ? (
                <p className="text-sm text-muted-foreground">No step is waiting now.</p>
              ) : (
                <ul className="flex flex-col gap-2 text-sm">
                  {people.oldestWaiting.map((w) => (
                    <li key={`${w.number}-${w.step}`} className="rounded-md border border-border p-2">
                      <Link
                        className="font-medium text-primary underline-offset-4 hover:underline"
                        href={`/requests/${w.number}`}
                      >
                        CR-{w.number}
                      </Link>{" "}
                      {w.step} ({w.team}) · waiting {hours(w.ageHours)}
                      <br />
                      <span className="text-muted-foreground">
                        {w.holders.length ? `Can decide: ${w.holders.join(", ")}` : "Nobody can decide it now"}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
