import { isIP } from "node:net";

// Next.js route handlers and server actions see headers, never the socket. `next start` fills
// X-Forwarded-For with the peer's address only when the request brings none, so:
// - behind N reverse proxies (TRUST_PROXY=N), each appends the address it saw, and the client's is
//   the Nth entry from the right: entries further left were written by the client and are ignored;
// - with no proxy (TRUST_PROXY unset), the rightmost entry is the peer's address unless the client
//   wrote the header itself. Per-IP limits can then be dodged by a direct client, which is why the
//   README asks for a proxy in production; limits per address and per token do not depend on this.

/** The key per-IP limits count against: the client's address, an IPv6 one cut to its /64. */
export function clientIp(headers: Headers, trustProxy: number): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = hops[hops.length - Math.max(trustProxy, 1)] ?? hops[0];
  return entry ? normaliseIp(entry) : "unknown";
}

/** One key per client: IPv4-mapped IPv6 as IPv4, IPv6 by its /64 (one host usually holds a whole /64). */
export function normaliseIp(raw: string): string {
  // Some proxies write a port ("203.0.113.9:51234", "[2001:db8::1]:443"); the zone (%eth0) is local.
  const value = raw
    .replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1")
    .replace(/^\[|\](?::\d+)?$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value)?.[1];
  if (mapped) return mapped;
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return "invalid"; // a garbled header: one shared bucket, never a fresh key per request
  return `${expandIpv6(value).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(value: string): string[] {
  const [head = "", tail] = value.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups; only the first four groups are kept anyway.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill("0");
  return [...left, ...zeros, ...right].map((g) => (g.includes(".") ? g : g.replace(/^0+(?=.)/, "")));
}
