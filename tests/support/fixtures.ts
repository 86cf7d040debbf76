import { expect } from "vitest";
import type { Db } from "../../db";
import { loadActor } from "../../lib/auth/load-actor";
import type { Actor } from "../../lib/auth/actor";
import { seedDemoOrganisation } from "../../lib/demo/seed";
import { AppError } from "../../lib/errors";
import { findUserByEmail } from "../../lib/users/queries";

export async function seed(db: Db) {
  await seedDemoOrganisation(db);
}

/** The demo user as a signed-in actor (fresh from the database). */
export async function actorFor(db: Db, email: string): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error(`no user ${email}`);
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`${email} is not active`);
  return actor;
}

export async function userId(db: Db, email: string): Promise<string> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}

/** Awaits a promise that must fail with an AppError of this HTTP status; returns the error. */
export async function expectStatus(promise: Promise<unknown>, status: number): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${status} error`).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(status);
  return error as AppError;
}

/** Runs all at once; sorts outcomes into fulfilled values and AppError statuses. */
export async function race<T>(jobs: (() => Promise<T>)[]) {
  const results = await Promise.allSettled(jobs.map((job) => job()));
  const ok = results
    .filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === "fulfilled")
    .map((r) => r.value);
  const statuses = results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => (r.reason instanceof AppError ? r.reason.status : `unexpected: ${String(r.reason)}`));
  return { ok, statuses };
}
