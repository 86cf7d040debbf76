// Every limit Greenlight holds people and scripts to, in one place (docs/adr/0011-rate-limits.md).
// The counted ones live in PostgreSQL (./store.ts), so they hold across any number of app instances.

const MINUTE = 60;

/** A counted limit: at most `points` in any `durationSeconds` window per key. */
export type CountedLimit = { points: number; durationSeconds: number };

export const COUNTED_LIMITS = {
  // A person asking twice because a mail was slow is fine; a script mailing one inbox is not.
  signInPerAddress: { points: 5, durationSeconds: 15 * MINUTE },
  // An office behind one NAT signs in from one address: generous, yet far below a mail flood.
  signInPerIp: { points: 20, durationSeconds: 15 * MINUTE },
  // 10 a minute on average for a pipeline; overridable (API_RATE_LIMIT_PER_MINUTE) for busy CI.
  apiPerToken: { points: 600, durationSeconds: MINUTE },
  // A misconfigured script fails a handful of times; guessing tokens needs millions of tries.
  // Overridable (API_FAILED_TOKENS_PER_IP) for many runners behind one NAT.
  failedTokensPerIp: { points: 20, durationSeconds: 10 * MINUTE },
} as const satisfies Record<string, CountedLimit>;

export type LimitName = keyof typeof COUNTED_LIMITS;

/** The limits with the operator's overrides applied (lib/env.ts). */
export function countedLimits(overrides: {
  apiRateLimitPerMinute: number;
  apiFailedTokensPerIp: number;
}): Record<LimitName, CountedLimit> {
  return {
    ...COUNTED_LIMITS,
    apiPerToken: { ...COUNTED_LIMITS.apiPerToken, points: overrides.apiRateLimitPerMinute },
    failedTokensPerIp: { ...COUNTED_LIMITS.failedTokensPerIp, points: overrides.apiFailedTokensPerIp },
  };
}

/** At most this many people are told about one comment; more is refused (lib/requests/add-comment.ts). */
export const MENTIONS_PER_COMMENT = 10;

/** Approvers re-asked after an edit get one email per request in this window, not one per edit. */
export const REASK_WINDOW_MINUTES = 15;

/**
 * The sign-in form answers no sooner than this, whether it mailed a link or the address is unknown,
 * so the answer's timing does not tell which (sending to the outbox takes well under this).
 */
export const SIGN_IN_ANSWER_MS = 400;

/** "3 minutes", for a person told to wait (never "0 minutes"). */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / MINUTE));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
