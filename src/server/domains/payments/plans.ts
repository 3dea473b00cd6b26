import { and, asc, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { money, sum } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { COUNTING, orderAccess, orders } from "../orders/index.js";
import { workspaceToday } from "../workspaces/calendar.js";
import { paymentAllocations, paymentInstalments, payments } from "./schema.js";

export interface InstalmentInput {
  dueDate: string;
  amount: string;
  notes?: string;
}

export interface InstalmentView {
  seq: number;
  dueDate: string;
  amount: string;
  paid: string;
  paidOn: string | null;
  notes: string;
  status: "paid" | "partly_paid" | "open" | "overdue";
  daysOverdue: number;
}

type Row = typeof paymentInstalments.$inferSelect;

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** `today`: the workspace's calendar date (workspaceToday). */
export function presentInstalment(i: Row, today: string): InstalmentView {
  const settled = money(i.paid).gte(i.amount);
  const overdue = !settled && i.dueDate < today;
  return {
    seq: i.seq,
    dueDate: i.dueDate,
    amount: i.amount,
    paid: i.paid,
    paidOn: i.paidOn,
    notes: i.notes,
    status: settled ? "paid" : overdue ? "overdue" : money(i.paid).gt(0) ? "partly_paid" : "open",
    daysOverdue: overdue ? days(i.dueDate, today) : 0,
  };
}

/**
 * Spreads what was received for an order over its instalments, oldest
 * payment to the earliest instalment: each instalment's paid amount, and the
 * date of the payment that completed it (for the customer's payment record).
 * Recomputed from the allocations after every payment or void, so it cannot drift.
 */
export async function settleInstalments(tx: Tx, orderId: string): Promise<void> {
  const plan = await tx.select().from(paymentInstalments).where(eq(paymentInstalments.orderId, orderId)).orderBy(asc(paymentInstalments.seq));
  if (plan.length === 0) return;
  const received = await tx
    .select({ amount: paymentAllocations.amount, on: payments.receivedOn })
    .from(paymentAllocations)
    .innerJoin(payments, and(eq(payments.tenantId, paymentAllocations.tenantId), eq(payments.id, paymentAllocations.paymentId)))
    .where(and(eq(paymentAllocations.orderId, orderId), isNull(payments.voidedAt)))
    .orderBy(asc(payments.receivedOn), asc(payments.createdAt), asc(payments.id));
  const next = plan.map((i) => ({ seq: i.seq, amount: money(i.amount), paid: money(0), paidOn: null as string | null }));
  let at = 0;
  for (const r of received) {
    let left = money(r.amount);
    while (left.gt(0) && at < next.length) {
      const inst = next[at]!;
      const take = left.lt(inst.amount.minus(inst.paid)) ? left : inst.amount.minus(inst.paid);
      inst.paid = inst.paid.plus(take);
      left = left.minus(take);
      if (inst.paid.gte(inst.amount)) {
        inst.paidOn = r.on;
        at++;
      }
    }
  }
  for (const [k, inst] of next.entries()) {
    const old = plan[k]!;
    const paid = inst.paid.toFixed(2);
    if (paid !== money(old.paid).toFixed(2) || inst.paidOn !== old.paidOn) {
      await tx
        .update(paymentInstalments)
        .set({ paid, paidOn: inst.paidOn })
        .where(and(eq(paymentInstalments.orderId, orderId), eq(paymentInstalments.seq, inst.seq)));
    }
  }
}

/**
 * Sets an accepted order's payment plan: instalments that add up to its
 * total exactly, replacing the previous plan; what was already received is
 * spread over the new one. Bumps the order's version (If-Match is the order's).
 */
export async function setPaymentPlan(ctx: Ctx, orderId: string, version: ExpectedVersion, input: InstalmentInput[]): Promise<InstalmentView[]> {
  requireAccess(ctx, "order:update");
  return inTenant(ctx, async (tx) => {
    const [order] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.id, orderId), orderAccess.visible(ctx)))
      .for("update");
    checkVersion(order, version, "order");
    if (!COUNTING.includes(order!.status)) throw invalid("payments.plan_needs_accepted_order", { status: `order_status_${order!.status}` }, { status: order!.status });
    input.forEach((i, k) => {
      if (money(i.amount).lte(0)) throw invalid("payments.amount_positive", {}, { field: `instalments.${k}.amount` });
    });
    const planned = sum(input.map((i) => i.amount));
    if (!planned.eq(order!.total)) throw invalid("payments.plan_sum", { planned: planned.toFixed(2), total: order!.total }, { planned: planned.toFixed(2), total: order!.total });
    const today = await workspaceToday(tx, ctx.tenantId);
    const before = (await tx.select().from(paymentInstalments).where(eq(paymentInstalments.orderId, orderId)).orderBy(asc(paymentInstalments.seq))).map((i) => presentInstalment(i, today));
    await tx.delete(paymentInstalments).where(eq(paymentInstalments.orderId, orderId));
    const sorted = [...input].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
    await tx.insert(paymentInstalments).values(sorted.map((i, k) => ({ tenantId: ctx.tenantId, orderId, seq: k + 1, dueDate: i.dueDate, amount: money(i.amount).toFixed(2), notes: i.notes ?? "" })));
    await settleInstalments(tx, orderId);
    await tx.update(orders).set({ version: order!.version + 1, updatedAt: new Date() }).where(eq(orders.id, orderId));
    const after = (await tx.select().from(paymentInstalments).where(eq(paymentInstalments.orderId, orderId)).orderBy(asc(paymentInstalments.seq))).map((i) => presentInstalment(i, today));
    await recordEvent(tx, ctx, { action: "order.payment_plan_set", objectType: "order", objectId: orderId, before: { instalments: before }, after: { instalments: after } });
    return after;
  });
}

export async function getPaymentPlan(ctx: Ctx, orderId: string): Promise<InstalmentView[]> {
  requireAccess(ctx, "order:read");
  return readTenant(ctx, async (tx) => {
    const [order] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.id, orderId), orderAccess.visible(ctx)));
    if (!order) throw notFound("order");
    const rows = await tx.select().from(paymentInstalments).where(eq(paymentInstalments.orderId, orderId)).orderBy(asc(paymentInstalments.seq));
    const today = await workspaceToday(tx, ctx.tenantId);
    return rows.map((i) => presentInstalment(i, today));
  });
}
