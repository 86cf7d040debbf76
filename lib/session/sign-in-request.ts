import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@/db";
import { SIGN_IN_ANSWER_MS } from "../rate-limit/limits";
import { consumeLimit } from "../rate-limit/store";
import { findUserByEmail } from "../users/queries";

export type SignInLinkAnswer = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * The address as Auth.js's email provider will mail it (its defaultNormalizer: NFKC, lower case,
 * anything after a comma in the domain dropped), or null if it would refuse it. The per-address
 * limit counts this form, so "ALICE@…", "ａlice@…" or "alice@example.com,2" are one address.
 */
export function normaliseEmail(raw: string): string | null {
  const email = raw.normalize("NFKC").toLowerCase().trim();
  const parts = email.split("@");
  if (email.includes('"') || parts.length !== 2 || !parts[0] || /\s/.test(email)) return null;
  const domain = parts[1]!.split(",")[0];
  return domain ? `${parts[0]}@${domain}` : null;
}

/** Where the sign-in form sends everyone who asked for a link, whether one was sent or not. */
export const CHECK_EMAIL_PAGE = "/sign-in/check-email";

/**
 * Auth.js's signIn callback when an email link is asked for: true to send one (an active account),
 * otherwise the page a sent link leads to, so Auth.js answers alike (same redirect, same cookies)
 * and sends nothing, stores no token. Signing in with a link is checked again when it is used.
 */
export async function emailLinkDecision(db: Db, email: string | null | undefined): Promise<true | string> {
  const person = email ? await findUserByEmail(db, email) : null;
  return person?.active ? true : CHECK_EMAIL_PAGE;
}

/**
 * Someone asked for an email link. The answer is the same whether the address belongs to an active
 * account or not ("if that address has an account, a link is on its way"), and it comes no sooner
 * than SIGN_IN_ANSWER_MS either way, so neither its words nor its timing tell who has an account.
 * Both limits count every request, known address or not: a limit that only known addresses reached
 * would give them away too. `send` asks Auth.js for the link for every address (its signIn callback,
 * emailLinkDecision, sends only to active accounts, and sets the same cookies either way); whatever
 * it throws (Next's redirect for an Auth.js error) is thrown after the wait.
 */
export async function requestSignInLink(
  db: Db,
  request: { email: string; ip: string },
  send: () => Promise<unknown>,
  answerMs = SIGN_IN_ANSWER_MS,
): Promise<SignInLinkAnswer> {
  const started = Date.now();
  const email = normaliseEmail(request.email) ?? request.email;
  const perIp = await consumeLimit(db, "signInPerIp", request.ip);
  if (!perIp.allowed) return { limited: true, retryAfterSeconds: perIp.retryAfterSeconds };
  // Counted only once the address's sender passed its own limit, so that one client flooding from
  // one IP uses up less of someone else's allowance.
  const perAddress = await consumeLimit(db, "signInPerAddress", email);
  if (!perAddress.allowed) return { limited: true, retryAfterSeconds: perAddress.retryAfterSeconds };

  let failure: { error: unknown } | null = null;
  try {
    await send();
  } catch (error) {
    failure = { error };
  }
  const left = answerMs - (Date.now() - started);
  if (left > 0) await sleep(left);
  if (failure) throw failure.error;
  return { limited: false };
}
