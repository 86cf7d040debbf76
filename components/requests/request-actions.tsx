import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { RequestStatus } from "@/db/schema/requests";
import type { ActionResult } from "@/lib/http/action";

type Action = (form: FormData) => Promise<ActionResult>;
type Props = {
  request: {
    number: number;
    status: RequestStatus;
    title: string;
    description: string;
    risk: string;
    environment: string;
    deployed: boolean;
  };
  mine: boolean;
  /** The requester may still change it (lib/requests/permissions.ts mayEdit). */
  editable: boolean;
  canRevoke: boolean;
  actions: { submit: Action; withdraw: Action; deployed: Action; revoke: Action; update: Action };
};

/** The next steps available to this viewer; the verbs check again on the server. */
export function RequestActions({ request, mine, editable, canRevoke, actions }: Props) {
  const { number, status } = request;
  const withdrawable = editable;
  const revocable = canRevoke && (status === "approved" || status === "deployed");
  if (!editable && !revocable && !(mine && status === "approved")) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Actions</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-wrap gap-2">
          {mine && status === "draft" && (
            <ActionForm action={actions.submit}>
              <input type="hidden" name="number" value={number} />
              <SubmitButton pendingLabel="Submitting…">Submit for review</SubmitButton>
            </ActionForm>
          )}
          {mine && status === "approved" && (
            <ActionForm action={actions.deployed}>
              <input type="hidden" name="number" value={number} />
              <SubmitButton pendingLabel="Recording…">Mark deployed</SubmitButton>
            </ActionForm>
          )}
        </div>
        {editable && (
          <details className="rounded-md border border-border p-3">
            <summary className="cursor-pointer text-sm font-medium">
              Edit request{status === "in_review" || status === "approved" ? " (resets every approval)" : ""}
            </summary>
            <ActionForm action={actions.update} className="mt-3 flex flex-col gap-3" aria-label="Edit request">
              <input type="hidden" name="number" value={number} />
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="edit-title">Title</Label>
                <Input id="edit-title" name="title" defaultValue={request.title} aria-describedby="edit-title-error" />
                <FormFieldError name="title" id="edit-title-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="edit-risk">Risk</Label>
                <NativeSelect id="edit-risk" name="risk" defaultValue={request.risk}>
                  <option value="low">low</option>
                  <option value="medium">medium</option>
                  <option value="high">high</option>
                </NativeSelect>
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="edit-description">Description</Label>
                <Textarea id="edit-description" name="description" rows={5} defaultValue={request.description} />
              </div>
              <div>
                <SubmitButton size="sm" pendingLabel="Saving…">
                  Save changes
                </SubmitButton>
              </div>
            </ActionForm>
          </details>
        )}
        {(withdrawable || revocable) && (
          // Destructive actions sit on their own row, after everything else, and ask first: the
          // button under the cursor after "Submit for review" is never one that ends the request.
          <div className="flex flex-wrap justify-end gap-2 border-t border-border pt-4">
            {withdrawable && (
              <ConfirmDialog
                trigger="Withdraw…"
                triggerVariant="outline"
                title={`Withdraw CR-${number}?`}
                description={
                  status === "draft"
                    ? "The draft is closed and cannot be submitted again; file a new request to start over."
                    : "Its review ends: the approvers who were asked are told there is nothing left to decide, approvals given so far no longer count and any budget it held is released. It cannot be submitted again."
                }
                confirm="Withdraw the request"
                pendingLabel="Withdrawing…"
                cancel="Keep it"
                fields={{ number: String(number) }}
                action={actions.withdraw}
              />
            )}
            {revocable && (
              <ConfirmDialog
                trigger="Revoke approval…"
                title={`Revoke the approval of CR-${number}?`}
                description={`The gate answers no for its artifact in ${request.environment} from now on and its receipts stop vouching; the requester is told, with your reason.`}
                confirm="Revoke the approval"
                pendingLabel="Revoking…"
                cancel="Keep the approval"
                fields={{ number: String(number) }}
                action={actions.revoke}
              >
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="revoke-reason">Why (the requester reads this)</Label>
                  <Input id="revoke-reason" name="reason" aria-describedby="revoke-reason-error" />
                  <FormFieldError name="reason" id="revoke-reason-error" />
                </div>
              </ConfirmDialog>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
