import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../lib/env";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "greenlight-env-"));
const postgres = { DATABASE_URL: "postgres://db/app", AUTH_SECRET: "x".repeat(40) };
const refusal = (source: Record<string, string>) => {
  try {
    parseEnv(source, tmp());
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).message;
  }
  throw new Error("expected the environment to be refused");
};

describe("WORKER_MODE", () => {
  it("is inline by default, embedded or not, and separate with PostgreSQL", () => {
    expect(parseEnv({}, tmp()).workerMode).toBe("inline");
    expect(parseEnv({ ...postgres, WORKER_MODE: "" }, tmp()).workerMode).toBe("inline");
    expect(parseEnv({ ...postgres, WORKER_MODE: "separate" }, tmp()).workerMode).toBe("separate");
    expect(parseEnv({ WORKER_MODE: "inline" }, tmp()).workerMode).toBe("inline");
  });

  it("refuses separate on the embedded database, naming WORKER_MODE and the way out", () => {
    const message = refusal({ WORKER_MODE: "separate" });
    expect(message).toContain('WORKER_MODE "separate" needs DATABASE_URL');
    expect(message).toContain('use "inline"');
    expect(refusal({ WORKER_MODE: "separate", DATABASE_URL: "  " })).toContain("WORKER_MODE");
  });

  it("refuses anything else, showing the value", () => {
    expect(refusal({ ...postgres, WORKER_MODE: "background" })).toContain('WORKER_MODE must be "inline" or "separate" (got "background")');
  });
});
