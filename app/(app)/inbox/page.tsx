import type { Metadata } from "next";
import Link from "next/link";
import { CheckCheck } from "lucide-react";
import { RequestTable } from "@/components/requests/request-table";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRead } from "@/lib/session/page-guard";
import { readInbox } from "@/lib/requests/queries";
import { DECISION_LABELS } from "@/lib/labels";

export const metadata: Metadata = { title: "Inbox · Greenlight" };

export default async function InboxPage() {
  const { waiting, mine, decided, yours, can } = await pageRead(readInbox);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="waiting" className="flex flex-col gap-3">
        <div>
          <h1 id="waiting" className="text-2xl font-semibold tracking-tight">
            Waiting for you <span className="text-muted-foreground">({waiting.length})</span>
          </h1>
          <p className="text-sm text-muted-foreground">Approval steps you may decide now, oldest first.</p>
        </div>
        {waiting.length === 0 ? (
          <EmptyState
            icon={CheckCheck}
            title={yours.length ? "No approvals are waiting for you" : "Nothing is waiting for you"}
            description={
              yours.length
                ? "Your own requests below need you, though."
                : "When a request needs your role's approval, it appears here and you get an email."
            }
          />
        ) : (
          <RequestTable
            label="Waiting for you"
            showNote="Your step"
            rows={waiting.map((w) => ({
              ...w,
              updatedAt: w.updatedAt.toISOString(),
              note: `${w.stepName}${w.onBehalfOf ? `, for ${w.onBehalfOf}` : ""} (${w.approvals}/${w.quorum})${w.retroOverdue ? " · retro-approval OVERDUE" : w.overdue ? " · past its SLA" : w.retroDueAt ? " · retro-approval" : ""}`,
              overdue: w.overdue || w.retroOverdue,
            }))}
          />
        )}
      </section>
      {yours.length > 0 && (
        <section aria-labelledby="yours" className="flex flex-col gap-3">
          <div>
            <h2 id="yours" className="text-lg font-semibold">
              Needs your action <span className="text-muted-foreground">({yours.length})</span>
            </h2>
            <p className="text-sm text-muted-foreground">
              Your requests that wait on you: sent back, not yet submitted, or approved and about to lapse.
            </p>
          </div>
          <RequestTable
            label="Needs your action"
            showNote="What to do"
            rows={yours.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString(), note: r.todo }))}
          />
        </section>
      )}
      {can.file && (
        <section aria-labelledby="mine" className="flex flex-col gap-3">
          <h2 id="mine" className="text-lg font-semibold">
            Your requests
          </h2>
          {mine.length === 0 ? (
            <EmptyState
              title="You have not filed a request yet"
              description="Deployments, resources and new libraries all start with a change request."
              action={
                <Link href="/requests/new" className="text-sm font-medium text-primary underline">
                  File a request
                </Link>
              }
            />
          ) : (
            <RequestTable
              label="Your requests"
              rows={mine.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }))}
            />
          )}
        </section>
      )}
      {decided.length > 0 && (
        <section aria-labelledby="decided" className="flex flex-col gap-3">
          <h2 id="decided" className="text-lg font-semibold">
            Recently decided
          </h2>
          <RequestTable
            label="Recently decided"
            showNote="Your decision"
            rows={decided.map((r) => ({
              ...r,
              updatedAt: r.decidedAt.toISOString(),
              note: DECISION_LABELS[r.decision].yours,
            }))}
          />
        </section>
      )}
    </div>
  );
}
