"use server";

import { revalidatePath } from "next/cache";
import { createDelegation } from "@/lib/delegations/create-delegation";
import { revokeDelegation } from "@/lib/delegations/revoke-delegation";
import { runAction } from "@/lib/http/action";
import { createToken } from "@/lib/tokens/create-token";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { formToObject } from "@/lib/validation";

export async function createTokenAction(form: FormData) {
  return runAction(async (ctx) => {
    const token = await createToken(ctx, formToObject(form));
    revalidatePath("/settings");
    // Shown once: the message carries the secret so the page can display it.
    return `Token created. Copy it now, it is not shown again: ${token.token}`;
  });
}

export async function revokeTokenAction(form: FormData) {
  return runAction(async (ctx) => {
    await revokeToken(ctx, formToObject(form));
    revalidatePath("/settings");
    return "Token revoked.";
  });
}

export async function createDelegationAction(form: FormData) {
  return runAction(async (ctx) => {
    const d = await createDelegation(ctx, formToObject(form));
    revalidatePath("/settings");
    return `Delegated to ${d.to.name ?? d.to.email} until ${d.endsAt.toISOString().slice(0, 10)}.`;
  });
}

export async function revokeDelegationAction(form: FormData) {
  return runAction(async (ctx) => {
    const d = await revokeDelegation(ctx, formToObject(form));
    revalidatePath("/settings");
    revalidatePath("/inbox");
    const [from, to] = [d.from.name ?? d.from.email, d.to.name ?? d.to.email];
    if (d.from.id === ctx.actor.id) return `Ended: ${to} no longer decides for you.`;
    if (d.to.id === ctx.actor.id) return `Ended: you no longer decide for ${from}.`;
    return `Ended: ${to} no longer decides for ${from}.`;
  });
}
