import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { EnvironmentView } from "@/lib/environments/queries";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  /** The environment being changed; absent: a new one. */
  environment?: EnvironmentView;
  /** Environments in use that could come before it, in order. */
  earlier: { name: string; position: number }[];
  action: (form: FormData) => Promise<ActionResult>;
};

/** Adds an environment or changes one: its order, protection, prerequisite and description. */
export function EnvironmentForm({ environment, earlier, action }: Props) {
  const id = environment?.name ?? "new";
  const field = (name: string) => `env-${id}-${name}`;
  return (
    <ActionForm
      action={action}
      resetOnSuccess={!environment}
      className="flex flex-col gap-3"
      aria-label={environment ? `Change ${environment.name}` : "Add an environment"}
    >
      {environment ? (
        <input type="hidden" name="name" value={environment.name} />
      ) : (
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={field("name")}>Name</Label>
          <Input
            id={field("name")}
            name="name"
            required
            maxLength={40}
            placeholder="e.g. canary"
            aria-describedby={`${field("name")}-help ${field("name")}-error`}
          />
          <p id={`${field("name")}-help`} className="text-xs text-muted-foreground">
            Lower-case letters, digits and dashes. Requests and CI name it; it cannot be renamed later.
          </p>
          <FormFieldError name="name" id={`${field("name")}-error`} />
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={field("position")}>Order</Label>
          <Input
            id={field("position")}
            name="position"
            inputMode="numeric"
            required
            defaultValue={environment?.position ?? ""}
            aria-describedby={`${field("position")}-help ${field("position")}-error`}
          />
          <p id={`${field("position")}-help`} className="text-xs text-muted-foreground">
            Lower comes first: development 10, staging 20, production 30.
          </p>
          <FormFieldError name="position" id={`${field("position")}-error`} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={field("protected")}>Protection</Label>
          <NativeSelect
            id={field("protected")}
            name="protected"
            defaultValue={environment?.protected ? "true" : "false"}
            aria-describedby={`${field("protected")}-help`}
          >
            <option value="false">Not protected</option>
            <option value="true">Protected</option>
          </NativeSelect>
          <p id={`${field("protected")}-help`} className="text-xs text-muted-foreground">
            Protected: approvals bind to the artifact digest, deployments count as medium risk or more, and emergencies
            are allowed.
          </p>
        </div>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={field("requires")}>Must be deployed first to</Label>
        <NativeSelect
          id={field("requires")}
          name="requiresDeployedIn"
          defaultValue={environment?.requiresDeployedIn ?? ""}
          aria-describedby={`${field("requires")}-error`}
        >
          <option value="">No prerequisite</option>
          {earlier.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name} (order {e.position})
            </option>
          ))}
        </NativeSelect>
        <FormFieldError name="requiresDeployedIn" id={`${field("requires")}-error`} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={field("description")}>Description</Label>
        <Textarea
          id={field("description")}
          name="description"
          rows={2}
          maxLength={500}
          defaultValue={environment?.description ?? ""}
          aria-describedby={`${field("description")}-error`}
        />
        <FormFieldError name="description" id={`${field("description")}-error`} />
      </div>
      <div>
        <SubmitButton pendingLabel="Saving…">{environment ? "Save changes" : "Add environment"}</SubmitButton>
      </div>
    </ActionForm>
  );
}
