import "server-only";
import { notFound } from "next/navigation";
import { pageRole } from "../auth/page-guard";
import { getEnv } from "../env";

/**
 * The built-in outbox exists only while mail is not sent through Resend. In demo mode anyone may read
 * it (anyone may sign in as anyone there anyway, and it is where sign-in links land); otherwise admins.
 */
export async function requireOutboxAccess(): Promise<void> {
  const env = getEnv();
  if (env.resend) notFound();
  if (!env.demoMode) await pageRole("admin");
}
