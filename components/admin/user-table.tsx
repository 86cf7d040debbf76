import { ROLE_LABELS } from "@/components/roles";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLES } from "@/db/schema/org";
import type { ActionResult } from "@/lib/http/action";
import type { UserRow } from "@/lib/users/queries";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { TeamsDialog } from "./teams-dialog";

type Action = (form: FormData) => Promise<ActionResult>;
type Props = {
  users: UserRow[];
  teams: { id: string; name: string }[];
  currentUserId: string;
  actions: { setRole: Action; setTeams: Action; deactivate: Action; reactivate: Action };
};

export function UserTable({ users, teams, currentUserId, actions }: Props) {
  return (
    <Table aria-label="Users">
      <TableHeader>
        <TableRow>
          <TableHead>Person</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Roles (select to grant or remove)</TableHead>
          <TableHead>Teams</TableHead>
          <TableHead className="text-right">Access</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {users.map((u) => (
          <TableRow key={u.id} data-testid={`user-${u.email}`}>
            <TableCell>
              <div className="font-medium">{u.name ?? u.email}</div>
              <div className="text-xs text-muted-foreground">{u.email}</div>
            </TableCell>
            <TableCell>
              {u.active ? <Badge variant="success">Active</Badge> : <Badge variant="destructive">Deactivated</Badge>}
            </TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-1">
                {ROLES.map((role) => {
                  const held = u.roles.includes(role);
                  return (
                    <ActionForm key={role} action={actions.setRole}>
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="role" value={role} />
                      <input type="hidden" name="grant" value={String(!held)} />
                      <SubmitButton
                        size="sm"
                        variant={held ? "default" : "outline"}
                        aria-pressed={held}
                        aria-label={`${ROLE_LABELS[role]} role for ${u.email}`}
                        className="h-7 px-2 text-xs"
                      >
                        {ROLE_LABELS[role]}
                      </SubmitButton>
                    </ActionForm>
                  );
                })}
              </div>
            </TableCell>
            <TableCell>
              <div className="flex items-center gap-2">
                <span className="text-sm">
                  {u.teams.map((t) => t.name).join(", ") || <span className="text-muted-foreground">None</span>}
                </span>
                <TeamsDialog
                  user={{ id: u.id, email: u.email, teamIds: u.teams.map((t) => t.id) }}
                  teams={teams}
                  action={actions.setTeams}
                />
              </div>
            </TableCell>
            <TableCell className="text-right">
              {u.id === currentUserId ? (
                <span className="text-xs text-muted-foreground">You</span>
              ) : u.active ? (
                <ActionForm action={actions.deactivate}>
                  <input type="hidden" name="userId" value={u.id} />
                  <SubmitButton size="sm" variant="outline" aria-label={`Deactivate ${u.email}`}>
                    Deactivate
                  </SubmitButton>
                </ActionForm>
              ) : (
                <ActionForm action={actions.reactivate}>
                  <input type="hidden" name="userId" value={u.id} />
                  <SubmitButton size="sm" variant="outline" aria-label={`Reactivate ${u.email}`}>
                    Reactivate
                  </SubmitButton>
                </ActionForm>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
