import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { zhCN, en } from "zod/locales";
import type { Ctx } from "./context.js";
import { AppError, fromDatabaseError, HTTP_STATUS, unauthenticated } from "./errors.js";
import { hasMessage, pickLocale, translate, type Locale } from "./i18n.js";
import { etagOf } from "./versioning.js";

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

declare module "fastify" {
  interface FastifyRequest {
    ctx: Ctx | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. Every other /api/v1 route requires a session or token. */
    public?: boolean;
  }
}

/** The request's context; routes that are not public always have one (lib/auth hook). */
export function ctxOf(req: FastifyRequest): Ctx {
  if (!req.ctx) throw unauthenticated();
  return req.ctx;
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(["NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "VALIDATION", "CONFLICT", "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "INTERNAL"]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: "Error" });

/** The error responses every authenticated route may give, for OpenAPI. */
export const errors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  413: ErrorSchema,
  429: ErrorSchema,
};

/** Date on the wire: ISO-8601 string; Date in code. */
export const DateTime = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

export const IdParams = z.object({ id: z.uuid() });

/** Body field `version` or If-Match header: one of the two is required by updates. */
export const VersionField = { version: z.number().int().min(1).optional() };

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header("etag", etagOf(version));
}

const zodLocales: Record<Locale, ReturnType<typeof en>> = { "zh-CN": zhCN(), "en-US": en() };

const STAND_INS: Record<string, unknown> = {
  number: 0,
  string: "",
  boolean: false,
  null: null,
  array: [],
  object: {},
  undefined: undefined,
  bigint: 0n,
  nan: Number.NaN,
};

interface Issue {
  path: string[];
  message: string;
  code: string;
}

function localiseIssue(raw: { keyword: string; instancePath: string; message?: string; params: Record<string, unknown> }, locale: Locale, where: string): Issue {
  const path = raw.instancePath.split("/").filter(Boolean);
  const message = raw.message ?? "";
  let text = message;
  if (hasMessage(message)) text = translate(locale, message);
  else if (locale !== "en-US") {
    // Zod's English message was made with the input at hand; the issue no longer
    // carries it, so give the locale a stand-in of the type the message names.
    const received = /received (\w+)/.exec(message)?.[1];
    const input = received === undefined ? raw.params.input : STAND_INS[received];
    const localeError = zodLocales[locale].localeError;
    if (localeError) {
      const out = localeError({ ...raw.params, code: raw.keyword, path, input, message } as never);
      text = typeof out === "string" ? out : (out?.message ?? message);
    }
  }
  return { path: where === "body" ? path : [where, ...path], message: text, code: raw.keyword };
}

/** Services may put issues with message keys in details (checks zod cannot express): they are translated here. */
function localiseDetails(details: Record<string, unknown>, locale: Locale): Record<string, unknown> {
  if (!Array.isArray(details.issues)) return details;
  const issues = (details.issues as { message?: unknown }[]).map((i) =>
    typeof i.message === "string" && hasMessage(i.message) ? { ...i, message: translate(locale, i.message) } : i,
  );
  return { ...details, issues };
}

export function sendError(reply: FastifyReply, req: FastifyRequest, err: AppError): FastifyReply {
  const locale = req.ctx?.locale ?? pickLocale(req.headers["accept-language"]);
  if (err.code === "RATE_LIMITED" && typeof err.details.retryAfterSeconds === "number") {
    void reply.header("retry-after", String(err.details.retryAfterSeconds));
  }
  return reply
    .code(HTTP_STATUS[err.code])
    .type("application/json; charset=utf-8")
    .send({ error: { code: err.code, message: translate(locale, err.messageKey, err.params), details: localiseDetails(err.details, locale) } });
}

/** One place where every failure becomes `{error:{code,message,details}}` in the caller's language. */
export function registerErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, req, reply) => {
    if (error instanceof AppError) return sendError(reply, req, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const locale = req.ctx?.locale ?? pickLocale(req.headers["accept-language"]);
      const where = (error as FastifyError).validationContext ?? "body";
      const issues = error.validation.map((v) =>
        localiseIssue(v as unknown as Parameters<typeof localiseIssue>[0], locale, where),
      );
      return sendError(reply, req, new AppError("VALIDATION", "errors.validation", {}, { issues }));
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, "response did not match its schema");
      return sendError(reply, req, new AppError("INTERNAL", "errors.internal"));
    }
    const fe = error as FastifyError;
    switch (fe.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE": {
        const limit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0;
        return sendError(reply, req, new AppError("PAYLOAD_TOO_LARGE", "errors.payload_too_large", { limit }, { limit }));
      }
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendError(reply, req, new AppError("VALIDATION", "errors.unsupported_media_type", {}, { status: 415 })).code(415);
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return sendError(reply, req, new AppError("VALIDATION", "errors.malformed_json"));
    }
    const fromDb = fromDatabaseError(error);
    if (fromDb) {
      req.log.info({ err: error }, "database refused the input");
      return sendError(reply, req, fromDb);
    }
    if (fe.statusCode === 400 && /JSON/i.test(fe.message)) return sendError(reply, req, new AppError("VALIDATION", "errors.malformed_json"));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      req.log.info({ err: error }, "client error");
      return sendError(reply, req, new AppError("VALIDATION", "errors.validation", {}, { reason: fe.message }));
    }
    req.log.error({ err: error }, "unhandled error");
    return sendError(reply, req, new AppError("INTERNAL", "errors.internal"));
  });
}
