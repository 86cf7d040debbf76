import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[] };

/** The security review (its queue, the allowlist, the licence policy) is for the security team and admins. */
export function mayReviewSecurity(person: Person): boolean {
  return person.roles.includes("security") || person.roles.includes("admin");
}

const UNDER_REVIEW: readonly string[] = ["draft", "in_review", "changes_requested"];

/** The security team decides a request's packages one by one while its review is not over. */
export function mayDecidePackages(person: Person, request: { status: string }): boolean {
  return person.roles.includes("security") && UNDER_REVIEW.includes(request.status);
}
