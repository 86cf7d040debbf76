"use server";

import { revalidatePath } from "next/cache";
import { formatMoney } from "@/lib/cba/money";
import { recordSpend } from "@/lib/budgets/record-spend";
import { setBudget } from "@/lib/budgets/set-budget";
import { runAction } from "@/lib/http/action";
import { formToObject } from "@/lib/validation";

export async function setBudgetAction(form: FormData) {
  return runAction(async (ctx) => {
    const { budget, created } = await setBudget(ctx, formToObject(form));
    revalidatePath("/budgets");
    return `${created ? "Budget set" : "Budget changed"}: ${formatMoney(budget.amountMinor, budget.currency)} from ${budget.periodStart}.`;
  });
}

export async function recordSpendAction(form: FormData) {
  return runAction(async (ctx) => {
    const { alerts } = await recordSpend(ctx, formToObject(form));
    revalidatePath("/budgets");
    const sent = alerts.length ? ` Alerts sent: ${alerts.map((a) => `${a.threshold}% ${a.basis}`).join(", ")}.` : "";
    return `Spend recorded.${sent}`;
  });
}
