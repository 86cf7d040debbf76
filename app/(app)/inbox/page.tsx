import type { Metadata } from "next";
import { Inbox } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRole } from "@/lib/auth/page-guard";
import { rolesForSection } from "@/lib/auth/navigation";

export const metadata: Metadata = { title: "Inbox · Greenlight" };

export default async function InboxPage() {
  await pageRole(...rolesForSection("/inbox"));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Inbox</h1>
      <EmptyState icon={Inbox} title="Nothing is waiting for you" description="Approval steps you may decide, your own requests and recent decisions will be listed here." />
    </div>
  );
}
