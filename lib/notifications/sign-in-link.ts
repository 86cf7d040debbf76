import "server-only";
import type { Db } from "@/db";
import { getEnv } from "../env";
import { inUnitOfWork } from "../verb";
import { deliverNotification } from "./deliver";
import { enqueueNotification } from "./enqueue";

export const SIGN_IN_LINK_HOURS = 24;

/** Auth.js asks for this when someone requests an email link; they are waiting, so send now. */
export async function sendSignInLink(db: Db, input: { email: string; url: string }) {
  const host = new URL(input.url).host;
  const id = await inUnitOfWork(db, (work) =>
    enqueueNotification(work, {
      to: input.email,
      template: "sign-in",
      props: { url: input.url, host, expiresInHours: SIGN_IN_LINK_HOURS },
      sentByCaller: true,
    }),
  );
  const result = await deliverNotification(db, id);
  const env = getEnv();
  if (!env.resend && !env.demoMode) {
    // No mail service and no demo sign-in: the operator's console is the only way the first admin
    // can reach their link (the outbox page itself needs a signed-in admin).
    console.log(`[greenlight] sign-in link for ${input.email} (mail is not configured): ${input.url}`);
  }
  if (result?.status !== "sent") {
    throw new Error(`Could not send the sign-in email: ${result?.lastError ?? "unknown error"}`);
  }
}
