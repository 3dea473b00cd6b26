import { and, eq, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineListing, type Page } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { users } from "../identity/schema.js";
import { loadAccess } from "../workspaces/index.js";
import { memberships } from "../workspaces/schema.js";
import { TASK_STATUSES, type TaskCreateInput, type TaskListQuery, type TaskUpdateInput } from "./contracts.js";
import "./messages.js";
import { taskVisible } from "./policy.js";
import { NO_LINK, recordLabels, recordOf, resolveRecord, type TaskLink, type TaskObjectType } from "./records.js";
import { TASK_PRIORITIES, tasks } from "./schema.js";

export { taskObject } from "./policy.js";
/** Kept here for callers of the due reminder (timeline tests). */
export { remindDueTasks } from "./reminders.js";

type Row = typeof tasks.$inferSelect;
export type TaskView = Omit<Row, "tenantId" | "remindedAt" | "overdueMailedAt" | "objectType" | "objectId"> & {
  objectType: TaskObjectType | null;
  objectId: string | null;
  recordLabel: string | null;
};

const present = (row: Row, labels: Map<string, string>): TaskView => {
  const { tenantId: _t, remindedAt: _r, overdueMailedAt: _o, objectType: _ot, objectId: _oi, ...rest } = row;
  const record = recordOf(row);
  return { ...rest, ...record, recordLabel: record.objectType ? (labels.get(`${record.objectType}:${record.objectId}`) ?? null) : null };
};

async function presentAll(tx: Tx, ctx: Ctx, rows: Row[]): Promise<TaskView[]> {
  const labels = await recordLabels(tx, ctx, rows.map(recordOf));
  return rows.map((r) => present(r, labels));
}

/** What a task is made of: the timeline's follow-ups pass customerId/contactId they have checked themselves. */
export interface TaskInput extends Partial<TaskLink> {
  title: string;
  notes?: string;
  dueAt: Date;
  assigneeId: string;
  priority?: (typeof TASK_PRIORITIES)[number];
  activityId?: string | null;
}

const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2101, 0, 1);
function checkDue(dueAt: Date | undefined): void {
  if (dueAt && (dueAt.getTime() < EARLIEST || dueAt.getTime() >= LATEST)) throw invalid("tasks.due_out_of_range", {}, { field: "dueAt" });
}

/** The assignee must be an active member of the workspace. */
async function checkAssignee(tx: Tx, userId: string): Promise<void> {
  const [member] = await tx.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.status, "active")));
  if (!member) throw invalid("errors.not_found", { object: "user" }, { field: "assigneeId" });
}

/**
 * The assignee must be able to open the task's record: each linked record is
 * resolved again as the assignee would (their role's permissions and record
 * visibility, through the record domain's own rule in resolveRecord). A task
 * on a record its assignee cannot see is work they cannot do.
 */
async function checkAssigneeSees(tx: Tx, ctx: Ctx, assigneeId: string, link: Partial<TaskLink>, field: "assigneeId" | "objectId"): Promise<void> {
  const refs: [TaskObjectType, string][] = link.objectType && link.objectId
    ? [[link.objectType, link.objectId]]
    : [...(link.customerId ? [["customer", link.customerId] as [TaskObjectType, string]] : []), ...(link.contactId ? [["contact", link.contactId] as [TaskObjectType, string]] : [])];
  if (!refs.length) return;
  const access = await loadAccess(ctx.database, ctx.tenantId, assigneeId);
  if (!access) throw invalid("errors.not_found", { object: "user" }, { field: "assigneeId" });
  const theirs: Ctx = { ...ctx, userId: assigneeId, actorType: "user", tokenId: null, roleKey: access.roleKey, visibility: access.visibility, departmentId: access.departmentId, permissions: new Set(access.permissions) };
  for (const [objectType, objectId] of refs) {
    try {
      await resolveRecord(tx, theirs, objectType, objectId);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "VALIDATION") throw err;
      const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, assigneeId));
      throw invalid("tasks.assignee_cannot_see", { name: person?.name ?? "", object: objectType }, { field, assigneeId, objectType, objectId });
    }
  }
}

/**
 * Creates a task in the caller's transaction (a timeline entry's follow-up), with its event.
 * The caller has checked that it may see the record; someone else as assignee must see it too.
 */
export async function addTask(tx: Tx, ctx: Ctx, input: TaskInput): Promise<TaskView> {
  checkDue(input.dueAt);
  await checkAssignee(tx, input.assigneeId);
  if (input.assigneeId !== ctx.userId) await checkAssigneeSees(tx, ctx, input.assigneeId, input, "assigneeId");
  const [row] = await tx
    .insert(tasks)
    .values({ ...input, tenantId: ctx.tenantId, createdBy: ctx.userId })
    .returning();
  const [view] = await presentAll(tx, ctx, [row!]);
  await recordEvent(tx, ctx, { action: "task.created", objectType: "task", objectId: row!.id, after: view! });
  return view!;
}

/** The record a request names: objectType + objectId, or the customerId/contactId shorthand. */
async function linkOf(tx: Tx, ctx: Ctx, input: { objectType?: TaskObjectType | null; objectId?: string | null; customerId?: string | null; contactId?: string | null }): Promise<TaskLink> {
  const hasObject = input.objectType != null || input.objectId != null;
  if (hasObject && (input.customerId || input.contactId)) throw invalid("tasks.one_record", {}, { field: "objectType" });
  if (hasObject) {
    if (!input.objectType || !input.objectId) throw invalid("tasks.object_incomplete", {}, { field: input.objectType ? "objectId" : "objectType" });
    return resolveRecord(tx, ctx, input.objectType, input.objectId);
  }
  const customer = input.customerId ? await resolveRecord(tx, ctx, "customer", input.customerId) : NO_LINK;
  const contact = input.contactId ? await resolveRecord(tx, ctx, "contact", input.contactId) : NO_LINK;
  return { ...NO_LINK, customerId: customer.customerId, contactId: contact.contactId };
}

export async function createTask(ctx: Ctx, input: TaskCreateInput): Promise<TaskView> {
  requireAccess(ctx, "task:create");
  const assigneeId = input.assigneeId ?? ctx.userId;
  if (!assigneeId) throw invalid("tasks.assignee_required", {}, { field: "assigneeId" });
  return inTenant(ctx, async (tx) => {
    const link = await linkOf(tx, ctx, input);
    return addTask(tx, ctx, { title: input.title, notes: input.notes, dueAt: input.dueAt, priority: input.priority, assigneeId, ...link });
  });
}

export const taskListing = defineListing({
  id: tasks.id,
  defaultSort: "dueAt",
  fields: {
    dueAt: { column: tasks.dueAt, type: "date", sort: true, filter: true },
    status: { column: tasks.status, type: "enum", filter: true, values: TASK_STATUSES },
    priority: { column: tasks.priority, type: "enum", filter: true, values: TASK_PRIORITIES },
    assigneeId: { column: tasks.assigneeId, type: "uuid", filter: true },
    createdBy: { column: tasks.createdBy, type: "uuid", filter: true },
    customerId: { column: tasks.customerId, type: "uuid", filter: true },
    contactId: { column: tasks.contactId, type: "uuid", filter: true },
    createdAt: { column: tasks.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: tasks.updatedAt, type: "date", sort: true },
  },
});

/** The condition for "the tasks of this record". */
function recordCondition(query: TaskListQuery): SQL | undefined {
  const { objectType, objectId } = query;
  if (!objectType && !objectId) return undefined;
  if (!objectType || !objectId) throw invalid("tasks.object_incomplete", {}, { field: objectType ? "objectId" : "objectType" });
  if (objectType === "customer") return eq(tasks.customerId, objectId);
  if (objectType === "contact") return eq(tasks.contactId, objectId);
  return and(eq(tasks.objectType, objectType), eq(tasks.objectId, objectId));
}

/**
 * Tasks the actor may see, paged. A calendar asks for a range with
 * `filter=dueAt:gte:…&filter=dueAt:lt:…`; "overdue" is `status:eq:open` with `dueAt:lt:<now>`.
 */
export async function findTasks(ctx: Ctx, query: TaskListQuery): Promise<Page<TaskView>> {
  requireAccess(ctx, "task:read");
  const list = taskListing.build(query, [taskVisible(ctx), recordCondition(query)].filter((c): c is SQL => c !== undefined));
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(tasks).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: await presentAll(tx, ctx, page.items) };
  });
}

export async function getTask(ctx: Ctx, id: string): Promise<TaskView> {
  requireAccess(ctx, "task:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(tasks).where(and(eq(tasks.id, id), taskVisible(ctx)));
    if (!row) throw notFound("task");
    return (await presentAll(tx, ctx, [row]))[0]!;
  });
}

/** Complete, reopen, cancel, reschedule, reassign, re-prioritise or move a task. */
export async function updateTask(ctx: Ctx, id: string, version: ExpectedVersion, input: TaskUpdateInput): Promise<TaskView> {
  requireAccess(ctx, "task:update");
  checkDue(input.dueAt);
  return inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(tasks).where(and(eq(tasks.id, id), taskVisible(ctx))).for("update");
    checkVersion(current, version, "task");
    if (input.assigneeId && input.assigneeId !== current!.assigneeId) await checkAssignee(tx, input.assigneeId);
    const { objectType, objectId, ...changes } = input;
    const relink = objectType !== undefined || objectId !== undefined;
    const link = relink ? (objectType === null && objectId === null ? NO_LINK : await linkOf(tx, ctx, { objectType, objectId })) : {};
    // A new assignee must see the record, and the assignee must see a new record (the actor has just resolved it for themself).
    const assigneeId = input.assigneeId ?? current!.assigneeId;
    const reassigned = assigneeId !== current!.assigneeId;
    if ((reassigned && !(relink && assigneeId === ctx.userId)) || (relink && assigneeId !== ctx.userId)) {
      await checkAssigneeSees(tx, ctx, assigneeId, relink ? link : current!, reassigned ? "assigneeId" : "objectId");
    }
    const doneAt = input.status === undefined ? current!.doneAt : input.status === "done" ? (current!.doneAt ?? new Date()) : null;
    // A new due time (or person) deserves its own reminder and overdue e-mail.
    const rearm = (input.dueAt && input.dueAt.getTime() !== current!.dueAt.getTime()) || (input.assigneeId && input.assigneeId !== current!.assigneeId);
    const [row] = await tx
      .update(tasks)
      .set({ ...changes, ...link, doneAt, ...(rearm ? { remindedAt: null, overdueMailedAt: null } : {}), version: current!.version + 1, updatedAt: new Date() })
      .where(eq(tasks.id, id))
      .returning();
    const labels = await recordLabels(tx, ctx, [recordOf(current!), recordOf(row!)]);
    const after = present(row!, labels);
    await recordEvent(tx, ctx, { action: "task.updated", objectType: "task", objectId: id, before: present(current!, labels), after });
    return after;
  });
}
