import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { isPrivateAddress } from "./address";

/** Seconds an endpoint has to answer; a slow receiver is a failed attempt, retried later. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const EXCERPT_BYTES = 1024;

export type PostResult = {
  /** Null when no HTTP answer came back. */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
};

export class RefusedAddress extends Error {}

/**
 * Resolves like the system resolver but refuses private addresses, so the check and the connection
 * use the same answer (a name that resolves publicly when saved and privately when sent, "DNS
 * rebinding", is refused at send time).
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => !allowPrivate && isPrivateAddress(a.address));
      if (bad) {
        return callback(new RefusedAddress(`${hostname} resolves to ${bad.address}, a private address`), "", 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Resolves a URL's host and says why it may not be used, or null when it may. */
export async function refusedAddressReason(url: URL, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return isPrivateAddress(host) ? `${host} is a private or loopback address` : null;
  try {
    const addresses = await dns.promises.lookup(host, { all: true });
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    return bad ? `${host} resolves to ${bad.address}, a private or loopback address` : null;
  } catch {
    return `${host} could not be resolved`;
  }
}

/**
 * POSTs one webhook body. Never follows redirects (a 3xx is a failed attempt: the receiver should be
 * configured with its final URL) and reads at most 1 KB of the answer.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, durationMs: elapsed() });
    };
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) {
      return finish({
        statusCode: null,
        error: `${host} is a private or loopback address`,
        responseExcerpt: null,
      });
    }
    const client = target.protocol === "https:" ? https : http;
    const req = client.request(
      target,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Greenlight-Webhooks/1",
        },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size > 64 * 1024) res.destroy(); // enough read: the status is what counts
        });
        const done = () => {
          const status = res.statusCode ?? null;
          const ok = status !== null && status >= 200 && status < 300;
          finish({
            statusCode: status,
            error: ok ? null : `the endpoint answered ${status}`,
            responseExcerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8") || null,
          });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`no answer within ${(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000} s`)),
    );
    req.on("error", (error) => finish({ statusCode: null, error: error.message, responseExcerpt: null }));
    req.end(body);
  });
}
