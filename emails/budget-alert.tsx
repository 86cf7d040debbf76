import { Button, Text } from "./components";
import { z } from "zod";
import { buttonStyle, EmailLayout } from "./layout";

// A team's spend (or its forecast) has reached 50, 80 or 100% of the period's budget; sent once each.
export const BudgetAlertEmailProps = z.object({
  team: z.string().min(1),
  period: z.string().min(1),
  basis: z.enum(["actual", "forecast"]),
  threshold: z.number().int(),
  value: z.string().min(1),
  budget: z.string().min(1),
  remaining: z.string().min(1),
  url: z.url(),
});
export type BudgetAlertEmailProps = z.input<typeof BudgetAlertEmailProps>;

export const budgetAlertSubject = (p: z.output<typeof BudgetAlertEmailProps>) =>
  p.basis === "actual"
    ? `${p.team}: ${p.threshold}% of the ${p.period} budget spent`
    : `${p.team}: forecast to reach ${p.threshold}% of the ${p.period} budget`;

export default function BudgetAlertEmail(props: BudgetAlertEmailProps) {
  const p = BudgetAlertEmailProps.parse(props);
  const what =
    p.basis === "actual" ? `Spend so far is ${p.value}` : `At the current rate the period will end at ${p.value}`;
  return (
    <EmailLayout preview={budgetAlertSubject(p)}>
      <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>
        {budgetAlertSubject(p)}
      </Text>
      <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 16px" }}>
        {what}, against a budget of {p.budget}. Remaining after spend and commitments: {p.remaining}.
      </Text>
      <Button href={p.url} style={buttonStyle}>
        Open the budget
      </Button>
    </EmailLayout>
  );
}

BudgetAlertEmail.PreviewProps = {
  team: "Fraud",
  period: "Nov 2026",
  basis: "actual",
  threshold: 80,
  value: "$40,250.00",
  budget: "$50,000.00",
  remaining: "$6,100.00",
  url: "http://localhost:3000/budgets?team=fraud",
} satisfies BudgetAlertEmailProps;
