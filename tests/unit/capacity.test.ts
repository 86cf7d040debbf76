import { describe, expect, it } from "vitest";
import {
  chainShortfalls,
  eligibleFor,
  type CapacityContext,
  type Decider,
  type SeatStep,
} from "../../lib/policies/capacity";

const FRAUD = { id: "fraud", name: "Fraud" };
const person = (id: string, roles: Decider["roles"], teamIds: string[] = []): Decider => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  roles,
  teamIds,
});
const lee = person("lee", ["ml_lead"]);
const sam = person("sam", ["security"]);
const maya = person("maya", ["manager"], ["fraud"]);
const mo = person("mo", ["manager"], ["search"]);
const alice = person("alice", ["requester"], ["fraud"]);
const org = [alice, lee, sam, maya, mo];
const step = (over: Partial<SeatStep>): SeatStep => ({
  stage: 1,
  name: "ML lead review",
  role: "ml_lead",
  scope: "any",
  quorum: 1,
  ...over,
});
const asRequester: CapacityContext = { team: FRAUD, excluded: [{ id: "alice", as: "the requester" }] };
const messages = (steps: SeatStep[], people = org, ctx = asRequester) =>
  chainShortfalls(steps, people, ctx).map((s) => s.message);

describe("can a chain complete", () => {
  it("a step whose quorum exceeds the people who may decide it is named, with who there is", () => {
    expect(messages([step({ stage: 2, quorum: 2 })])).toEqual([
      "Stage 2 · ML lead review needs 2 ML leads; the organisation has 1 (Lee)",
    ]);
    expect(messages([step({ name: "Budget", role: "manager", scope: "requester_team", quorum: 2 })])).toEqual([
      "Stage 1 · Budget needs 2 managers of the requester's team; Fraud has 1 (Maya)",
    ]);
    expect(messages([step({ name: "Admins", role: "admin" })])).toEqual([
      "Stage 1 · Admins needs 1 admin; the organisation has none",
    ]);
    expect(messages([step({ quorum: 1 }), step({ name: "Security", role: "security" })])).toEqual([]);
  });

  it("never counts the requester or the version's author, and says so when they hold the role", () => {
    const leadRequester = person("alice", ["requester", "ml_lead"], ["fraud"]);
    expect(messages([step({ quorum: 2 })], [leadRequester, lee])).toEqual([
      "Stage 1 · ML lead review needs 2 ML leads; the organisation has 1 besides the requester (Lee)",
    ]);
    const ctx = { team: FRAUD, excluded: [...asRequester.excluded, { id: "lee", as: "the version's author" }] };
    expect(eligibleFor(step({}), org, ctx)).toEqual([]);
    expect(messages([step({})], org, ctx)).toEqual([
      "Stage 1 · ML lead review needs 1 ML lead; the organisation has none besides the version's author",
    ]);
  });

  it("a team-scoped step counts only that team's holders; with no team it is not checked", () => {
    const steps = [step({ name: "Manager sign-off", role: "manager", scope: "requester_team" })];
    expect(messages(steps, org, { team: { id: "search", name: "Search" }, excluded: [] })).toEqual([]);
    expect(messages(steps, [lee, mo], asRequester)).toEqual([
      "Stage 1 · Manager sign-off needs 1 manager of the requester's team; Fraud has none",
    ]);
    expect(messages(steps, [lee], { team: null, excluded: [] })).toEqual([]);
  });

  it("a person counts once per request: seats that each step could fill alone can still outnumber the people", () => {
    // Two people hold both roles: a quorum-2 security step and a quorum-1 ML lead step need three.
    const both = [person("kim", ["security", "ml_lead"]), person("ray", ["security", "ml_lead"])];
    const steps = [
      step({ name: "Security review", role: "security", quorum: 2 }),
      step({ stage: 2, name: "ML lead approval" }),
    ];
    const [shortfall, ...rest] = chainShortfalls(steps, both, { team: null, excluded: [] });
    expect(rest).toEqual([]);
    expect(shortfall).toEqual({
      steps: [0, 1],
      message:
        "Stage 1 · Security review and Stage 2 · ML lead approval need 3 different people (a person counts once per request); only 2 can decide them (Kim, Ray)",
    });
    // A third person for either role makes it possible.
    expect(chainShortfalls(steps, [...both, person("lee", ["ml_lead"])], { team: null, excluded: [] })).toEqual([]);
  });

  it("names only the steps that fall short together, not the ones that can be filled apart", () => {
    const both = person("kim", ["security", "ml_lead"]);
    const steps = [
      step({ name: "Security review", role: "security" }),
      step({ stage: 2, name: "ML lead approval" }),
      step({ name: "Manager sign-off", role: "manager", scope: "requester_team" }),
    ];
    expect(chainShortfalls(steps, [both, maya], asRequester)).toEqual([
      {
        steps: [0, 1],
        message:
          "Stage 1 · Security review and Stage 2 · ML lead approval need 2 different people (a person counts once per request); only 1 can decide them (Kim)",
      },
    ]);
  });

  it("long lists of people are cut short", () => {
    const many = Array.from({ length: 8 }, (_, i) => person(`lead${i}`, ["ml_lead"]));
    expect(messages([step({ quorum: 9 })], many)).toEqual([
      "Stage 1 · ML lead review needs 9 ML leads; the organisation has 8 (Lead0, Lead1, Lead2, Lead3, Lead4 and 3 more)",
    ]);
  });
});
