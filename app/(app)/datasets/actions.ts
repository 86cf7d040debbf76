"use server";

import { revalidatePath } from "next/cache";
import { createDataset } from "@/lib/datasets/create-dataset";
import { createDatasetVersion } from "@/lib/datasets/create-version";
import { runAction } from "@/lib/http/action";
import { formToObject } from "@/lib/validation";

export async function createDatasetAction(form: FormData) {
  return runAction(async (ctx) => {
    const dataset = await createDataset(ctx, formToObject(form));
    revalidatePath("/datasets");
    return `Dataset ${dataset.name} added: import its Table Schema as its first version.`;
  });
}

export async function createDatasetVersionAction(form: FormData) {
  return runAction(async (ctx) => {
    const { dataset, version, affected } = await createDatasetVersion(ctx, formToObject(form));
    revalidatePath(`/datasets/${dataset.name}`);
    revalidatePath("/datasets");
    const told = affected.versions.length;
    return `${dataset.name} ${version.version} saved (${version.columns.length} columns).${
      told
        ? ` ${told} model version${told === 1 ? "" : "s"} using a changed column ${told === 1 ? "was" : "were"} flagged and their people emailed.`
        : ""
    }`;
  });
}
