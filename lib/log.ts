// Errors as they may be written to the server log: what failed and where, never the values a query
// carried. A failed query's parameters hold token hashes, emails and whatever a user typed; drizzle
// puts them in the message ("params: ...") and postgres.js on the error object, so neither is printed.

const SECRETISH = [
  /glt_[A-Za-z0-9_-]+/g, // API tokens
  /whsec_[A-Za-z0-9+/=]+/g, // webhook secrets
  /\b[0-9a-f]{40,}\b/gi, // hashes (token hashes are sha256 hex)
];

function scrub(text: string): string {
  let out = text.split("\nparams:")[0]!;
  for (const pattern of SECRETISH) out = out.replace(pattern, "[redacted]");
  return out.slice(0, 2_000);
}

/** One line per cause: name, SQLSTATE where there is one, the scrubbed message; then the stack frames. */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return `(non-error thrown: ${typeof error})`;
  const code = (error as { code?: unknown }).code;
  const head = `${error.name}${typeof code === "string" ? ` [${code}]` : ""}: ${scrub(error.message)}`;
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .slice(0, 8)
    .join("\n");
  const cause = depth < 3 && error.cause !== undefined ? `\ncaused by ${describeError(error.cause, depth + 1)}` : "";
  return `${head}${frames ? `\n${frames}` : ""}${cause}`;
}

/** Logs an unexpected error under a label such as "[api]", without query parameters or secrets. */
export function logError(label: string, error: unknown): void {
  console.error(`${label} ${describeError(error)}`);
}
