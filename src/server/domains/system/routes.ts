import { z } from "zod";
import type { Database } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { ctxOf, errors, type App } from "../../lib/http.js";
import { LocaleSchema } from "../../lib/i18n.js";
import type { Services } from "../../lib/services.js";
import { DEMO_JOB } from "../demo/jobs.js";
import { getMe } from "../identity/me.js";
import { MeSchema } from "../identity/contracts.js";
import { createSession, startSession } from "../identity/index.js";
import { needsSetup, setUp } from "../workspaces/index.js";

export const VERSION = "0.1.0";

const SetupBodySchema = z.strictObject({
  workspaceName: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  password: z.string().min(1).max(256),
  locale: LocaleSchema.default("zh-CN"),
  demoData: z.boolean().default(false),
});

export function systemRoutes(app: App, database: Database, services: Services): void {
  app.get(
    "/api/health",
    {
      config: { public: true },
      schema: {
        tags: ["system"],
        summary: "Liveness and database check",
        response: {
          200: z.object({ status: z.literal("ok"), database: z.enum(["embedded", "external"]), version: z.string(), uptimeSeconds: z.number() }),
          503: z.object({ status: z.literal("error"), database: z.enum(["embedded", "external"]), version: z.string(), uptimeSeconds: z.number() }),
        },
      },
    },
    async (_req, reply) => {
      const body = { database: database.kind, version: VERSION, uptimeSeconds: Math.round(process.uptime()) };
      try {
        await database.pool.query("select 1");
        return { status: "ok" as const, ...body };
      } catch {
        return reply.code(503).send({ status: "error" as const, ...body });
      }
    },
  );

  app.get(
    "/api/v1/setup/status",
    { config: { public: true }, schema: { tags: ["system"], summary: "Whether first-run set-up is still needed", response: { 200: z.object({ needsSetup: z.boolean() }) } } },
    async () => ({ needsSetup: await needsSetup(database) }),
  );

  app.post(
    "/api/v1/setup",
    {
      config: { public: true },
      schema: {
        tags: ["system"],
        summary: "First run: create the first workspace and its owner, and sign in",
        body: SetupBodySchema,
        response: { 201: MeSchema.extend({ demoJobId: z.uuid().nullable() }), ...errors },
      },
    },
    async (req, reply) => {
      const { demoData, ...input } = req.body;
      const { workspace, userId } = await setUp(database, services, input);
      const token = await createSession(database, { userId, workspaceId: workspace.id, ip: req.ip, userAgent: req.headers["user-agent"] ?? null, days: services.config.sessionDays });
      const ctx = await startSession(req, reply, database, services, token, "session.login");
      const demoJobId = demoData ? await services.jobs.enqueue(ctx, DEMO_JOB, { locale: input.locale }) : null;
      return reply.code(201).send({ ...(await getMe(ctx)), demoJobId });
    },
  );

  app.post(
    "/api/v1/demo",
    {
      schema: {
        tags: ["system"],
        summary: "Fill the current workspace with demo data (a background job)",
        body: z.strictObject({ seed: z.number().int().optional() }).optional(),
        response: { 202: z.object({ jobId: z.uuid() }), ...errors },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      requireAccess(ctx, "workspace:update");
      const jobId = await services.jobs.enqueue(ctx, DEMO_JOB, { locale: ctx.locale, seed: req.body?.seed ?? 2026 });
      return reply.code(202).send({ jobId });
    },
  );
}
