// Conditional requests (RFC 9110 §13.1.1 If-Match): a write names the version it was made from, and
// a stale one is refused with 412 instead of overwriting someone else's change.

/**
 * The versions an If-Match header names, as numbers (our ETags are "<version>", strong). Absent or
 * "*": undefined (no condition beyond the resource existing). A weak or malformed tag can never match
 * under the strong comparison If-Match uses, so it is kept as version 0, which no resource has: the
 * write is refused with 412 rather than let through.
 */
export function ifMatchVersions(request: Request): number[] | undefined {
  const header = request.headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const tags = header.split(",").map((t) => t.trim());
  return tags.slice(0, 20).map((tag) => {
    const m = /^"(\d{1,9})"$/.exec(tag);
    return m ? Number(m[1]) : 0;
  });
}
