import type { Metadata } from "next";
import { Users } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageRead } from "@/lib/session/page-guard";
import { readTeamAdmin } from "@/lib/teams/queries";
import { createTeamAction, renameTeamAction } from "../actions";

export const metadata: Metadata = { title: "Teams · Admin · Greenlight" };

export default async function AdminTeamsPage() {
  const teams = await pageRead(readTeamAdmin);
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
      {teams.length === 0 ? (
        <EmptyState
          icon={Users}
          title="No teams yet"
          description="Create the first team: requests are filed for a team and its managers approve its budget."
        />
      ) : (
        <Table aria-label="Teams">
          <TableHeader>
            <TableRow>
              <TableHead>Team</TableHead>
              <TableHead className="text-right">Members</TableHead>
              <TableHead>Rename</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {teams.map((t) => (
              <TableRow key={t.id}>
                <TableCell className="font-medium">{t.name}</TableCell>
                <TableCell className="text-right tabular-nums">{t.members}</TableCell>
                <TableCell>
                  <ActionForm
                    action={renameTeamAction}
                    className="flex items-start gap-2"
                    aria-label={`Rename ${t.name}`}
                  >
                    <input type="hidden" name="teamId" value={t.id} />
                    <div className="flex flex-col gap-1">
                      <Input
                        name="name"
                        defaultValue={t.name}
                        aria-label={`New name for ${t.name}`}
                        className="h-8 w-48"
                        aria-describedby={`rename-${t.id}-error`}
                      />
                      <FormFieldError name="name" id={`rename-${t.id}-error`} />
                    </div>
                    <SubmitButton size="sm" variant="outline" pendingLabel="Saving…">
                      Rename
                    </SubmitButton>
                  </ActionForm>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Card className="self-start">
        <CardHeader>
          <CardTitle>Create a team</CardTitle>
          <CardDescription>Add members from the Users tab.</CardDescription>
        </CardHeader>
        <CardContent>
          <ActionForm
            action={createTeamAction}
            resetOnSuccess
            className="flex flex-col gap-3"
            aria-label="Create a team"
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="team-name">Name</Label>
              <Input id="team-name" name="name" required aria-describedby="team-name-error" />
              <FormFieldError name="name" id="team-name-error" />
            </div>
            <SubmitButton pendingLabel="Creating…">Create team</SubmitButton>
          </ActionForm>
        </CardContent>
      </Card>
    </div>
  );
}
