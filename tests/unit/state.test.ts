import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema/org";
import type { DecisionKind, RequestStatus } from "../../db/schema/requests";
import {
  resolveStep,
  type ApprovalRequest,
  type CastDecision,
  type DelegationGrant,
} from "../../lib/requests/resolve-step";
import { applyDecision, openStage, type Person, type StepState } from "../../lib/requests/state";

const ROLES: Role[] = ["manager", "security", "ml_lead"];

const chainArb = fc
  .array(
    fc.record({
      stage: fc.integer({ min: 1, max: 3 }),
      role: fc.constantFrom(...ROLES),
      scope: fc.constantFrom("any" as const, "requester_team" as const),
      quorum: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((steps) => steps.map((s, i): StepState => ({ ...s, id: `s${i}`, approvals: 0, status: "pending" })));

const peopleArb = fc.array(
  fc.record({ roles: fc.subarray(ROLES, { minLength: 0 }), team: fc.constantFrom("fraud", "search") }),
  { minLength: 2, maxLength: 8 },
);
/** Delegations among the people: [from, to, role scope or null]. */
const delegationsArb = fc.array(
  fc.record({ from: fc.nat(20), to: fc.nat(20), role: fc.option(fc.constantFrom(...ROLES), { nil: null }) }),
  { maxLength: 6 },
);
const attemptsArb = fc.array(
  fc.record({
    who: fc.nat(20),
    decision: fc.constantFrom<DecisionKind>("approve", "approve", "approve", "reject", "request_changes"),
  }),
  { maxLength: 40 },
);

type Run = {
  steps: StepState[];
  status: RequestStatus;
  counted: { actor: string; principal: string; step: string; decision: DecisionKind }[];
  everRejected: boolean;
};
type Delegation = { from: number; to: number; role: Role | null };

const cr = (facts: Omit<ApprovalRequest, "number" | "revision" | "kind">): ApprovalRequest => ({
  number: 1042,
  revision: 1,
  kind: "deployment",
  model: "fraud-detector",
  version: "v3",
  teamName: "Fraud",
  ...facts,
});
const castOf = (counted: Run["counted"]): CastDecision[] =>
  counted.map((c) => ({
    actorId: c.actor,
    principalId: c.principal,
    stepName: c.step,
    actorName: c.actor,
    principalName: c.principal,
  }));

/** Drives the same pure functions the decide verb uses. */
function simulate(
  steps: StepState[],
  people: Person[],
  attempts: { who: number; decision: DecisionKind }[],
  emergency: boolean,
  delegations: Delegation[] = [],
  authorId: string | null = null,
): Run {
  const request = cr({ requestedBy: people[0]!.id, teamId: "fraud", emergency, environment: "production", authorId });
  const run: Run = { steps, status: "in_review", counted: [], everRejected: false };
  for (const attempt of attempts) {
    if (run.status !== "in_review" && !(run.status === "approved" && run.steps.some((s) => s.status === "pending")))
      break;
    const actor = people[attempt.who % people.length]!;
    const grants: DelegationGrant[] = delegations
      .filter((d) => people[d.to % people.length]!.id === actor.id)
      .map((d) => ({ from: people[d.from % people.length]!, role: d.role }));
    const resolution = resolveStep(run.steps, request, actor, grants, castOf(run.counted));
    if (!resolution.ok) continue;
    const outcome = applyDecision(run.steps, resolution.step.id, attempt.decision, { ...request, status: run.status });
    run.counted.push({
      actor: actor.id,
      principal: resolution.principal.id,
      step: resolution.step.id,
      decision: attempt.decision,
    });
    run.steps = outcome.steps;
    if (outcome.status === "rejected" || outcome.status === "revoked") run.everRejected = true;
    run.status = outcome.status;
  }
  return run;
}

const people = (specs: { roles: Role[]; team: string }[]): Person[] =>
  specs.map((p, i) => ({ id: `u${i}`, roles: p.roles, teamIds: [p.team] }));

describe("approval state machine (property tests)", () => {
  it("no step completes below quorum, nobody counts twice, the requester never counts", () => {
    fc.assert(
      fc.property(chainArb, peopleArb, attemptsArb, fc.boolean(), (steps, specs, attempts, emergency) => {
        const ps = people(specs);
        const run = simulate(steps, ps, attempts, emergency);
        for (const step of run.steps) {
          const approvals = run.counted.filter((c) => c.step === step.id && c.decision === "approve").length;
          expect(step.approvals).toBe(approvals);
          if (step.status === "approved") expect(approvals).toBeGreaterThanOrEqual(step.quorum);
          expect(approvals).toBeLessThanOrEqual(step.quorum); // a complete step takes no more approvals
        }
        const principals = run.counted.map((c) => c.principal);
        expect(new Set(principals).size).toBe(principals.length);
        expect(principals).not.toContain(ps[0]!.id);
      }),
      { numRuns: 500 },
    );
  });

  it("with delegations among the approvers, no human counts twice: as themselves or for anyone", () => {
    fc.assert(
      fc.property(chainArb, peopleArb, attemptsArb, delegationsArb, (steps, specs, attempts, delegations) => {
        const ps = people(specs);
        const run = simulate(steps, ps, attempts, false, delegations);
        const humans = run.counted.flatMap((c) => (c.actor === c.principal ? [c.actor] : [c.actor, c.principal]));
        expect(new Set(humans).size).toBe(humans.length);
        expect(humans).not.toContain(ps[0]!.id);
      }),
      { numRuns: 500 },
    );
  });

  it("a rejected request never becomes approved; approved means every step is done (outside emergencies)", () => {
    fc.assert(
      fc.property(chainArb, peopleArb, attemptsArb, (steps, specs, attempts) => {
        const run = simulate(steps, people(specs), attempts, false);
        if (run.everRejected) expect(run.status).not.toBe("approved");
        if (run.status === "approved") expect(run.steps.every((s) => s.status === "approved")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("stages advance in order: nothing in a later stage is decided while an earlier one is pending", () => {
    fc.assert(
      fc.property(chainArb, peopleArb, attemptsArb, (steps, specs, attempts) => {
        const run = simulate(steps, people(specs), attempts, false);
        const decidedStages = run.counted.map((c) => run.steps.find((s) => s.id === c.step)!.stage);
        // The sequence of stages decided never goes down.
        for (let i = 1; i < decidedStages.length; i++)
          expect(decidedStages[i]).toBeGreaterThanOrEqual(decidedStages[i - 1]!);
      }),
      { numRuns: 300 },
    );
  });
});

describe("resolveStep", () => {
  const steps: StepState[] = [
    { id: "sec", stage: 1, role: "security", scope: "any", quorum: 1, approvals: 0, status: "pending" },
    { id: "mgr", stage: 1, role: "manager", scope: "requester_team", quorum: 1, approvals: 0, status: "pending" },
    { id: "lead", stage: 2, role: "ml_lead", scope: "any", quorum: 1, approvals: 0, status: "pending" },
  ];
  const request = cr({ requestedBy: "alice", teamId: "fraud", emergency: false, environment: "production" });
  const p = (id: string, roles: Role[], team = "fraud"): Person => ({ id, roles, teamIds: [team] });
  const none: CastDecision[] = [];
  const samDecided: CastDecision[] = [
    { actorId: "sam", principalId: "sam", stepName: "Security review", actorName: "Sam", principalName: "Sam" },
  ];

  it("403 for the requester, the wrong role, or the wrong team; 409 for a stage not yet open or a second decision", () => {
    expect(resolveStep(steps, request, p("alice", ["security"]), [], none)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveStep(steps, request, p("bob", ["requester"]), [], none)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveStep(steps, request, p("mo", ["manager"], "search"), [], none)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveStep(steps, request, p("lee", ["ml_lead"]), [], none)).toMatchObject({ ok: false, status: 409 });
    expect(resolveStep(steps, request, p("sam", ["security"]), [], samDecided)).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(resolveStep(steps, request, p("maya", ["manager"]), [], none)).toMatchObject({
      ok: true,
      step: { id: "mgr" },
      onBehalfOf: null,
    });
  });

  it("a delegate decides for the delegator, who then counts", () => {
    const r = resolveStep(steps, request, p("bob", []), [{ from: p("sam", ["security"]) }], none);
    expect(r).toMatchObject({ ok: true, step: { id: "sec" }, principal: { id: "sam" }, onBehalfOf: "sam" });
  });

  it("an emergency opens every stage; the ML lead's approval opens the gate", () => {
    const emergency = { ...request, emergency: true };
    const r = resolveStep(steps, emergency, p("lee", ["ml_lead"]), [], none);
    expect(r).toMatchObject({ ok: true, step: { id: "lead" } });
    const outcome = applyDecision(steps, "lead", "approve", { ...emergency, status: "in_review" });
    expect(outcome).toMatchObject({ status: "approved", gateOpenedEarly: true });
    expect(openStage(outcome.steps)).toBe(1);
    const retroReject = applyDecision(outcome.steps, "sec", "reject", { ...emergency, status: "approved" });
    expect(retroReject.status).toBe("revoked");
  });

  it("a deployed emergency's retro steps: approving them all keeps it deployed, a refusal revokes it", () => {
    const emergency = { ...request, emergency: true };
    let run = applyDecision(steps, "lead", "approve", { ...emergency, status: "in_review" }).steps;
    const deployed = { ...emergency, status: "deployed" as const };
    expect(applyDecision(run, "sec", "reject", deployed).status).toBe("revoked");
    for (const id of run.filter((s) => s.status === "pending").map((s) => s.id)) {
      while (run.find((s) => s.id === id)!.status === "pending") {
        const outcome = applyDecision(run, id, "approve", deployed);
        expect(outcome.status).toBe("deployed");
        run = outcome.steps;
      }
    }
    expect(run.every((s) => s.status === "approved")).toBe(true);
  });
});
