"use server";

import { revalidatePath } from "next/cache";
import { DELIVERY_MODE_LABELS } from "@/components/settings/delivery-modes";
import { runAction } from "@/lib/http/action";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/events";
import { setNotificationPreference } from "@/lib/notifications/set-preference";
import { formToObject } from "@/lib/validation";

export async function setNotificationPreferenceAction(form: FormData) {
  return runAction(async (ctx) => {
    const { event, mode, changed } = await setNotificationPreference(ctx, formToObject(form));
    revalidatePath("/settings/notifications");
    const what = `${NOTIFICATION_EVENTS[event].label}: ${DELIVERY_MODE_LABELS[mode].toLowerCase()}`;
    return changed ? `Saved. ${what}.` : `Already so. ${what}.`;
  });
}
