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

type Props = { number: number; action: (form: FormData) => Promise<ActionResult> };

const CHOICES = [
  { value: "successful", label: "Successful", hint: "It works as intended." },
  { value: "successful_with_issues", label: "Successful, with issues", hint: "It stays live; say what went wrong." },
] as const;

/** Closes a deployed request with how it went; asks first, since an outcome is recorded once. */
export function OutcomeForm({ number, action }: Props) {
  const [open, setOpen] = useState(false);
  const submit = async (form: FormData) => {
    const result = await action(form);
    if (result.ok) setOpen(false);
    return result;
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          Record outcome
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Close CR-{number} with its outcome?</DialogTitle>
          <DialogDescription>
            An outcome is recorded once and closes the request. If it has to come out, roll back instead: that makes the
            previous version live again.
          </DialogDescription>
        </DialogHeader>
        <ActionForm action={submit} className="flex flex-col gap-3" aria-label={`Outcome of CR-${number}`}>
          <input type="hidden" name="number" value={number} />
          <fieldset className="flex flex-col gap-2" aria-describedby="outcome-error">
            <legend className="mb-1 text-sm font-medium">How did it go?</legend>
            {CHOICES.map((c, i) => (
              <label key={c.value} className="flex items-start gap-2 text-sm">
                <input type="radio" name="outcome" value={c.value} defaultChecked={i === 0} className="mt-1" />
                <span>
                  {c.label} <span className="text-muted-foreground">· {c.hint}</span>
                </span>
              </label>
            ))}
            <FormFieldError name="outcome" id="outcome-error" />
          </fieldset>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="outcome-note">Note</Label>
            <Textarea id="outcome-note" name="note" rows={3} aria-describedby="outcome-note-error" />
            <FormFieldError name="note" id="outcome-note-error" />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="ghost">
                Not yet
              </Button>
            </DialogClose>
            <SubmitButton pendingLabel="Recording…">Close the request</SubmitButton>
          </DialogFooter>
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}
