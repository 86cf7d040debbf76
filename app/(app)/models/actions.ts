"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { createModel } from "@/lib/models/create-model";
import { registerVersion } from "@/lib/models/register-version";
import { rollBack } from "@/lib/requests/roll-back";
import { formToObject } from "@/lib/validation";

export async function createModelAction(form: FormData) {
  return runAction(async (ctx) => {
    const model = await createModel(ctx, formToObject(form));
    revalidatePath("/models");
    return `Model ${model.name} registered.`;
  });
}

export async function registerVersionAction(form: FormData) {
  return runAction(async (ctx) => {
    const version = await registerVersion(ctx, formToObject(form));
    revalidatePath(`/models/${version.model}`);
    return `${version.model} ${version.version} registered.`;
  });
}

export async function rollbackAction(form: FormData) {
  return runAction(async (ctx) => {
    const done = await rollBack(ctx, formToObject(form));
    revalidatePath(`/models/${done.model}`);
    revalidatePath(`/requests/${done.rolledBack.number}`);
    return `Rolled back: ${done.model} ${done.live.version} is live in ${done.environment} again; CR-${done.rolledBack.number} is closed as rolled back.`;
  });
}
