"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/session/config";
import { getEnv } from "@/lib/env";

// On success Auth.js throws Next's redirect, which must propagate; its own errors come back to the page.
async function attempt(provider: string, options: Record<string, string>) {
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
  const email = String(form.get("email") ?? "").trim();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) redirect("/sign-in?error=InvalidEmail");
  await attempt("email", { email, redirectTo: target(form) });
}

export async function demoSignIn(form: FormData) {
  if (!getEnv().demoMode) redirect("/sign-in?error=DemoOff");
  await attempt("demo", { email: String(form.get("email") ?? ""), redirectTo: target(form) });
}

export async function ssoSignIn(form: FormData) {
  await attempt("oidc", { redirectTo: target(form) });
}
