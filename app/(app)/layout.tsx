import type { ReactNode } from "react";
import { connection } from "next/server";
import { AppShell } from "@/components/shell/app-shell";
import { outboxShownTo, pageUser } from "@/lib/session/page-guard";
import { sectionsFor } from "@/lib/session/navigation";
import { getEnv } from "@/lib/env";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  await connection();
  const user = await pageUser();
  const env = getEnv();
  return (
    <AppShell
      user={{ name: user.name, email: user.email, roles: user.roles }}
      sections={sectionsFor(user.roles).map(({ href, label }) => ({ href, label }))}
      showOutbox={outboxShownTo(user)}
      demoMode={env.demoMode}
      signOut={signOutAction}
    >
      {children}
    </AppShell>
  );
}
