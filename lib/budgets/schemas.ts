import { z } from "zod";
import { BUDGET_INTERVALS } from "@/db/schema/budgets";
import { isCurrency } from "../cba/money";

const isoDate = z
  .string({ error: "A date like 2026-11-01." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A date like 2026-11-01.")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "Not a real date.",
  );

const currency = z
  .string({ error: "Choose a currency." })
  .trim()
  .toUpperCase()
  .refine(isCurrency, { error: (i) => `Unknown currency code ${String(i.input)} (use ISO 4217, e.g. USD).` });

/** A decimal amount in major units, as people type it ("12,500.00" is accepted; the verb converts to minor units). */
const amount = (what: string) =>
  z.preprocess(
    (v) => (typeof v === "number" ? String(v) : typeof v === "string" ? v.replace(/[,\s_]/g, "") : v),
    z
      .string({ error: `Enter the ${what}.` })
      .regex(/^-?\d+(\.\d+)?$/, `Enter the ${what} as a number, like 12500 or 12500.50.`),
  );

export const SetBudgetInput = z.object({
  teamId: z.uuid({ error: "Choose a team." }),
  interval: z.enum(BUDGET_INTERVALS, { error: "A budget covers a month or a quarter." }),
  periodStart: isoDate,
  currency,
  amount: amount("budget").refine((v) => !v.startsWith("-"), "A budget cannot be negative."),
});

export const RecordSpendInput = z.object({
  budgetId: z.uuid({ error: "Choose a budget." }),
  amount: amount("amount spent").refine(
    (v) => Number(v) !== 0,
    "Enter an amount other than zero (negative amounts are corrections).",
  ),
  currency: currency.optional(),
  spentOn: isoDate,
  description: z
    .string({ error: "Say what the money was spent on." })
    .trim()
    .min(3, "Say what the money was spent on.")
    .max(300),
  request: z.preprocess(
    (v) => (v === "" || v === null ? undefined : typeof v === "number" ? String(v) : v),
    z
      .string()
      .trim()
      .regex(/^(CR-)?\d+$/i, "A request number, like CR-1042.")
      .transform((v) => Number(v.replace(/^CR-/i, "")))
      .optional(),
  ),
});
