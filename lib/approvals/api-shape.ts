import type { RequestStep } from "@/db/schema";

/** What a decision did (POST .../decisions): the request's status and the step decided. */
export function decisionJson(d: {
  status: string;
  step: Pick<RequestStep, "id" | "name" | "status" | "approvals" | "quorum">;
  onBehalfOf: string | null;
  emergency: boolean;
}) {
  return {
    status: d.status,
    step: {
      id: d.step.id,
      name: d.step.name,
      status: d.step.status,
      approvals: d.step.approvals,
      quorum: d.step.quorum,
    },
    onBehalfOf: d.onBehalfOf,
    emergency: d.emergency,
  };
}
