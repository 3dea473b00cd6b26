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

/** PostgreSQL unique_violation, for turning races into CONFLICT instead of 500. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: unknown } | undefined;
  if (e?.code === "23505") return constraint === undefined || e.constraint === constraint;
  return e?.cause !== undefined && isUniqueViolation(e.cause, constraint);
}
