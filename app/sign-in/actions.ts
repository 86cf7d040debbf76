"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/session/config";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIp } from "@/lib/rate-limit/client-ip";
import { CHECK_EMAIL_PAGE, normaliseEmail, requestSignInLink } from "@/lib/session/sign-in-request";

// On success Auth.js throws Next's redirect, which must propagate; its own errors come back to the page.
async function attempt(provider: string, options: Record<string, string | boolean>) {
  try {
    await signIn(provider, options);
  } catch (error) {
    if (error instanceof AuthError) redirect(`/sign-in?error=${encodeURIComponent(error.type)}`);
    throw error;
  }
}

function target(form: FormData): string {
  const to = String(form.get("callbackUrl") ?? "/");
  return to.startsWith("/") && !to.startsWith("//") ? to : "/";
}

export async function emailSignIn(form: FormData) {
  const email = normaliseEmail(String(form.get("email") ?? ""));
  if (!email) redirect("/sign-in?error=InvalidEmail");
  const ip = clientIp(await headers(), getEnv().trustProxy);
  // redirect: false, so that a known address lands on the same page as an unknown one (Auth.js would
  // add its own query string); only an Auth.js error redirects from inside.
  const answer = await requestSignInLink(await getDb(), { email, ip }, () =>
    attempt("email", { email, redirectTo: target(form), redirect: false }),
  );
  if (answer.limited) redirect(`/sign-in?error=TooManyAttempts&retry=${answer.retryAfterSeconds}`);
  redirect(CHECK_EMAIL_PAGE);
}

export async function demoSignIn(form: FormData) {
  if (!getEnv().demoMode) redirect("/sign-in?error=DemoOff");
  await attempt("demo", { email: String(form.get("email") ?? ""), redirectTo: target(form) });
}

export async function ssoSignIn(form: FormData) {
  await attempt("oidc", { redirectTo: target(form) });
}
