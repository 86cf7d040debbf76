import type { Metadata } from "next";
import { GitPullRequest } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRole } from "@/lib/auth/page-guard";
import { rolesForSection } from "@/lib/auth/navigation";

export const metadata: Metadata = { title: "Requests · Greenlight" };

export default async function RequestsPage() {
  await pageRole(...rolesForSection("/requests"));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Requests</h1>
      <EmptyState icon={GitPullRequest} title="No change requests yet" description="Change requests (deploy, provision, adopt a library) and their approval chains will be listed here." />
    </div>
  );
}
