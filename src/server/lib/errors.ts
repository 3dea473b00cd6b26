/**
 * The one error type. Services throw AppError; lib/http.ts maps it to a status
 * and to `{error:{code,message,details}}` with the message in the caller's
 * language (lib/i18n.ts). Domain specifics go in `details`, not in new codes.
 */
export type ErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "VALIDATION"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "INTERNAL";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Key into lib/messages.ts. */
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${messageKey}`);
    this.name = "AppError";
  }
}

export const notFound = (object: string) => new AppError("NOT_FOUND", "errors.not_found", { object });
export const forbidden = (permission?: string) =>
  new AppError("FORBIDDEN", "errors.forbidden", {}, permission ? { permission } : {});
export const unauthenticated = (key = "errors.unauthenticated", details: Record<string, unknown> = {}) =>
  new AppError("UNAUTHENTICATED", key, {}, details);
export const invalid = (key: string, params: Record<string, string | number> = {}, details: Record<string, unknown> = {}) =>
  new AppError("VALIDATION", key, params, details);
export const conflict = (key: string, details: Record<string, unknown> = {}) => new AppError("CONFLICT", key, {}, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError("RATE_LIMITED", "errors.rate_limited", { seconds: retryAfterSeconds }, { retryAfterSeconds });

/** The SQLSTATE of a PostgreSQL error, also when wrapped (Drizzle wraps driver errors in `cause`). */
export function pgCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * Input the database refuses as data (class 22: a NUL byte, a value out of
 * range, a malformed uuid or date; 23: a constraint) is the caller's error:
 * 400 or 409, never 500.
 */
export function fromDatabaseError(err: unknown): AppError | undefined {
  const code = pgCode(err);
  if (!code) return undefined;
  if (code === "23505") return conflict("errors.conflict", { reason: "unique_violation" });
  if (code.startsWith("22") || code === "23502" || code === "23503" || code === "23514") {
    return invalid("errors.validation", {}, { reason: "invalid_value", sqlstate: code });
  }
  return undefined;
}

/** PostgreSQL unique_violation, for turning races into CONFLICT instead of 500. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: unknown } | undefined;
  if (e?.code === "23505") return constraint === undefined || e.constraint === constraint;
  return e?.cause !== undefined && isUniqueViolation(e.cause, constraint);
}
