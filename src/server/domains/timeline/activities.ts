import { and, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { defineObject, requireAccess } from "../../lib/access.js";
import { inTenant, inTenantOr, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { contactVisible, contacts, customerContacts, customers, customerVisible, touchFollowUp } from "../customers/index.js";
import { users } from "../identity/schema.js";
import { notify } from "../notifications/notifications.js";
import { addTask } from "../tasks/tasks.js";
import { loadAccess } from "../workspaces/index.js";
import { memberships } from "../workspaces/schema.js";
import { ACTIVITY_KINDS, activities, attachments, FOLLOW_UP_KINDS } from "./schema.js";

export const activityObject = defineObject("activity", "core", ["read", "create", "update", "delete"]);

type Row = typeof activities.$inferSelect;
type AttachmentRow = typeof attachments.$inferSelect;
export type AttachmentView = Pick<AttachmentRow, "id" | "filename" | "mime" | "size">;
export type ActivityView = Omit<Row, "tenantId" | "deletedAt"> & { attachments: AttachmentView[] };

const present = ({ tenantId: _t, deletedAt: _d, ...rest }: Row, files: AttachmentRow[]): ActivityView => ({
  ...rest,
  attachments: files.map(({ id, filename, mime, size }) => ({ id, filename, mime, size })),
});

/** An entry is visible with the customer it is about, or else with its contact. */
export function activityVisible(ctx: Ctx): SQL {
  if (ctx.visibility === "all") return sql`true`;
  return sql`((${activities.customerId} is not null and exists (select 1 from customers c where c.id = ${activities.customerId} and ${customerVisible(ctx, { ownerId: sql`c.owner_id`, id: sql`c.id` })}))
    or (${activities.customerId} is null and exists (select 1 from contacts k where k.id = ${activities.contactId} and ${contactVisible(ctx, sql`k.owner_id`, sql`k.id`)})))`;
}

async function filesOf(tx: Tx, ids: string[]): Promise<Map<string, AttachmentRow[]>> {
  const map = new Map<string, AttachmentRow[]>(ids.map((id) => [id, []]));
  if (!ids.length) return map;
  const rows = await tx.select().from(attachments).where(anyUuid(attachments.activityId, ids)).orderBy(attachments.createdAt);
  for (const r of rows) map.get(r.activityId!)?.push(r);
  return map;
}

export interface ActivityInput {
  customerId?: string | null;
  contactId?: string | null;
  kind: (typeof ACTIVITY_KINDS)[number];
  channel?: string;
  occurredAt: Date;
  durationMinutes?: number | null;
  place?: string;
  subject?: string;
  summary?: string;
  participantUserIds?: string[];
  participantContactIds?: string[];
  mentionUserIds?: string[];
  costAmount?: string | null;
  discountAmount?: string | null;
  gift?: string;
  currency?: string;
  nextFollowUpAt?: Date | null;
  attachmentIds?: string[];
  /** The author, when not the actor: an import of past interactions names who had them (the API does not take it). */
  ownerId?: string;
}

/** The customer and contact an entry is about must exist and be visible; a contact alone files under its primary customer. */
async function resolveTarget(ctx: Ctx, tx: Tx, input: { customerId?: string | null; contactId?: string | null }) {
  let customerId = input.customerId ?? null;
  const contactId = input.contactId ?? null;
  if (!customerId && !contactId) throw invalid("errors.activity_target_required", {}, { field: "customerId" });
  let customerName = "";
  if (contactId) {
    const [k] = await tx
      .select({ id: contacts.id, name: contacts.name })
      .from(contacts)
      .where(and(eq(contacts.id, contactId), isNull(contacts.deletedAt), contactVisible(ctx, contacts.ownerId, contacts.id)));
    if (!k) throw invalid("errors.not_found", { object: "contact" }, { field: "contactId" });
    customerName = k.name;
    if (!customerId) {
      const [primary] = await tx
        .select({ id: customerContacts.customerId })
        .from(customerContacts)
        .where(eq(customerContacts.contactId, contactId))
        .orderBy(desc(customerContacts.isPrimary))
        .limit(1);
      customerId = primary?.id ?? null;
    }
  }
  if (customerId) {
    const [c] = await tx
      .select({ id: customers.id, name: customers.name, ownerId: customers.ownerId })
      .from(customers)
      .where(and(eq(customers.id, customerId), isNull(customers.deletedAt), customerVisible(ctx)));
    if (!c) throw invalid("errors.not_found", { object: "customer" }, { field: "customerId" });
    customerName = c.name;
  }
  return { customerId, contactId, customerName };
}

async function checkMembers(tx: Tx, ids: string[], field: string) {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const found = await tx.select({ id: memberships.userId }).from(memberships).where(anyUuid(memberships.userId, unique));
  if (found.length !== unique.length) throw invalid("errors.not_found", { object: "user" }, { field });
}

async function attach(tx: Tx, ctx: Ctx, activityId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  // Only the uploader's own files that are not yet attached elsewhere.
  const rows = await tx
    .update(attachments)
    .set({ activityId, updatedAt: new Date() })
    .where(and(anyUuid(attachments.id, unique), or(isNull(attachments.activityId), eq(attachments.activityId, activityId)), eq(attachments.createdBy, ctx.userId ?? sql`null`)))
    .returning({ id: attachments.id });
  if (rows.length !== unique.length) throw invalid("errors.not_found", { object: "attachment" }, { field: "attachmentIds" });
}

async function afterWrite(tx: Tx, ctx: Ctx, row: Row, customerName: string, newMentions: string[], followUpChanged: boolean) {
  if (row.customerId && (FOLLOW_UP_KINDS as readonly string[]).includes(row.kind) && row.occurredAt <= new Date()) {
    await touchFollowUp(tx, row.customerId, row.occurredAt);
  }
  if (followUpChanged && row.nextFollowUpAt && ctx.userId) {
    await addTask(tx, ctx, {
      title: ctx.locale === "zh-CN" ? `跟进：${customerName}` : `Follow up: ${customerName}`,
      notes: row.subject || row.summary.slice(0, 200),
      dueAt: row.nextFollowUpAt,
      assigneeId: ctx.userId,
      customerId: row.customerId,
      contactId: row.contactId,
      activityId: row.id,
    });
  }
  if (newMentions.length) {
    const [actor] = ctx.userId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, ctx.userId)) : [];
    await checkMentionsCanSee(tx, ctx, row, newMentions);
    for (const userId of newMentions.filter((u) => u !== ctx.userId)) {
      await notify(tx, ctx.tenantId, {
        userId,
        kind: "mentioned",
        objectType: row.customerId ? "customer" : "contact",
        objectId: (row.customerId ?? row.contactId)!,
        data: { actor: actor?.name ?? "", name: customerName, activityId: row.id },
      });
    }
  }
}

/**
 * A colleague @mentioned must be able to open what the entry is about; one
 * who cannot would get a notification leading nowhere. Refused, naming them,
 * so the author can add them as collaborators first.
 */
async function checkMentionsCanSee(tx: Tx, ctx: Ctx, row: Row, userIds: string[]) {
  const blind: string[] = [];
  for (const userId of userIds) {
    if (userId === ctx.userId) continue;
    const access = await loadAccess(ctx.database, ctx.tenantId, userId);
    const theirs: Ctx = access
      ? { ...ctx, userId, visibility: access.visibility, departmentId: access.departmentId, permissions: new Set(access.permissions) }
      : { ...ctx, userId, permissions: new Set() };
    const can = access?.permissions.includes("activity:read") ?? false;
    const [seen] = !can
      ? []
      : row.customerId
        ? await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.id, row.customerId), customerVisible(theirs)))
        : await tx.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, row.contactId!), contactVisible(theirs, contacts.ownerId, contacts.id)));
    if (!seen) blind.push(userId);
  }
  if (blind.length) {
    const names = await tx.select({ name: users.name }).from(users).where(anyUuid(users.id, blind));
    throw invalid("errors.mention_no_access", { names: names.map((n) => n.name).join("、") }, { field: "mentionUserIds", userIds: blind });
  }
}

/** `outer`: the caller's transaction (an import writes its rows in its own). */
export async function createActivity(ctx: Ctx, input: ActivityInput, outer?: Tx): Promise<ActivityView> {
  requireAccess(ctx, "activity:create");
  return inTenantOr(ctx, outer, async (tx) => {
    const target = await resolveTarget(ctx, tx, input);
    await checkMembers(tx, [...(input.participantUserIds ?? []), ...(input.mentionUserIds ?? [])], "participantUserIds");
    const { attachmentIds = [], customerId: _c, contactId: _k, ownerId = ctx.userId, ...fields } = input;
    if (ownerId !== ctx.userId) await checkMembers(tx, [ownerId!], "ownerId");
    const [row] = await tx
      .insert(activities)
      .values({ ...fields, customerId: target.customerId, contactId: target.contactId, ownerId, tenantId: ctx.tenantId })
      .returning();
    await attach(tx, ctx, row!.id, attachmentIds);
    await afterWrite(tx, ctx, row!, target.customerName, [...new Set(input.mentionUserIds ?? [])], true);
    const view = present(row!, (await filesOf(tx, [row!.id])).get(row!.id) ?? []);
    await recordEvent(tx, ctx, { action: "activity.created", objectType: "activity", objectId: row!.id, after: { ...view }, data: { customerId: row!.customerId } });
    return view;
  });
}

export async function updateActivity(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<ActivityInput>, outer?: Tx): Promise<ActivityView> {
  requireAccess(ctx, "activity:update");
  return inTenantOr(ctx, outer, async (tx) => {
    const [current] = await tx.select().from(activities).where(and(eq(activities.id, id), isNull(activities.deletedAt), activityVisible(ctx))).for("update");
    checkVersion(current, version, "activity");
    const before = present(current!, (await filesOf(tx, [id])).get(id) ?? []);
    const target = await resolveTarget(ctx, tx, {
      customerId: input.customerId !== undefined ? input.customerId : current!.customerId,
      contactId: input.contactId !== undefined ? input.contactId : current!.contactId,
    });
    await checkMembers(tx, [...(input.participantUserIds ?? []), ...(input.mentionUserIds ?? [])], "participantUserIds");
    const { attachmentIds, customerId: _c, contactId: _k, ownerId: _o, ...fields } = input;
    const [row] = await tx
      .update(activities)
      .set({ ...fields, customerId: target.customerId, contactId: target.contactId, version: current!.version + 1, updatedAt: new Date() })
      .where(eq(activities.id, id))
      .returning();
    if (attachmentIds) {
      await tx.update(attachments).set({ activityId: null }).where(and(eq(attachments.activityId, id), sql`not (${attachments.id} = any(${`{${attachmentIds.join(",")}}`}::uuid[]))`));
      await attach(tx, ctx, id, attachmentIds);
    }
    const newMentions = (input.mentionUserIds ?? []).filter((u) => !current!.mentionUserIds.includes(u));
    const followUpChanged = input.nextFollowUpAt !== undefined && input.nextFollowUpAt?.getTime() !== current!.nextFollowUpAt?.getTime();
    await afterWrite(tx, ctx, row!, target.customerName, [...new Set(newMentions)], followUpChanged);
    const after = present(row!, (await filesOf(tx, [id])).get(id) ?? []);
    await recordEvent(tx, ctx, { action: "activity.updated", objectType: "activity", objectId: id, before: { ...before }, after: { ...after } });
    return after;
  });
}

/** Authors may delete their own entries; deleting others' needs activity:delete. */
export async function deleteActivity(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "activity:read");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(activities).where(and(eq(activities.id, id), isNull(activities.deletedAt), activityVisible(ctx))).for("update");
    if (!current) throw notFound("activity");
    if (current.ownerId !== ctx.userId) requireAccess(ctx, "activity:delete");
    await tx.update(activities).set({ deletedAt: new Date(), version: current.version + 1 }).where(eq(activities.id, id));
    await recordEvent(tx, ctx, { action: "activity.deleted", objectType: "activity", objectId: id, before: { deletedAt: null }, after: { deletedAt: new Date() } });
  });
}

export async function getActivity(ctx: Ctx, id: string): Promise<ActivityView> {
  requireAccess(ctx, "activity:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(activities).where(and(eq(activities.id, id), isNull(activities.deletedAt), activityVisible(ctx)));
    if (!row) throw notFound("activity");
    return present(row, (await filesOf(tx, [id])).get(id) ?? []);
  });
}

export interface Timeline {
  items: ActivityView[];
  nextCursor: string | null;
  totals: { entries: number; cost: string; discount: string };
}

/**
 * One timeline per customer (its own entries and its contacts') or per
 * contact, newest first, with what the relationship has cost so far.
 */
export async function findTimeline(ctx: Ctx, of: { customerId?: string; contactId?: string }, page: { limit: number; cursor?: string }): Promise<Timeline> {
  requireAccess(ctx, "activity:read");
  return readTenant(ctx, async (tx) => {
    if (of.customerId) {
      const [c] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.id, of.customerId), isNull(customers.deletedAt), customerVisible(ctx)));
      if (!c) throw notFound("customer");
    } else {
      const [k] = await tx.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, of.contactId!), isNull(contacts.deletedAt), contactVisible(ctx, contacts.ownerId, contacts.id)));
      if (!k) throw notFound("contact");
    }
    const scope = of.customerId ? eq(activities.customerId, of.customerId) : eq(activities.contactId, of.contactId!);
    let after: SQL | undefined;
    if (page.cursor) {
      const [at, id] = Buffer.from(page.cursor, "base64url").toString("utf8").split("|");
      const when = new Date(at ?? "");
      if (Number.isNaN(when.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? "")) throw invalid("errors.bad_cursor");
      after = sql`(${activities.occurredAt}, ${activities.id}) < (${when.toISOString()}::timestamptz, ${id}::uuid)`;
    }
    const rows = await tx
      .select()
      .from(activities)
      .where(and(scope, isNull(activities.deletedAt), after))
      .orderBy(desc(activities.occurredAt), desc(activities.id))
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit);
    const files = await filesOf(
      tx,
      items.map((r) => r.id),
    );
    const [totals] = await tx
      .select({
        entries: sql<number>`count(*)::int`,
        cost: sql<string>`coalesce(sum(${activities.costAmount}), 0)::numeric(18,2)::text`,
        discount: sql<string>`coalesce(sum(${activities.discountAmount}), 0)::numeric(18,2)::text`,
      })
      .from(activities)
      .where(and(scope, isNull(activities.deletedAt)));
    const last = items[items.length - 1];
    return {
      items: items.map((r) => present(r, files.get(r.id) ?? [])),
      nextCursor: rows.length > page.limit && last ? Buffer.from(`${last.occurredAt.toISOString()}|${last.id}`).toString("base64url") : null,
      totals: totals ?? { entries: 0, cost: "0.00", discount: "0.00" },
    };
  });
}

