import "server-only";
import type { Db } from "@/db";
import type { UserActor } from "../auth/guards";
import { requireUser } from "../auth/guards";
import { getDb } from "../db";
import { isAppError, type FieldErrors } from "../errors";

/** What a server action returns to its form: never an exception, never a stack trace. */
export type ActionResult =
  { ok: true; message: string } | { ok: false; status: number; message: string; fieldErrors?: FieldErrors };

/**
 * Server actions are public endpoints: each one runs through here, which checks the session again
 * and maps typed errors to a result the form can show (the same mapping as lib/http/problem.ts).
 */
export async function runAction(work: (ctx: { db: Db; actor: UserActor }) => Promise<string>): Promise<ActionResult> {
  try {
    const actor = await requireUser();
    const message = await work({ db: await getDb(), actor });
    return { ok: true, message };
  } catch (error) {
    if (isAppError(error))
      return { ok: false, status: error.status, message: error.message, fieldErrors: error.fieldErrors };
    console.error("[action] unexpected error:", error);
    return { ok: false, status: 500, message: "Something went wrong on our side. It has been logged." };
  }
}
