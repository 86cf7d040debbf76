import type { Metadata } from "next";
import { Wallet } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRole } from "@/lib/auth/page-guard";
import { rolesForSection } from "@/lib/auth/navigation";

export const metadata: Metadata = { title: "Budgets · Greenlight" };

export default async function BudgetsPage() {
  await pageRole(...rolesForSection("/budgets"));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Budgets</h1>
      <EmptyState icon={Wallet} title="No team budgets yet" description="Team budgets and what approved requests have committed against them will be shown here." />
    </div>
  );
}
