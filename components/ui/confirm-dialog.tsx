"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { Button, type ButtonProps } from "@/components/ui/button";
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
  /** The button that opens the dialog. */
  trigger: ReactNode;
  triggerVariant?: ButtonProps["variant"];
  title: string;
  /** The consequence, in words: what changes and who is affected. */
  description: ReactNode;
  confirm: string;
  pendingLabel: string;
  cancel: string;
  /** Sent with the form, as hidden inputs. */
  fields: Record<string, string>;
  action: (form: FormData) => Promise<ActionResult>;
  /** Inputs the person fills in before confirming (a reason, a note). */
  children?: ReactNode;
  /** Where to go once it succeeded, when what the page showed is gone (a removed record). */
  thenGoTo?: string;
};

/** A destructive action that asks first, naming its consequence; closes itself when the action succeeds. */
export function ConfirmDialog(props: Props) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const submit = async (form: FormData) => {
    const result = await props.action(form);
    if (result.ok) {
      setOpen(false);
      if (props.thenGoTo) router.push(props.thenGoTo);
    }
    return result;
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant={props.triggerVariant ?? "destructive"}>
          {props.trigger}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogDescription>{props.description}</DialogDescription>
        </DialogHeader>
        <ActionForm action={submit} className="flex flex-col gap-3" aria-label={props.title}>
          {Object.entries(props.fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {props.children}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="ghost">
                {props.cancel}
              </Button>
            </DialogClose>
            <SubmitButton variant={props.triggerVariant ?? "destructive"} pendingLabel={props.pendingLabel}>
              {props.confirm}
            </SubmitButton>
          </DialogFooter>
        </ActionForm>
      </DialogContent>
    </Dialog>
  );
}
