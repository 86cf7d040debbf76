"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { createModel } from "@/lib/models/create-model";
import { registerVersion } from "@/lib/models/register-version";
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
