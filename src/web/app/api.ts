import type { ErrorCode as ServerErrorCode } from "../../server/lib/errors.js";
import i18n from "../i18n/index.js";

/** The server's one error shape: `{error:{code,message,details}}`, message already localized; NETWORK when no answer came. */
export type ErrorCode = ServerErrorCode | "NETWORK";

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field-level problems of a VALIDATION error, if the server sent any. */
  get issues(): ValidationIssue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Query string values; arrays repeat the key (`filter=a&filter=b`), empty values are dropped. */
export type QueryParams = Record<string, string | number | boolean | null | undefined | (string | null | undefined)[]>;

export function toSearch(params: QueryParams | undefined): string {
  if (!params) return "";
  const sp = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined || v === null || v === "") continue;
      sp.append(key, String(v));
    }
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}

type UnauthenticatedListener = () => void;
let onUnauthenticated: UnauthenticatedListener = () => {};

/** The app decides what a lost session means (clear caches, go to /login). */
export function setUnauthenticatedHandler(fn: UnauthenticatedListener): void {
  onUnauthenticated = fn;
}

// A 401 from these is an answer to the user ("wrong password", "code required"), not a lost session.
const NO_REDIRECT_ON_401 = ["/api/v1/auth/login", "/api/v1/setup", "/api/v1/auth/password-reset", "/api/v1/me/password", "/api/v1/me/totp"];

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
}

/** The raw response; network failures become ApiError NETWORK. */
async function send(method: string, path: string, init: { headers: Record<string, string>; body?: BodyInit; query?: QueryParams; signal?: AbortSignal }): Promise<Response> {
  try {
    return await fetch(path + toSearch(init.query), {
      method,
      headers: { "Accept-Language": i18n.language || "zh-CN", ...init.headers },
      body: init.body,
      credentials: "same-origin",
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "NETWORK", i18n.t("errors.network"));
  }
}

/** The server's error body as an ApiError (and a lost session reported). */
async function failure(res: Response, path: string): Promise<ApiError> {
  let data: unknown;
  try {
    data = JSON.parse(await res.text());
  } catch {
    // Not JSON (a proxy's error page): the status alone says what happened.
  }
  const e = (data as { error?: { code?: ErrorCode; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
  const error = new ApiError(res.status, e?.code ?? codeFromStatus(res.status), e?.message || i18n.t("errors.http", { status: res.status }), e?.details ?? {});
  if (res.status === 401 && !NO_REDIRECT_ON_401.some((p) => path.startsWith(p))) onUnauthenticated();
  return error;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }

  const res = await send(method, path, { headers, body, query: opts.query, signal: opts.signal });
  if (!res.ok) throw await failure(res, path);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined as T;
  }
}

/** Uploads a file as raw bytes (the attachments API takes application/octet-stream, not multipart). */
async function upload<T>(path: string, query: QueryParams, file: Blob): Promise<T> {
  const res = await send("POST", path, { headers: { Accept: "application/json", "Content-Type": "application/octet-stream" }, body: file, query });
  if (!res.ok) throw await failure(res, path);
  return (await res.json()) as T;
}

/** Fetches a file (CSV export…) and hands it to the browser as a download; API errors stay ApiErrors. */
async function download(path: string, query: QueryParams | undefined, fallbackName: string): Promise<void> {
  const res = await send("GET", path, { headers: { Accept: "*/*" }, query });
  if (!res.ok) throw await failure(res, path);
  const blob = await res.blob();
  const disposition = res.headers.get("content-disposition") ?? "";
  const m = /filename\*=UTF-8''([^;]+)|filename="([^"]+)"/i.exec(disposition);
  const name = m ? decodeURIComponent(m[1] ?? m[2] ?? fallbackName) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function codeFromStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "VALIDATION";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 429:
      return "RATE_LIMITED";
    default:
      return "INTERNAL";
  }
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => request<T>("GET", path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, { body }),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, { body }),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
  upload,
  download,
};

/** `filter=field:op:value` builder; returns undefined for empty values so toSearch drops it. */
export function filter(field: string, op: string, value: string | null | undefined): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return `${field}:${op}:${value}`;
}
