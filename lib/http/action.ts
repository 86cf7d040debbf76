import "server-only";
import type { UserContext } from "../auth/actor";
import { requireUser } from "../session/guards";
import { getDb } from "../db";
import { badInputError, isAppError, isBadInputForDatabase, type FieldErrors } from "../errors";
import { logError } from "../log";

export type ActionFailure = { ok: false; status: number; message: string; fieldErrors?: FieldErrors };

/** What a server action returns to its form: never an exception, never a stack trace. */
export type ActionResult = { ok: true; message: string } | ActionFailure;

/** What a server action that reads returns: the data, or the same failure a form would show. */
export type ReadResult<T> = { ok: true; data: T } | ActionFailure;

function failure(error: unknown): ActionFailure {
  if (isAppError(error)) {
    return { ok: false, status: error.status, message: error.message, fieldErrors: error.fieldErrors };
  }
  if (isBadInputForDatabase(error)) {
    // Logged all the same: the schema that should have refused this value needs a fix.
    logError("[action] bad input reached the database:", error);
    const bad = badInputError();
    return { ok: false, status: bad.status, message: bad.message, fieldErrors: bad.fieldErrors };
  }
  logError("[action] unexpected error:", error);
  return { ok: false, status: 500, message: "Something went wrong on our side. It has been logged." };
}

/**
 * Server actions are public endpoints: each one runs through here, which checks the session again
 * and maps typed errors to a result the form can show (the same mapping as lib/http/problem.ts).
 */
export async function runAction(work: (ctx: UserContext) => Promise<string>): Promise<ActionResult> {
  try {
    const actor = await requireUser();
    return { ok: true, message: await work({ db: await getDb(), actor }) };
  } catch (error) {
    return failure(error);
  }
}

/** The same entry for a server action that answers with data (a live preview, say). */
export async function runReadAction<T>(work: (ctx: UserContext) => Promise<T>): Promise<ReadResult<T>> {
  try {
    const actor = await requireUser();
    return { ok: true, data: await work({ db: await getDb(), actor }) };
  } catch (error) {
    return failure(error);
  }
}
