/** A validation problem in the same shape as a zod issue, so callers can key it by path.join("."). */
export interface CurrencyIssue {
  path: (string | number)[];
  message: string;
}

function itemCurrency(item: unknown): unknown {
  return typeof item === "object" && item !== null && "currency" in item ? item.currency : undefined;
}

/**
 * Amounts in another currency would be silently added to the analysis total, so each one is refused at
 * its own currency field. Takes unknowns because it also runs on partly-invalid input, where reporting
 * this alongside other field errors saves the user a round trip.
 */
export function currencyMismatches(
  currency: unknown,
  items: unknown,
  path: readonly (string | number)[],
  noun: string,
): CurrencyIssue[] {
  if (typeof currency !== "string" || !Array.isArray(items)) return [];
  const issues: CurrencyIssue[] = [];
  items.forEach((item: unknown, index) => {
    const code = itemCurrency(item);
    if (typeof code !== "string" || code === currency) return;
    issues.push({
      path: [...path, index, "currency"],
      message: `${noun} is in ${code} but the analysis is in ${currency}: convert it to ${currency} first.`,
    });
  });
  return issues;
}

/** Checks provisioning lines (validated on their own) against the analysis they will be costed in. */
export function checkCurrencies(
  analysisCurrency: string,
  lines: readonly { currency?: string | undefined }[],
  path: readonly (string | number)[] = ["provisioning"],
): CurrencyIssue[] {
  return currencyMismatches(analysisCurrency, lines, path, "This provisioning line");
}
