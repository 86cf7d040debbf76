import { z } from "zod";
import { BUDGET_INTERVALS } from "@/db/schema/budgets";
import { isCurrency } from "../cba/money";
import { calendarDate, INT4_MAX, storable } from "../validation";

const isoDate = calendarDate("A real date like 2026-11-01.");

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
      .regex(/^-?\d+(\.\d+)?$/, `Enter the ${what} as a number, like 12500 or 12500.50.`)
      // Held in minor units as a bigint within the safe integer range: 12 digits leave room for any currency's decimals.
      .refine((v) => /^-?\d{1,12}(\.|$)/.test(v), `The ${what} is too large: at most 999,999,999,999.`)
      .refine((v) => !/\.\d{13}/.test(v), `Give the ${what} with at most 12 decimals.`),
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
    .max(300)
    .superRefine(storable),
  request: z.preprocess(
    (v) => (v === "" || v === null ? undefined : typeof v === "number" ? String(v) : v),
    z
      .string()
      .trim()
      .regex(/^(CR-)?\d{1,10}$/i, "A request number, like CR-1042.")
      .transform((v) => Number(v.replace(/^CR-/i, "")))
      .refine((v) => v >= 1 && v <= INT4_MAX, "A request number, like CR-1042.")
      .optional(),
  ),
});
