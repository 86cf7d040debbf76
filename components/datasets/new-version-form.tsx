import { ActionForm, FormFieldError, FormFieldErrors, SubmitButton } from "@/components/forms/action-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";
import { SchemaFileInput } from "./schema-file-input";

const STARTER = JSON.stringify(
  {
    fields: [
      {
        name: "amount",
        type: "integer",
        description: "What the card was charged.",
        constraints: { required: true, minimum: 0 },
        "greenlight:unit": "cents",
      },
    ],
    missingValues: [""],
  },
  null,
  2,
);

/**
 * A new version from a Table Schema pasted (or edited) in one box: the latest version's own export
 * when there is one, so an edit is a change to what is there.
 */
export function NewVersionForm({
  dataset,
  current,
  action,
}: {
  dataset: string;
  current: string | null;
  action: (form: FormData) => Promise<ActionResult>;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{current ? "Edit as a new version" : "Import the first version"}</CardTitle>
        <CardDescription>
          Paste a Frictionless Table Schema. Greenlight&apos;s own facts go in each field as{" "}
          <code className="font-mono">greenlight:unit</code>, <code className="font-mono">greenlight:populatedBy</code>,{" "}
          <code className="font-mono">greenlight:owningTeam</code> and{" "}
          <code className="font-mono">greenlight:examples</code>. Versions are never changed: saving makes a new one,
          and the people of models using a changed column are told.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ActionForm action={action} resetOnSuccess className="flex flex-col gap-3" aria-label="New dataset version">
          <input type="hidden" name="dataset" value={dataset} />
          <div className="grid gap-3 sm:grid-cols-2">
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="dv-version">Version label</Label>
              <Input id="dv-version" name="version" placeholder="v2" aria-describedby="dv-version-error" />
              <FormFieldError name="version" id="dv-version-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="dv-note">What changed (optional)</Label>
              <Input
                id="dv-note"
                name="note"
                placeholder="Amounts are in dollars now"
                aria-describedby="dv-note-error"
              />
              <FormFieldError name="note" id="dv-note-error" />
            </div>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="dv-schema">Table Schema (JSON)</Label>
            <Textarea
              id="dv-schema"
              name="tableSchema"
              rows={16}
              spellCheck={false}
              className="font-mono text-xs"
              defaultValue={current ?? STARTER}
              aria-describedby="dv-schema-error"
            />
            <FormFieldErrors name="tableSchema" id="dv-schema-error" />
          </div>
          <SchemaFileInput target="dv-schema" />
          <SubmitButton className="self-start" pendingLabel="Saving…">
            Save version
          </SubmitButton>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
