import { allPermissions } from "../../lib/access.js";
import { systemCtx, type Ctx } from "../../lib/context.js";
import type { Database } from "../../db/client.js";
import { defineSchedule } from "../../lib/jobs.js";
import type { Services } from "../../lib/services.js";
import { workspaces } from "../workspaces/schema.js";
import { sendTaskDigests } from "./digest.js";
import { mailOverdueTasks, remindDueTasks } from "./reminders.js";
import type { MailRun } from "./task-mail.js";

/** Runs `fn` for every workspace; mail failures are raised after all had their turn (pg-boss records the failed run). */
async function eachWorkspace(database: Database, services: Services, fn: (ctx: Ctx) => Promise<MailRun | number>): Promise<void> {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  const failed: unknown[] = [];
  for (const ws of all) {
    const result = await fn(systemCtx(database, services, ws.id, allPermissions()));
    if (typeof result !== "number") failed.push(...result.failed);
  }
  if (failed.length) throw new AggregateError(failed, `${failed.length} task e-mail(s) could not be sent; they are retried on the next run`);
}

/** Every 5 minutes: an in-app reminder for each task that has come due. */
defineSchedule("task_reminders", "*/5 * * * *", (database, services) => eachWorkspace(database, services, (ctx) => remindDueTasks(ctx)));

/** Every 15 minutes: an e-mail to assignees of tasks that became overdue (once per task). */
defineSchedule("task_overdue_mails", "*/15 * * * *", (database, services) => eachWorkspace(database, services, (ctx) => mailOverdueTasks(ctx)));

/** Hourly: the morning digest (sent from 08:00 to noon, server time, once per person and day — see digest.ts). */
defineSchedule("task_digests", "7 * * * *", (database, services) => eachWorkspace(database, services, (ctx) => sendTaskDigests(ctx)));
