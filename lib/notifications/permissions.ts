import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[] };
/** How mail leaves this install: through Resend, or into the built-in outbox; and whether it runs as a demo. */
export type MailSetup = { resend: boolean; demoMode: boolean };

/** The built-in outbox exists only while mail is not sent through Resend. */
export function outboxExists(mail: Pick<MailSetup, "resend">): boolean {
  return !mail.resend;
}

/**
 * Who may read the built-in outbox. In demo mode anyone may, signed in or not (anyone may sign in as
 * anyone there anyway, and it is where sign-in links land); otherwise admins.
 */
export function mayReadOutbox(person: Person | null, mail: MailSetup): boolean {
  if (!outboxExists(mail)) return false;
  return mail.demoMode || Boolean(person?.roles.includes("admin"));
}
