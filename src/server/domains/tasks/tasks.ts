import { and, eq, isNull, lte } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { defineObject, requireAccess, visibleOwnerCondition } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { notify } from "../notifications/notifications.js";
import { memberships } from "../workspaces/schema.js";
import { tasks } from "./schema.js";

export const taskObject = defineObject("task", "core", ["read", "create", "update", "delete"]);

type Row = typeof tasks.$inferSelect;
export type TaskView = Omit<Row, "tenantId" | "remindedAt">;
const present = ({ tenantId: _t, remindedAt: _r, ...rest }: Row): TaskView => rest;

export interface TaskInput {
  title: string;
  notes?: string;
  dueAt: Date;
  assigneeId: string;
  customerId?: string | null;
  contactId?: string | null;
  activityId?: string | null;
}

/** Creates a task in the caller's transaction (a timeline entry's follow-up), with its event. */
export async function addTask(tx: Tx, ctx: Ctx, input: TaskInput): Promise<TaskView> {
  const [member] = await tx.select({ id: memberships.userId }).from(memberships).where(eq(memberships.userId, input.assigneeId));
  if (!member) throw invalid("errors.not_found", { object: "user" }, { field: "assigneeId" });
  const [row] = await tx
    .insert(tasks)
    .values({ ...input, tenantId: ctx.tenantId, createdBy: ctx.userId })
    .returning();
  await recordEvent(tx, ctx, { action: "task.created", objectType: "task", objectId: row!.id, after: present(row!) });
  return present(row!);
}

export async function createTask(ctx: Ctx, input: TaskInput): Promise<TaskView> {
  requireAccess(ctx, "task:create");
  return inTenant(ctx, (tx) => addTask(tx, ctx, input));
}

export const taskListing = defineListing({
  id: tasks.id,
  defaultSort: "dueAt",
  fields: {
    dueAt: { column: tasks.dueAt, type: "date", sort: true, filter: true },
    status: { column: tasks.status, type: "enum", filter: true, values: ["open", "done", "cancelled"] },
    assigneeId: { column: tasks.assigneeId, type: "uuid", filter: true },
    customerId: { column: tasks.customerId, type: "uuid", filter: true },
    contactId: { column: tasks.contactId, type: "uuid", filter: true },
    createdAt: { column: tasks.createdAt, type: "date", sort: true },
  },
});

/** Tasks of people whose records the actor may see (their own at least). */
export async function findTasks(ctx: Ctx, query: ListQuery): Promise<Page<TaskView>> {
  requireAccess(ctx, "task:read");
  const list = taskListing.build(query, [visibleOwnerCondition(ctx, tasks.assigneeId)]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(tasks).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(present) };
  });
}

export async function updateTask(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<Omit<TaskInput, "activityId">> & { status?: Row["status"] }): Promise<TaskView> {
  requireAccess(ctx, "task:update");
  return inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(tasks).where(and(eq(tasks.id, id), visibleOwnerCondition(ctx, tasks.assigneeId))).for("update");
    checkVersion(current, version, "task");
    if (input.assigneeId) {
      const [member] = await tx.select({ id: memberships.userId }).from(memberships).where(eq(memberships.userId, input.assigneeId));
      if (!member) throw invalid("errors.not_found", { object: "user" }, { field: "assigneeId" });
    }
    const doneAt = input.status === undefined ? current!.doneAt : input.status === "done" ? (current!.doneAt ?? new Date()) : null;
    const [row] = await tx
      .update(tasks)
      .set({ ...input, doneAt, ...(input.dueAt ? { remindedAt: null } : {}), version: current!.version + 1, updatedAt: new Date() })
      .where(eq(tasks.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "task.updated", objectType: "task", objectId: id, before: present(current!), after: present(row!) });
    return present(row!);
  });
}

export async function getTask(ctx: Ctx, id: string): Promise<TaskView> {
  requireAccess(ctx, "task:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(tasks).where(and(eq(tasks.id, id), visibleOwnerCondition(ctx, tasks.assigneeId))));
  if (!row) throw notFound("task");
  return present(row);
}

/** Reminds assignees of open tasks that are due (once per due date). Run by the schedule. */
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

