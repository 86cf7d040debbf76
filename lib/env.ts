import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isCurrency } from "./cba/money";

// The one place that reads process.env. Everything else asks getEnv().

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
    error: "must be true or false",
  })
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), { message: "must be a postgres:// or postgresql:// URL" });

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const isLoopbackUrl = (v: string) => {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(v).hostname);
  } catch {
    return false;
  }
};

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be a port number" })
      .int("must be a whole number")
      .min(1)
      .max(65535, "must be at most 65535")
      .default(3000),
  ),
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".data")),
  SIGNING_KEY_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  DEMO_MODE: z.preprocess(emptyAsUndefined, flag.optional()),
  APP_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  RESEND_API_KEY: z.preprocess(emptyAsUndefined, z.string().startsWith("re_", "must start with re_").optional()),
  RESEND_BASE_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  // The online OSV API (https://api.osv.dev); unset, reviews use only imported advisories (offline).
  OSV_API_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  // A package-metadata service in PyPI's JSON API shape (https://pypi.org); unset, Python packages'
  // licences come only from the manifest (most Python manifests carry none).
  PACKAGE_METADATA_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).default("Greenlight <greenlight@example.com>")),
  // Webhook endpoints on loopback or private networks are refused (SSRF) unless this is true.
  WEBHOOKS_ALLOW_PRIVATE: z.preprocess(emptyAsUndefined, flag.optional()),
  // https only (loopback aside, for a provider on this machine): Auth.js trusts the ID token because it
  // comes straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7), not by its signature.
  OIDC_ISSUER: z.preprocess(
    emptyAsUndefined,
    httpUrl
      .refine((v) => v.startsWith("https://") || isLoopbackUrl(v), {
        message: "must be an https URL (http only for localhost)",
      })
      .optional(),
  ),
  OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  OIDC_NAME: z.preprocess(emptyAsUndefined, z.string().default("Company SSO")),
  APPROVAL_EXPIRY_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: "must be a number of days" }).int().min(1).max(365).default(14),
  ),
  // A request whose total cost reaches this (minor units, in this currency) is high risk; costs in other
  // currencies are not compared with it.
  RISK_HIGH_COST_MINOR: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be an amount in minor units" })
      .int("must be a whole number")
      .min(1)
      .default(1_000_000),
  ),
  RISK_HIGH_COST_CURRENCY: z.preprocess(
    emptyAsUndefined,
    z.string().trim().toUpperCase().refine(isCurrency, "must be an ISO 4217 currency code").default("USD"),
  ),
  // The server's JavaScript heap (MB): past it the process fails and `npm start` starts it again,
  // rather than the machine swapping while one runaway request grows.
  SERVER_HEAP_MB: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: "must be a number of megabytes" }).int().min(256).max(65_536).default(2048),
  ),
  // How many reverse proxies in front append to X-Forwarded-For (true = 1); the client's address for
  // per-IP rate limits is the entry the outermost of them wrote (lib/rate-limit/client-ip.ts).
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .union([flag, z.coerce.number({ error: "must be true, false or a number of proxies" }).int().min(0).max(10)])
      .transform((v) => (v === true ? 1 : v === false ? 0 : v))
      .default(0),
  ),
  // A busy CI token may need more; every /api/v1 call with a token counts (lib/rate-limit/limits.ts).
  API_RATE_LIMIT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: "must be a number of calls" }).int("must be a whole number").min(1).default(600),
  ),
  // Failed bearer-token attempts one IP may make in 10 minutes before it is refused outright; many
  // CI runners behind one NAT may need more.
  API_FAILED_TOKENS_PER_IP: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: "must be a number of attempts" }).int("must be a whole number").min(1).default(20),
  ),
  // Connections each process keeps to PostgreSQL for its own queries (the job queue adds 4 of its own);
  // instances x (this + 4) must stay under the server's max_connections (docs/production.md, Scaling).
  DATABASE_POOL_MAX: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be a number of connections" })
      .int("must be a whole number")
      .min(1)
      .max(200)
      .default(10),
  ),
  // The bearer token Prometheus sends to GET /api/metrics; unset, the endpoint answers 404 (ADR 0015).
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  // The ID token claim (or userinfo field) that lists a person's directory groups, read at every SSO
  // sign-in and mapped to roles and teams by the admin's group mapping (Admin → SSO).
  OIDC_GROUPS_CLAIM: z.preprocess(emptyAsUndefined, z.string().trim().min(1).max(100).default("groups")),
  WORKER_MODE: z.preprocess(
    emptyAsUndefined,
    z.enum(["inline", "separate"], { error: 'must be "inline" or "separate"' }).default("inline"),
  ),
});

// Rules between variables, checked on the raw values so they are reported even when another
// variable is also wrong (a failed object parse skips refinements).
function crossChecks(source: Record<string, string | undefined>): string[] {
  const set = (key: string) => Boolean(source[key]?.trim());
  const problems: string[] = [];
  const oidc = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"];
  if (oidc.some(set)) {
    for (const key of oidc) if (!set(key)) problems.push(`${key} is required when any OIDC_* variable is set`);
  }
  // The embedded database allows one process per data folder, so its jobs must run in the server.
  if (source.WORKER_MODE?.trim() === "separate" && !set("DATABASE_URL")) {
    problems.push(
      'WORKER_MODE "separate" needs DATABASE_URL: the embedded database runs jobs inside the server (use "inline")',
    );
  }
  return problems;
}

export type Env = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  embedded: boolean;
  dataDir: string;
  /**
   * The Ed25519 private key (PEM) that signs audit checkpoints; generated there on first use. It lives
   * on the application's disk, not in the database, so whoever can rewrite the database cannot re-sign.
   */
  signingKeyFile: string;
  demoMode: boolean;
  appUrl: string;
  authSecret: string;
  resend: { apiKey: string; baseUrl: string | undefined } | undefined;
  mailFrom: string;
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string; groupsClaim: string } | undefined;
  /** postgres.js pool size of each process (the job queue's own 4 come on top). */
  databasePoolMax: number;
  /** The bearer token GET /api/metrics requires; undefined: the endpoint is off (404). */
  metricsToken: string | undefined;
  approvalExpiryDays: number;
  /** A total cost at or over this makes a request high risk (lib/requests/risk.ts); other currencies are not compared. */
  riskHighCost: { minor: number; currency: string };
  /** inline: the web server works the job queue; separate: `npm run worker` does (PostgreSQL only). */
  workerMode: "inline" | "separate";
  /** The server's heap limit in MB (node --max-old-space-size), applied by `npm start`. */
  serverHeapMb: number;
  /** When set, a manifest review also asks the OSV API about its packages (querybatch, then vulns/{id}). */
  osvApiUrl: string | undefined;
  /** When set, Python packages without a licence in the manifest are looked up there (GET /pypi/{name}/{version}/json). */
  packageMetadataUrl: string | undefined;
  /** Reverse proxies in front that append to X-Forwarded-For; 0: clients connect to Next.js directly. */
  trustProxy: number;
  /** /api/v1 calls one token may make per minute. */
  apiRateLimitPerMinute: number;
  /** Failed bearer-token attempts one IP may make in 10 minutes. */
  apiFailedTokensPerIp: number;
  /** Webhooks may point at loopback and private addresses (tests, a receiver on the same network). */
  webhooksAllowPrivate: boolean;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "EnvError";
  }
}

/** Parses an environment (process.env by default). Throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): Env {
  const result = schema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const value = source[name];
        const shown = value === undefined || /SECRET|KEY|URL|TOKEN/.test(name) ? "" : ` (got "${value}")`;
        return `${name} ${issue.message}${shown}`;
      });
  problems.push(...crossChecks(source));
  if (!result.success || problems.length) throw new EnvError(problems);
  const v = result.data;
  const dataDir = path.resolve(cwd, v.DATA_DIR);
  const embedded = !v.DATABASE_URL;
  return {
    nodeEnv: v.NODE_ENV,
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    embedded,
    dataDir,
    signingKeyFile: path.resolve(cwd, v.SIGNING_KEY_FILE ?? path.join(dataDir, "signing-key.pem")),
    demoMode: v.DEMO_MODE ?? embedded,
    appUrl: (v.APP_URL ?? `http://localhost:${v.PORT}`).replace(/\/$/, ""),
    authSecret: v.AUTH_SECRET ?? generatedAuthSecret(dataDir, embedded),
    resend: v.RESEND_API_KEY ? { apiKey: v.RESEND_API_KEY, baseUrl: v.RESEND_BASE_URL } : undefined,
    mailFrom: v.MAIL_FROM,
    oidc:
      v.OIDC_ISSUER && v.OIDC_CLIENT_ID && v.OIDC_CLIENT_SECRET
        ? {
            issuer: v.OIDC_ISSUER,
            clientId: v.OIDC_CLIENT_ID,
            clientSecret: v.OIDC_CLIENT_SECRET,
            name: v.OIDC_NAME,
            groupsClaim: v.OIDC_GROUPS_CLAIM,
          }
        : undefined,
    databasePoolMax: v.DATABASE_POOL_MAX,
    metricsToken: v.METRICS_TOKEN,
    approvalExpiryDays: v.APPROVAL_EXPIRY_DAYS,
    riskHighCost: { minor: v.RISK_HIGH_COST_MINOR, currency: v.RISK_HIGH_COST_CURRENCY },
    workerMode: v.WORKER_MODE,
    serverHeapMb: v.SERVER_HEAP_MB,
    osvApiUrl: v.OSV_API_URL?.replace(/\/$/, ""),
    packageMetadataUrl: v.PACKAGE_METADATA_URL?.replace(/\/$/, ""),
    trustProxy: v.TRUST_PROXY,
    apiRateLimitPerMinute: v.API_RATE_LIMIT_PER_MINUTE,
    apiFailedTokensPerIp: v.API_FAILED_TOKENS_PER_IP,
    webhooksAllowPrivate: v.WEBHOOKS_ALLOW_PRIVATE ?? false,
  };
}

// A fresh clone must run with no configuration, so without AUTH_SECRET a generated secret is kept in
// the data folder (sessions survive restarts; deleting the folder signs everyone out). Fine for one
// instance; several instances behind one address need the same AUTH_SECRET, hence the warning.
function generatedAuthSecret(dataDir: string, embedded: boolean): string {
  const file = path.join(dataDir, "auth-secret");
  if (!embedded) {
    console.warn(
      `[greenlight] AUTH_SECRET is not set: using the one generated in ${file}. Set AUTH_SECRET when running more than one instance.`,
    );
  }
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString("base64");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Where `npm run cli -- policies ...` sends its work: a server over HTTP when GREENLIGHT_URL and
 * GREENLIGHT_TOKEN (an admin's API token) are both set, as in CI; else undefined (the local database).
 */
export function cliRemote(
  source: Record<string, string | undefined> = process.env,
): { url: string; token: string } | undefined {
  const url = source.GREENLIGHT_URL?.trim();
  const token = source.GREENLIGHT_TOKEN?.trim();
  if (!url && !token) return undefined;
  if (!url || !token) throw new EnvError(["GREENLIGHT_URL and GREENLIGHT_TOKEN are set together (or neither)"]);
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new EnvError([`GREENLIGHT_URL is not an http(s) URL`]);
  return { url: url.replace(/\/$/, ""), token };
}
