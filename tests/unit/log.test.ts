import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeError, logError } from "../../lib/log";

const tokenHash = "9f2c".repeat(16); // a sha256 hex, as api_tokens.token_hash stores it
const email = "maya@example.com";

function failedQuery() {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), {
    name: "PostgresError",
    code: "23505",
    query: "insert into users (email) values ($1)",
    parameters: [email],
    args: [email],
  });
  return new DrizzleQueryError(
    'select "user_id" from "api_tokens" where "token_hash" = $1',
    [tokenHash, email, "glt_live_secret_value"],
    cause,
  );
}

describe("server log lines", () => {
  afterEach(() => vi.restoreAllMocks());

  it("name the failed query and its cause, never its parameters", () => {
    const line = describeError(failedQuery());
    expect(line).toContain('select "user_id" from "api_tokens" where "token_hash" = $1');
    expect(line).toContain("PostgresError [23505]: duplicate key value violates unique constraint");
    expect(line).not.toContain(tokenHash);
    expect(line).not.toContain(email);
    expect(line).not.toContain("glt_live_secret_value");
  });

  it("redact tokens and hashes that reach a message by other ways", () => {
    const line = describeError(new Error(`token glt_abc123DEF-_x and hash ${tokenHash} were refused`));
    expect(line).toBe(line.replace(/glt_|[0-9a-f]{40,}/g, "")); // nothing of either shape left
    expect(line).toContain("[redacted]");
  });

  it("logError writes one scrubbed entry with the label", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    logError("[api] unexpected error:", failedQuery());
    expect(spy).toHaveBeenCalledTimes(1);
    const [written] = spy.mock.calls[0]!;
    expect(String(written)).toMatch(/^\[api\] unexpected error: Error: Failed query:/);
    expect(String(written)).not.toContain(email);
  });

  it("something thrown that is not an Error is described by its type only", () => {
    expect(describeError({ password: "hunter2" })).toBe("(non-error thrown: object)");
  });
});
