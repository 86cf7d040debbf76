import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { ChainView } from "@/components/requests/chain-view";
import { CommentThread } from "@/components/requests/comment-thread";
import { DecisionForm } from "@/components/requests/decision-form";
import { CheckOverrideForm } from "@/components/requests/check-override-form";
import { Markdown } from "@/components/requests/markdown";
import { RequestActions } from "@/components/requests/request-actions";
import { RequestStatusBadge } from "@/components/requests/status-badge";
import { Timeline } from "@/components/requests/timeline";
import { VersionComparison } from "@/components/requests/version-comparison";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { pageRead } from "@/lib/session/page-guard";
import { OutcomeForm } from "@/components/deployments/outcome-form";
import { RollbackDialog } from "@/components/deployments/rollback-dialog";
import { OUTCOME_LABELS } from "@/lib/labels";
import { rollbackAction } from "../../models/actions";
import { readRequestPage } from "@/lib/requests/read-request-page";
import { BudgetImpact } from "@/components/cost/budget-impact";
import { CbaReport } from "@/components/cost/cba-report";
import { ProvisioningTable } from "@/components/cost/provisioning-table";
import { formatMoney } from "@/lib/cba/money";
import {
  commentAction,
  decideAction,
  deployedAction,
  overrideCheckAction,
  outcomeAction,
  revokeAction,
  submitAction,
  updateRequestAction,
  withdrawAction,
} from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ number: string }> }): Promise<Metadata> {
  return { title: `CR-${(await params).number} · Greenlight` };
}

export default async function RequestPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const page = await pageRead((ctx) => readRequestPage(ctx, { number }));
  const { request, steps, decisions, comments, timeline, cost, impact, manifest, decision, mine, can } = page;
  const retro = page.retro.pending;
  const retroOverdue = page.retro.overdue;
  const editable = can.edit;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link href="/requests" className="text-sm text-muted-foreground hover:underline">
          ← Requests
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">
            <span className="font-mono text-muted-foreground">CR-{request.number}</span> {request.title}
          </h1>
          <RequestStatusBadge status={request.status} />
          {request.emergency && <Badge variant="destructive">Emergency</Badge>}
          <Badge
            variant={request.effectiveRisk === "high" ? "warning" : "outline"}
            title={request.effectiveRisk === request.risk ? "As declared" : `Declared ${request.risk}`}
          >
            {request.effectiveRisk} risk
          </Badge>
        </div>
        {request.riskRaisedBy && (
          <p className="text-sm" data-testid="risk-raised-by">
            {request.riskRaisedBy}.
          </p>
        )}
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Model</dt>
            <dd>
              {request.model ? (
                <Link
                  className="font-medium text-primary underline-offset-2 hover:underline"
                  href={`/models/${request.model}/versions/${request.version}`}
                >
                  {request.model} {request.version}
                </Link>
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Environment</dt>
            <dd className="font-medium">{request.environment}</dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Team</dt>
            <dd>{request.team}</dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Requester</dt>
            <dd>{request.requester}</dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-muted-foreground">Revision</dt>
            <dd data-testid="revision">{request.revision}</dd>
          </div>
          {request.approvalExpiresAt && request.status === "approved" && (
            <div className="flex gap-1">
              <dt className="text-muted-foreground">Approval expires</dt>
              <dd>
                <LocalTime iso={request.approvalExpiresAt} />
              </dd>
            </div>
          )}
        </dl>
        {page.receipt ? (
          <p className="text-sm" data-testid="receipt">
            <a className="font-medium underline" href={page.receipt.href} download>
              Download receipt
            </a>{" "}
            <span className="text-muted-foreground">
              (signed approval of revision {page.receipt.revision} for{" "}
              <span className="font-mono break-all">{page.receipt.digest}</span>
              {page.receipt.state === "valid"
                ? ")"
                : `; ${page.receipt.state}${page.receipt.revokedReason ? `: ${page.receipt.revokedReason}` : ""})`}
            </span>
          </p>
        ) : page.noReceipt ? (
          <p className="text-sm text-muted-foreground" data-testid="receipt">
            {page.noReceipt}
          </p>
        ) : null}
        {retro && request.retroDueAt && (
          <div
            role="status"
            className={`rounded-md border px-3 py-2 text-sm ${retroOverdue ? "border-destructive/50 bg-destructive-soft text-destructive-soft-foreground" : "border-warning/50 bg-warning-soft text-warning-soft-foreground"}`}
          >
            {retroOverdue ? (
              <>
                Retro-approval OVERDUE: it was due by <LocalTime iso={request.retroDueAt} />. The deployment gate is
                closed until the rest of the chain approves.
              </>
            ) : (
              <>
                Emergency change: the gate is open; the rest of the chain must approve by{" "}
                <LocalTime iso={request.retroDueAt} />.
              </>
            )}
          </div>
        )}
        {page.datasetChanges && (
          <div
            role="status"
            data-testid="dataset-changes"
            className="rounded-md border border-warning/50 bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
          >
            <p className="font-medium">
              The data changed under this model: {page.datasetChanges.dataset} is at {page.datasetChanges.latest}, and
              this version was trained on {page.datasetChanges.trainedOn}.
            </p>
            <ul className="mt-1 list-disc pl-5 break-words">
              {page.datasetChanges.sentences.map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
            <p className="mt-1">
              <Link
                className="underline underline-offset-2"
                href={`/datasets/${encodeURIComponent(page.datasetChanges.dataset)}/diff?from=${encodeURIComponent(page.datasetChanges.trainedOn)}&to=${encodeURIComponent(page.datasetChanges.latest)}`}
              >
                See what changed in the data dictionary
              </Link>
            </p>
          </div>
        )}
        {page.stranded.length > 0 && (
          <div
            role="alert"
            data-testid="stranded"
            className="rounded-md border border-destructive/50 bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground"
          >
            <p className="font-medium">This chain can no longer complete with the people Greenlight has now.</p>
            <ul className="mt-1 list-disc pl-5">
              {page.stranded.map((reason) => (
                <li key={reason}>{reason}.</li>
              ))}
            </ul>
            <p className="mt-1">
              An admin can give the role to someone who may decide it, or the requester can withdraw.
            </p>
          </div>
        )}
      </div>

      <div className="grid gap-6 lg:grid-cols-[3fr_2fr] [&>*]:min-w-0">
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Approval chain</CardTitle>
            </CardHeader>
            <CardContent>
              <ChainView status={request.status} steps={steps} decisions={decisions} />
            </CardContent>
          </Card>
          {page.model && request.model && (
            <Card>
              <CardHeader>
                <CardTitle>What is being approved</CardTitle>
              </CardHeader>
              <CardContent>
                <VersionComparison
                  model={request.model}
                  environment={page.model.environment}
                  version={page.model.version}
                  live={page.model.live}
                  comparison={page.model.comparison}
                />
              </CardContent>
            </Card>
          )}
          {cost ? (
            <Card>
              <CardHeader className="flex flex-row items-start justify-between gap-4">
                <div className="flex flex-col gap-1">
                  <CardTitle>Cost and benefit</CardTitle>
                  <p className="text-sm text-muted-foreground">
                    Total cost {cost.totalCostMinor === null ? "—" : formatMoney(cost.totalCostMinor, cost.currency)} (
                    {cost.currency}), used for routing and the budget.
                  </p>
                </div>
                {editable && (
                  <Link
                    href={`/requests/${request.number}/cost`}
                    className="shrink-0 text-sm font-medium text-primary underline-offset-4 hover:underline"
                  >
                    Edit costs
                  </Link>
                )}
              </CardHeader>
              <CardContent className="flex flex-col gap-6">
                {cost.analysis && cost.costBenefit && <CbaReport report={cost.analysis} analysis={cost.costBenefit} />}
                {cost.provisioning.length > 0 && (
                  <ProvisioningTable lines={cost.provisioning} currency={cost.currency} />
                )}
              </CardContent>
            </Card>
          ) : (
            editable && (
              <p className="rounded-md border border-dashed border-border px-4 py-3 text-sm text-muted-foreground">
                No cost-benefit analysis yet.{" "}
                <Link
                  href={`/requests/${request.number}/cost`}
                  className="font-medium text-primary underline-offset-4 hover:underline"
                >
                  Add costs and benefits
                </Link>{" "}
                so managers see what this asks for.
              </p>
            )
          )}
          <Card>
            <CardHeader>
              <CardTitle>Description</CardTitle>
            </CardHeader>
            <CardContent>
              {request.description ? (
                <Markdown source={request.description} />
              ) : (
                <p className="text-sm text-muted-foreground">No description.</p>
              )}
            </CardContent>
          </Card>
          <CommentThread number={request.number} comments={comments} action={commentAction} />
        </div>
        <div className="flex flex-col gap-6">
          {page.overrides.map((o) => (
            <CheckOverrideForm
              key={o.stepId}
              number={request.number}
              stepId={o.stepId}
              stepName={o.stepName}
              failure={o.failure}
              action={overrideCheckAction}
            />
          ))}
          {decision?.ok && decision.blocking ? (
            <p className="rounded-md border border-border bg-muted px-3 py-2 text-sm" role="status">
              Approving this step is blocked: {decision.blocking}. Decide those packages first; a security person may
              override with a reason.
            </p>
          ) : null}
          {decision?.ok ? (
            <DecisionForm
              number={request.number}
              step={decision.stepId}
              stepName={decision.stepName}
              onBehalfOf={decision.onBehalf ? (decision.onBehalfOfName ?? "a colleague who delegated to you") : null}
              action={decideAction}
            />
          ) : decision && !mine && decision.status === 409 ? (
            <p className="rounded-md border border-border bg-muted px-3 py-2 text-sm" role="status">
              {decision.reason}
            </p>
          ) : null}
          <Card>
            <CardHeader className="flex flex-row items-start justify-between gap-4">
              <CardTitle>Dependencies</CardTitle>
              <Link
                href={`/requests/${request.number}/dependencies`}
                className="shrink-0 text-sm font-medium text-primary underline-offset-4 hover:underline"
              >
                {manifest ? "Review packages" : editable ? "Upload a manifest" : "Details"}
              </Link>
            </CardHeader>
            <CardContent className="flex flex-wrap gap-2 text-sm">
              {manifest ? (
                <>
                  <span>
                    {manifest.fileName}: {manifest.packages} packages
                  </span>
                  {manifest.vulnerable > 0 && <Badge variant="destructive">{manifest.vulnerable} vulnerable</Badge>}
                  {manifest.withSignals > 0 && <Badge variant="warning">{manifest.withSignals} with signals</Badge>}
                  {manifest.rejected > 0 && <Badge variant="destructive">{manifest.rejected} rejected</Badge>}
                  {manifest.vulnerable === 0 && manifest.withSignals === 0 && (
                    <Badge variant="success">No known issues</Badge>
                  )}
                </>
              ) : (
                <span className="text-muted-foreground">No manifest: the security team has nothing to check yet.</span>
              )}
            </CardContent>
          </Card>
          {impact && (
            <Card>
              <CardHeader>
                <CardTitle>Budget impact</CardTitle>
              </CardHeader>
              <CardContent>
                <BudgetImpact impact={impact} team={request.team} />
              </CardContent>
            </Card>
          )}
          {(page.outcome || can.recordOutcome || page.live) && (
            <Card aria-label="Deployment">
              <CardHeader>
                <CardTitle>Deployment</CardTitle>
              </CardHeader>
              <CardContent className="flex flex-col gap-3 text-sm">
                {page.live?.live && (
                  <p data-testid="request-live">
                    {request.model} {page.live.live.version} is live in {request.environment} through this request,
                    since <LocalTime iso={page.live.live.deployedAt} />.
                  </p>
                )}
                {page.outcome && (
                  <p>
                    Outcome: <Badge variant="secondary">{OUTCOME_LABELS[page.outcome.outcome]}</Badge>
                    {page.outcome.at && (
                      <>
                        {" "}
                        · <LocalTime iso={page.outcome.at} />
                      </>
                    )}
                    {page.outcome.note && <span className="block text-muted-foreground">{page.outcome.note}</span>}
                  </p>
                )}
                <div className="flex flex-wrap gap-2">
                  {can.recordOutcome && <OutcomeForm number={request.number} action={outcomeAction} />}
                  {page.live?.live &&
                    page.live.rollback?.mayRollBack &&
                    !page.live.rollback.refusal &&
                    request.model && (
                      <RollbackDialog
                        model={request.model}
                        environment={request.environment}
                        from={{ version: page.live.live.version, number: request.number }}
                        to={{ version: page.live.rollback.to, number: page.live.rollback.number }}
                        action={rollbackAction}
                      />
                    )}
                </div>
                {page.live?.rollback?.refusal && page.live.rollback.mayRollBack && (
                  <p className="text-xs text-muted-foreground">No rollback: {page.live.rollback.refusal}</p>
                )}
              </CardContent>
            </Card>
          )}
          <RequestActions
            request={{
              number: request.number,
              status: request.status,
              title: request.title,
              description: request.description,
              risk: request.risk,
              environment: request.environment,
              deployed: request.deployed,
            }}
            mine={mine}
            editable={editable}
            canRevoke={can.revoke}
            actions={{
              submit: submitAction,
              withdraw: withdrawAction,
              deployed: deployedAction,
              revoke: revokeAction,
              update: updateRequestAction,
            }}
          />
          <Timeline events={timeline} />
        </div>
      </div>
    </div>
  );
}
