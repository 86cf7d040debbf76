import type { Role } from "@/db/schema/org";
import type { StepScope } from "@/db/schema/requests";

// Pure (the editor runs it in the browser as the admin types): who could decide a step, counted
// against its quorum. The requester and a step's conflicts are left out at submission, when known.

export type EligiblePerson = { name: string; roles: readonly Role[]; teamIds: readonly string[] };
export type Eligibility = { text: string; short: boolean };

const ROLE_WORDS: Record<Role, [string, string]> = {
  requester: ["requester", "requesters"],
  manager: ["manager", "managers"],
  security: ["security reviewer", "security reviewers"],
  ml_lead: ["ML lead", "ML leads"],
  admin: ["admin", "admins"],
};

const names = (people: readonly EligiblePerson[], max = 6) =>
  people.length > max
    ? `${people
        .slice(0, max)
        .map((p) => p.name)
        .join(", ")} and ${people.length - max} more`
    : people.map((p) => p.name).join(", ");

/**
 * "2 of 3 ML leads needed: Lee, Ana, Tom". A step for the requester's team is counted per team (the
 * teams the conditions name, else every team): "Fraud: 1 of 1 manager (Maya) · Search: none".
 */
export function eligibility(
  step: { role: Role; scope: StepScope; quorum: number },
  people: readonly EligiblePerson[],
  teams: readonly { id: string; name: string }[],
): Eligibility {
  const holders = people.filter((p) => p.roles.includes(step.role));
  const [one, many] = ROLE_WORDS[step.role];
  const noun = (n: number) => (n === 1 ? one : many);
  if (step.scope === "any") {
    if (!holders.length) return { text: `Nobody holds the ${one} role: this step could never complete.`, short: true };
    const text = `${step.quorum} of ${holders.length} ${noun(holders.length)} needed: ${names(holders)}`;
    if (holders.length < step.quorum) return { text: `${text}. Too few: this step could never complete.`, short: true };
    return { text, short: false };
  }
  let short = false;
  const parts = teams.map((team) => {
    const members = holders.filter((p) => p.teamIds.includes(team.id));
    if (members.length < step.quorum) short = true;
    return members.length
      ? `${team.name}: ${step.quorum} of ${members.length} ${noun(members.length)} (${names(members, 4)})`
      : `${team.name}: no ${one}`;
  });
  if (!teams.length) return { text: "No team yet: the requester's team decides.", short: false };
  return {
    text: `${parts.join(" · ")}${short ? ". A team short of people could not get its requests through." : ""}`,
    short,
  };
}

/** Who could override a check step's failure (ADR 0024): its role's holders; a check itself needs nobody. */
export function overriders(step: { role: Role; scope: StepScope }, people: readonly EligiblePerson[]): Eligibility {
  const holders = people.filter((p) => p.roles.includes(step.role));
  const [one] = ROLE_WORDS[step.role];
  if (!holders.length)
    return { text: `Nobody holds the ${one} role: a failure could not be overridden.`, short: false };
  const scoped = step.scope === "requester_team" ? " (those in the requester's team)" : "";
  return { text: `May override a failure${scoped}: ${names(holders)}`, short: false };
}
