import type { Role } from "@/db/schema/org";
import type { StepScope } from "@/db/schema/requests";
import { roleNoun } from "../labels";

// Pure: can a chain of steps ever complete with the people the organisation has? A step needs its
// quorum of distinct people who may decide it, and a person counts once per request revision (one
// seat, whichever step they decide), so the chain as a whole needs as many different people as it
// has seats. Used when a policy is saved, on the new-request preview and when a chain is taken.

/** Someone who could decide: active, with their roles and teams (name for messages). */
export type Decider = { id: string; name: string; roles: readonly Role[]; teamIds: readonly string[] };
export type SeatStep = { stage: number; name: string; role: Role; scope: StepScope; quorum: number };
export type CapacityContext = {
  /** The requester's team, for "requester_team" steps; null when unknown (those steps are not checked). */
  team: { id: string; name: string } | null;
  /** People who never decide this request, and who they are to it ("the requester", "the version's author"). */
  excluded: readonly { id: string; as: string }[];
};
/** Why a chain could not complete; `steps` are indexes into the steps given. */
export type Shortfall = { steps: number[]; message: string };

const checkable = (step: SeatStep, ctx: CapacityContext) => step.scope === "any" || ctx.team !== null;

function inScope(step: SeatStep, person: Decider, ctx: CapacityContext): boolean {
  if (!person.roles.includes(step.role)) return false;
  return step.scope === "any" || (ctx.team !== null && person.teamIds.includes(ctx.team.id));
}

/** The people who may decide a step of this request: role and scope, never the requester or author. */
export function eligibleFor(step: SeatStep, people: readonly Decider[], ctx: CapacityContext): Decider[] {
  return people.filter((p) => !ctx.excluded.some((e) => e.id === p.id) && inScope(step, p, ctx));
}

const label = (step: SeatStep) => `Stage ${step.stage} · ${step.name}`;

function names(people: readonly Decider[]): string {
  if (!people.length) return "";
  const shown = people.slice(0, 5).map((p) => p.name);
  const more = people.length > 5 ? ` and ${people.length - 5} more` : "";
  return ` (${shown.join(", ")}${more})`;
}

/** "Stage 2 · ML lead review needs 2 ML leads; the organisation has 1 (Lee Tanaka)". */
function stepShortfall(step: SeatStep, people: readonly Decider[], ctx: CapacityContext): string | null {
  const eligible = eligibleFor(step, people, ctx);
  if (eligible.length >= step.quorum) return null;
  const scoped = step.scope === "requester_team";
  const who = scoped ? `${roleNoun(step.role, step.quorum)} of the requester's team` : roleNoun(step.role, step.quorum);
  const where = scoped ? ctx.team!.name : "the organisation";
  // Say so when the requester (or the author) holds the role: they are why the count is lower than expected.
  const left = ctx.excluded.filter((e) => people.some((p) => p.id === e.id && inScope(step, p, ctx)));
  const besides = left.length ? ` besides ${[...new Set(left.map((e) => e.as))].join(" and ")}` : "";
  const has = eligible.length ? `${eligible.length}${besides}${names(eligible)}` : `none${besides}`;
  return `${label(step)} needs ${step.quorum} ${who}; ${where} has ${has}`;
}

/**
 * Every reason the chain could not complete, or none. First each step on its own (quorum against the
 * people who may decide it); when every step could be filled alone, the seats together: a maximum
 * matching of seats to distinct people, and when it falls short, the steps whose seats outnumber
 * everyone who could take them (Hall's condition), named with those people.
 */
export function chainShortfalls(
  steps: readonly SeatStep[],
  people: readonly Decider[],
  ctx: CapacityContext,
): Shortfall[] {
  const checked = steps.map((s, i) => ({ s, i })).filter(({ s }) => checkable(s, ctx));
  const alone = checked.flatMap(({ s, i }) => {
    const message = stepShortfall(s, people, ctx);
    return message ? [{ steps: [i], message }] : [];
  });
  if (alone.length) return alone;

  const seats = checked.flatMap(({ s, i }) => Array.from({ length: s.quorum }, () => i));
  const candidates = new Map(checked.map(({ s, i }) => [i, eligibleFor(s, people, ctx).map((p) => p.id)]));
  const seatOf = new Map<string, number>(); // person -> the seat they take
  const assign = (seat: number, seen: Set<string>): boolean => {
    for (const person of candidates.get(seats[seat]!)!) {
      if (seen.has(person)) continue;
      seen.add(person);
      const taken = seatOf.get(person);
      if (taken === undefined || assign(taken, seen)) {
        seatOf.set(person, seat);
        return true;
      }
    }
    return false;
  };
  const unfilled = seats.map((_, seat) => seat).filter((seat) => !assign(seat, new Set()));
  if (!unfilled.length) return [];

  // The seats reachable from an unfilled one by alternating paths, and the people they reach: those
  // steps together need more people than can decide any of them.
  const reachedSeats = new Set(unfilled);
  const reachedPeople = new Set<string>();
  const queue = [...unfilled];
  while (queue.length) {
    const seat = queue.shift()!;
    for (const person of candidates.get(seats[seat]!)!) {
      if (reachedPeople.has(person)) continue;
      reachedPeople.add(person);
      const taken = seatOf.get(person);
      if (taken !== undefined && !reachedSeats.has(taken)) {
        reachedSeats.add(taken);
        queue.push(taken);
      }
    }
  }
  const involved = [...new Set([...reachedSeats].map((seat) => seats[seat]!))].sort((a, b) => a - b);
  const needed = involved.reduce((n, i) => n + steps[i]!.quorum, 0);
  const who = people.filter((p) => reachedPeople.has(p.id));
  const list = involved.map((i) => label(steps[i]!));
  const joined = list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : list[0];
  return [
    {
      steps: involved,
      message: `${joined} need ${needed} different people (a person counts once per request); only ${who.length} can decide them${names(who)}`,
    },
  ];
}
