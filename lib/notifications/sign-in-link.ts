import "server-only";
import type { Db } from "@/db";
import { deliverNotification } from "./deliver";
import { enqueueNotification } from "./enqueue";

export const SIGN_IN_LINK_HOURS = 24;

/** Auth.js asks for this when someone requests an email link; they are waiting, so send now. */
export async function sendSignInLink(db: Db, input: { email: string; url: string }) {
  const host = new URL(input.url).host;
  const id = await db.transaction((tx) =>
    enqueueNotification(tx, {
      to: input.email,
      template: "sign-in",
      props: { url: input.url, host, expiresInHours: SIGN_IN_LINK_HOURS },
    }),
  );
  const result = await deliverNotification(db, id);
  if (result?.status !== "sent") {
    throw new Error(`Could not send the sign-in email: ${result?.lastError ?? "unknown error"}`);
  }
}
