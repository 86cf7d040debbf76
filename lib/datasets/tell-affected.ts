import "server-only";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import { loadPeople } from "../users/people";
import type { UnitOfWork } from "../verb";
import type { AffectedVersion } from "./affected";

const MAX_ITEMS_PER_EMAIL = 50;
const MAX_SENTENCES = 40;

// Built here rather than taken from lib/requests, which reads the dictionary (a domain cycle otherwise).
const requestUrl = (number: number) => `${getEnv().appUrl}/requests/${number}`;

export const datasetDiffUrl = (name: string, from: string, to: string) =>
  `${getEnv().appUrl}/datasets/${encodeURIComponent(name)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

/**
 * Each open request gets an entry on its timeline saying which columns changed; each person (the
 * model's owner, the version's author, each open request's requester) gets one email for this
 * dataset version listing the model versions of theirs it touches.
 */
export async function tellAffected(
  work: UnitOfWork,
  actor: Actor,
  dataset: { name: string; version: string },
  affected: readonly AffectedVersion[],
) {
  const byPerson = new Map<string, AffectedVersion[]>();
  const add = (id: string, v: AffectedVersion) => {
    const list = byPerson.get(id) ?? [];
    if (!list.includes(v)) list.push(v);
    byPerson.set(id, list);
  };
  for (const v of affected) {
    add(v.ownerId, v);
    add(v.createdBy, v);
    for (const r of v.requests) {
      add(r.requestedBy, v);
      await recordAudit(
        work.tx,
        actor,
        {
          action: "request.dataset_changed",
          entityType: "change_request",
          entityId: r.id,
          data: {
            number: r.number,
            dataset: dataset.name,
            version: dataset.version,
            trainedOn: v.trainedOn,
            sentences: v.changed.flatMap((c) => c.sentences).slice(0, MAX_SENTENCES),
          },
        },
        work.now,
      );
    }
  }
  const people = await loadPeople(work.tx, [...byPerson.keys()]);
  for (const person of people) {
    const versions = byPerson.get(person.id)!;
    const shown = versions.slice(0, MAX_ITEMS_PER_EMAIL);
    await enqueueNotification(work, {
      to: person.email,
      userId: person.id,
      template: "dataset-changed",
      props: {
        dataset: dataset.name,
        version: dataset.version,
        items: shown.map((v) => ({
          model: v.model,
          version: v.version,
          trainedOn: v.trainedOn,
          sentences: v.changed.flatMap((c) => c.sentences).slice(0, MAX_SENTENCES),
          requests: v.requests
            .slice(0, 50)
            .map((r) => ({ number: r.number, title: r.title, url: requestUrl(r.number) })),
        })),
        more: versions.length - shown.length,
        url: datasetDiffUrl(dataset.name, shown[0]!.trainedOn, dataset.version),
      },
    });
  }
}
