import { EnvError, getEnv, type Env } from "@/lib/env";

/** The parsed environment, or the list of bad variables on stderr and exit 1 (scripts fail before doing anything). */
export function envOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
