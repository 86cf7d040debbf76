"use client";

import {
  createContext,
  startTransition,
  useActionState,
  useContext,
  useEffect,
  useRef,
  type FormEvent,
  type ReactNode,
} from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/http/action";

const ResultContext = createContext<ActionResult | null>(null);
const PendingContext = createContext<boolean | null>(null);

type Props = {
  action: (form: FormData) => Promise<ActionResult>;
  children: ReactNode;
  className?: string;
  /** Clear the inputs after success (forms that add something). */
  resetOnSuccess?: boolean;
  "aria-label"?: string;
};

/** A form bound to a server action: shows the outcome as a toast and field errors beside inputs. */
export function ActionForm({ action, children, className, resetOnSuccess, ...rest }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  // The toast is raised here, not in an effect: a successful action often re-renders the page without
  // this form (a decision replaces the decision form), and the outcome must still be announced.
  const [result, formAction, pending] = useActionState<ActionResult | null, FormData>(async (_prev, form) => {
    const outcome = await action(form);
    toast({ title: outcome.message, variant: outcome.ok ? "success" : "destructive" });
    return outcome;
  }, null);
  useEffect(() => {
    if (result?.ok && resetOnSuccess) formRef.current?.reset();
  }, [result, resetOnSuccess]);
  // Submitted by hand rather than through <form action>: React resets a form after its action runs,
  // which would wipe what the person typed whenever the server answers with field errors.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(event.currentTarget, submitter);
    startTransition(() => formAction(form));
  };
  return (
    <ResultContext.Provider value={result}>
      <PendingContext.Provider value={pending}>
        <form ref={formRef} onSubmit={submit} className={className} aria-label={rest["aria-label"]} aria-busy={pending}>
          {children}
        </form>
      </PendingContext.Provider>
    </ResultContext.Provider>
  );
}

/** The errors for one field of the enclosing ActionForm; give the input aria-describedby={id}. */
export function FormFieldError({ name, id }: { name: string; id: string }) {
  const result = useContext(ResultContext);
  const errors = result && !result.ok ? result.fieldErrors?.[name] : undefined;
  return <FieldError id={id} errors={errors} />;
}

/**
 * Every error of the enclosing ActionForm under one field, each with its path below it: for a document
 * pasted in one box (a Table Schema), whose errors sit at "tableSchema.fields[3].type" and the like.
 */
export function FormFieldErrors({ name, id }: { name: string; id: string }) {
  const result = useContext(ResultContext);
  const all = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const errors = Object.entries(all)
    .filter(([key]) => key === name || key.startsWith(`${name}.`) || key.startsWith(`${name}[`))
    .flatMap(([key, messages]) => {
      const path = key === name ? "" : key.slice(name.length).replace(/^\./, "");
      return messages.map((m) => (path ? `${path}: ${m}` : m));
    });
  return <FieldError id={id} errors={errors.length ? errors.slice(0, 50) : undefined} />;
}

export function SubmitButton({ children, pendingLabel, ...props }: ButtonProps & { pendingLabel?: string }) {
  const inActionForm = useContext(PendingContext);
  const status = useFormStatus();
  const pending = inActionForm ?? status.pending;
  return (
    <Button type="submit" disabled={pending || props.disabled} aria-busy={pending} {...props}>
      {pending ? (pendingLabel ?? children) : children}
    </Button>
  );
}
