import "server-only";
import { parseOsvRecord, type OsvRecord } from "../dependencies/review";

const BATCH = 1000; // the API's limit per querybatch
const TIMEOUT_MS = 15_000;

type Query = { package: { ecosystem: string; name: string }; version: string };
type BatchAnswer = { results: { vulns?: { id: string; modified: string }[] }[] };

async function call<T>(url: string, init: RequestInit & { cancel?: AbortSignal } = {}): Promise<T> {
  const { cancel, ...rest } = init;
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  const response = await fetch(url, { ...rest, signal });
  if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Which vulnerabilities affect these pinned packages (querybatch answers ids and modified dates only). Ranges are left to the stored snapshot: the API answers for exact versions. */
export async function queryOsv(
  baseUrl: string,
  deps: readonly { ecosystem: string; name: string; pinnedVersion: string | null }[],
  cancel?: AbortSignal,
): Promise<Map<string, string>> {
  const queries: Query[] = deps
    .filter((d) => d.pinnedVersion && (d.ecosystem === "PyPI" || d.ecosystem === "npm"))
    .map((d) => ({ package: { ecosystem: d.ecosystem, name: d.name }, version: d.pinnedVersion! }));
  const wanted = new Map<string, string>();
  for (let i = 0; i < queries.length; i += BATCH) {
    const answer = await call<BatchAnswer>(`${baseUrl}/v1/querybatch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ queries: queries.slice(i, i + BATCH) }),
      cancel,
    });
    for (const result of answer.results ?? []) for (const v of result.vulns ?? []) wanted.set(v.id, v.modified);
  }
  return wanted;
}

/** The full records (GET /v1/vulns/{id}); ones that fail validation are skipped. */
export async function fetchOsvRecords(
  baseUrl: string,
  ids: readonly string[],
  cancel?: AbortSignal,
): Promise<OsvRecord[]> {
  const records: OsvRecord[] = [];
  for (const id of ids) {
    const parsed = parseOsvRecord(await call<unknown>(`${baseUrl}/v1/vulns/${encodeURIComponent(id)}`, { cancel }));
    if (parsed.ok) records.push(parsed.record);
  }
  return records;
}
