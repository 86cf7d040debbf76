import type { Metadata } from "next";
import { ShieldCheck } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRole } from "@/lib/auth/page-guard";
import { rolesForSection } from "@/lib/auth/navigation";

export const metadata: Metadata = { title: "Security · Greenlight" };

export default async function SecurityPage() {
  await pageRole(...rolesForSection("/security"));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Security</h1>
      <EmptyState icon={ShieldCheck} title="No dependency reviews yet" description="Dependency manifests waiting for review and the approved-package list will be shown here." />
    </div>
  );
}
