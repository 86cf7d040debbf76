"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { createAllowlistEntry, revokeAllowlistEntry } from "@/lib/security/allowlist";
import { decidePackage } from "@/lib/requests/decide-package";
import { importAdvisories } from "@/lib/security/import-advisories";
import { setLicencePolicy } from "@/lib/security/licence-policy";
import { uploadManifest } from "@/lib/requests/upload-manifest";
import { formToObject } from "@/lib/validation";

const files = (form: FormData, name: string) =>
  form.getAll(name).filter((v): v is File => typeof v !== "string" && v.size > 0);

export async function importAdvisoriesAction(form: FormData) {
  return runAction(async (ctx) => {
    const uploads = await Promise.all(
      files(form, "file").map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const r = await importAdvisories(ctx, uploads);
    revalidatePath("/security");
    const problems = r.problems.length
      ? ` ${r.problems.length} could not be read (first: ${r.problems[0]!.file}: ${r.problems[0]!.problem}).`
      : "";
    return `Imported ${r.records} records: ${r.added} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.withdrawn} withdrawn.${problems}`;
  });
}

export async function uploadManifestAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const [file] = files(form, "file");
    // A chosen file wins over pasted text; its name tells the parser the format.
    const content = file ? await file.text() : input.content;
    const fileName = file ? file.name : input.fileName;
    const r = await uploadManifest(ctx, { ...input, file: undefined, content, fileName });
    revalidatePath(`/requests/${String(input.number)}`);
    const reset = r.reset ? " Approvals were reset: a new revision was asked for." : "";
    const errors = r.errors.length
      ? ` ${r.errors.length} line${r.errors.length === 1 ? "" : "s"} could not be read.`
      : "";
    return `Checked ${r.dependencies} dependencies: ${r.findings} vulnerability findings, ${r.signals} supply-chain signals.${errors}${reset}`;
  });
}

export async function decidePackageAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const { dependency } = await decidePackage(ctx, input);
    revalidatePath(`/requests/${String(input.number)}/dependencies`);
    return dependency.decision === "approved"
      ? `${dependency.name} approved and added to the allowlist.`
      : `${dependency.name} rejected.`;
  });
}

export async function createAllowlistAction(form: FormData) {
  return runAction(async (ctx) => {
    const entry = await createAllowlistEntry(ctx, formToObject(form));
    revalidatePath("/security/allowlist");
    return `${entry.normalizedName} ${entry.versionRange} is on the allowlist.`;
  });
}

export async function revokeAllowlistAction(form: FormData) {
  return runAction(async (ctx) => {
    const entry = await revokeAllowlistEntry(ctx, formToObject(form));
    revalidatePath("/security/allowlist");
    return `${entry.normalizedName} ${entry.versionRange} is no longer allowed.`;
  });
}

export async function setLicencePolicyAction(form: FormData) {
  return runAction(async (ctx) => {
    const policy = await setLicencePolicy(ctx, formToObject(form));
    revalidatePath("/security");
    return `Licence policy saved: ${policy.allowed.length} allowed, ${policy.denied.length} denied; everything else needs review.`;
  });
}
