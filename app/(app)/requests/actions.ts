"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { decide } from "@/lib/requests/decide";
import { runAction, runReadAction, type ActionResult, type ReadResult } from "@/lib/http/action";
import { addComment } from "@/lib/requests/add-comment";
import { createRequest } from "@/lib/requests/create-request";
import { markDeployed } from "@/lib/requests/mark-deployed";
import { recordOutcome } from "@/lib/requests/record-outcome";
import { previewChain, type ChainPreview } from "@/lib/requests/preview-chain";
import { revokeRequest } from "@/lib/requests/revoke-request";
import { submitRequest } from "@/lib/requests/submit-request";
import { updateRequest } from "@/lib/requests/update-request";
import { withdrawRequest } from "@/lib/requests/withdraw-request";
import { overrideCheck } from "@/lib/requests/override-check";
import { formToObject } from "@/lib/validation";

const done = (number: unknown, message: string) => {
  revalidatePath(`/requests/${String(number)}`);
  revalidatePath("/inbox");
  return message;
};

export async function createRequestAction(form: FormData): Promise<ActionResult> {
  let number: number | null = null;
  const result = await runAction(async (ctx) => {
    const request = await createRequest(ctx, formToObject(form));
    number = request.number;
    return `CR-${request.number} saved as a draft.`;
  });
  if (result.ok && number) redirect(`/requests/${number}`);
  return result;
}

export async function updateRequestAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const { reset } = await updateRequest(ctx, input);
    return done(
      input.number,
      reset ? "Saved as a new revision: every approval was reset and the approvers were told." : "Saved.",
    );
  });
}

export async function submitAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const { request } = await submitRequest(ctx, input);
    return done(
      input.number,
      request.status === "approved"
        ? "Submitted: no approval was needed."
        : "Submitted for review: the approvers have been told.",
    );
  });
}

export async function decideAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const outcome = await decide(ctx, input);
    const text =
      { approve: "Approved", reject: "Rejected", request_changes: "Changes requested" }[String(input.decision)] ??
      "Recorded";
    return done(
      input.number,
      `${text}${outcome.onBehalfOf ? " (as a delegate)" : ""}. The request is now ${outcome.status.replace("_", " ")}.`,
    );
  });
}

export async function overrideCheckAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    const outcome = await overrideCheck(ctx, input);
    return done(input.number, `Check overridden. The request is now ${outcome.status.replace("_", " ")}.`);
  });
}

export async function commentAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    await addComment(ctx, input);
    return done(input.number, "Comment posted.");
  });
}

export async function withdrawAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    await withdrawRequest(ctx, input);
    return done(input.number, "Request withdrawn.");
  });
}

export async function deployedAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    await markDeployed(ctx, input);
    return done(input.number, "Marked as deployed.");
  });
}

export async function outcomeAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    await recordOutcome(ctx, input);
    return done(input.number, "Outcome recorded: the deployment is closed.");
  });
}

export async function revokeAction(form: FormData) {
  return runAction(async (ctx) => {
    const input = formToObject(form);
    await revokeRequest(ctx, input);
    return done(input.number, "Approval revoked: the gate is closed.");
  });
}

/** What the chain would be if this request were submitted now (nothing is saved). */
export async function previewChainAction(input: Record<string, unknown>): Promise<ReadResult<ChainPreview>> {
  return runReadAction((ctx) => previewChain(ctx.db, ctx.actor, input));
}
