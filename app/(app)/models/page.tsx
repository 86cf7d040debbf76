import type { Metadata } from "next";
import { Boxes } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRole } from "@/lib/auth/page-guard";
import { rolesForSection } from "@/lib/auth/navigation";

export const metadata: Metadata = { title: "Models · Greenlight" };

export default async function ModelsPage() {
  await pageRole(...rolesForSection("/models"));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Models</h1>
      <EmptyState icon={Boxes} title="No models registered yet" description="Registered models and their versions (hyperparameters, dataset, metrics) will be listed here." />
    </div>
  );
}
