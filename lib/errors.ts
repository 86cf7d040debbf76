// One error type per HTTP meaning. Verbs throw these; transports map them in ONE place
// (lib/http/problem.ts for route handlers, lib/http/action.ts for server actions).

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 499,
    readonly code: string,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fieldErrors: FieldErrors = {}) {
    super(400, "validation", message, fieldErrors);
  }
}
export class Unauthorized extends AppError {
  constructor(message = "Sign in to continue.") {
    super(401, "unauthorized", message);
  }
}
export class Forbidden extends AppError {
  constructor(message = "You do not have permission to do that.") {
    super(403, "forbidden", message);
  }
}
export class NotFound extends AppError {
  constructor(message = "Not found.") {
    super(404, "not_found", message);
  }
}
export class UnsupportedMediaType extends AppError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(message: string) {
    super(413, "payload_too_large", message);
  }
}
export class Conflict extends AppError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

/**
 * A conditional write whose precondition no longer holds (If-Match named a version that is no longer
 * the current one, RFC 9110 §13.1.1): nothing was saved; read again and retry.
 */
export class PreconditionFailed extends AppError {
  constructor(message: string) {
    super(412, "precondition_failed", message);
  }
}

/** A rate limit was reached (lib/rate-limit); the caller may try again after retryAfterSeconds. */
export class TooManyRequests extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, "rate_limited", message);
  }
}

/**
 * The caller went away (the client disconnected, or it aborted the call) before anything was saved:
 * the work stopped where it could. 499 is nginx's "client closed request"; nobody is there to read it,
 * and it is not an error of ours to log.
 */
export class Cancelled extends AppError {
  constructor(message = "The request was cancelled before anything was saved.") {
    super(499, "cancelled", message);
  }
}

/** Stops here, with Cancelled, if the caller's signal has aborted. */
export function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Cancelled();
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

function sqlState(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
}

/** PostgreSQL unique_violation (23505), from postgres.js errors; a lost race on a unique key. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === "23505";
}

/** A deadlock (40P01) or serialization failure (40001): two changes met and PostgreSQL undid this one. */
export function isTransactionConflict(error: unknown): boolean {
  const code = sqlState(error);
  return code === "40P01" || code === "40001";
}

/**
 * PostgreSQL's answers to a value it cannot take: invalid_text_representation (22P02),
 * numeric_value_out_of_range (22003), datetime_field_overflow (22008), invalid_datetime_format (22007),
 * character_not_in_repertoire (22021), untranslatable_character (22P05) and program_limit_exceeded
 * (54000, an index row too large). The schemas refuse such input first (lib/validation.ts); this is
 * the last line of defence, so a value no schema foresaw is still the caller's 400, not our 500.
 */
const BAD_INPUT_STATES = new Set(["22P02", "22003", "22007", "22008", "22021", "22P05", "54000"]);

export function isBadInputForDatabase(error: unknown): boolean {
  const code = sqlState(error);
  return typeof code === "string" && BAD_INPUT_STATES.has(code);
}

/** The 400 a bad-input database error becomes (the detail never echoes the database's message). */
export function badInputError(): ValidationError {
  return new ValidationError("A value is outside what can be stored (too long, too large or malformed).", {
    _form: ["A value is outside what can be stored (too long, too large or malformed)."],
  });
}
