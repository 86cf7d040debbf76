"use client";

import { useState } from "react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
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
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  model: string;
  environment: string;
  /** What is live now and the request that put it there. */
  from: { version: string; number: number };
  /** What goes live again, and the earlier request that covers it. */
  to: { version: string; number: number };
  action: (form: FormData) => Promise<ActionResult>;
};

/** "Roll back" asks first, naming what goes live and what is closed as rolled back. */
export function RollbackDialog({ model, environment, from, to, action }: Props) {
  const [open, setOpen] = useState(false);
  const submit = async (form: FormData) => {
    const result = await action(form);
    if (result.ok) setOpen(false);
    return result;
  };
  const id = `rollback-note-${environment}`;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="destructive" aria-label={`Roll back ${model} in ${environment}`}>
          Roll back to {to.version}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            Roll back {model} in {environment}?
          </DialogTitle>
          <DialogDescription>
            {model} {to.version} (approved in CR-{to.number}) goes live in {environment} again, replacing {from.version}
            . CR-{from.number} is closed as rolled back and its requester is told.
          </DialogDescription>
        </DialogHeader>
        <ActionForm action={submit} className="flex flex-col gap-3" aria-label={`Roll back ${model} in ${environment}`}>
          <input type="hidden" name="model" value={model} />
          <input type="hidden" name="environment" value={environment} />
          <input type="hidden" name="version" value={to.version} />
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={id}>Why</Label>
            <Textarea id={id} name="note" rows={3} aria-describedby={`${id}-error`} />
            <FormFieldError name="note" id={`${id}-error`} />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="ghost">
                Keep {from.version} live
              </Button>
            </DialogClose>
            <SubmitButton variant="destructive" pendingLabel="Rolling back…">
              Make {to.version} live
            </SubmitButton>
          </DialogFooter>
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}
