import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { getDb } from "../db";
import { getEnv } from "../env";
import { Forbidden, NotFound, Unauthorized } from "../errors";
import { mayReadOutbox, outboxExists, type MailSetup } from "../notifications/permissions";
import { requireUser, type UserActor, type UserContext } from "./guards";

// A page's entry. The rules come from lib (a read checks its own, or a rule from a permissions.ts);
// here their errors become what a browser should see: a redirect to sign-in, Next's 403 page
// (app/forbidden.tsx) or its 404 page.
function shown(error: unknown): never {
  if (error instanceof Unauthorized) redirect("/sign-in");
  if (error instanceof Forbidden) forbidden();
  if (error instanceof NotFound) notFound();
  throw error;
}

/** The signed-in user, or off to sign in. */
export async function pageUser(): Promise<UserActor> {
  try {
    return await requireUser();
  } catch (error) {
    shown(error);
  }
}

/** Runs a page's read (which authorises itself in lib) as the signed-in user. */
export async function pageRead<T>(read: (ctx: UserContext) => Promise<T>): Promise<T> {
  try {
    const actor = await requireUser();
    return await read({ db: await getDb(), actor });
  } catch (error) {
    shown(error);
  }
}

/** The signed-in user, when a rule from lib allows them this page (for a layout that reads nothing itself). */
export async function pageAllowed(rule: (actor: UserActor) => boolean): Promise<UserActor> {
  const actor = await pageUser();
  if (!rule(actor)) forbidden();
  return actor;
}

function mailSetup(): MailSetup {
  const env = getEnv();
  return { resend: Boolean(env.resend), demoMode: env.demoMode };
}

/** Whether the shell links to the built-in outbox for this person (lib/notifications/permissions.ts). */
export function outboxShownTo(actor: UserActor): boolean {
  return mayReadOutbox(actor, mailSetup());
}

/** The built-in outbox pages: 404 while mail goes through Resend; otherwise the outbox rule decides. */
export async function pageOutbox(): Promise<void> {
  const mail = mailSetup();
  if (!outboxExists(mail)) notFound();
  if (mayReadOutbox(null, mail)) return; // demo mode: sign-in links land here, before anyone is signed in
  if (!mayReadOutbox(await pageUser(), mail)) forbidden();
}
