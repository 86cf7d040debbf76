import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PolicyDefinition } from "../../db/schema/governance";
import type { Role } from "../../db/schema/org";
import type { DecisionKind } from "../../db/schema/requests";
import { PolicyDefinitionSchema } from "../../lib/policies/schemas";
import { pinKey, stepConflicts } from "../../lib/requests/conflicts";
import {
  barredFrom,
  resolveStep,
  type ApprovalRequest,
  type CastDecision,
  type DelegationGrant,
  type Named,
} from "../../lib/requests/resolve-step";
import { applyDecision, type StepState } from "../../lib/requests/state";

// One human, one seat per request revision; the requester and the version's author never decide;
// delegations reach only what they cover; policy conflicts bar whom they name. All pure.

const request: ApprovalRequest = {
  number: 1042,
  revision: 2,
  kind: "deployment",
  requestedBy: "alice",
  teamId: "fraud",
  teamName: "Fraud",
  emergency: false,
  environment: "production",
  model: "fraud-detector",
  version: "v3",
  authorId: "rita",
  modelOwnerId: "omar",
};
const pending = { approvals: 0, status: "pending" as const };
const chain: StepState[] = [
  { id: "sec", name: "Security review", stage: 1, role: "security", scope: "any", quorum: 1, ...pending },
  { id: "mgr", name: "Manager sign-off", stage: 1, role: "manager", scope: "requester_team", quorum: 2, ...pending },
  { id: "lead", name: "ML lead approval", stage: 1, role: "ml_lead", scope: "any", quorum: 1, ...pending },
];
const who = (id: string, roles: Role[], teams: string[] = ["fraud"]): Named => ({
  id,
  roles,
  teamIds: teams,
  name: id[0]!.toUpperCase() + id.slice(1),
});
const sam = who("sam", ["security"], []);
const lee = who("lee", ["ml_lead"], []);
const maya = who("maya", ["manager"]);
const mia = who("mia", ["manager"]);
const bob = who("bob", [], ["search"]);
const vote = (actor: Named, principal: Named, stepName: string): CastDecision => ({
  actorId: actor.id,
  principalId: principal.id,
  stepName,
  actorName: actor.name!,
  principalName: principal.name!,
});

describe("one person, one seat per revision", () => {
  it("a manager holding a colleague's delegation counts once on a two-manager step", () => {
    const first = resolveStep(chain, request, maya, [{ from: mia }], [], "mgr");
    expect(first).toMatchObject({ ok: true, step: { id: "mgr" }, principal: { id: "maya" }, onBehalfOf: null });
    const again = resolveStep(chain, request, maya, [{ from: mia }], [vote(maya, maya, "Manager sign-off")], "mgr");
    expect(again).toEqual({
      ok: false,
      status: 409,
      reason: "You already decided on CR-1042 revision 2 (Manager sign-off); one person counts once.",
    });
    // Mia herself still has her seat: the step can reach its quorum of two humans.
    expect(resolveStep(chain, request, mia, [], [vote(maya, maya, "Manager sign-off")], "mgr")).toMatchObject({
      ok: true,
    });
  });

  it("a security engineer's delegate who decided the security step cannot also decide the ML-lead step", () => {
    const grants = [{ from: sam }];
    expect(resolveStep(chain, request, lee, grants, [], "sec")).toMatchObject({ ok: true, onBehalfOf: "sam" });
    const cast = [vote(lee, sam, "Security review")];
    expect(resolveStep(chain, request, lee, grants, cast, "lead")).toEqual({
      ok: false,
      status: 409,
      reason: "You already decided on CR-1042 revision 2 (Security review, for Sam); one person counts once.",
    });
    // And the other way round: having decided as himself, he cannot decide for Sam.
    expect(resolveStep(chain, request, lee, grants, [vote(lee, lee, "ML lead approval")], "sec")).toMatchObject({
      ok: false,
      status: 409,
      reason: "You already decided on CR-1042 revision 2 (ML lead approval); one person counts once.",
    });
  });

  it("a delegator cannot decide after their delegate decided for them", () => {
    const cast = [vote(bob, sam, "Security review")];
    expect(resolveStep(chain, request, sam, [], cast)).toEqual({
      ok: false,
      status: 409,
      reason: "Bob already decided for you on CR-1042 revision 2 (Security review); one person counts once.",
    });
  });

  it("a delegate cannot decide for a delegator who (or whose other delegate) already counts", () => {
    expect(resolveStep(chain, request, bob, [{ from: sam }], [vote(sam, sam, "Security review")])).toEqual({
      ok: false,
      status: 409,
      reason:
        "Sam already decided on CR-1042 revision 2 (Security review); one person counts once, so you cannot also decide for them.",
    });
    const viaLee = [vote(lee, sam, "Security review")];
    expect(resolveStep(chain, request, bob, [{ from: sam }], viaLee)).toEqual({
      ok: false,
      status: 409,
      reason: "Lee already decided for Sam on CR-1042 revision 2 (Security review); one person counts once.",
    });
  });

  it("with several delegators, a delegate decides for the first whose seat is free", () => {
    const cast = [vote(sam, sam, "Security review")];
    const r = resolveStep(chain, request, bob, [{ from: sam }, { from: maya }], cast);
    expect(r).toMatchObject({ ok: true, step: { id: "mgr" }, onBehalfOf: "maya" });
  });

  it("property: across any delegations and attempts, no human is counted twice, as actor or principal", () => {
    const people = [sam, lee, maya, mia, bob, who("ivy", ["security", "ml_lead"]), who("rita", ["ml_lead"])];
    const steps = chain.map((s) => ({ ...s, quorum: 2 }));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.nat(6),
            to: fc.nat(6),
            role: fc.option(fc.constantFrom<Role>("manager", "security", "ml_lead"), { nil: null }),
          }),
          { maxLength: 8 },
        ),
        fc.array(fc.record({ who: fc.nat(6), step: fc.constantFrom("sec", "mgr", "lead", undefined) }), {
          maxLength: 30,
        }),
        (delegations, attempts) => {
          let current = steps;
          const cast: CastDecision[] = [];
          for (const a of attempts) {
            const actor = people[a.who]!;
            const grants: DelegationGrant[] = delegations
              .filter((d) => d.to === a.who)
              .map((d) => ({ from: people[d.from]!, role: d.role }));
            const r = resolveStep(current, request, actor, grants, cast, a.step);
            if (!r.ok) continue;
            cast.push(vote(actor, r.principal, r.step.name!));
            current = applyDecision(current, r.step.id, "approve" as DecisionKind, {
              ...request,
              status: "in_review",
            }).steps;
          }
          const humans = cast.flatMap((c) => (c.actorId === c.principalId ? [c.actorId] : [c.actorId, c.principalId]));
          expect(new Set(humans).size).toBe(humans.length);
          expect(humans).not.toContain("alice");
          expect(humans).not.toContain("rita"); // the version's author
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("the requester and the version's author never decide", () => {
  const rita = who("rita", ["ml_lead"], []);

  it("the author is refused by name, even holding the step's role, and not as a delegate either", () => {
    const refusal = {
      ok: false,
      status: 403,
      reason: "You registered fraud-detector v3: someone else must approve its deployment.",
    };
    expect(resolveStep(chain, request, rita, [], [])).toEqual(refusal);
    expect(resolveStep(chain, request, rita, [{ from: sam }], [], "sec")).toEqual(refusal);
    expect(resolveStep(chain, { ...request, kind: "provisioning" }, rita, [], [])).toMatchObject({
      reason: "You registered fraud-detector v3: someone else must approve its provisioning.",
    });
  });

  it("nobody decides for the author or the requester under a delegation", () => {
    expect(resolveStep(chain, request, bob, [{ from: rita }], [])).toEqual({
      ok: false,
      status: 403,
      reason: "Rita registered fraud-detector v3: you cannot decide its deployment for them.",
    });
    expect(resolveStep(chain, request, bob, [{ from: who("alice", ["security"]) }], [])).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it("without a model version there is no author to refuse", () => {
    const noVersion = { ...request, authorId: null, model: null, version: null };
    expect(resolveStep(chain, noVersion, rita, [], [])).toMatchObject({ ok: true, step: { id: "lead" } });
  });
});

describe("a delegation reaches only what it covers", () => {
  const ivy = who("ivy", ["manager", "security"]);

  it("a delegation for the manager role does not let the delegate decide a security step", () => {
    const grants = [{ from: ivy, role: "manager" as const }];
    expect(resolveStep(chain, request, bob, grants, [], "sec")).toMatchObject({ ok: false, status: 403 });
    expect(resolveStep(chain, request, bob, grants, [], "mgr")).toMatchObject({ ok: true, onBehalfOf: "ivy" });
    expect(resolveStep(chain, request, bob, grants, [])).toMatchObject({ ok: true, step: { id: "mgr" } });
  });

  it("a team-scoped delegation covers only requests of that team", () => {
    expect(resolveStep(chain, request, bob, [{ from: sam, teamId: "search" }], [])).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveStep(chain, request, bob, [{ from: sam, teamId: "fraud" }], [])).toMatchObject({
      ok: true,
      onBehalfOf: "sam",
    });
  });

  it("never more than the delegator holds: a role they lack gives nothing", () => {
    expect(resolveStep(chain, request, bob, [{ from: sam, role: "ml_lead" }], [], "lead")).toMatchObject({
      ok: false,
      status: 403,
    });
  });
});

describe("policy conflicts", () => {
  const guarded = chain.map((s) =>
    s.id === "lead"
      ? { ...s, conflicts: ["model_owner" as const] }
      : s.id === "sec"
        ? { ...s, conflicts: ["requester_team" as const] }
        : s,
  );

  it("the model's owner may not decide a step naming model_owner; others may", () => {
    const omar = who("omar", ["ml_lead"], []);
    expect(resolveStep(guarded, request, omar, [], [])).toEqual({
      ok: false,
      status: 403,
      reason: "You own fraud-detector: ML lead approval must be decided by someone other than its owner.",
    });
    expect(resolveStep(guarded, request, lee, [], [])).toMatchObject({ ok: true });
    expect(resolveStep(guarded, request, bob, [{ from: omar }], [])).toMatchObject({
      ok: false,
      reason:
        "Omar owns fraud-detector: ML lead approval must be decided by someone other than its owner, so you cannot decide it for them.",
    });
  });

  it("members of the requester's team may not decide a step naming requester_team, not even for someone else", () => {
    const insider = who("ines", ["security"], ["fraud"]);
    expect(resolveStep(guarded, request, insider, [], [])).toEqual({
      ok: false,
      status: 403,
      reason: "You are in Fraud, the requester's team: Security review must be decided by someone outside it.",
    });
    expect(resolveStep(guarded, request, maya, [{ from: sam }], [], "sec")).toMatchObject({ ok: false, status: 403 });
    expect(resolveStep(guarded, request, sam, [], [])).toMatchObject({ ok: true, step: { id: "sec" } });
  });

  it("barredFrom: the requester, the author and conflicted people; not the others", () => {
    const [sec, , lead] = guarded;
    expect(barredFrom(lead!, who("alice", ["ml_lead"]), request)).toBe(true);
    expect(barredFrom(lead!, who("rita", ["ml_lead"]), request)).toBe(true);
    expect(barredFrom(lead!, who("omar", ["ml_lead"]), request)).toBe(true);
    expect(barredFrom(sec!, who("ines", ["security"], ["fraud"]), request)).toBe(true);
    expect(barredFrom(sec!, sam, request)).toBe(false);
    expect(barredFrom(lead!, lee, request)).toBe(false);
  });

  it("a step carries the conflicts its pinned policy versions name on steps of its role and scope", () => {
    const step = (conflicts?: PolicyDefinition["stages"][number][number]["conflicts"]) => ({
      name: "ML lead approval",
      role: "ml_lead" as const,
      scope: "any" as const,
      quorum: 1,
      slaHours: 24,
      autoPass: "never",
      ...(conflicts ? { conflicts } : {}),
    });
    const definitions = new Map<string, PolicyDefinition>([
      [pinKey({ id: "p", version: 1 }), { conditions: {}, stages: [[step()]] }],
      [pinKey({ id: "p", version: 2 }), { conditions: {}, stages: [[step(["model_owner"])]] }],
      [pinKey({ id: "q", version: 1 }), { conditions: {}, stages: [[step(["requester_team", "model_owner"])]] }],
    ]);
    const pinned = (...policies: { id: string; version: number }[]) => ({
      role: "ml_lead" as const,
      scope: "any" as const,
      policies,
    });
    expect(stepConflicts(pinned({ id: "p", version: 1 }), definitions)).toEqual([]);
    expect(stepConflicts(pinned({ id: "p", version: 2 }), definitions)).toEqual(["model_owner"]);
    expect(stepConflicts(pinned({ id: "p", version: 1 }, { id: "q", version: 1 }), definitions)).toEqual([
      "model_owner",
      "requester_team",
    ]);
    expect(stepConflicts({ ...pinned({ id: "q", version: 1 }), role: "security" }, definitions)).toEqual([]);
    expect(stepConflicts(pinned({ id: "gone", version: 9 }), definitions)).toEqual([]);
  });

  it("the policy schema takes an optional conflicts list, known values only, and refuses an undecidable step", () => {
    const base = { name: "Independent review", role: "manager", scope: "any", quorum: 1, slaHours: 24 };
    const parse = (step: Record<string, unknown>) =>
      PolicyDefinitionSchema.safeParse({ conditions: {}, stages: [[{ ...base, ...step }]] });
    expect(parse({}).success).toBe(true);
    const ok = parse({ conflicts: ["requester_team", "requester_team", "model_owner"] });
    expect(ok.success && ok.data.stages[0]![0]!.conflicts).toEqual(["requester_team", "model_owner"]);
    const unknown = parse({ conflicts: ["friends"] });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(["stages", 0, 0, "conflicts", 0]);
    const undecidable = parse({ scope: "requester_team", conflicts: ["requester_team"] });
    expect(undecidable.success).toBe(false);
    expect(undecidable.error?.issues[0]).toMatchObject({ path: ["stages", 0, 0, "conflicts"] });
  });
});
