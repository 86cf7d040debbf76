import type { Metadata } from "next";
import Link from "next/link";
import { Wallet } from "lucide-react";
import { BurnChart } from "@/components/budgets/burn-chart";
import { BudgetLedger } from "@/components/budgets/budget-ledger";
import { RecordSpendForm, SetBudgetForm } from "@/components/budgets/budget-forms";
import { BudgetSummary } from "@/components/budgets/budget-summary";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageRead } from "@/lib/session/page-guard";
import { calendarToday } from "@/lib/budgets/periods";
import { readBudgetsPage } from "@/lib/budgets/queries";
import { formatMoney } from "@/lib/cba/money";
import { cn } from "@/lib/utils";
import { recordSpendAction, setBudgetAction } from "./actions";

export const metadata: Metadata = { title: "Budgets · Greenlight" };

export default async function BudgetsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const { teams, team, periods, selected, detail } = await pageRead((ctx) =>
    readBudgetsPage(ctx, { team: params.team, budget: params.budget }),
  );
  if (!team) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Budgets</h1>
        <EmptyState
          icon={Wallet}
          title="You manage no team yet"
          description="Budgets belong to teams. Ask an admin to add you to your team."
        />
      </div>
    );
  }
  const { today, monthStart } = calendarToday();
  const money = (minor: number, currency: string) => formatMoney(minor, currency);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Budgets</h1>
          <p className="text-sm text-muted-foreground">
            What each team may spend, what it has spent and what approved requests have committed.
          </p>
        </div>
        <nav aria-label="Teams" className="flex flex-wrap gap-1">
          {teams.map((t) => (
            <Link
              key={t.id}
              href={`/budgets?team=${t.id}`}
              aria-current={t.id === team.id ? "page" : undefined}
              className={cn(
                "rounded-md px-3 py-1.5 text-sm font-medium",
                t.id === team.id
                  ? "bg-primary text-primary-foreground"
                  : "text-muted-foreground hover:bg-muted hover:text-foreground",
              )}
            >
              {t.name}
            </Link>
          ))}
        </nav>
      </div>

      <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
        <div className="flex min-w-0 flex-col gap-6">
          {detail ? (
            <Card>
              <CardHeader>
                <CardTitle as="h2">
                  {team.name} · {detail.position.label}
                </CardTitle>
                <CardDescription>
                  {detail.budget.interval === "month" ? "Monthly" : "Quarterly"} budget in {detail.budget.currency},{" "}
                  {detail.budget.periodStart} to {detail.budget.periodEnd} (exclusive).
                </CardDescription>
              </CardHeader>
              <CardContent className="flex flex-col gap-6">
                <BudgetSummary position={detail.position} forecastMinor={detail.forecastMinor} />
                <BurnChart
                  days={detail.burn.days}
                  points={detail.burn.points}
                  amountMinor={detail.budget.amountMinor}
                  forecastMinor={detail.forecastMinor}
                  currency={detail.budget.currency}
                />
              </CardContent>
            </Card>
          ) : (
            <EmptyState
              icon={Wallet}
              title={`${team.name} has no budget yet`}
              description="Set one for this month or quarter: costed requests that fit it then pass their budget step by themselves."
            />
          )}
          {detail && <BudgetLedger detail={detail} />}
          {periods.length > 0 && (
            <section className="flex flex-col gap-2" aria-labelledby="periods-heading">
              <h2 id="periods-heading" className="text-lg font-semibold">
                All periods
              </h2>
              <Table aria-labelledby="periods-heading">
                <TableHeader>
                  <TableRow>
                    <TableHead>Period</TableHead>
                    <TableHead className="text-right">Budget</TableHead>
                    <TableHead className="text-right">Spent</TableHead>
                    <TableHead className="text-right">Committed</TableHead>
                    <TableHead className="text-right">Remaining</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {periods.map((p) => (
                    <TableRow key={p.budgetId} aria-current={p.budgetId === selected?.budgetId ? "true" : undefined}>
                      <TableCell>
                        <Link
                          href={`/budgets?team=${team.id}&budget=${p.budgetId}`}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          {p.label}
                        </Link>{" "}
                        {p.current && <Badge variant="info">Current</Badge>}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{money(p.amountMinor, p.currency)}</TableCell>
                      <TableCell className="text-right tabular-nums">{money(p.spentMinor, p.currency)}</TableCell>
                      <TableCell className="text-right tabular-nums">{money(p.committedMinor, p.currency)}</TableCell>
                      <TableCell
                        className={cn(
                          "text-right tabular-nums",
                          p.remainingMinor < 0 && "font-semibold text-destructive",
                        )}
                      >
                        {money(p.remainingMinor, p.currency)}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
          )}
        </div>
        <div className="flex flex-col gap-6">
          {detail && (
            <Card>
              <CardHeader>
                <CardTitle as="h2">Record spend</CardTitle>
                <CardDescription>
                  Into {detail.position.label}. Alerts go to the team&apos;s managers and the admins at 50, 80 and 100%.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <RecordSpendForm
                  budgetId={detail.budget.id}
                  currency={detail.budget.currency}
                  action={recordSpendAction}
                  today={
                    today >= detail.budget.periodStart && today < detail.budget.periodEnd
                      ? today
                      : detail.budget.periodStart
                  }
                />
              </CardContent>
            </Card>
          )}
          <Card>
            <CardHeader>
              <CardTitle as="h2">Set a budget</CardTitle>
              <CardDescription>For {team.name}: a new period, or a new amount for an existing one.</CardDescription>
            </CardHeader>
            <CardContent>
              <SetBudgetForm
                teamId={team.id}
                action={setBudgetAction}
                defaults={{ periodStart: monthStart, currency: detail?.budget.currency ?? "USD" }}
              />
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
