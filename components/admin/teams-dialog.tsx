"use client";

import { useState } from "react";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  user: { id: string; email: string; teamIds: string[] };
  teams: { id: string; name: string }[];
  action: (form: FormData) => Promise<ActionResult>;
};

export function TeamsDialog({ user, teams, action }: Props) {
  const [open, setOpen] = useState(false);
  const submit = async (form: FormData) => {
    const result = await action(form);
    if (result.ok) setOpen(false);
    return result;
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" aria-label={`Edit teams for ${user.email}`}>
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Teams for {user.email}</DialogTitle>
          <DialogDescription>
            Requests are filed for a team, and team-scoped approval steps go to its managers.
          </DialogDescription>
        </DialogHeader>
        <ActionForm action={submit} className="flex flex-col gap-4">
          <input type="hidden" name="userId" value={user.id} />
          <fieldset className="flex flex-col gap-2">
            <legend className="sr-only">Teams</legend>
            {teams.length === 0 && (
              <p className="text-sm text-muted-foreground">No teams yet: create one on the Teams tab.</p>
            )}
            {teams.map((t) => (
              <div key={t.id} className="flex items-center gap-2">
                <Checkbox
                  id={`team-${user.id}-${t.id}`}
                  name="teamIds"
                  value={t.id}
                  defaultChecked={user.teamIds.includes(t.id)}
                />
                <Label htmlFor={`team-${user.id}-${t.id}`}>{t.name}</Label>
              </div>
            ))}
          </fieldset>
          <DialogFooter>
            <SubmitButton pendingLabel="Saving…">Save teams</SubmitButton>
          </DialogFooter>
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}
