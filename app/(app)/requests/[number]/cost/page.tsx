import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { CostEditor } from "@/components/cost/cost-editor";
import { pageRead } from "@/lib/session/page-guard";
import { readRequestCostPage } from "@/lib/requests/queries";
import { updateRequestAction } from "../../actions";

export async function generateMetadata({ params }: { params: Promise<{ number: string }> }): Promise<Metadata> {
  return { title: `Costs · CR-${(await params).number} · Greenlight` };
}

export default async function RequestCostPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const { request, can } = await pageRead((ctx) => readRequestCostPage(ctx, { number }));
  const editable = can.edit;
  const seen = request.status === "in_review" || request.status === "approved";
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <Link href={`/requests/${request.number}`} className="text-sm text-muted-foreground hover:underline">
          ← CR-{request.number} {request.title}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Costs and benefits</h1>
        <p className="text-sm text-muted-foreground">
          {editable
            ? seen
              ? "Saving makes a new revision: every approval is reset and the approvers are asked again."
              : "The total cost decides who approves (and whether the budget step passes by itself) when you submit."
            : "Only the requester can change the costs, and only until the request is deployed or closed."}
        </p>
      </div>
      {editable ? (
        <ActionForm
          action={updateRequestAction}
          className="flex flex-col gap-4"
          aria-label={`Costs of CR-${request.number}`}
        >
          <input type="hidden" name="number" value={request.number} />
          <CostEditor
            initial={{
              currency: request.currency,
              costBenefit: request.costBenefit,
              provisioning: request.provisioning,
            }}
            provisioningFirst={request.kind === "provisioning"}
          />
          <div>
            <SubmitButton pendingLabel="Saving…">{seen ? "Save as a new revision" : "Save costs"}</SubmitButton>
          </div>
        </ActionForm>
      ) : (
        <p role="status" className="rounded-md border border-border bg-muted px-3 py-2 text-sm">
          CR-{request.number} is {request.status.replace("_", " ")}: its costs can no longer be changed here.
        </p>
      )}
    </div>
  );
}
