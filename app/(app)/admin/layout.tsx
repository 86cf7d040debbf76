import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { pageAllowed } from "@/lib/session/page-guard";
import { mayAdminister } from "@/lib/users/permissions";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await pageAllowed(mayAdminister);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-muted-foreground">
          People, roles, teams and approval policies. Every change lands in the audit log.
        </p>
      </div>
      <AdminTabs />
      {children}
    </div>
  );
}
