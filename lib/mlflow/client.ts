// A small client for MLflow's REST API 2.0 (/api/2.0/mlflow/...): only the calls Greenlight makes.
// No database here: the verbs and jobs call it outside their transactions (ADR 0022).

/** Every call gives up after this long: a hung tracking server must not hold a job or a form. */
export const MLFLOW_TIMEOUT_MS = 10_000;
/** The most pages one search walks in one call: a bound on a server that keeps answering a next page. */
export const MAX_PAGES = 500;

export type MlflowTag = { key: string; value: string };

/** A model version as MLflow sends it (ModelVersion); every field is optional on the wire. */
export type MlflowModelVersion = {
  name?: string;
  version?: string;
  creation_timestamp?: number | string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: MlflowTag[];
  aliases?: string[];
};

export type MlflowRun = {
  info?: { run_id?: string };
  data?: {
    params?: MlflowTag[];
    metrics?: { key: string; value: number | string; step?: number | string; timestamp?: number | string }[];
    tags?: MlflowTag[];
  };
  inputs?: {
    dataset_inputs?: { tags?: MlflowTag[]; dataset?: { name?: string; digest?: string; source_type?: string } }[];
  };
};

export type MlflowRegisteredModel = { name?: string; description?: string; latest_versions?: MlflowModelVersion[] };

export type MlflowTarget = { url: string; token?: string | null };

/**
 * A failed call: MLflow's own error body ({error_code, message}) when it sent one, else the HTTP
 * status or the network problem. `code` is MLflow's error_code (RESOURCE_DOES_NOT_EXIST, ...).
 */
export class MlflowError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "MlflowError";
  }
}

/** http(s) only, no credentials in the URL; returns it without a trailing slash. Throws a sentence. */
export function trackingUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error("Give the tracking server's address, like https://mlflow.example.com.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error("Only http and https addresses are fetched.");
  if (url.username || url.password) throw new Error("Put the token in the token field, not in the address.");
  if (url.search || url.hash) throw new Error("Give the server's address without a query or fragment.");
  return url.toString().replace(/\/+$/, "");
}

/** MLflow's filter language wraps strings in single quotes; a quote inside is escaped with a backslash. */
export const quoteFilterValue = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

type Call = {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: Record<string, unknown>;
  signal?: AbortSignal;
};

async function call<T>(target: MlflowTarget, { method, path, query, body, signal }: Call): Promise<T> {
  const url = new URL(`${target.url}/api/2.0/mlflow/${path}`);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (body) headers["content-type"] = "application/json";
  const timeout = AbortSignal.timeout(MLFLOW_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: "error",
    });
  } catch (error) {
    const reason = timeout.aborted
      ? `no answer within ${MLFLOW_TIMEOUT_MS / 1000} s`
      : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    throw new MlflowError(`Could not reach MLflow at ${target.url} (${reason}).`, null, null);
  }
  const text = await response.text().catch(() => "");
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    // Not JSON (a proxy's HTML page, a plain-text 401): reported by status below.
  }
  if (!response.ok) {
    const problem = json as { error_code?: unknown; message?: unknown } | undefined;
    const code = typeof problem?.error_code === "string" ? problem.error_code : null;
    const said = typeof problem?.message === "string" ? problem.message.slice(0, 300) : null;
    const what =
      response.status === 401 || response.status === 403
        ? "MLflow refused the token"
        : `MLflow answered ${response.status}${code ? ` ${code}` : ""}`;
    throw new MlflowError(`${what}${said ? `: ${said}` : "."}`, response.status, code);
  }
  if (json === undefined || typeof json !== "object" || json === null)
    throw new MlflowError(
      `MLflow at ${target.url} did not answer JSON (is this the tracking server's address?).`,
      response.status,
      null,
    );
  return json as T;
}

export type Page<T> = { items: T[]; nextPageToken: string | null };

const nextToken = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

export async function searchRegisteredModels(
  target: MlflowTarget,
  options: { pageToken?: string | null; maxResults?: number; signal?: AbortSignal } = {},
): Promise<Page<MlflowRegisteredModel>> {
  const res = await call<{ registered_models?: MlflowRegisteredModel[]; next_page_token?: string }>(target, {
    method: "GET",
    path: "registered-models/search",
    query: { max_results: options.maxResults ?? 100, page_token: options.pageToken ?? undefined },
    signal: options.signal,
  });
  return { items: res.registered_models ?? [], nextPageToken: nextToken(res.next_page_token) };
}

/** Every registered model's name (walking the pages, at most MAX_PAGES of them). */
export async function listRegisteredModelNames(target: MlflowTarget, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  let pageToken: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result: Page<MlflowRegisteredModel> = await searchRegisteredModels(target, { pageToken, signal });
    for (const m of result.items) if (m.name) names.push(m.name);
    pageToken = result.nextPageToken;
    if (!pageToken) break;
  }
  return names;
}

export async function getRegisteredModel(target: MlflowTarget, name: string, signal?: AbortSignal) {
  const res = await call<{ registered_model?: MlflowRegisteredModel }>(target, {
    method: "GET",
    path: "registered-models/get",
    query: { name },
    signal,
  });
  return res.registered_model ?? null;
}

export async function searchModelVersions(
  target: MlflowTarget,
  name: string,
  options: { pageToken?: string | null; maxResults?: number; signal?: AbortSignal } = {},
): Promise<Page<MlflowModelVersion>> {
  const res = await call<{ model_versions?: MlflowModelVersion[]; next_page_token?: string }>(target, {
    method: "GET",
    path: "model-versions/search",
    query: {
      filter: `name=${quoteFilterValue(name)}`,
      max_results: options.maxResults ?? 100,
      page_token: options.pageToken ?? undefined,
    },
    signal: options.signal,
  });
  return { items: res.model_versions ?? [], nextPageToken: nextToken(res.next_page_token) };
}

export async function getModelVersion(target: MlflowTarget, name: string, version: string, signal?: AbortSignal) {
  const res = await call<{ model_version?: MlflowModelVersion }>(target, {
    method: "GET",
    path: "model-versions/get",
    query: { name, version },
    signal,
  });
  return res.model_version ?? null;
}

export async function getRun(target: MlflowTarget, runId: string, signal?: AbortSignal) {
  const res = await call<{ run?: MlflowRun }>(target, {
    method: "GET",
    path: "runs/get",
    query: { run_id: runId },
    signal,
  });
  return res.run ?? null;
}

export async function setModelVersionTag(
  target: MlflowTarget,
  tag: { name: string; version: string; key: string; value: string },
  signal?: AbortSignal,
) {
  await call(target, { method: "POST", path: "model-versions/set-tag", body: tag, signal });
}

export async function setRegisteredModelAlias(
  target: MlflowTarget,
  alias: { name: string; alias: string; version: string },
  signal?: AbortSignal,
) {
  await call(target, { method: "POST", path: "registered-models/alias", body: alias, signal });
}
