import crypto from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import scalar from "@scalar/fastify-api-reference";
import Fastify, { type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from "fastify-type-provider-zod";
import { serializerCompiler } from "./lib/serializer.js";
import type { Database } from "./db/client.js";
import { auditRoutes } from "./domains/audit/routes.js";
import { customerRoutes } from "./domains/customers/routes.js";
import { notificationRoutes } from "./domains/notifications/routes.js";
import { taskRoutes } from "./domains/tasks/routes.js";
import { timelineRoutes } from "./domains/timeline/routes.js";
import { exchangeRoutes } from "./domains/exchange/routes.js";
import { dedupRoutes } from "./domains/exchange/dedup/routes.js";
import { exportRoutes } from "./domains/exchange/export-routes.js";
import { mergeRoutes } from "./domains/exchange/merge-routes.js";
import { importTemplateRoutes } from "./domains/exchange/template-routes.js";
import { viewRoutes } from "./domains/views/routes.js";
import { productRoutes } from "./domains/products/routes.js";
import { approvalRoutes } from "./domains/approvals/routes.js";
import { orderRoutes } from "./domains/orders/routes.js";
import { leadRoutes } from "./domains/leads/routes.js";
import { opportunityRoutes } from "./domains/opportunities/routes.js";
import { paymentRoutes } from "./domains/payments/routes.js";
import { quoteRoutes } from "./domains/quotes/routes.js";
import { targetRoutes } from "./domains/targets/routes.js";
import { salesDashboardRoutes } from "./domains/sales-dashboard/routes.js";
import "./domains/audit/policy.js";
import "./domains/demo/jobs.js";
import { authenticate, identityRoutes, SESSION_COOKIE } from "./domains/identity/index.js";
import { jobRoutes } from "./domains/jobs/routes.js";
import "./domains/jobs/policy.js";
import { systemRoutes, VERSION } from "./domains/system/routes.js";
import { workspaceRoutes } from "./domains/workspaces/index.js";
import { AppError } from "./lib/errors.js";
import { registerErrorHandling, sendError, type App } from "./lib/http.js";
import type { Services } from "./lib/services.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built web app: dist/web, from both src/server and dist/server. */
export const webRoot = path.resolve(here, "../../dist/web");

export interface AppOptions {
  database: Database;
  services: Services;
  logger?: FastifyServerOptions["loggerInstance"] | boolean;
  /** Serve the built web app (off in API tests). */
  serveWeb?: boolean;
}

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    apiRoutes: RouteInfo[];
  }
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function buildApp(opts: AppOptions): Promise<App> {
  const { database, services } = opts;
  const app = Fastify({
    ...(typeof opts.logger === "object" ? { loggerInstance: opts.logger } : { logger: opts.logger ?? false }),
    bodyLimit: services.config.bodyLimit,
    // false: Fastify would otherwise take the header as it is; genReqId checks it.
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    },
    // Close keep-alive sockets on shutdown so in-flight requests finish and idle ones do not hold us up.
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a form post or text/plain body cannot reach a handler (415), which also blocks simple cross-site posts.
  app.removeContentTypeParser(["text/plain"]);
  registerErrorHandling(app);
  app.decorateRequest("ctx", undefined);
  // Every API route, for the tests that walk them all (tenant isolation, authentication).
  const routes: RouteInfo[] = [];
  app.decorate("apiRoutes", routes);
  app.addHook("onRoute", (r) => {
    if (!r.url.startsWith("/api/")) return;
    for (const method of [r.method].flat()) {
      if (method !== "HEAD") routes.push({ method, url: r.url, public: Boolean(r.config?.public) });
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: services.config.cookieSecure,
    crossOriginEmbedderPolicy: false,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Guanxi API",
        version: VERSION,
        description:
          "REST API of Guanxi (关系) CRM. Authenticate with the session cookie of the web app or `Authorization: Bearer <API token>`. " +
          "Errors are `{error:{code,message,details}}`, localized by Accept-Language (zh-CN, en-US). " +
          "Lists take `limit`, `cursor`, `sort` (field or -field) and repeated `filter=field:op:value` (ops: eq ne lt lte gt gte in contains null). " +
          "Updates need the record's `version` (body) or `If-Match: \"<version>\"`; a stale version answers 409.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "Personal API token (gx_…)" },
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.addHook("onSend", async (req, reply) => {
    void reply.header("x-request-id", req.id);
    // The API reference page boots with an inline script; nothing else may run inline.
    if (req.url.startsWith("/api/reference")) {
      const csp = reply.getHeader("content-security-policy");
      if (typeof csp === "string") void reply.header("content-security-policy", csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"));
    }
  });

  // Authentication and cross-site checks for every API route not marked public.
  // onRequest: before body parsing and validation, so an anonymous caller learns nothing but 401.
  app.addHook("onRequest", async (req, reply) => {
    if (!req.url.startsWith("/api/v1/")) return;
    if (!SAFE_METHODS.has(req.method) && !req.headers.authorization) {
      const origin = req.headers.origin;
      if (origin && origin !== "null") {
        let host: string | undefined;
        try {
          host = new URL(origin).host;
        } catch {
          host = undefined;
        }
        if (host !== req.headers.host) return sendError(reply, req, new AppError("FORBIDDEN", "errors.cross_site"));
      }
    }
    if (req.routeOptions.config.public) return;
    req.ctx = await authenticate(req, database, services);
  });

  systemRoutes(app, database, services);
  identityRoutes(app, database, services);
  workspaceRoutes(app, database, services);
  auditRoutes(app);
  jobRoutes(app);
  customerRoutes(app);
  notificationRoutes(app);
  timelineRoutes(app, services.config.uploadLimit);
  exchangeRoutes(app, services.config.importLimit);
  dedupRoutes(app);
  exportRoutes(app);
  mergeRoutes(app);
  importTemplateRoutes(app);
  taskRoutes(app);
  viewRoutes(app);
  productRoutes(app);
  approvalRoutes(app);
  orderRoutes(app);
  leadRoutes(app);
  opportunityRoutes(app);
  paymentRoutes(app);
  quoteRoutes(app);
  targetRoutes(app);
  salesDashboardRoutes(app);

  app.get("/api/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, {
    routePrefix: "/api/reference",
    // Self-hosted and offline: no web fonts, no hosted AI/MCP/share features.
    configuration: {
      url: "/api/openapi.json",
      pageTitle: "Guanxi API",
      withDefaultFonts: false,
      showDeveloperTools: "never",
      agent: { disabled: true },
      mcp: { disabled: true },
    },
  });

  const serveWeb = opts.serveWeb ?? true;
  if (serveWeb && existsSync(path.join(webRoot, "index.html"))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler(async (req, reply) => {
    // A missing file (an asset of an older build, say) is a 404; only page routes fall back to the app.
    const isFile = /\.[a-z0-9]+$/i.test(req.url.split("?")[0] ?? "");
    if (req.url.startsWith("/api/") || req.method !== "GET" || isFile || !serveWeb || !existsSync(path.join(webRoot, "index.html"))) {
      return sendError(reply, req, new AppError("NOT_FOUND", "errors.route_not_found"));
    }
    // Client-side routes of the single-page app.
    return reply.type("text/html; charset=utf-8").sendFile("index.html");
  });

  return app;
}
