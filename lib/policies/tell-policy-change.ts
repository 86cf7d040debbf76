import "server-only";
import { and, desc, inArray, ne } from "drizzle-orm";
import { changeRequests, users } from "@/db/schema";
import { LISTED_REQUESTS } from "@/emails/policy-changed";
import { actorName, type Actor } from "../auth/actor";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import { holdersOf } from "../users/people";
import type { UnitOfWork } from "../verb";
import { replayChains } from "./replay";
import { changeInWords } from "./dry-run";
import { activePolicies } from "./queries";

/** In-review requests compared per change (the most recently submitted); the admins' email says when it stopped. */
export const POLICY_NOTICE_REQUEST_CAP = 2_000;

/**
 * After policies changed (in the same transaction): the other admins are told what changed, and the
 * requester of each request in review (or sent back) whose chain the policies now in force would give
 * differently is told that their chain stays as it is, and what a revision would be given instead.
 * One email per person per change, however many policies one `policies apply` touched.
 */
export async function tellPolicyChange(work: UnitOfWork, actor: Actor, changedNames: readonly string[]) {
  if (!changedNames.length) return;
  const { tx, now } = work;
  const appUrl = getEnv().appUrl;
  const policies = await activePolicies(tx);
  const rows = await tx
    .select()
    .from(changeRequests)
    .where(inArray(changeRequests.status, ["in_review", "changes_requested"]))
    .orderBy(desc(changeRequests.submittedAt), desc(changeRequests.number))
    .limit(POLICY_NOTICE_REQUEST_CAP + 1);
  const compared = rows.slice(0, POLICY_NOTICE_REQUEST_CAP);
  const affected = (await replayChains(tx, policies, compared, now)).filter((r) => r.changes.length);
  const policyNames = [...new Set(changedNames)].slice(0, 50);
  const byName = actorName(actor);

  const actorId = actor.kind === "user" ? actor.id : null;
  for (const admin of await holdersOf(tx, "admin")) {
    if (admin.id === actorId) continue; // they just did it
    await enqueueNotification(work, {
      to: admin.email,
      userId: admin.id,
      template: "policy-changed",
      props: {
        audience: "admin",
        policies: policyNames,
        byName,
        affected: affected.length,
        scanned: compared.length,
        capped: rows.length > compared.length,
        url: `${appUrl}/admin/policies`,
      },
    });
  }

  const byRequester = new Map<string, typeof affected>();
  for (const entry of affected) {
    const list = byRequester.get(entry.request.requestedBy) ?? [];
    list.push(entry);
    byRequester.set(entry.request.requestedBy, list);
  }
  if (!byRequester.size) return;
  const requesters = await tx
    .select({ id: users.id, email: users.email, active: users.active })
    .from(users)
    .where(and(inArray(users.id, [...byRequester.keys()]), ne(users.active, false)));
  for (const person of requesters) {
    const theirs = byRequester.get(person.id)!;
    await enqueueNotification(work, {
      to: person.email,
      userId: person.id,
      template: "policy-changed",
      props: {
        audience: "requester",
        policies: policyNames,
        byName,
        requests: theirs.slice(0, LISTED_REQUESTS).map(({ request, changes }) => ({
          number: request.number,
          title: request.title,
          changes: changes.slice(0, 20).map(changeInWords),
        })),
        affected: theirs.length,
        url: theirs.length === 1 ? `${appUrl}/requests/${theirs[0]!.request.number}` : `${appUrl}/requests?mine=1`,
      },
    });
  }
}
