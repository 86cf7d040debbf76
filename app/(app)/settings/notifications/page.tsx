import type { Metadata } from "next";
import Link from "next/link";
import { NotificationPreferences } from "@/components/settings/notification-preferences";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { pageUser } from "@/lib/session/page-guard";
import { getDb } from "@/lib/db";
import { DIGEST_HOUR_UTC } from "@/lib/jobs/queues";
import { listPreferences } from "@/lib/notifications/preferences";
import { setNotificationPreferenceAction } from "./actions";

export const metadata: Metadata = { title: "Notifications · Settings · Greenlight" };

export default async function NotificationSettingsPage() {
  const me = await pageUser();
  const preferences = await listPreferences(await getDb(), me.id);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link href="/settings" className="text-sm font-medium text-primary underline underline-offset-2">
          ← Settings
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Email preferences</CardTitle>
          <CardDescription>
            Choose, for each kind of email, whether it comes at once, waits for one daily digest (sent at{" "}
            {String(DIGEST_HOUR_UTC).padStart(2, "0")}:00 UTC), or not at all. Sign-in links always come at once.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <NotificationPreferences preferences={preferences} action={setNotificationPreferenceAction} />
        </CardContent>
      </Card>
    </div>
  );
}
