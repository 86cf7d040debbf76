"use client";

import { useState } from "react";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  delegationId: string;
  /** "Your delegation to Bob Okafor" / "Sam Ferreira's delegation to you". */
  title: string;
  /** What ending it means for the people involved, in a sentence. */
  consequence: string;
  action: (form: FormData) => Promise<ActionResult>;
};

/** "End now" asks first: ending a delegation cannot be undone (a new one can be made). */
export function EndDelegationDialog({ delegationId, title, consequence, action }: Props) {
  const [open, setOpen] = useState(false);
  const submit = async (form: FormData) => {
    const result = await action(form);
    if (result.ok) setOpen(false);
    return result;
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`End now: ${title}`}>
          End now
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>End {title.charAt(0).toLowerCase() + title.slice(1)} now?</DialogTitle>
          <DialogDescription>
            {consequence} Decisions already made under it stand. This cannot be undone; you can delegate again later.
          </DialogDescription>
        </DialogHeader>
        <ActionForm action={submit} aria-label={`End ${title}`}>
          <input type="hidden" name="delegationId" value={delegationId} />
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="ghost">
                Keep it
              </Button>
            </DialogClose>
            <SubmitButton variant="destructive" pendingLabel="Ending…">
              End delegation
            </SubmitButton>
          </DialogFooter>
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}
