"use client";

import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/http/action";

function Submit() {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending}>
      {pending ? "Creating…" : "Create token"}
    </Button>
  );
}

/** Creates a token and shows its secret once, in the page (not in a toast that disappears). */
export function TokenForm({ action }: { action: (form: FormData) => Promise<ActionResult> }) {
  const [result, formAction] = useActionState<ActionResult | null, FormData>((_p, f) => action(f), null);
  const secret = result?.ok ? result.message.split(": ").pop() : null;
  return (
    <form action={formAction} className="flex flex-col gap-3" aria-label="Create an API token">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="token-name">Name (what uses it)</Label>
        <Input id="token-name" name="name" placeholder="ci-deploy" aria-describedby="token-name-error" />
        <FieldError
          id="token-name-error"
          errors={result && !result.ok ? (result.fieldErrors?.name ?? result.message) : null}
        />
      </div>
      <div>
        <Submit />
      </div>
      {secret && (
        <div
          role="status"
          className="rounded-md border border-success/50 bg-success-soft p-3 text-sm text-success-soft-foreground"
        >
          <p className="font-medium">Copy this token now: it is not shown again.</p>
          <code className="mt-1 block break-all font-mono text-xs" data-testid="new-token">
            {secret}
          </code>
        </div>
      )}
    </form>
  );
}
