import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import pg from "pg";
import { withTenant, type Database } from "../db/client.js";
import { jobs } from "../domains/jobs/schema.js";
import { allPermissions } from "./access.js";
import { systemCtx, type Ctx } from "./context.js";
import type { Services } from "./services.js";

export interface JobRun {
  /** Acts as the user who started the job, with every permission (they were checked at enqueue). */
  ctx: Ctx;
  id: string;
  tenantId: string;
  createdBy: string | null;
  input: Record<string, unknown>;
  /** What an earlier, interrupted attempt saved with checkpoint(): resume from there. */
  checkpoint: Record<string, unknown> | null;
}

export interface JobTools {
  /** Reports progress (throttled to one write per 250 ms unless `force`). */
  progress(done: number, total?: number, force?: boolean): Promise<void>;
  /** Saves where the job is, so a retry after a crash continues instead of starting over. */
  checkpoint(state: Record<string, unknown>): Promise<void>;
}

export type JobHandler = (run: JobRun, tools: JobTools) => Promise<Record<string, unknown> | void>;

const handlers = new Map<string, JobHandler>();

/** Domains declare their background work once (in their jobs.ts). */
export function defineJob(kind: string, handler: JobHandler): void {
  if (!/^[a-z][a-z0-9_]*$/.test(kind)) throw new Error(`bad job kind ${kind}`);
  handlers.set(kind, handler);
}

export type ScheduleHandler = (database: Database, services: Services) => Promise<void>;
const schedules = new Map<string, { cron: string; handler: ScheduleHandler }>();

/**
 * Recurring system work (pool rules, reminders): a cron expression (server
 * time zone) and a handler that visits the workspaces itself. pg-boss runs
 * each due schedule once across all workers.
 */
export function defineSchedule(name: string, cron: string, handler: ScheduleHandler): void {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad schedule name ${name}`);
  schedules.set(name, { cron, handler });
}

const queueName = (kind: string) => `guanxi_${kind}`;
const RETRY_LIMIT = 3;
const RETRY_DELAY_SECONDS = 2;
/** Hard cap on one attempt; a dead worker is noticed much sooner through its lease (below). */
const ATTEMPT_LIMIT_HOURS = 4;
/** How often workers look for jobs whose worker is gone, and how old such a job must be. */
const SUPERVISE_INTERVAL_MS = 5_000;
const SUPERVISE_GRACE_SECONDS = 5;
/** The advisory-lock key of a job's lease. */
const LEASE_KEY = "hashtextextended($1::text, 0)";

export interface JobQueue {
  /** Records the job and queues it in the caller's transaction scope; returns the job id. */
  enqueue(ctx: Ctx, kind: string, input: Record<string, unknown>): Promise<string>;
  /** Starts pg-boss; with `work`, also runs handlers in this process. */
  start(work: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Leases: while a worker runs a job it holds a session advisory lock keyed by
 * the job id on its own connection. If the worker process dies, PostgreSQL
 * drops the connection and with it the lock, so any other worker can tell a
 * running job from an orphaned one at once (pg-boss 10 has no heartbeat; its
 * expiry is only the hard cap on one attempt).
 */
function createLeases(url: string, log: Logger) {
  let client: pg.Client | null = null;
  const held = new Set<string>();
  async function connection(): Promise<pg.Client> {
    if (client) return client;
    const c = new pg.Client({ connectionString: url, application_name: "guanxi-job-leases" });
    c.on("error", (err) => {
      // The connection (and with it every lease) is gone: take them again on a new one.
      log.warn({ err }, "job lease connection lost");
      if (client === c) client = null;
      void (async () => {
        for (const id of held) await (await connection()).query(`select pg_advisory_lock(${LEASE_KEY})`, [id]);
      })().catch((e: unknown) => log.error({ err: e }, "could not renew job leases"));
    });
    await c.connect();
    client = c;
    return c;
  }
  return {
    async take(id: string) {
      await (await connection()).query(`select pg_advisory_lock(${LEASE_KEY})`, [id]);
      held.add(id);
    },
    async release(id: string) {
      held.delete(id);
      await (await connection()).query(`select pg_advisory_unlock(${LEASE_KEY})`, [id]);
    },
    async close() {
      const c = client;
      client = null;
      held.clear();
      await c?.end();
    },
  };
}

/**
 * Background jobs on pg-boss in the same PostgreSQL. The `jobs` table is the
 * tenant-scoped record users see (state, progress); pg-boss retries a job
 * whose worker died, and the handler resumes from its checkpoint.
 */
export function createJobQueue(database: Database, url: string, log: Logger, services: () => Services): JobQueue {
  const boss = new PgBoss({ connectionString: url, max: 4, application_name: "guanxi-jobs" });
  boss.on("error", (err: Error) => log.error({ err }, "job queue error"));
  let started = false;
  const leases = createLeases(url, log);
  let supervisor: NodeJS.Timeout | undefined;
  let supervising: Promise<void> = Promise.resolve();
  const probe = new pg.Pool({ connectionString: url, max: 1, application_name: "guanxi-job-supervisor" });
  probe.on("error", (err) => log.warn({ err }, "job supervisor connection error"));

  /**
   * Finds active jobs whose lease nobody holds (their worker died) and fails
   * that attempt, so pg-boss retries it at once and the handler resumes from
   * its checkpoint.
   */
  async function reclaimOrphans() {
    const { rows } = await probe.query<{ id: string; name: string }>(
      `select id, name from pgboss.job where name like 'guanxi\\_%' and state = 'active' and started_on < now() - make_interval(secs => $1)`,
      [SUPERVISE_GRACE_SECONDS],
    );
    for (const { id, name } of rows) {
      const client = await probe.connect();
      try {
        const { rows: got } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${LEASE_KEY}) as ok`, [id]);
        if (!got[0]?.ok) continue; // its worker is alive
        try {
          // Under the lease: nobody can start it meanwhile; re-check it is still the same orphaned attempt.
          const { rows: still } = await client.query(
            `select 1 from pgboss.job where name = $1 and id = $2 and state = 'active' and started_on < now() - make_interval(secs => $3)`,
            [name, id, SUPERVISE_GRACE_SECONDS],
          );
          if (!still.length) continue;
          await boss.fail(name, id, { message: "worker stopped" });
          const job = await boss.getJobById(name, id);
          const data = job?.data as { tenantId: string; jobId: string } | undefined;
          if (data) {
            const retrying = job?.state === "retry" || job?.state === "created";
            await update(
              data.tenantId,
              data.jobId,
              retrying ? { state: "queued", error: "worker stopped; retrying" } : { state: "failed", error: "worker stopped", finishedAt: new Date() },
            );
          }
          log.warn({ jobId: id, queue: name }, "job's worker is gone: attempt failed for a retry");
        } finally {
          await client.query(`select pg_advisory_unlock(${LEASE_KEY})`, [id]);
        }
      } finally {
        client.release();
      }
    }
  }

  async function update(tenantId: string, id: string, values: Partial<typeof jobs.$inferInsert>) {
    await withTenant(database, { tenantId }, (tx) =>
      tx.update(jobs).set({ ...values, updatedAt: new Date() }).where(eq(jobs.id, id)),
    );
  }

  async function runJob(kind: string, handler: JobHandler, data: { tenantId: string; jobId: string }, attempt: { retryCount: number; retryLimit: number }) {
    const { tenantId, jobId } = data;
    const [row] = await withTenant(database, { tenantId }, (tx) => tx.select().from(jobs).where(eq(jobs.id, jobId)), "read");
    if (!row || row.state === "completed" || row.state === "cancelled") return;
    await update(tenantId, jobId, { state: "running", startedAt: row.startedAt ?? new Date(), error: null });
    let last = 0;
    const tools: JobTools = {
      async progress(done, total, force) {
        const now = Date.now();
        if (!force && now - last < 250) return;
        last = now;
        await update(tenantId, jobId, { progressDone: done, ...(total !== undefined ? { progressTotal: total } : {}) });
      },
      async checkpoint(state) {
        await update(tenantId, jobId, { result: { checkpoint: state } });
      },
    };
    const checkpoint = (row.result as { checkpoint?: Record<string, unknown> } | null)?.checkpoint ?? null;
    try {
      const ctx = systemCtx(database, services(), tenantId, allPermissions(), row.createdBy);
      const result = await handler({ ctx, id: jobId, tenantId, createdBy: row.createdBy, input: row.input, checkpoint }, tools);
      await withTenant(database, { tenantId }, (tx) =>
        tx
          .update(jobs)
          .set({
            state: "completed",
            result: result ?? {},
            progressDone: sql`coalesce(${jobs.progressTotal}, ${jobs.progressDone})`,
            finishedAt: new Date(),
            updatedAt: new Date(),
          })
          .where(eq(jobs.id, jobId)),
      );
      log.info({ jobId, kind }, "job completed");
    } catch (err) {
      // pg-boss will try again: the user sees it queued (with the reason), not failed.
      const willRetry = attempt.retryCount < attempt.retryLimit;
      log.error({ err, jobId, kind, willRetry }, "job attempt failed");
      // A database error's own message, not the query Drizzle wraps it in.
      const reason = ((err as { cause?: unknown }).cause instanceof Error ? ((err as { cause: Error }).cause.message) : undefined) ?? (err as Error).message;
      await update(
        tenantId,
        jobId,
        willRetry
          ? { state: "queued", error: `attempt ${attempt.retryCount + 1} failed: ${reason}` }
          : { state: "failed", error: reason, finishedAt: new Date() },
      );
      throw err;
    }
  }

  return {
    async enqueue(ctx, kind, input) {
      if (!handlers.has(kind)) throw new Error(`unknown job kind ${kind}`);
      const id = crypto.randomUUID();
      await withTenant(ctx.database, { tenantId: ctx.tenantId, userId: ctx.userId }, async (tx) => {
        await tx.insert(jobs).values({ tenantId: ctx.tenantId, id, kind, input, createdBy: ctx.userId });
        const client = (tx as unknown as { $client: pg.PoolClient }).$client;
        // Same transaction as the row above: both exist or neither.
        await boss.send(
          queueName(kind),
          { tenantId: ctx.tenantId, jobId: id },
          {
            id,
            retryLimit: RETRY_LIMIT,
            retryDelay: RETRY_DELAY_SECONDS,
            // Hard cap per attempt; a dead worker's job is reclaimed through its lease long before.
            expireInHours: ATTEMPT_LIMIT_HOURS,
            db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) },
          },
        );
      });
      return id;
    },
    async start(work) {
      await boss.start();
      started = true;
      for (const [kind, handler] of handlers) {
        await boss.createQueue(queueName(kind));
        if (work) {
          await boss.work<{ tenantId: string; jobId: string }>(
            queueName(kind),
            { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
            async ([job]) => {
              if (!job) return;
              await leases.take(job.id);
              try {
                await runJob(kind, handler, job.data, job);
              } finally {
                await leases.release(job.id).catch((err: unknown) => log.warn({ err }, "could not release a job lease"));
              }
            },
          );
        }
      }
      for (const [name, { cron, handler }] of schedules) {
        const queue = `guanxi_schedule_${name}`;
        await boss.createQueue(queue);
        await boss.schedule(queue, cron, {}, { tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
        if (work) {
          await boss.work(queue, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
            await handler(database, services());
            log.info({ schedule: name }, "schedule ran");
          });
        }
      }
      if (work) {
        supervisor = setInterval(() => {
          supervising = reclaimOrphans().catch((err: unknown) => log.warn({ err }, "job supervision failed"));
        }, SUPERVISE_INTERVAL_MS);
        supervisor.unref();
      }
    },
    async stop() {
      if (!started) return;
      started = false;
      clearInterval(supervisor);
      await supervising;
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
      await leases.close();
      await probe.end();
    },
  };
}
