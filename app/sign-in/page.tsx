import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { DemoAccounts } from "@/components/auth/demo-accounts";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { auth } from "@/lib/session/config";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { waitInWords } from "@/lib/rate-limit/limits";
import { listUsers } from "@/lib/users/queries";
import { demoSignIn, emailSignIn, ssoSignIn } from "./actions";

export const metadata: Metadata = { title: "Sign in · Greenlight" };

const ERRORS: Record<string, string> = {
  AccessDenied: "That account cannot sign in here. Ask an admin to add you, or your account may be deactivated.",
  CredentialsSignin: "That demo account cannot sign in (it may have been deactivated).",
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  InvalidEmail: "Enter a valid email address.",
  DemoOff: "Demo sign-in is turned off on this server.",
  EmailSignInError: "We could not send the sign-in email. Try again in a minute.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await connection();
  const params = await searchParams;
  if ((await auth())?.user) redirect("/");
  const env = getEnv();
  const callbackUrl = params.callbackUrl?.startsWith("/") ? params.callbackUrl : "/";
  const error =
    params.error === "TooManyAttempts"
      ? `Too many sign-in attempts. Try again in ${waitInWords(Math.min(Number(params.retry) || 60, 3600))}.`
      : params.error
        ? (ERRORS[params.error] ?? "Sign-in failed. Try again.")
        : null;
  const accounts = env.demoMode ? (await listUsers(await getDb())).filter((u) => u.active) : [];

  return (
    <main className="min-h-screen bg-muted/40 px-4 py-12">
      <div className="mx-auto flex max-w-3xl flex-col gap-6">
        <div className="text-center">
          <p className="text-2xl font-bold tracking-tight text-primary">Greenlight</p>
          <h1 className="mt-1 text-lg font-semibold">Sign in</h1>
          <p className="text-sm text-muted-foreground">Approvals and governance for your ML team.</p>
        </div>
        {error && (
          <div
            role="alert"
            className="rounded-md border border-destructive/40 bg-destructive/10 px-4 py-3 text-sm text-destructive"
          >
            {error}
          </div>
        )}
        <div className={env.demoMode ? "grid gap-6 md:grid-cols-[1fr_1.3fr] [&>*]:min-w-0" : "mx-auto w-full max-w-md"}>
          <Card>
            <CardHeader>
              <CardTitle>Email link</CardTitle>
              <CardDescription>We email you a one-time link. No password.</CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-4">
              <form action={emailSignIn} className="flex flex-col gap-3">
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="email">Work email</Label>
                  <Input
                    id="email"
                    name="email"
                    type="email"
                    autoComplete="email"
                    required
                    placeholder="you@company.com"
                  />
                </div>
                <Button type="submit">Email me a sign-in link</Button>
              </form>
              {env.oidc && (
                <form action={ssoSignIn}>
                  <input type="hidden" name="callbackUrl" value={callbackUrl} />
                  <Button type="submit" variant="outline" className="w-full">
                    Continue with {env.oidc.name}
                  </Button>
                </form>
              )}
              {!env.resend && (
                <p className="text-xs text-muted-foreground">
                  Mail is not sent from this server: messages land in the{" "}
                  <Link href="/outbox" className="font-medium text-foreground underline underline-offset-2">
                    outbox
                  </Link>
                  {env.demoMode ? "." : " (admins only)."}
                </p>
              )}
            </CardContent>
          </Card>
          {env.demoMode && (
            <Card>
              <CardHeader>
                <CardTitle>Demo accounts</CardTitle>
                <CardDescription>
                  Demo mode is on: sign in as anyone, no password. Turn it off with DEMO_MODE=false.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <DemoAccounts
                  accounts={accounts.map((a) => ({
                    email: a.email,
                    name: a.name,
                    roles: a.roles,
                    teams: a.teams.map((t) => t.name),
                  }))}
                  action={demoSignIn}
                  callbackUrl={callbackUrl}
                />
              </CardContent>
            </Card>
          )}
        </div>
      </div>
    </main>
  );
}
