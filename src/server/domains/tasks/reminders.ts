import { and, eq, isNull, lt, lte } from "drizzle-orm";
import { inTenant, type Ctx } from "../../lib/context.js";
import { translate } from "../../lib/i18n.js";
import { anyUuid } from "../../lib/listing.js";
import { notify } from "../notifications/notifications.js";
import "./messages.js";
import { recordLabels, recordOf } from "./records.js";
import { tasks } from "./schema.js";
import { recipients, taskLine, tasksLink, type MailRun } from "./task-mail.js";

/** A task is overdue (and e-mailed) when still open this long after its due time; at the due time itself the in-app reminder fires. */
export const OVERDUE_AFTER_MS = 60 * 60 * 1000;

/** Reminds assignees in-app of open tasks that are due (once per due time). Run by the schedule. */
export async function remindDueTasks(ctx: Ctx, now = new Date()): Promise<number> {
  return inTenant(ctx, async (tx) => {
    const due = await tx
      .update(tasks)
      .set({ remindedAt: now })
      .where(and(eq(tasks.status, "open"), lte(tasks.dueAt, now), isNull(tasks.remindedAt)))
      .returning();
    for (const t of due) {
      await notify(tx, ctx.tenantId, {
        userId: t.assigneeId,
        kind: "task_due",
        objectType: t.customerId ? "customer" : "task",
        objectId: t.customerId ?? t.id,
        data: { title: t.title },
      });
    }
    return due.length;
  });
}

/**
 * E-mails each assignee the tasks that became overdue, once per task: the
 * tasks are marked (overdue_mailed_at) and committed before anything is sent,
 * so a second run — concurrent or after a crash — finds nothing to send.
 * A send that fails un-marks its tasks for the next run. The price: a crash
 * between the commit and the send loses that e-mail (the in-app reminder and
 * the digest still list the task), which we prefer to sending it twice.
 */
export async function mailOverdueTasks(ctx: Ctx, now = new Date()): Promise<MailRun> {
  const claimed = await inTenant(ctx, async (tx) => {
    const rows = await tx
      .update(tasks)
      .set({ overdueMailedAt: now })
      .where(and(eq(tasks.status, "open"), lt(tasks.dueAt, new Date(now.getTime() - OVERDUE_AFTER_MS)), isNull(tasks.overdueMailedAt)))
      .returning();
    if (!rows.length) return null;
    const { people, workspace, zone } = await recipients(tx, ctx, [...new Set(rows.map((r) => r.assigneeId))]);
    return { rows, people, workspace, zone, labels: await recordLabels(tx, ctx, rows.map(recordOf)) };
  });
  const run: MailRun = { sent: 0, failed: [] };
  if (!claimed) return run;
  const byAssignee = new Map<string, typeof claimed.rows>();
  for (const r of claimed.rows) byAssignee.set(r.assigneeId, [...(byAssignee.get(r.assigneeId) ?? []), r]);
  for (const [userId, rows] of byAssignee) {
    // Nobody to write to (no e-mail, no longer a member): the tasks stay marked, nothing is retried.
    const person = claimed.people.get(userId);
    if (!person) continue;
    rows.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const l = person.locale;
    const subject =
      rows.length === 1
        ? `${translate(l, "tasks.mail.overdue.subject_one", { workspace: claimed.workspace })} ${rows[0]!.title}`
        : translate(l, "tasks.mail.overdue.subject_other", { workspace: claimed.workspace, count: rows.length });
    const text = [
      translate(l, "tasks.mail.greeting", { name: person.name }),
      "",
      translate(l, "tasks.mail.overdue.intro"),
      ...rows.map((r) => taskLine(l, r, claimed.labels, claimed.zone)),
      "",
      translate(l, "tasks.mail.open_link", { link: tasksLink(ctx) }),
    ].join("\n");
    try {
      await ctx.services.mailer.send({ to: person.email, subject, text });
      run.sent++;
    } catch (err) {
      run.failed.push(err);
      const ids = rows.map((r) => r.id);
      await inTenant(ctx, (tx) => tx.update(tasks).set({ overdueMailedAt: null }).where(and(anyUuid(tasks.id, ids), eq(tasks.overdueMailedAt, now))));
    }
  }
  return run;
}
