import "server-only";
import type { z } from "zod";
import type { Db, Tx } from "@/db";
import type { Role } from "@/db/schema/org";
import { assertRole, type Actor } from "./auth/actor";
import { loadActor } from "./auth/load-actor";
import {
  Conflict,
  Forbidden,
  isTransactionConflict,
  isUniqueViolation,
  stopIfCancelled,
  type AppError,
} from "./errors";
import { parseInput } from "./validation";
import { logError } from "./log";

/** What every verb receives: the database, who is acting, and the time (fixed for tests). */
export type VerbContext = {
  db: Db;
  actor: Actor;
  now?: Date;
  /**
   * The caller's own write that must commit with the verb or not at all: it runs in the verb's
   * transaction after `run`, and if it throws, nothing commits. An Idempotency-Key's claim is marked
   * used this way (lib/http/idempotency.ts), so a verb never commits twice under one key.
   */
  joinCommit?: (tx: Tx) => Promise<void>;
  /**
   * The caller's request's signal (a route's `request.signal`): once it aborts (the client went away),
   * `prepare` stops its remote calls and the verb throws Cancelled before opening its transaction.
   * Once the transaction is open, the verb finishes: a change is committed whole or not at all.
   */
  signal?: AbortSignal;
};

/**
 * One transaction and what must happen once it has committed. Everything a verb (or a sweep, or a
 * job) writes goes through one of these: the change, its audit event and the notifications it
 * queues commit together, and the notifications are handed to delivery only after the commit.
 * Code that queues mail takes a UnitOfWork, never a bare transaction, so mail cannot be queued
 * where nothing would deliver it; queueing after the work has ended throws.
 */
export class UnitOfWork {
  /** Notifications written in this transaction and due for delivery once it commits. */
  readonly queuedNotifications: string[] = [];
  private readonly onCommit: (() => void)[] = [];
  private open = true;

  constructor(
    readonly db: Db,
    readonly tx: Tx,
    readonly now: Date,
  ) {}

  /** Runs `fn` once this transaction has committed; never if it rolls back. */
  afterCommit(fn: () => void): void {
    this.assertOpen();
    this.onCommit.push(fn);
  }

  assertOpen(): void {
    if (!this.open) throw new Error("This unit of work has ended: nothing more can be queued in it.");
  }

  /** @internal inUnitOfWork's: closes the work before COMMIT and returns what runs after it. */
  close(): readonly (() => void)[] {
    this.open = false;
    return this.onCommit;
  }
}

// The unit of work each open transaction belongs to, for code deep in a verb that is handed only the
// transaction (the audit log queues webhook deliveries this way, lib/audit/queue-webhooks.ts).
const workOfTx = new WeakMap<Tx, UnitOfWork>();

/** The unit of work `tx` is the transaction of; undefined for a transaction opened elsewhere. */
export function unitOfWorkOf(tx: Tx): UnitOfWork | undefined {
  return workOfTx.get(tx);
}

/** Runs `work` in one transaction, then whatever it asked to happen after the commit. */
export async function inUnitOfWork<T>(
  db: Db,
  work: (uow: UnitOfWork) => Promise<T>,
  options: { now?: Date } = {},
): Promise<T> {
  let after: readonly (() => void)[] = [];
  const result = await db.transaction(async (tx) => {
    const uow = new UnitOfWork(db, tx, options.now ?? new Date());
    workOfTx.set(tx, uow);
    try {
      return await work(uow);
    } finally {
      after = uow.close();
    }
  });
  for (const fn of after) {
    try {
      fn();
    } catch (error) {
      // The change has committed: a failure to hand off delivery must not turn it into an error.
      // The outbox sweep finds rows still queued.
      logError("[verb] after-commit work failed:", error);
    }
  }
  return result;
}

/** What a verb's body works with: the unit of work, and the actor as the database knows them now. */
export type VerbRun = { work: UnitOfWork; tx: Tx; now: Date; actor: Actor };

export type VerbSpec<S extends z.ZodType, R, P> = {
  /** Who may call the verb at all: these roles (checked before parsing and again in the transaction). */
  allow: readonly [Role, ...Role[]] | "signed-in";
  /** Only a person may do this: the system actor (CLI, jobs) is refused. */
  peopleOnly?: boolean;
  input: S;
  /**
   * A unique violation in this verb means a lost race on one thing (or a taken name): answered 409
   * with this text, or with the error given (a 400 at the field, say, for a label already used).
   */
  conflict?: string | ((input: z.output<S>) => string | AppError);
  /**
   * Slow work that must not hold a transaction (parsing a large file, asking a remote service),
   * after the permission check and the parse, before the transaction; its result goes to `run`.
   */
  prepare?: (ctx: { db: Db; actor: Actor; now: Date; signal?: AbortSignal }, input: z.output<S>) => Promise<P>;
  /** The change itself. Finer checks (own team, own request) belong here, against `actor`. */
  run: (run: VerbRun, input: z.output<S>, prepared: P) => Promise<R>;
};

export type Verb<R> = ((ctx: VerbContext, raw: unknown) => Promise<R>) & {
  /** What the verb parses its input with: the API reference (lib/http/openapi) is built from it. */
  readonly input: z.ZodType;
  /** Who may call it, for the same reference. */
  readonly allow: VerbSpec<z.ZodType, unknown, unknown>["allow"];
};

function permit(spec: Pick<VerbSpec<z.ZodType, unknown, unknown>, "allow" | "peopleOnly">, actor: Actor): void {
  if (spec.peopleOnly && actor.kind !== "user") throw new Forbidden("Only a person can do this.");
  if (spec.allow !== "signed-in") assertRole(actor, ...spec.allow);
}

/**
 * Every verb runs in this order: permission, parse, transaction. Inside the transaction the actor is
 * loaded again (and their user row share-locked until commit), so someone deactivated or stripped of
 * a role a moment ago is refused even if their session still says otherwise, and a concurrent
 * deactivation waits for this verb rather than racing it.
 */
export function defineVerb<S extends z.ZodType, R, P = undefined>(spec: VerbSpec<S, R, P>): Verb<R> {
  const verb = async (ctx: VerbContext, raw: unknown): Promise<R> => {
    permit(spec, ctx.actor);
    const input: z.output<S> = parseInput(spec.input, raw);
    const now = ctx.now ?? new Date();
    const { signal } = ctx;
    stopIfCancelled(signal);
    const prepared = (
      spec.prepare ? await spec.prepare({ db: ctx.db, actor: ctx.actor, now, signal }, input) : undefined
    ) as P;
    // Nobody is waiting for the answer: nothing is written for them.
    stopIfCancelled(signal);
    try {
      return await inUnitOfWork(
        ctx.db,
        async (work) => {
          const actor = await currentActor(work.tx, ctx.actor);
          permit(spec, actor);
          const result = await spec.run({ work, tx: work.tx, now: work.now, actor }, input, prepared);
          await ctx.joinCommit?.(work.tx);
          return result;
        },
        { now },
      );
    } catch (error) {
      if (spec.conflict && isUniqueViolation(error)) {
        const answer = typeof spec.conflict === "string" ? spec.conflict : spec.conflict(input);
        throw typeof answer === "string" ? new Conflict(answer) : answer;
      }
      if (isTransactionConflict(error)) {
        throw new Conflict("Someone changed the same thing at the same moment; nothing was saved. Try again.");
      }
      throw error;
    }
  };
  return Object.assign(verb, { input: spec.input as z.ZodType, allow: spec.allow });
}

/** The actor as of now, inside `tx`; the system actor is who it says it is. */
async function currentActor(tx: Tx, actor: Actor): Promise<Actor> {
  if (actor.kind === "system") return actor;
  const fresh = await loadActor(tx, actor.id, { lock: true });
  if (!fresh) throw new Forbidden("Your account is no longer active.");
  return fresh;
}
