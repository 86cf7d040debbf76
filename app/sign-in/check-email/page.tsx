import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Check your email · Greenlight" };

export default async function CheckEmailPage() {
  await connection();
  const env = getEnv();
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 px-4">
      <Card className="w-full max-w-md">
        <CardHeader>
          <CardTitle as="h1">Check your email</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <p>
            If that address belongs to an active Greenlight account, a sign-in link is on its way. It works once and
            expires in 24 hours.
          </p>
          {!env.resend && (
            <p>
              This server keeps mail in its{" "}
              <Link href="/outbox" className="font-medium underline underline-offset-2">
                outbox
              </Link>{" "}
              instead of sending it.
            </p>
          )}
          <Link href="/sign-in" className="font-medium text-primary underline underline-offset-2">
            Back to sign in
          </Link>
        </CardContent>
      </Card>
    </main>
  );
}
