import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { invalid } from "../../lib/errors.js";
import { anyUuid } from "../../lib/listing.js";
import { contacts, contactVisible, customers, customerVisible } from "../customers/index.js";
import { leads, leadVisible } from "../leads/index.js";
import { opportunities, opportunityAccess } from "../opportunities/index.js";
import { orderAccess, orders } from "../orders/index.js";
import { quoteAccess, quotes } from "../quotes/index.js";
import type { TASK_OBJECTS, tasks } from "./schema.js";

export type TaskObjectType = (typeof TASK_OBJECTS)[number];

/**
 * Where a task is stored: customers and contacts in their own columns (merges
 * move those), other records in object_type/object_id with their customer in
 * customer_id, so a customer's tasks include those on its orders, quotes and deals.
 */
export interface TaskLink {
  objectType: Exclude<TaskObjectType, "customer" | "contact"> | null;
  objectId: string | null;
  customerId: string | null;
  contactId: string | null;
}

export const NO_LINK: TaskLink = { objectType: null, objectId: null, customerId: null, contactId: null };

/** The record a stored task follows up, as the API shows it. */
export function recordOf(row: Pick<typeof tasks.$inferSelect, "objectType" | "objectId" | "customerId" | "contactId">): { objectType: TaskObjectType | null; objectId: string | null } {
  if (row.objectType && row.objectId) return { objectType: row.objectType, objectId: row.objectId };
  if (row.customerId) return { objectType: "customer", objectId: row.customerId };
  if (row.contactId) return { objectType: "contact", objectId: row.contactId };
  return { objectType: null, objectId: null };
}

/**
 * The link of a task to a record the actor may see in this workspace.
 * Anything else (another workspace's id, a deleted or invisible record, an
 * object the actor may not read) is refused the same way, revealing nothing.
 */
export async function resolveRecord(tx: Tx, ctx: Ctx, objectType: TaskObjectType, objectId: string): Promise<TaskLink> {
  const missing = () => invalid("errors.not_found", { object: objectType }, { field: "objectId" });
  if (!can(ctx, `${objectType}:read`)) throw missing();
  switch (objectType) {
    case "customer": {
      const [r] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.id, objectId), isNull(customers.deletedAt), customerVisible(ctx)));
      if (!r) throw missing();
      return { ...NO_LINK, customerId: r.id };
    }
    case "contact": {
      const [r] = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.id, objectId), isNull(contacts.deletedAt), contactVisible(ctx, contacts.ownerId, contacts.id)));
      if (!r) throw missing();
      return { ...NO_LINK, contactId: r.id };
    }
    case "lead": {
      const [r] = await tx.select({ id: leads.id }).from(leads).where(and(eq(leads.id, objectId), isNull(leads.deletedAt), leadVisible(ctx)));
      if (!r) throw missing();
      return { ...NO_LINK, objectType, objectId: r.id };
    }
    case "opportunity": {
      const [r] = await tx
        .select({ id: opportunities.id, customerId: opportunities.customerId })
        .from(opportunities)
        .where(and(eq(opportunities.id, objectId), isNull(opportunities.deletedAt), opportunityAccess.visible(ctx)));
      if (!r) throw missing();
      return { ...NO_LINK, objectType, objectId: r.id, customerId: r.customerId };
    }
    case "order": {
      const [r] = await tx.select({ id: orders.id, customerId: orders.customerId }).from(orders).where(and(eq(orders.id, objectId), orderAccess.visible(ctx)));
      if (!r) throw missing();
      return { ...NO_LINK, objectType, objectId: r.id, customerId: r.customerId };
    }
    case "quote": {
      const [r] = await tx
        .select({ id: quotes.id, customerId: quotes.customerId })
        .from(quotes)
        .where(and(eq(quotes.id, objectId), isNull(quotes.deletedAt), quoteAccess.visible(ctx)));
      if (!r) throw missing();
      return { ...NO_LINK, objectType, objectId: r.id, customerId: r.customerId };
    }
  }
}

/**
 * Names of the records tasks follow up (a customer's name, an order's
 * number), keyed "type:id"; records the actor may not see get none.
 */
export async function recordLabels(tx: Tx, ctx: Ctx, refs: { objectType: TaskObjectType | null; objectId: string | null }[]): Promise<Map<string, string>> {
  const byType = new Map<TaskObjectType, Set<string>>();
  for (const r of refs) if (r.objectType && r.objectId) byType.set(r.objectType, (byType.get(r.objectType) ?? new Set()).add(r.objectId));
  const labels = new Map<string, string>();
  const readable = (type: TaskObjectType) => can(ctx, `${type}:read`);
  for (const [type, set] of byType) {
    if (!readable(type)) continue;
    const ids = [...set];
    let rows: { id: string; label: string }[] = [];
    const where = (idColumn: Parameters<typeof anyUuid>[0], ...conditions: (SQL | undefined)[]) => and(anyUuid(idColumn, ids), ...conditions);
    switch (type) {
      case "customer":
        rows = await tx.select({ id: customers.id, label: customers.name }).from(customers).where(where(customers.id, customerVisible(ctx)));
        break;
      case "contact":
        rows = await tx.select({ id: contacts.id, label: contacts.name }).from(contacts).where(where(contacts.id, contactVisible(ctx, contacts.ownerId, contacts.id)));
        break;
      case "lead":
        rows = await tx.select({ id: leads.id, label: leads.name }).from(leads).where(where(leads.id, leadVisible(ctx)));
        break;
      case "opportunity":
        rows = await tx.select({ id: opportunities.id, label: opportunities.name }).from(opportunities).where(where(opportunities.id, opportunityAccess.visible(ctx)));
        break;
      case "order":
        rows = await tx.select({ id: orders.id, label: orders.number }).from(orders).where(where(orders.id, orderAccess.visible(ctx)));
        break;
      case "quote":
        rows = await tx.select({ id: quotes.id, label: quotes.number }).from(quotes).where(where(quotes.id, quoteAccess.visible(ctx)));
        break;
    }
    for (const r of rows) labels.set(`${type}:${r.id}`, r.label);
  }
  return labels;
}
