import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  number: number;
  dependency: { id: string; name: string; findings: number };
  /** Malware or a typosquat: Reject comes first, approving is a reasoned override for the team by default. */
  dangerous?: boolean;
  action: (form: FormData) => Promise<ActionResult>;
};

const FORM = "flex flex-col gap-2 rounded-md border border-border p-2";

function Hidden({ number, dependencyId, decision }: { number: number; dependencyId: string; decision: string }) {
  return (
    <>
      <input type="hidden" name="number" value={number} />
      <input type="hidden" name="dependencyId" value={dependencyId} />
      <input type="hidden" name="decision" value={decision} />
    </>
  );
}

function ApproveForm({ number, dependency, dangerous = false, action }: Props) {
  const id = `decide-${dependency.id}`;
  return (
    <ActionForm action={action} className={FORM} aria-label={`Approve ${dependency.name}`}>
      <Hidden number={number} dependencyId={dependency.id} decision="approve" />
      <Label htmlFor={`${id}-scope`} className="text-xs">
        Allow for
      </Label>
      <NativeSelect id={`${id}-scope`} name="scope" defaultValue={dangerous ? "team" : "org"} className="h-8">
        <option value="org">the whole organisation</option>
        <option value="team">this team only</option>
      </NativeSelect>
      <Label htmlFor={`${id}-range`} className="text-xs">
        Version range (blank: this version)
      </Label>
      <Input id={`${id}-range`} name="versionRange" className="h-8" aria-describedby={`${id}-range-error`} />
      <FormFieldError name="versionRange" id={`${id}-range-error`} />
      {dependency.findings > 0 && (
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" name="ignoreVulnerabilities" className="size-4 accent-[var(--primary)]" />
          Accept its known vulnerabilities too
        </label>
      )}
      <Label htmlFor={`${id}-approve-reason`} className="text-xs">
        Reason
      </Label>
      <Input
        id={`${id}-approve-reason`}
        name="reason"
        className="h-8"
        required
        aria-describedby={`${id}-approve-reason-error`}
      />
      <FormFieldError name="reason" id={`${id}-approve-reason-error`} />
      <SubmitButton size="sm" variant={dangerous ? "outline" : "default"} pendingLabel="Approving…">
        {dangerous ? "Override and allowlist" : "Approve and allowlist"}
      </SubmitButton>
    </ActionForm>
  );
}

function RejectForm({ number, dependency, action }: Props) {
  const id = `decide-${dependency.id}`;
  return (
    <ActionForm action={action} className={FORM} aria-label={`Reject ${dependency.name}`}>
      <Hidden number={number} dependencyId={dependency.id} decision="reject" />
      <Label htmlFor={`${id}-reject-reason`} className="text-xs">
        Why reject
      </Label>
      <Input
        id={`${id}-reject-reason`}
        name="reason"
        className="h-8"
        required
        aria-describedby={`${id}-reject-reason-error`}
      />
      <FormFieldError name="reason" id={`${id}-reject-reason-error`} />
      <SubmitButton size="sm" variant="destructive" pendingLabel="Rejecting…">
        Reject
      </SubmitButton>
    </ActionForm>
  );
}

/** Approve (onto the allowlist) or reject one package, each with the reason that is recorded. */
export function PackageDecision(props: Props) {
  const { dependency, dangerous = false } = props;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer font-medium text-primary">Decide {dependency.name}</summary>
      <div className="mt-2 flex w-64 flex-col gap-3">
        {dangerous ? (
          <>
            <RejectForm {...props} />
            <details className="rounded-md border border-destructive/40 p-2">
              <summary className="cursor-pointer text-xs font-medium">Approve anyway (an override)</summary>
              <p className="mt-2 text-xs text-destructive">
                {dependency.name} has a malware record or a name close to a popular package. Approving puts it on the
                allowlist; give the reason you are sure it is safe.
              </p>
              <ApproveForm {...props} />
            </details>
          </>
        ) : (
          <>
            <ApproveForm {...props} />
            <RejectForm {...props} />
          </>
        )}
      </div>
    </details>
  );
}
