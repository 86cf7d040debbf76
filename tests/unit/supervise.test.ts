import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_DELAY_MS, restartDelay, supervise } from "../../scripts/supervise";

const until = async (test: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("npm start's supervisor", () => {
  it("waits longer after each crash in a row, never more than 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(restartDelay(100)).toBe(MAX_DELAY_MS);
  });

  it("starts a server again after it crashes and after it is killed, logging each exit; stop ends it", async () => {
    // A stand-in server: counts its starts in a file, crashes on the first start, then stays up.
    const dir = mkdtempSync(path.join(os.tmpdir(), "supervise-"));
    const starts = path.join(dir, "starts");
    writeFileSync(starts, "");
    const script = `const fs=require("fs");fs.appendFileSync(${JSON.stringify(starts)},"x");
      if(fs.readFileSync(${JSON.stringify(starts)},"utf8").length===1)process.exit(3);
      setInterval(()=>{},1000);`;
    const lines: string[] = [];
    const server = supervise({
      command: process.execPath,
      args: ["-e", script],
      log: (l) => lines.push(l),
      delay: () => 10,
    });
    const count = () => readFileSync(starts, "utf8").length;
    await until(() => count() === 2 && server.child !== null);
    expect(lines[0]).toMatch(
      /^! The server exited with code 3 after [\d.]+s; starting it again in 0\.0s \(restart 1\)\.$/,
    );

    server.child!.kill("SIGKILL"); // killed from outside (the OOM killer, an operator)
    await until(() => count() === 3 && server.child !== null);
    expect(lines[1]).toMatch(/was killed by SIGKILL .*\(restart 2, 2 crashes in a row\)/);
    expect(server.restarts).toBe(2);

    const running = server.child!;
    expect(await server.stop()).toBe(0);
    expect(running.exitCode !== null || running.signalCode !== null).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(count()).toBe(3); // not started again after stop
  });
});
