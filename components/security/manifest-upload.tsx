import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/http/action";
import { MANIFEST_FORMATS } from "@/lib/security/schemas";

/** Upload a file or paste its text; the format is told from the name and content unless chosen. */
export function ManifestUpload({
  number,
  replacing,
  action,
}: {
  number: number;
  replacing: boolean;
  action: (form: FormData) => Promise<ActionResult>;
}) {
  return (
    <ActionForm
      action={action}
      resetOnSuccess
      className="flex flex-col gap-3"
      aria-label="Upload a dependency manifest"
    >
      <input type="hidden" name="number" value={number} />
      <div className="grid gap-3 md:grid-cols-3">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="manifest-file">File</Label>
          <input id="manifest-file" name="file" type="file" className="text-sm" />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="manifest-format">Format</Label>
          <NativeSelect id="manifest-format" name="format" defaultValue="" aria-describedby="manifest-format-error">
            <option value="">Detect from name and content</option>
            {MANIFEST_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </NativeSelect>
          <FormFieldError name="format" id="manifest-format-error" />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="manifest-python">Target Python</Label>
          <Input id="manifest-python" name="python" defaultValue="3.11" aria-describedby="manifest-python-error" />
          <FormFieldError name="python" id="manifest-python-error" />
        </div>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="manifest-name">Or paste it: file name</Label>
        <Input
          id="manifest-name"
          name="fileName"
          defaultValue="requirements.txt"
          aria-describedby="manifest-name-error"
        />
        <FormFieldError name="fileName" id="manifest-name-error" />
        <Label htmlFor="manifest-content" className="mt-2">
          Content
        </Label>
        <Textarea
          id="manifest-content"
          name="content"
          rows={8}
          className="font-mono text-xs"
          placeholder={"numpy==1.26.4\npandas==2.2.0\ntorch==2.1.0+cu118"}
          aria-describedby="manifest-content-error"
        />
        <FormFieldError name="content" id="manifest-content-error" />
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Checking every package…">
          {replacing ? "Replace the manifest" : "Check dependencies"}
        </SubmitButton>
        {replacing && (
          <p className="text-xs text-muted-foreground">
            In review, a new manifest is a new revision: approvals are reset.
          </p>
        )}
      </div>
    </ActionForm>
  );
}
