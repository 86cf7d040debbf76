"use client";

import { createContext, useActionState, useContext, useEffect, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/http/action";

const ResultContext = createContext<ActionResult | null>(null);

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
  const [result, formAction] = useActionState<ActionResult | null, FormData>((_prev, form) => action(form), null);
  useEffect(() => {
    if (!result) return;
    if (result.ok) {
      toast({ title: result.message, variant: "success" });
      if (resetOnSuccess) formRef.current?.reset();
    } else {
      toast({ title: result.message, variant: "destructive" });
    }
  }, [result, resetOnSuccess]);
  return (
    <ResultContext.Provider value={result}>
      <form ref={formRef} action={formAction} className={className} aria-label={rest["aria-label"]}>
        {children}
      </form>
    </ResultContext.Provider>
  );
}

/** The errors for one field of the enclosing ActionForm; give the input aria-describedby={id}. */
export function FormFieldError({ name, id }: { name: string; id: string }) {
  const result = useContext(ResultContext);
  const errors = result && !result.ok ? result.fieldErrors?.[name] : undefined;
  return <FieldError id={id} errors={errors} />;
}

export function SubmitButton({ children, pendingLabel, ...props }: ButtonProps & { pendingLabel?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending || props.disabled} aria-busy={pending} {...props}>
      {pending ? (pendingLabel ?? children) : children}
    </Button>
  );
}
