import type { VerifyingKey } from "../signing/ed25519";
import { checkpointSignatureProblem, type AuditCheckpoint } from "./checkpoint";
import { checkLink, GENESIS_HASH, type AuditContent } from "./hash";

export type VerifyResult =
  | {
      ok: true;
      events: number;
      headHash: string;
      checkpoints: number;
      /** The newest checkpoint; events after it are consistent but not yet anchored. */
      lastCheckpoint: { seq: number; createdAt: string } | null;
    }
  /** seq: the event (or checkpoint) at fault; null when the fault is not one event's (an export's header). */
  | { ok: false; events: number; firstBad: { seq: number | null; reason: string } };

/**
 * Verification as a fold over the events in seq order, the same for the database and for an exported
 * file. Each event must link to the one before (hash.ts); each checkpoint must carry the trusted
 * key's signature, and the event it names must still be there with the hash it signed. The chain
 * can be consistent with itself after a rewrite with recomputed hashes, or after its newest events
 * were deleted; the signed checkpoints are what it cannot re-create.
 */
export class ChainWalk {
  private expected = { seq: 1, prevHash: GENESIS_HASH };
  private checked = 0;
  private next = 0;
  private anchored: AuditCheckpoint | null = null;
  private problem: { seq: number; reason: string } | null = null;
  private readonly checkpoints: AuditCheckpoint[];

  /** `from`: a checkpoint already trusted, to walk only the events after it (the checkpoint sweep). */
  constructor(
    checkpoints: readonly AuditCheckpoint[],
    private readonly key: VerifyingKey | readonly VerifyingKey[],
    from?: AuditCheckpoint,
  ) {
    this.checkpoints = [...checkpoints].sort((a, b) => a.seq - b.seq);
    if (from) {
      this.expected = { seq: from.seq + 1, prevHash: from.hash };
      this.anchored = from;
      this.next = this.checkpoints.findIndex((c) => c.seq > from.seq);
      if (this.next < 0) this.next = this.checkpoints.length;
    }
  }

  /** Takes the next event; false once a problem is found (later events cannot change the verdict). */
  add(row: AuditContent & { hash: string }): boolean {
    if (this.problem) return false;
    const reason = checkLink(row, this.expected);
    if (reason) return this.fail(row.seq, reason);
    for (; this.checkpoints[this.next]?.seq === row.seq; this.next++) {
      const checkpoint = this.checkpoints[this.next]!;
      const untrusted = checkpointSignatureProblem(checkpoint, this.key);
      if (untrusted) return this.fail(row.seq, `${describe(checkpoint)} cannot be trusted: ${untrusted}`);
      if (checkpoint.hash !== row.hash) {
        const since = this.anchored ? `after event #${this.anchored.seq} (the checkpoint before it)` : "from the start";
        return this.fail(
          row.seq,
          `hash differs from the one signed in ${describe(checkpoint)}: events ${since} up to #${row.seq} were rewritten`,
        );
      }
      this.anchored = checkpoint;
    }
    this.checked++;
    this.expected = { seq: row.seq + 1, prevHash: row.hash };
    return true;
  }

  /** The verdict once every event has been given. */
  finish(): VerifyResult {
    if (!this.problem) {
      // Checkpoints beyond the last event: a genuine one means the events it covered are gone.
      const end = this.expected.seq - 1;
      for (const checkpoint of this.checkpoints.slice(this.next)) {
        const untrusted = checkpointSignatureProblem(checkpoint, this.key);
        if (untrusted) {
          this.fail(checkpoint.seq, `${describe(checkpoint)} cannot be trusted: ${untrusted}`);
        } else {
          const ends = end ? `the chain ends at event #${end}` : "the chain is empty";
          this.fail(
            end + 1,
            `${ends}, but ${describe(checkpoint)} covers up to #${checkpoint.seq}: events #${end + 1} to #${checkpoint.seq} (at least) were deleted`,
          );
        }
        break;
      }
    }
    if (this.problem) return { ok: false, events: this.checked, firstBad: this.problem };
    return {
      ok: true,
      events: this.checked,
      headHash: this.expected.prevHash,
      checkpoints: this.checkpoints.length,
      lastCheckpoint: this.anchored ? { seq: this.anchored.seq, createdAt: this.anchored.createdAt } : null,
    };
  }

  private fail(seq: number, reason: string): false {
    this.problem = { seq, reason };
    return false;
  }
}

function describe(checkpoint: AuditCheckpoint): string {
  return `the checkpoint of ${checkpoint.createdAt} (event #${checkpoint.seq})`;
}
