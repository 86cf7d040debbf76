"use server";

import { revalidatePath } from "next/cache";
import { changeEnvironment } from "@/lib/environments/change-environment";
import { defineEnvironment } from "@/lib/environments/define-environment";
import { runAction } from "@/lib/http/action";
import { formToObject } from "@/lib/validation";

export async function defineEnvironmentAction(form: FormData) {
  return runAction(async (ctx) => {
    const environment = await defineEnvironment(ctx, formToObject(form));
    revalidatePath("/environments");
    return `Environment ${environment.name} added.`;
  });
}

export async function changeEnvironmentAction(form: FormData) {
  return runAction(async (ctx) => {
    const environment = await changeEnvironment(ctx, formToObject(form));
    revalidatePath("/environments");
    revalidatePath(`/environments/${environment.name}`);
    if (!environment.changed) return "Nothing to change.";
    return environment.archived ? `${environment.name} is archived.` : `${environment.name} saved.`;
  });
}
