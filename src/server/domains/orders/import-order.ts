import { and, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { AppError, invalid, isUniqueViolation } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { midnightOf } from "../../lib/calendar.js";
import { money } from "../../lib/money.js";
import { customers } from "../customers/index.js";
import { workspaceZone } from "../workspaces/calendar.js";
import { defaultDelivery, present, priceDocument, requireMember, type OrderInput, type OrderView } from "./orders.js";
import "./messages.js";
import { orderAccess } from "./policy.js";
import { orderLines, orders, type OrderStatus } from "./schema.js";
import { advanceOrderCounter } from "./settings.js";

/**
 * Historical orders brought in by an import (exchange/objects/order.ts). They
 * happened elsewhere: they keep the number and the final status they had,
 * are priced with the same exact line arithmetic as any order (so totals,
 * base totals and receivables agree with the rest), and are written as they
 * were — no credit check, no approval, and nothing that starts work (no
 * tasks, no mails: nothing subscribes to their events).
 */

/** The statuses an order can have been left in; pending approval is a moment of this system's flow, not a final state. */
export const IMPORTED_ORDER_STATUSES = ["draft", "approved", "delivered", "completed", "cancelled"] as const satisfies readonly OrderStatus[];
export type ImportedOrderStatus = (typeof IMPORTED_ORDER_STATUSES)[number];

export interface ImportedOrderInput extends OrderInput {
  number: string;
  orderDate: string;
  status: ImportedOrderStatus;
}

/** The steps an order in `status` went through, stamped at its order date (the only date a file gives for them). */
function stamps(status: ImportedOrderStatus, orderDate: string, zone: string) {
  // Midnight of the order date in the workspace's calendar, as order dates are written.
  const on = midnightOf(zone, orderDate);
  const accepted = status === "approved" || status === "delivered" || status === "completed";
  return {
    submittedAt: accepted ? on : null,
    approvedAt: accepted ? on : null,
    deliveredAt: status === "delivered" || status === "completed" ? on : null,
    completedAt: status === "completed" ? on : null,
    cancelledAt: status === "cancelled" ? on : null,
  };
}

/**
 * Creates a historical order in the caller's transaction: its own number
 * (refused when the workspace already has it; the order counter is moved past
 * it when it could collide with a generated one), its status and the dates
 * of the steps it reached. Products archived since may be named: they were
 * sold then.
 */
export async function addImportedOrder(tx: Tx, ctx: Ctx, input: ImportedOrderInput, data: Record<string, unknown> = {}): Promise<OrderView> {
  requireAccess(ctx, "order:create");
  const number = input.number.trim();
  if (!number) throw invalid("errors.validation", {}, { field: "number" });
  const numberTaken = () => new AppError("CONFLICT", "orders.number_taken", { number }, { field: "number" });
  const [taken] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, number));
  if (taken) throw numberTaken();
  const ownerId = input.ownerId ?? ctx.userId;
  if (!ownerId) throw invalid("errors.validation", {}, { field: "ownerId" });
  if (input.ownerId) await requireMember(tx, input.ownerId, "ownerId");
  const { customer, currency, priced, totals, baseTotal } = await priceDocument(tx, ctx, { ...input, on: input.orderDate, archivedProducts: true });
  const inserted = tx
    .insert(orders)
    .values({
      tenantId: ctx.tenantId,
      number,
      customerId: customer.id,
      contactId: null,
      ownerId,
      status: input.status,
      currency,
      orderDate: input.orderDate,
      expectedDelivery: input.expectedDelivery ?? null,
      channel: input.channel ?? "",
      deliveryAddress: input.deliveryAddress === undefined ? await defaultDelivery(tx, customer) : input.deliveryAddress,
      paymentTerms: input.paymentTerms ?? customer.paymentTerms,
      notes: input.notes ?? "",
      ...stamps(input.status, input.orderDate, await workspaceZone(tx, ctx.tenantId)),
      ...totals,
      baseTotal,
      createdBy: ctx.userId,
    })
    .returning();
  // Another import writing the same number at the same moment: the unique number decides, the loser is told so.
  const [row] = await inserted.catch((err: unknown) => {
    throw isUniqueViolation(err, "orders_number_key") ? numberTaken() : err;
  });
  const lines = await tx
    .insert(orderLines)
    .values(priced.map((l) => ({ ...l, tenantId: ctx.tenantId, orderId: row!.id })))
    .returning();
  await advanceOrderCounter(tx, ctx.tenantId, number);
  const view = present(row!, customer.name, lines);
  await recordEvent(tx, ctx, { action: "order.created", objectType: "order", objectId: row!.id, after: view, data: { customerId: customer.id, imported: true, ...data } });
  return view;
}

/**
 * Cancels an order an import created, when its import is undone: whatever
 * status it reached (a historical order may be completed), since it should
 * never have been there. Only an order the actor can see, not cancelled yet
 * and without money on it (the import's payments are voided first); the
 * number stays taken, as every order number does. Whether it was cancelled.
 */
export async function cancelImportedOrder(tx: Tx, ctx: Ctx, id: string, reason: string, data: Record<string, unknown> = {}): Promise<boolean> {
  requireAccess(ctx, "order:update");
  const [current] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), ne(orders.status, "cancelled"), orderAccess.visible(ctx)))
    .for("update");
  if (!current || money(current.paid).gt(0)) return false;
  const now = new Date();
  const [row] = await tx
    .update(orders)
    .set({ status: "cancelled", cancelledAt: now, cancelReason: reason, version: sql`${orders.version} + 1`, updatedAt: now })
    .where(eq(orders.id, id))
    .returning();
  const [c] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, current.customerId));
  await recordEvent(tx, ctx, { action: "order.cancelled", objectType: "order", objectId: id, before: present(current, c?.name ?? ""), after: present(row!, c?.name ?? ""), data });
  return true;
}
