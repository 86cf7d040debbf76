import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../lib/env";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "greenlight-env-"));
const problems = (source: Record<string, string>) => {
  try {
    parseEnv(source, tmp());
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).message;
  }
  throw new Error("expected the environment to be refused");
};

describe("environment", () => {
  it("runs with nothing set: embedded database, demo mode on, a generated secret that persists", () => {
    const cwd = tmp();
    const env = parseEnv({}, cwd);
    expect(env).toMatchObject({
      embedded: true,
      demoMode: true,
      port: 3000,
      appUrl: "http://localhost:3000",
      resend: undefined,
      oidc: undefined,
    });
    expect(env.dataDir).toBe(path.join(cwd, ".data"));
    expect(env.signingKeyFile).toBe(path.join(cwd, ".data", "signing-key.pem"));
    expect(parseEnv({ SIGNING_KEY_FILE: "keys/audit.pem" }, cwd).signingKeyFile).toBe(path.join(cwd, "keys/audit.pem"));
    expect(env.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({}, cwd).authSecret).toBe(env.authSecret);
  });

  it("with DATABASE_URL: demo mode off by default; without AUTH_SECRET one is generated (with a warning)", () => {
    const cwd = tmp();
    const generated = parseEnv({ DATABASE_URL: "postgres://db/app" }, cwd);
    expect(generated.authSecret).toBe(parseEnv({}, cwd).authSecret);
    const env = parseEnv({ DATABASE_URL: "postgres://db/app", AUTH_SECRET: "x".repeat(40) }, tmp());
    expect(env).toMatchObject({ embedded: false, demoMode: false });
    expect(
      parseEnv({ DATABASE_URL: "postgres://db/app", AUTH_SECRET: "x".repeat(40), DEMO_MODE: "true" }, tmp()).demoMode,
    ).toBe(true);
  });

  it("names each bad variable in a readable message", () => {
    const message = problems({
      DATABASE_URL: "mysql://db",
      DEMO_MODE: "maybe",
      PORT: "eighty",
      RESEND_API_KEY: "abc",
      OIDC_ISSUER: "https://id.example.com",
      AUTH_SECRET: "short",
    });
    expect(message).toMatch(/^Invalid environment:/);
    expect(message).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(message).toContain('DEMO_MODE must be true or false (got "maybe")');
    expect(message).toMatch(/PORT .*eighty/);
    expect(message).toContain("RESEND_API_KEY must start with re_");
    expect(message).toContain("AUTH_SECRET must be at least 32 characters");
    expect(message).toContain("OIDC_CLIENT_ID is required when any OIDC_* variable is set");
    expect(message).toContain("OIDC_CLIENT_SECRET is required when any OIDC_* variable is set");
    expect(message).not.toContain("mysql://db"); // URLs and secrets are never echoed
    expect(message).toContain(".env.example");
  });

  it("turns on Resend and SSO only when fully configured", () => {
    const env = parseEnv(
      {
        RESEND_API_KEY: "re_123",
        RESEND_BASE_URL: "http://127.0.0.1:9999",
        OIDC_ISSUER: "https://id.example.com",
        OIDC_CLIENT_ID: "gl",
        OIDC_CLIENT_SECRET: "s",
      },
      tmp(),
    );
    expect(env.resend).toEqual({ apiKey: "re_123", baseUrl: "http://127.0.0.1:9999" });
    expect(env.oidc).toMatchObject({ issuer: "https://id.example.com", clientId: "gl", name: "Company SSO" });
  });
});

const postgres = { DATABASE_URL: "postgres://db/app", AUTH_SECRET: "x".repeat(40) };

describe("production settings (docs/production.md)", () => {
  const sso = { OIDC_CLIENT_ID: "gl", OIDC_CLIENT_SECRET: "s" };

  it("wants an https OIDC issuer, http only on this machine (the ID token is trusted for its TLS)", () => {
    expect(problems({ ...sso, OIDC_ISSUER: "http://login.example.com/realms/acme" })).toContain(
      "OIDC_ISSUER must be an https URL (http only for localhost)",
    );
    for (const issuer of ["http://localhost:8080/realms/dev", "http://127.0.0.1:5556/dex"]) {
      expect(parseEnv({ ...sso, OIDC_ISSUER: issuer }, tmp()).oidc?.issuer).toBe(issuer);
    }
  });

  it("reads the groups claim, the pool size and the metrics token, and checks them", () => {
    const env = parseEnv(
      {
        ...postgres,
        ...sso,
        OIDC_ISSUER: "https://id.example.com",
        OIDC_GROUPS_CLAIM: "roles",
        DATABASE_POOL_MAX: "6",
        METRICS_TOKEN: "m".repeat(32),
      },
      tmp(),
    );
    expect(env).toMatchObject({ databasePoolMax: 6, metricsToken: "m".repeat(32) });
    expect(env.oidc?.groupsClaim).toBe("roles");
    expect(parseEnv({ ...postgres, ...sso, OIDC_ISSUER: "https://id.example.com" }, tmp())).toMatchObject({
      databasePoolMax: 10,
      metricsToken: undefined,
      oidc: { groupsClaim: "groups" },
    });
    const message = problems({ ...postgres, DATABASE_POOL_MAX: "0", METRICS_TOKEN: "short" });
    expect(message).toContain("DATABASE_POOL_MAX");
    expect(message).toContain("METRICS_TOKEN must be at least 32 characters");
    expect(message).not.toContain("short"); // a token is never echoed
  });
});

describe("WORKER_MODE", () => {
  it("is inline by default, embedded or not, and separate with PostgreSQL", () => {
    expect(parseEnv({}, tmp()).workerMode).toBe("inline");
    expect(parseEnv({ ...postgres, WORKER_MODE: "" }, tmp()).workerMode).toBe("inline");
    expect(parseEnv({ ...postgres, WORKER_MODE: "separate" }, tmp()).workerMode).toBe("separate");
    expect(parseEnv({ WORKER_MODE: "inline" }, tmp()).workerMode).toBe("inline");
  });

  it("refuses separate on the embedded database, naming WORKER_MODE and the way out", () => {
    const message = problems({ WORKER_MODE: "separate" });
    expect(message).toContain('WORKER_MODE "separate" needs DATABASE_URL');
    expect(message).toContain('use "inline"');
    expect(problems({ WORKER_MODE: "separate", DATABASE_URL: "  " })).toContain("WORKER_MODE");
  });

  it("refuses anything else, showing the value", () => {
    expect(problems({ ...postgres, WORKER_MODE: "background" })).toContain(
      'WORKER_MODE must be "inline" or "separate" (got "background")',
    );
  });
});

describe("TRUST_PROXY and the API's rate limits", () => {
  it("count proxies (true is one, unset none), calls per token (600) and failed tokens per IP (20)", () => {
    const env = parseEnv({}, tmp());
    expect([env.trustProxy, env.apiRateLimitPerMinute, env.apiFailedTokensPerIp]).toEqual([0, 600, 20]);
    expect(parseEnv({ API_FAILED_TOKENS_PER_IP: "50" }, tmp()).apiFailedTokensPerIp).toBe(50);
    expect(parseEnv({ TRUST_PROXY: "true" }, tmp()).trustProxy).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "false" }, tmp()).trustProxy).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "2" }, tmp()).trustProxy).toBe(2);
    expect(parseEnv({ API_RATE_LIMIT_PER_MINUTE: "5000" }, tmp()).apiRateLimitPerMinute).toBe(5000);
  });

  it("refuses what is neither, naming the variable", () => {
    expect(problems({ TRUST_PROXY: "sometimes" })).toContain("TRUST_PROXY");
    expect(problems({ API_RATE_LIMIT_PER_MINUTE: "0" })).toContain("API_RATE_LIMIT_PER_MINUTE");
  });
});
