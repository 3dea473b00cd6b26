import v8 from "node:v8";
import { pino, type Logger } from "pino";
import { buildApp } from "./app.js";
import type { Config } from "./config.js";
import { openDatabase, type DatabaseRuntime } from "./db/bootstrap.js";
import { DEMO_JOB } from "./domains/demo/jobs.js";
// Domains' background work and schedules register on import, before the queue starts.
import "./domains/customers/jobs.js";
import "./domains/leads/jobs.js";
import "./domains/tasks/jobs.js";
import "./domains/payments/jobs.js";
import "./domains/exchange/imports.js";
import "./domains/exchange/dedup/scan.js";
import "./domains/exchange/exports.js";
import { purgeExpiredSessions, purgeThrottle } from "./domains/identity/index.js";
import { needsSetup, setUp } from "./domains/workspaces/index.js";
import { allPermissions } from "./lib/access.js";
import { systemCtx } from "./lib/context.js";
import { createCipher } from "./lib/crypto.js";
import { createJobQueue } from "./lib/jobs.js";
import { createMailer } from "./lib/mail.js";
import type { Services } from "./lib/services.js";
import type { App } from "./lib/http.js";

export function createLogger(config: Config): Logger {
  const pretty = process.stdout.isTTY && config.env !== "production";
  return pino({
    level: config.logLevel,
    redact: ["req.headers.cookie", "req.headers.authorization", "mail.text"],
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss" } } } : {}),
  });
}

export interface Runtime {
  db: DatabaseRuntime;
  services: Services;
  log: Logger;
  stop(): Promise<void>;
}

/**
 * How far V8 lets the heap grow past the data still in use before a full
 * collection (its default lets it reach up to four times that while the
 * process allocates fast). Imports, exports and scans allocate a batch's
 * worth of short-lived rows every second: with the default, a 100,000-row
 * import peaked at ~680 MB resident over ~105 MB of live data; with 30 %, at
 * ~390 MB, at the same speed (bench/reports/import.md). Set at start, before
 * the heap has grown; `node --heap-growing-percent=N` still overrides it.
 */
const HEAP_GROWING_PERCENT = 30;
if (!process.execArgv.some((a) => a.startsWith("--heap-growing-percent")) && !/--heap-growing-percent/.test(process.env.NODE_OPTIONS ?? "")) {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** Database (embedded or external, migrated), mailer, cipher, job queue: what web and worker share. */
export async function startRuntime(config: Config, log: Logger, opts: { work: boolean }): Promise<Runtime> {
  const db = await openDatabase(config, (msg, level = "info") => log[level](msg));
  // Job handlers get the services, which include the queue itself.
  const services = {} as Services;
  const jobs = createJobQueue(db.database, db.url, log, () => services);
  Object.assign(services, {
    config,
    mailer: createMailer(config.mail.smtpUrl, config.mail.from, log),
    cipher: createCipher(db.secretKey),
    jobs,
  } satisfies Services);
  try {
    await jobs.start(opts.work);
  } catch (err) {
    await db.stop();
    throw err;
  }
  // Housekeeping every hour: expired sessions and throttle windows.
  const timer = setInterval(() => {
    void purgeExpiredSessions(db.database).catch((err: unknown) => log.warn({ err }, "session purge failed"));
    void purgeThrottle(db.database).catch((err: unknown) => log.warn({ err }, "throttle purge failed"));
  }, 3_600_000);
  timer.unref();
  return {
    db,
    services,
    log,
    async stop() {
      clearInterval(timer);
      await jobs.stop();
      log.info("job queue stopped");
      await db.stop();
    },
  };
}

/** Unattended set-up from GUANXI_ADMIN_EMAIL / GUANXI_ADMIN_PASSWORD, when the database is empty. */
async function bootstrapAdmin(runtime: Runtime): Promise<void> {
  const { config } = runtime.services;
  if (!config.admin || !(await needsSetup(runtime.db.database))) return;
  const { workspace, userId } = await setUp(runtime.db.database, runtime.services, {
    workspaceName: config.admin.workspaceName,
    name: config.admin.name,
    email: config.admin.email,
    password: config.admin.password,
    locale: "zh-CN",
  });
  runtime.log.info({ workspace: workspace.name, email: config.admin.email }, "created the first workspace and its owner from GUANXI_ADMIN_*");
  void userId;
}

export interface Server {
  app: App;
  runtime: Runtime;
  url: string;
  stop(): Promise<void>;
}

/** Starts Guanxi: database, migrations, jobs, HTTP. `stop()` drains requests, then jobs, then the database. */
export async function startServer(config: Config, log = createLogger(config)): Promise<Server> {
  const started = Date.now();
  const runtime = await startRuntime(config, log, { work: config.jobs === "inprocess" });
  let app: App;
  try {
    await bootstrapAdmin(runtime);
    app = await buildApp({ database: runtime.db.database, services: runtime.services, logger: log });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await runtime.stop();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, database: runtime.db.database.kind, ms: Date.now() - started }, "Guanxi is ready");
  let stopping: Promise<void> | undefined;
  return {
    app,
    runtime,
    url,
    stop() {
      stopping ??= (async () => {
        const t0 = Date.now();
        const closing = app.close();
        // Keep-alive connections that finish a request after close() began would
        // otherwise linger for the keep-alive timeout: close them as they go idle,
        // and cut whatever is still open after 30 s.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => app.server.closeAllConnections(), 30_000);
        await closing;
        clearInterval(sweep);
        clearTimeout(deadline);
        log.info({ ms: Date.now() - t0 }, "HTTP server closed");
        await runtime.stop();
        log.info({ ms: Date.now() - t0 }, "Guanxi stopped");
      })();
      return stopping;
    },
  };
}

export async function enqueueDemo(runtime: Runtime, tenantId: string, locale: "zh-CN" | "en-US"): Promise<string> {
  const ctx = systemCtx(runtime.db.database, runtime.services, tenantId, allPermissions());
  return runtime.services.jobs.enqueue(ctx, DEMO_JOB, { locale });
}
