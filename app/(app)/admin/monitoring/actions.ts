"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { updateMonitoringSettings } from "@/lib/monitoring/update-settings";
import { formToObject } from "@/lib/validation";

// A thin adapter: the verb checks the admin role itself (a server action is a public endpoint).
export async function updateMonitoringSettingsAction(form: FormData) {
  return runAction(async (ctx) => {
    await updateMonitoringSettings(ctx, formToObject(form));
    revalidatePath("/admin/monitoring");
    return "Monitoring settings saved.";
  });
}
