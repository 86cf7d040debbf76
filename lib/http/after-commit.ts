import "server-only";
import { logError } from "../log";

/**
 * A read made after a verb has committed, for the answer only. Its failure must not turn the
 * committed change into a 500: a client reads a 500 as "nothing happened" and sends the change again
 * (a comment posted twice). So a failed read is logged and answered as null, and the handler answers
 * with what the verb itself returned.
 */
export async function readAfterCommit<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    logError("[api] read after a committed change failed; answering with the verb's result:", error);
    return null;
  }
}
