import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { ROLE_LABELS } from "@/components/roles";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ROLES } from "@/db/schema/org";
import type { ActionResult } from "@/lib/http/action";

export function AddUserForm({ action }: { action: (form: FormData) => Promise<ActionResult> }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a person</CardTitle>
        <CardDescription>They sign in with an email link (or company SSO) once added.</CardDescription>
      </CardHeader>
      <CardContent>
        <ActionForm
          action={action}
          resetOnSuccess
          className="grid gap-4 md:grid-cols-[1fr_1fr_auto] md:items-start"
          aria-label="Add a person"
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-email">Email</Label>
            <Input id="new-email" name="email" type="email" required aria-describedby="new-email-error" />
            <FormFieldError name="email" id="new-email-error" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-name">Name</Label>
            <Input id="new-name" name="name" aria-describedby="new-name-error" />
            <FormFieldError name="name" id="new-name-error" />
          </div>
          <fieldset className="flex flex-col gap-1.5 md:col-span-3">
            <legend className="mb-1 text-sm font-medium">Roles</legend>
            <div className="flex flex-wrap gap-4">
              {ROLES.map((r) => (
                <div key={r} className="flex items-center gap-2">
                  <Checkbox id={`new-role-${r}`} name="roles" value={r} defaultChecked={r === "requester"} />
                  <Label htmlFor={`new-role-${r}`}>{ROLE_LABELS[r]}</Label>
                </div>
              ))}
            </div>
          </fieldset>
          <div className="md:col-span-3">
            <SubmitButton pendingLabel="Adding…">Add person</SubmitButton>
          </div>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
