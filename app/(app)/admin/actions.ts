"use server";

import { revalidatePath } from "next/cache";
import { runAction, runReadAction, type ReadResult } from "@/lib/http/action";
import { readDraftDryRun, type DryRunResult } from "@/lib/policies/dry-run-history";
import { policyFromForm } from "@/lib/policies/form";
import { savePolicy } from "@/lib/policies/save-policy";
import { createTeam } from "@/lib/teams/create-team";
import { renameTeam } from "@/lib/teams/rename-team";
import { formToObject } from "@/lib/validation";
import { createUser } from "@/lib/users/create-user";
import { deactivateUser } from "@/lib/users/deactivate-user";
import { grantRole } from "@/lib/users/grant-role";
import { reactivateUser } from "@/lib/users/reactivate-user";
import { revokeRole } from "@/lib/users/revoke-role";
import { readStranded, strandedWarning } from "@/lib/requests/stranded";
import { setUserTeams } from "@/lib/users/set-teams";
import { setGroupMapping } from "@/lib/sso/set-group-mapping";

// Thin adapters: each one runs the verb (which checks permission) through runAction.

export async function setRoleAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const grant = input.grant === "true";
    if (grant) {
      const { changed } = await grantRole(ctx, input);
      revalidatePath("/admin/users");
      return changed ? "Role granted." : "Nothing to change: role already granted.";
    }
    const { changed, role } = await revokeRole(ctx, input);
    revalidatePath("/admin/users");
    if (!changed) return "Nothing to change: role already removed.";
    const warning = strandedWarning(await readStranded(ctx, { role }));
    return warning ? `Role removed. ${warning}` : "Role removed.";
  });
}

export async function setTeamsAction(form: FormData) {
  return runAction(async (ctx) => {
    const { changed } = await setUserTeams(ctx, formToObject(form));
    revalidatePath("/admin/users");
    return changed ? "Teams updated." : "Teams unchanged.";
  });
}

export async function deactivateAction(form: FormData) {
  return runAction(async (ctx) => {
    const user = await deactivateUser(ctx, formToObject(form));
    revalidatePath("/admin/users");
    const warning = strandedWarning(await readStranded(ctx));
    return `${user.email} is deactivated and signed out.${warning ? ` ${warning}` : ""}`;
  });
}

export async function reactivateAction(form: FormData) {
  return runAction(async (ctx) => {
    const user = await reactivateUser(ctx, formToObject(form));
    revalidatePath("/admin/users");
    return `${user.email} can sign in again.`;
  });
}

export async function createUserAction(form: FormData) {
  return runAction(async (ctx) => {
    const user = await createUser(ctx, formToObject(form));
    revalidatePath("/admin/users");
    return `${user.email} added. They can sign in with an email link.`;
  });
}

export async function createTeamAction(form: FormData) {
  return runAction(async (ctx) => {
    const team = await createTeam(ctx, formToObject(form));
    revalidatePath("/admin/teams");
    return `Team ${team.name} created.`;
  });
}

export async function renameTeamAction(form: FormData) {
  return runAction(async (ctx) => {
    const team = await renameTeam(ctx, formToObject(form));
    revalidatePath("/admin/teams");
    return team.changed ? `Renamed to ${team.name}.` : "Name unchanged.";
  });
}

export async function savePolicyAction(form: FormData) {
  return runAction(async (ctx) => {
    const policy = await savePolicy(ctx, policyFromForm(formToObject(form)));
    revalidatePath("/admin/policies");
    return `Policy "${policy.name}" saved as version ${policy.version}. Requests already in review keep their chain.`;
  });
}

export async function setGroupMappingAction(form: FormData) {
  return runAction(async (ctx) => {
    const mapping = await setGroupMapping(ctx, formToObject(form));
    revalidatePath("/admin/sso");
    const n = mapping.rules.length;
    return n
      ? `Saved ${n} group rule${n === 1 ? "" : "s"}. Each person's roles and teams follow at their next SSO sign-in.`
      : "Saved: no group rules. Roles and teams are granted by hand only.";
  });
}

/** The editor's dry run: the draft in the form replayed against recent requests; saves nothing. */
export async function dryRunPolicyAction(form: FormData): Promise<ReadResult<DryRunResult>> {
  return runReadAction((ctx) => readDraftDryRun(ctx, formToObject(form)));
}
