/** Package URLs (pkg:type/namespace/name@version?qualifiers#subpath), read leniently. */

export interface PackageUrl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Map<string, string>;
}

/** Malformed percent-escapes are kept literally rather than failing the whole SBOM. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parsePurl(purl: string): PackageUrl | null {
  const text = purl.trim();
  if (!/^pkg:/i.test(text)) return null;
  let rest = text.slice(4).replace(/^\/+/, "");
  rest = rest.split("#")[0] ?? "";
  const [path = "", query = ""] = rest.split("?");
  rest = path;
  const qualifiers = new Map<string, string>();
  for (const pair of query.split("&")) {
    const equals = pair.indexOf("=");
    if (equals > 0) qualifiers.set(pair.slice(0, equals).toLowerCase(), decode(pair.slice(equals + 1)));
  }
  // Version follows the last "@", but "@" opening a segment is an unencoded npm scope.
  let version: string | null = null;
  const at = rest.lastIndexOf("@");
  if (at > 0 && rest[at - 1] !== "/") {
    version = decode(rest.slice(at + 1)) || null;
    rest = rest.slice(0, at);
  }
  const segments = rest.split("/").filter((segment) => segment !== "");
  const type = segments.shift()?.toLowerCase();
  const name = segments.pop();
  if (!type || !name) return null;
  const namespace = segments.length > 0 ? segments.map(decode).join("/") : null;
  return { type, namespace, name: decode(name), version, qualifiers };
}
