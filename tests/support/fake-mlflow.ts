import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for an MLflow tracking server on loopback, built from MLflow's REST API 2.0 reference
// (the endpoints Greenlight calls): JSON bodies, {error_code, message} errors with MLflow's HTTP
// statuses, max_results + page_token/next_page_token pagination with a server-side page cap, and
// Bearer authentication when a token is set. Tests never touch the network.

type Tag = { key: string; value: string };
export type FakeVersion = {
  name: string;
  version: string;
  source: string;
  run_id?: string;
  status: "READY" | "PENDING_REGISTRATION" | "FAILED_REGISTRATION";
  tags: Tag[];
  creation_timestamp: number;
};
export type FakeRun = {
  info: { run_id: string };
  data: { params: Tag[]; metrics: { key: string; value: number; step: number; timestamp: number }[]; tags: Tag[] };
  inputs: { dataset_inputs: { tags: Tag[]; dataset: { name: string; digest: string; source_type: string } }[] };
};

export class FakeMlflow {
  readonly models = new Map<string, { name: string; aliases: Map<string, string> }>();
  readonly versions: FakeVersion[] = [];
  readonly runs = new Map<string, FakeRun>();
  readonly calls: string[] = [];
  /** Required as `Authorization: Bearer <token>` when set. */
  token: string | null = null;
  /** The most results one page holds, whatever max_results asks (MLflow backends cap it too). */
  pageCap = 1000;
  /** Answer the next n calls (matching the filter) with 503 TEMPORARILY_UNAVAILABLE. */
  private failures: { left: number; match: (path: string) => boolean }[] = [];
  private server: Server | null = null;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  failNext(count: number, match: (path: string) => boolean = () => true) {
    this.failures.push({ left: count, match });
  }

  /** A registered model with versions 1..n, each from its own run with params, metrics and a dataset. */
  addModel(name: string, versions = 0) {
    if (!this.models.has(name)) this.models.set(name, { name, aliases: new Map() });
    for (let i = 0; i < versions; i++) this.addVersion(name);
  }

  addVersion(name: string, options: { status?: FakeVersion["status"]; tags?: Tag[]; withRun?: boolean } = {}) {
    const number = this.versions.filter((v) => v.name === name).length + 1;
    const runId = `run${name.replace(/\W/g, "")}${number}`;
    if (options.withRun !== false)
      this.runs.set(runId, {
        info: { run_id: runId },
        data: {
          params: [
            { key: "learning_rate", value: `0.0${number}` },
            { key: "max_depth", value: "6" },
          ],
          metrics: [{ key: "auc", value: (80 + number) / 100, step: 10, timestamp: 1_700_000_000_000 }],
          tags: [{ key: "mlflow.source.git.commit", value: `abcdef${String(number).padStart(2, "0")}` }],
        },
        inputs: {
          dataset_inputs: [
            {
              tags: [{ key: "mlflow.data.context", value: "evaluation" }],
              dataset: { name: "holdout", digest: "e1", source_type: "s3" },
            },
            {
              tags: [{ key: "mlflow.data.context", value: "training" }],
              dataset: { name: `${name}-train`, digest: `d${number}`, source_type: "s3" },
            },
          ],
        },
      });
    const version: FakeVersion = {
      name,
      version: String(number),
      source: `s3://mlflow/artifacts/${name}/${number}`,
      run_id: options.withRun === false ? undefined : runId,
      status: options.status ?? "READY",
      tags: options.tags ?? [],
      creation_timestamp: 1_700_000_000_000 + number,
    };
    this.versions.push(version);
    return version;
  }

  tagsOf(name: string, version: string): Record<string, string> {
    const v = this.versions.find((x) => x.name === name && x.version === version);
    return Object.fromEntries((v?.tags ?? []).map((t) => [t.key, t.value]));
  }

  aliasesOf(name: string): Record<string, string> {
    return Object.fromEntries(this.models.get(name)?.aliases ?? []);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, "");
    this.calls.push(`${req.method} ${path}${url.search}`);
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string) => send(status, { error_code: code, message });
    const failure = this.failures.find((f) => f.left > 0 && f.match(path));
    if (failure) {
      failure.left--;
      return error(503, "TEMPORARILY_UNAVAILABLE", "The server is temporarily unavailable.");
    }
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`)
      return error(401, "UNAUTHENTICATED", "Invalid or missing credentials.");
    let body: Record<string, unknown> = {};
    if (req.method === "POST") {
      try {
        body = JSON.parse(raw || "{}");
      } catch {
        return error(400, "MALFORMED_REQUEST", "Request body is not JSON.");
      }
    }
    const q = (key: string) =>
      (req.method === "GET" ? url.searchParams.get(key) : (body[key] as string | undefined)) ?? null;
    const need = (...keys: string[]) => {
      const missing = keys.find((k) => !q(k));
      if (missing) error(400, "INVALID_PARAMETER_VALUE", `Missing value for required parameter '${missing}'.`);
      return !missing;
    };
    const page = <T>(items: T[], scope: string) => {
      const max = Number(q("max_results") ?? 100);
      if (!Number.isInteger(max) || max < 1)
        return error(400, "INVALID_PARAMETER_VALUE", `Invalid value ${max} for max_results.`);
      let offset = 0;
      const token = q("page_token");
      if (token) {
        try {
          const decoded = JSON.parse(Buffer.from(token, "base64").toString()) as { offset: number; scope: string };
          if (decoded.scope !== scope || !Number.isInteger(decoded.offset)) throw new Error("scope");
          offset = decoded.offset;
        } catch {
          return error(400, "INVALID_PARAMETER_VALUE", `Invalid page token, could not base64-decode: ${token}`);
        }
      }
      const size = Math.min(max, this.pageCap);
      const slice = items.slice(offset, offset + size);
      const next =
        offset + size < items.length
          ? Buffer.from(JSON.stringify({ offset: offset + size, scope })).toString("base64")
          : undefined;
      return { slice, next };
    };
    const versionOf = (name: string, version: string) =>
      this.versions.find((v) => v.name === name && v.version === version);

    if (req.method === "GET" && path === "registered-models/search") {
      const all = [...this.models.values()].sort((a, b) => a.name.localeCompare(b.name));
      const p = page(all, "models");
      if (!p) return;
      return send(200, {
        registered_models: p.slice.map((m) => ({ name: m.name, creation_timestamp: 1_700_000_000_000 })),
        ...(p.next && { next_page_token: p.next }),
      });
    }
    if (req.method === "GET" && path === "registered-models/get") {
      if (!need("name")) return;
      const m = this.models.get(q("name")!);
      if (!m) return error(404, "RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${q("name")} not found`);
      return send(200, { registered_model: { name: m.name } });
    }
    if (req.method === "GET" && path === "model-versions/search") {
      const filter = q("filter") ?? "";
      const match = /^name\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(filter.trim());
      if (filter && !match) return error(400, "INVALID_PARAMETER_VALUE", `Invalid filter '${filter}'.`);
      const name = match ? match[1]!.replace(/\\(.)/g, "$1") : null;
      const all = this.versions
        .filter((v) => name === null || v.name === name)
        .sort((a, b) => a.name.localeCompare(b.name) || Number(a.version) - Number(b.version));
      const p = page(all, `versions:${filter}`);
      if (!p) return;
      return send(200, {
        model_versions: p.slice.map((v) => ({ ...v, aliases: this.aliasesFor(v) })),
        ...(p.next && { next_page_token: p.next }),
      });
    }
    if (req.method === "GET" && path === "model-versions/get") {
      if (!need("name", "version")) return;
      const v = versionOf(q("name")!, q("version")!);
      if (!v)
        return error(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          `Model Version (name=${q("name")}, version=${q("version")}) not found`,
        );
      return send(200, { model_version: { ...v, aliases: this.aliasesFor(v) } });
    }
    if (req.method === "GET" && path === "runs/get") {
      if (!need("run_id")) return;
      const run = this.runs.get(q("run_id")!);
      if (!run) return error(404, "RESOURCE_DOES_NOT_EXIST", `Run '${q("run_id")}' not found.`);
      return send(200, { run });
    }
    if (req.method === "POST" && path === "model-versions/set-tag") {
      if (!need("name", "version", "key", "value")) return;
      const v = versionOf(q("name")!, q("version")!);
      if (!v)
        return error(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          `Model Version (name=${q("name")}, version=${q("version")}) not found`,
        );
      v.tags = [...v.tags.filter((t) => t.key !== q("key")), { key: q("key")!, value: q("value")! }];
      return send(200, {});
    }
    if (req.method === "POST" && path === "registered-models/alias") {
      if (!need("name", "alias", "version")) return;
      const m = this.models.get(q("name")!);
      if (!m || !versionOf(q("name")!, q("version")!))
        return error(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          `Model Version (name=${q("name")}, version=${q("version")}) not found`,
        );
      m.aliases.set(q("alias")!, q("version")!);
      return send(200, {});
    }
    return error(404, "ENDPOINT_NOT_FOUND", `No API endpoint found for ${req.method} ${url.pathname}`);
  }

  private aliasesFor(v: FakeVersion) {
    return [...(this.models.get(v.name)?.aliases ?? [])].filter(([, ver]) => ver === v.version).map(([a]) => a);
  }
}
