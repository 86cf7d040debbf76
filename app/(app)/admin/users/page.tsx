import type { Metadata } from "next";
import { AddUserForm } from "@/components/admin/add-user-form";
import { UserTable } from "@/components/admin/user-table";
import { pageRead } from "@/lib/session/page-guard";
import { listTeams } from "@/lib/teams/queries";
import { readUsers } from "@/lib/users/queries";
import { createUserAction, deactivateAction, reactivateAction, setRoleAction, setTeamsAction } from "../actions";

export const metadata: Metadata = { title: "Users · Admin · Greenlight" };

export default async function AdminUsersPage() {
  const { me, users, teams } = await pageRead(async (ctx) => {
    const [users, teams] = await Promise.all([readUsers(ctx), listTeams(ctx.db)]);
    return { me: ctx.actor, users, teams };
  });
  return (
    <div className="flex flex-col gap-6">
      <UserTable
        users={users}
        teams={teams.map((t) => ({ id: t.id, name: t.name }))}
        currentUserId={me.id}
        actions={{
          setRole: setRoleAction,
          setTeams: setTeamsAction,
          deactivate: deactivateAction,
          reactivate: reactivateAction,
        }}
      />
      <AddUserForm action={createUserAction} />
    </div>
  );
}
