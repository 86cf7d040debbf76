"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { retryNotification } from "@/lib/notifications/retry-notification";
import { formToObject } from "@/lib/validation";

// Thin adapter: the verb checks the admin role itself (a server action is a public endpoint).
export async function retryNotificationAction(form: FormData) {
  return runAction(async (ctx) => {
    await retryNotification(ctx, formToObject(form));
    revalidatePath("/admin/outbox");
    return "Queued again: it gets a fresh set of attempts.";
  });
}
