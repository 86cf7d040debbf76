// `npm start` keeps its server running: when the server process dies (a crash, the heap limit, a
// kill from outside), it is started again after a delay that doubles with each crash in a row (1 s,
// 2 s, 4 s … at most 30 s) and resets once a server has stayed up for a minute. Every exit and
// restart is logged. SIGINT/SIGTERM go to the server and end the supervision.
import { spawn, type ChildProcess } from "node:child_process";

export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 30_000;
/** A server that ran this long was healthy: the next crash starts the backoff afresh. */
export const HEALTHY_AFTER_MS = 60_000;

/** Pure: the wait before restart number `crashesInARow` (1 for the first crash). */
export function restartDelay(crashesInARow: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1));
}

export type SuperviseOptions = {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Tests shorten the waits. */
  delay?: (crashesInARow: number) => number;
  healthyAfterMs?: number;
};

export type Supervisor = {
  /** Stops the server (the signal is forwarded) and resolves with its exit code once it is gone. */
  stop(signal?: NodeJS.Signals): Promise<number>;
  /** How many times the server was started again. */
  readonly restarts: number;
  readonly child: ChildProcess | null;
};

export function supervise(options: SuperviseOptions): Supervisor {
  const log = options.log ?? ((line: string) => console.log(line));
  const delay = options.delay ?? restartDelay;
  const healthyAfter = options.healthyAfterMs ?? HEALTHY_AFTER_MS;
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let crashesInARow = 0;
  let timer: NodeJS.Timeout | null = null;
  let finished: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finished = resolve));

  const start = () => {
    timer = null;
    const startedAt = Date.now();
    const proc = spawn(options.command, options.args, { stdio: "inherit", env: options.env ?? process.env });
    child = proc;
    proc.on("exit", (code, signal) => {
      child = null;
      if (stopping) return finished(code ?? 0);
      const ranFor = Date.now() - startedAt;
      crashesInARow = ranFor >= healthyAfter ? 1 : crashesInARow + 1;
      const wait = delay(crashesInARow);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      log(
        `! The server ${how} after ${(ranFor / 1000).toFixed(1)}s; starting it again in ${(wait / 1000).toFixed(1)}s` +
          ` (restart ${restarts + 1}${crashesInARow > 1 ? `, ${crashesInARow} crashes in a row` : ""}).`,
      );
      timer = setTimeout(() => {
        restarts++;
        start();
      }, wait);
    });
  };
  start();

  return {
    stop(signal: NodeJS.Signals = "SIGTERM") {
      stopping = true;
      if (timer) {
        clearTimeout(timer);
        finished(0);
      } else child?.kill(signal);
      return done;
    },
    get restarts() {
      return restarts;
    },
    get child() {
      return child;
    },
  };
}
