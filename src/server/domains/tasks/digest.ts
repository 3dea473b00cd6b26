import { and, asc, eq, lt, sql } from "drizzle-orm";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { localDate, localHour, startOfLocalDay } from "../../lib/calendar.js";
import { translate, type Locale } from "../../lib/i18n.js";
import { workspaceZone } from "../workspaces/calendar.js";
import { memberships } from "../workspaces/schema.js";
import "./messages.js";
import { recordLabels, recordOf } from "./records.js";
import { taskDigests, tasks } from "./schema.js";
import { formatDay, recipients, taskLine, tasksLink, type MailRun } from "./task-mail.js";

/** Digests go out from 08:00 on the workspace's clocks (its time zone); a run after noon sends none, so a task added in the afternoon does not make a "morning" e-mail. */
export const DIGEST_FROM_HOUR = 8;
export const DIGEST_UNTIL_HOUR = 12;
/** "Upcoming" in a digest: the days after today. */
export const DIGEST_UPCOMING_DAYS = 7;

/**
 * The morning digest of one workspace: each active member with open tasks
 * overdue, due today or due in the next days gets one e-mail per day.
 *
 * Once only: per person, one transaction reads their tasks and inserts the
 * (tenant, user, day) row of `task_digests`, and commits before the e-mail is
 * sent. A second run — the hourly schedule again, a retry, another worker at
 * the same moment (its insert waits for ours, then conflicts) — finds the row
 * and sends nothing. A failed send deletes the row, so the next hourly run
 * retries. A crash between commit and send loses that day's digest: we chose
 * at most once over at least once (tomorrow's digest lists the same tasks).
 */
export async function sendTaskDigests(ctx: Ctx, now = new Date()): Promise<MailRun> {
  const run: MailRun = { sent: 0, failed: [] };
  const zone = await readTenant(ctx, (tx) => workspaceZone(tx, ctx.tenantId));
  const hour = localHour(zone, now);
  if (hour < DIGEST_FROM_HOUR || hour >= DIGEST_UNTIL_HOUR) return run;
  // The workspace's calendar date is the day a digest row is for.
  const day = localDate(zone, now);
  const todayEnd = startOfLocalDay(zone, now, 1);
  const horizon = startOfLocalDay(zone, now, 1 + DIGEST_UPCOMING_DAYS);
  const open = and(eq(tasks.status, "open"), lt(tasks.dueAt, horizon));

  const candidates = await readTenant(ctx, (tx) =>
    tx
      .selectDistinct({ userId: tasks.assigneeId })
      .from(tasks)
      .innerJoin(memberships, and(eq(memberships.userId, tasks.assigneeId), eq(memberships.status, "active")))
      .where(and(open, sql`not exists (select 1 from task_digests d where d.user_id = ${tasks.assigneeId} and d.day = ${day})`)),
  );

  for (const { userId } of candidates) {
    const digest = await inTenant(ctx, async (tx) => {
      const rows = await tx.select().from(tasks).where(and(open, eq(tasks.assigneeId, userId))).orderBy(asc(tasks.dueAt), asc(tasks.id));
      if (!rows.length) return null; // done meanwhile: nothing to report
      const [claimed] = await tx.insert(taskDigests).values({ tenantId: ctx.tenantId, userId, day }).onConflictDoNothing().returning();
      if (!claimed) return null; // another run sent it
      const { people, workspace } = await recipients(tx, ctx, [userId]);
      const person = people.get(userId);
      // No e-mail address: the row stays, so nothing is retried today.
      return person ? { rows, person, workspace, labels: await recordLabels(tx, ctx, rows.map(recordOf)) } : null;
    });
    if (!digest) continue;
    const { rows, person, workspace, labels } = digest;
    const overdue = rows.filter((r) => r.dueAt < now);
    const today = rows.filter((r) => r.dueAt >= now && r.dueAt < todayEnd);
    const upcoming = rows.filter((r) => r.dueAt >= todayEnd);
    const l: Locale = person.locale;
    const section = (key: string, list: typeof rows, params: Record<string, number> = {}) =>
      list.length ? ["", translate(l, key, { count: list.length, ...params }), ...list.map((r) => taskLine(l, r, labels, zone))] : [];
    const subject = translate(l, "tasks.mail.digest.subject", { workspace, day: formatDay(l, now, zone), overdue: overdue.length, today: today.length });
    const text = [
      translate(l, "tasks.mail.greeting", { name: person.name }),
      "",
      translate(l, "tasks.mail.digest.intro"),
      ...section("tasks.mail.digest.overdue", overdue),
      ...section("tasks.mail.digest.today", today),
      ...section("tasks.mail.digest.upcoming", upcoming, { days: DIGEST_UPCOMING_DAYS }),
      "",
      translate(l, "tasks.mail.open_link", { link: tasksLink(ctx) }),
    ].join("\n");
    try {
      await ctx.services.mailer.send({ to: person.email, subject, text });
      run.sent++;
    } catch (err) {
      run.failed.push(err);
      await inTenant(ctx, (tx) => tx.delete(taskDigests).where(and(eq(taskDigests.userId, userId), eq(taskDigests.day, day))));
    }
  }
  return run;
}
