"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { connectMlflow } from "@/lib/mlflow/connect";
import { disconnectMlflow } from "@/lib/mlflow/disconnect";
import { pickMlflowModel } from "@/lib/mlflow/pick-model";
import { requestMlflowSync } from "@/lib/mlflow/request-sync";
import { setMlflowAlias } from "@/lib/mlflow/set-alias";
import { unpickMlflowModel } from "@/lib/mlflow/unpick-model";
import { formToObject } from "@/lib/validation";

// Thin adapters: each verb checks the admin role itself (a server action is a public endpoint).
const PAGE = "/admin/mlflow";

export async function connectMlflowAction(form: FormData) {
  return runAction(async (ctx) => {
    const saved = await connectMlflow(ctx, formToObject(form));
    revalidatePath(PAGE);
    return `Connected to ${saved.url} (token ${saved.tokenSet ? "set" : "not set"}). Pick the models to import next.`;
  });
}

export async function disconnectMlflowAction(form: FormData) {
  return runAction(async (ctx) => {
    const { disconnected } = await disconnectMlflow(ctx, formToObject(form));
    revalidatePath(PAGE);
    return `Disconnected from ${disconnected}. Imported versions stay in Greenlight.`;
  });
}

export async function pickMlflowModelAction(form: FormData) {
  return runAction(async (ctx) => {
    const picked = await pickMlflowModel(ctx, formToObject(form));
    revalidatePath(PAGE);
    return `Picked ${picked.mlflowName}: its versions are imported into ${picked.model} at the next sync (or press Sync now).`;
  });
}

export async function unpickMlflowModelAction(form: FormData) {
  return runAction(async (ctx) => {
    const { mlflowName } = await unpickMlflowModel(ctx, formToObject(form));
    revalidatePath(PAGE);
    return `${mlflowName} is no longer imported; its versions stay.`;
  });
}

export async function setMlflowAliasAction(form: FormData) {
  return runAction(async (ctx) => {
    const { environment, alias } = await setMlflowAlias(ctx, formToObject(form));
    revalidatePath(PAGE);
    return alias
      ? `Deployments to ${environment} now point the MLflow alias "${alias}" at the deployed version.`
      : `Deployments to ${environment} set no MLflow alias.`;
  });
}

export async function syncMlflowNowAction() {
  return runAction(async (ctx) => {
    const { alreadyRunning } = await requestMlflowSync(ctx);
    revalidatePath(PAGE);
    return alreadyRunning
      ? "A sync is already running; its progress shows below."
      : "Sync started; reload to see its progress.";
  });
}
