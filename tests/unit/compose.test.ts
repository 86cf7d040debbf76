import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseEnv } from "../../lib/env";

// No Docker daemon is needed: compose.yaml is read as YAML (merge keys resolved, as Compose does),
// its ${VAR} references are resolved from the documented deploy/compose.env.example the way Compose
// interpolates them, and every Greenlight service's environment is run through lib/env.ts.

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** KEY=VALUE lines of a Compose .env file (comments and blanks skipped). */
function dotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) vars[match[1]!] = match[2]!.trim();
  }
  return vars;
}

/** Compose interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(text: string, vars: Record<string, string>, missing: string[]): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name, colon, op, arg) => {
    if (whole === "$$") return "$";
    const value = vars[name as string];
    const unset = value === undefined || (colon === ":" && value === "");
    if (!op) return value ?? "";
    if (op === "-") return unset ? (arg as string) : value!;
    if (unset) missing.push(`${name}: ${arg}`);
    return value ?? "";
  });
}

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  volumes?: string[];
  read_only?: boolean;
  ports?: string[];
  restart?: string;
};
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

function load(vars: Record<string, string>) {
  const missing: string[] = [];
  const compose = parse(interpolate(read("compose.yaml"), vars, missing), { merge: true }) as Compose;
  return { compose, missing };
}

const example = dotenv(read("deploy/compose.env.example"));
const GREENLIGHT = ["migrate", "web-1", "web-2", "worker"];

describe("compose.yaml", () => {
  const { compose, missing } = load(example);

  it("resolves every required variable from the documented example", () => {
    expect(missing).toEqual([]);
  });

  it("refuses to start without the required secrets (Compose stops on ${VAR:?})", () => {
    const { missing: without } = load({});
    expect(without.map((m) => m.split(":")[0])).toEqual(
      expect.arrayContaining(["POSTGRES_PASSWORD", "AUTH_SECRET", "GREENLIGHT_DOMAIN"]),
    );
  });

  it("has PostgreSQL 16 with a volume and a health check", () => {
    const db = compose.services.postgres!;
    expect(db.image).toMatch(/^postgres:16(\b|-)/);
    expect(db.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty("pgdata");
    expect(JSON.stringify(db.healthcheck?.test)).toContain("pg_isready");
  });

  it("runs migrations once, first, and starts the rest only after they succeeded", () => {
    expect(compose.services.migrate!.command).toEqual(["migrate"]);
    expect(compose.services.migrate!.restart).toBe("no");
    expect(compose.services.migrate!.depends_on?.postgres?.condition).toBe("service_healthy");
    for (const name of ["web-1", "web-2", "worker"]) {
      expect(compose.services[name]!.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
    }
  });

  it("has two health-checked web instances, one worker and a TLS-ready proxy in front", () => {
    const webs = Object.entries(compose.services).filter(([, s]) => s.command?.[0] === "web");
    expect(webs.map(([name]) => name).sort()).toEqual(["web-1", "web-2"]);
    for (const [, web] of webs) expect(JSON.stringify(web.healthcheck?.test)).toContain("/api/health");
    const workers = Object.values(compose.services).filter((s) => s.command?.[0] === "worker");
    expect(workers).toHaveLength(1);
    const proxy = compose.services.proxy!;
    expect(proxy.image).toMatch(/^caddy:2/);
    expect(proxy.ports).toEqual(expect.arrayContaining(["80:80", "443:443"]));
    expect(proxy.depends_on).toMatchObject({
      "web-1": { condition: "service_healthy" },
      "web-2": { condition: "service_healthy" },
    });
    // Only the proxy is reachable from outside.
    for (const name of GREENLIGHT) expect(compose.services[name]!.ports, name).toBeUndefined();
    const caddyfile = read("deploy/Caddyfile");
    expect(caddyfile).toMatch(/reverse_proxy web-1:3000 web-2:3000/);
    expect(caddyfile).toMatch(/health_uri \/api\/health/);
  });

  it("gives every Greenlight service the same image, secret, key volume and a read-only root", () => {
    const secrets = new Set<string>();
    for (const name of GREENLIGHT) {
      const service = compose.services[name]!;
      expect(service.build, name).toBe(".");
      expect(service.read_only, name).toBe(true);
      expect(service.volumes, name).toContain("keys:/data/keys");
      secrets.add(String(service.environment?.AUTH_SECRET));
    }
    expect(secrets.size).toBe(1);
  });

  it("gives each Greenlight service an environment lib/env.ts accepts: PostgreSQL, separate worker, demo off", () => {
    for (const name of GREENLIGHT) {
      const raw = compose.services[name]!.environment ?? {};
      // A bare `KEY:` (null) is passed through from the host's shell by Compose: here, unset.
      const source = Object.fromEntries(
        Object.entries(raw)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, String(v)]),
      );
      const env = parseEnv(source, "/app");
      expect(env, name).toMatchObject({
        embedded: false,
        demoMode: false,
        workerMode: "separate",
        trustProxy: 1,
        appUrl: `https://${example.GREENLIGHT_DOMAIN}`,
        signingKeyFile: "/data/keys/signing-key.pem",
        databasePoolMax: 10,
      });
      expect(env.databaseUrl, name).toBe(`postgres://greenlight:${example.POSTGRES_PASSWORD}@postgres:5432/greenlight`);
    }
  });

  it("still passes lib/env.ts with every optional setting filled in (SSO, Resend, metrics)", () => {
    const { compose: full, missing: none } = load({
      ...example,
      RESEND_API_KEY: "re_live_key",
      MAIL_FROM: "Greenlight <greenlight@mail.example.com>",
      OIDC_ISSUER: "https://login.example.com/realms/acme",
      OIDC_CLIENT_ID: "greenlight",
      OIDC_CLIENT_SECRET: "client-secret",
      METRICS_TOKEN: "f".repeat(64),
      DATABASE_POOL_MAX: "6",
    });
    expect(none).toEqual([]);
    const raw = full.services["web-1"]!.environment ?? {};
    const env = parseEnv(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])), "/app");
    expect(env.oidc).toMatchObject({ issuer: "https://login.example.com/realms/acme", groupsClaim: "groups" });
    expect(env).toMatchObject({ metricsToken: "f".repeat(64), databasePoolMax: 6, resend: { apiKey: "re_live_key" } });
  });

  it("keeps the connection budget under PostgreSQL's max_connections", () => {
    const max = Number(/max_connections=(\d+)/.exec(JSON.stringify(compose.services.postgres!.command))![1]);
    // Each process: its pool plus the job queue's 4; migrate is gone before the others start. Room
    // for a rolling upgrade's extra instance, PostgreSQL's 3 reserved superuser slots, psql and pg_dump.
    const processes = GREENLIGHT.length - 1 + 1;
    expect(processes * (10 + 4) + 3 + 10).toBeLessThanOrEqual(max);
  });
});
