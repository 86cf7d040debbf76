import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@/db";
import { SIGN_IN_ANSWER_MS } from "../rate-limit/limits";
import { consumeLimit } from "../rate-limit/store";
import { findUserByEmail } from "../users/queries";

export type SignInLinkAnswer = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Someone asked for an email link. The answer is the same whether the address belongs to an active
 * account or not ("if that address has an account, a link is on its way"), and it comes no sooner
 * than SIGN_IN_ANSWER_MS either way, so neither its words nor its timing tell who has an account.
 * Both limits count every request, known address or not: a limit that only known addresses reached
 * would give them away too. `send` asks Auth.js for the link; it runs only for active accounts, and
 * whatever it throws (Next's redirect for an Auth.js error) is thrown after the wait.
 */
export async function requestSignInLink(
  db: Db,
  request: { email: string; ip: string },
  send: () => Promise<unknown>,
  answerMs = SIGN_IN_ANSWER_MS,
): Promise<SignInLinkAnswer> {
  const started = Date.now();
  const email = request.email.trim().toLowerCase();
  const perIp = await consumeLimit(db, "signInPerIp", request.ip);
  if (!perIp.allowed) return { limited: true, retryAfterSeconds: perIp.retryAfterSeconds };
  // Counted only once the address's sender passed its own limit, so that one client flooding from
  // one IP uses up less of someone else's allowance.
  const perAddress = await consumeLimit(db, "signInPerAddress", email);
  if (!perAddress.allowed) return { limited: true, retryAfterSeconds: perAddress.retryAfterSeconds };

  let failure: { error: unknown } | null = null;
  const person = await findUserByEmail(db, email);
  if (person?.active) {
    try {
      await send();
    } catch (error) {
      failure = { error };
    }
  }
  const left = answerMs - (Date.now() - started);
  if (left > 0) await sleep(left);
  if (failure) throw failure.error;
  return { limited: false };
}
