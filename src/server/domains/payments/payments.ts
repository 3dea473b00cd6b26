import { and, asc, eq, getTableColumns, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenantOr, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { money, sum } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { customers, customerVisible } from "../customers/index.js";
import { COUNTING, nextPaymentNumber, orderAccess, orders } from "../orders/index.js";
import { settleInstalments } from "./plans.js";
import { paymentAllocations, payments, type PAYMENT_METHODS } from "./schema.js";

type Row = typeof payments.$inferSelect;
export interface AllocationView {
  orderId: string;
  orderNumber: string;
  amount: string;
}
export type PaymentView = Omit<Row, "tenantId"> & { customerName: string; allocations?: AllocationView[] };

export interface PaymentInput {
  customerId: string;
  amount: string;
  currency: string;
  receivedOn: string;
  method?: (typeof PAYMENT_METHODS)[number];
  reference?: string;
  notes?: string;
  /** Omitted: the customer's oldest receivable orders in this currency first. */
  allocations?: { orderId: string; amount: string }[];
}

const present = ({ tenantId: _t, ...rest }: Row, customerName: string, allocations?: AllocationView[]): PaymentView => ({ ...rest, customerName, ...(allocations ? { allocations } : {}) });

/**
 * The customer row, locked: payments and order submissions for one customer
 * take this lock first, so receivables and credit checks see each other's work.
 */
async function lockCustomer(tx: Tx, ctx: Ctx, id: string): Promise<{ id: string; name: string }> {
  const [row] = await tx
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.id, id), isNull(customers.deletedAt), customerVisible(ctx)))
    .for("update");
  if (!row) throw invalid("errors.not_found", { object: "customer" }, { field: "customerId" });
  return row;
}

type OrderRow = typeof orders.$inferSelect;
const due = (o: Pick<OrderRow, "total" | "paid">) => money(o.total).minus(o.paid);

/** Where a payment goes: the allocations as given (each checked), or the oldest open orders first. */
async function allocate(tx: Tx, ctx: Ctx, customerId: string, input: PaymentInput): Promise<{ order: OrderRow; amount: string }[]> {
  const amount = money(input.amount);
  if (input.allocations) {
    const ids = input.allocations.map((a) => a.orderId);
    if (new Set(ids).size !== ids.length) throw invalid("payments.order_twice", {}, { field: "allocations" });
    const rows = await tx
      .select()
      .from(orders)
      .where(and(anyUuid(orders.id, ids), eq(orders.customerId, customerId), orderAccess.visible(ctx)))
      .orderBy(asc(orders.id))
      .for("update");
    const byId = new Map(rows.map((o) => [o.id, o]));
    const out = input.allocations.map((a, k) => {
      const field = (name: string) => ({ field: `allocations.${k}.${name}` });
      const order = byId.get(a.orderId);
      if (!order) throw invalid("errors.not_found", { object: "order" }, field("orderId"));
      if (!COUNTING.includes(order.status)) throw invalid("payments.order_not_receivable", { number: order.number, status: `order_status_${order.status}` }, field("orderId"));
      if (order.currency !== input.currency) throw invalid("payments.currency_mismatch", { number: order.number, currency: order.currency }, field("orderId"));
      if (money(a.amount).lte(0)) throw invalid("payments.amount_positive", {}, field("amount"));
      if (money(a.amount).gt(due(order))) throw invalid("payments.more_than_due", { number: order.number, due: due(order).toFixed(2) }, { ...field("amount"), due: due(order).toFixed(2) });
      return { order, amount: money(a.amount).toFixed(2) };
    });
    const allocated = sum(out.map((a) => a.amount));
    if (!allocated.eq(amount)) throw invalid("payments.allocations_sum", { allocated: allocated.toFixed(2), amount: amount.toFixed(2) }, { field: "allocations" });
    return out;
  }
  const open = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, customerId), inArray(orders.status, COUNTING), eq(orders.currency, input.currency), gt(orders.total, orders.paid), orderAccess.visible(ctx)))
    .orderBy(asc(orders.orderDate), asc(orders.number))
    .for("update");
  const out: { order: OrderRow; amount: string }[] = [];
  let left = amount;
  for (const order of open) {
    if (left.lte(0)) break;
    const take = left.lt(due(order)) ? left : due(order);
    out.push({ order, amount: take.toFixed(2) });
    left = left.minus(take);
  }
  if (left.gt(0)) {
    const total = sum(open.map(due));
    throw invalid("payments.more_than_receivable", { amount: amount.toFixed(2), due: total.toFixed(2), currency: input.currency }, { due: total.toFixed(2) });
  }
  return out;
}

/**
 * Records money received from a customer and matches it to orders: each
 * order's paid amount grows, its instalments are settled, and the receivables
 * shrink. A bank reference already recorded for a live payment is refused
 * (the same transfer entered twice). In `outer` when given (an import of
 * historical orders records what was paid on each in its own transaction).
 */
export async function createPayment(ctx: Ctx, input: PaymentInput, outer?: Tx): Promise<PaymentView> {
  requireAccess(ctx, "payment:create");
  if (money(input.amount).lte(0)) throw invalid("payments.amount_positive", {}, { field: "amount" });
  return inTenantOr(ctx, outer, async (tx) => {
    const customer = await lockCustomer(tx, ctx, input.customerId);
    const reference = input.reference?.trim() ?? "";
    if (reference) {
      const [twin] = await tx
        .select({ number: payments.number })
        .from(payments)
        .where(and(eq(payments.reference, reference), isNull(payments.voidedAt)));
      if (twin) throw conflict("payments.duplicate_reference", { reference, number: twin.number });
    }
    const allocations = await allocate(tx, ctx, customer.id, input);
    const [row] = await tx
      .insert(payments)
      .values({
        tenantId: ctx.tenantId,
        number: await nextPaymentNumber(tx, ctx.tenantId),
        customerId: customer.id,
        amount: money(input.amount).toFixed(2),
        currency: input.currency,
        receivedOn: input.receivedOn,
        method: input.method ?? "bank_transfer",
        reference,
        notes: input.notes ?? "",
        createdBy: ctx.userId,
      })
      .returning();
    await tx.insert(paymentAllocations).values(allocations.map((a) => ({ tenantId: ctx.tenantId, paymentId: row!.id, orderId: a.order.id, amount: a.amount })));
    for (const a of allocations) {
      await tx
        .update(orders)
        .set({ paid: sql`${orders.paid} + ${a.amount}::numeric`, version: sql`${orders.version} + 1`, updatedAt: new Date() })
        .where(eq(orders.id, a.order.id));
      await settleInstalments(tx, a.order.id);
    }
    const view = present(row!, customer.name, allocations.map((a) => ({ orderId: a.order.id, orderNumber: a.order.number, amount: a.amount })));
    await recordEvent(tx, ctx, { action: "payment.received", objectType: "payment", objectId: row!.id, after: view, data: { customerId: customer.id } });
    return view;
  });
}

/**
 * Voids a payment (recorded but never arrived, entered wrongly): its allocations come off the orders again.
 * In `outer` when given (undoing an import of historical orders).
 */
export async function voidPayment(ctx: Ctx, id: string, version: ExpectedVersion, reason: string, outer?: Tx): Promise<PaymentView> {
  requireAccess(ctx, "payment:void");
  return inTenantOr(ctx, outer, async (tx) => {
    const [peek] = await tx.select({ customerId: payments.customerId }).from(payments).where(eq(payments.id, id));
    if (!peek) throw notFound("payment");
    const customer = await lockCustomer(tx, ctx, peek.customerId).catch(() => {
      throw notFound("payment");
    });
    const [current] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
    checkVersion(current, version, "payment");
    if (current!.voidedAt) throw invalid("payments.already_void");
    const allocs = await allocationsOf(tx, id);
    const locked = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(anyUuid(orders.id, allocs.map((a) => a.orderId)))
      .orderBy(asc(orders.id))
      .for("update");
    if (locked.length !== allocs.length) throw notFound("order");
    for (const a of allocs) {
      await tx
        .update(orders)
        .set({ paid: sql`${orders.paid} - ${a.amount}::numeric`, version: sql`${orders.version} + 1`, updatedAt: new Date() })
        .where(eq(orders.id, a.orderId));
    }
    const [row] = await tx
      .update(payments)
      .set({ voidedAt: new Date(), voidReason: reason.trim(), version: current!.version + 1, updatedAt: new Date() })
      .where(eq(payments.id, id))
      .returning();
    for (const a of allocs) await settleInstalments(tx, a.orderId);
    const view = present(row!, customer.name, allocs);
    await recordEvent(tx, ctx, { action: "payment.voided", objectType: "payment", objectId: id, before: present(current!, customer.name, allocs), after: view });
    return view;
  });
}

async function allocationsOf(tx: Tx, paymentId: string): Promise<AllocationView[]> {
  return tx
    .select({ orderId: paymentAllocations.orderId, orderNumber: orders.number, amount: paymentAllocations.amount })
    .from(paymentAllocations)
    .innerJoin(orders, and(eq(orders.tenantId, paymentAllocations.tenantId), eq(orders.id, paymentAllocations.orderId)))
    .where(eq(paymentAllocations.paymentId, paymentId))
    .orderBy(asc(orders.number));
}

/** Payments of customers the actor can see. */
const paymentVisible = (ctx: Ctx) => customerVisible(ctx, { ownerId: customers.ownerId, id: customers.id });

export async function getPayment(ctx: Ctx, id: string): Promise<PaymentView> {
  requireAccess(ctx, "payment:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx
      .select({ payment: payments, customerName: customers.name })
      .from(payments)
      .innerJoin(customers, and(eq(customers.tenantId, payments.tenantId), eq(customers.id, payments.customerId)))
      .where(and(eq(payments.id, id), paymentVisible(ctx)));
    if (!row) throw notFound("payment");
    return present(row.payment, row.customerName, await allocationsOf(tx, id));
  });
}

export const paymentListing = defineListing({
  id: payments.id,
  defaultSort: "-receivedOn",
  fields: {
    receivedOn: { column: payments.receivedOn, type: "date", sort: true, filter: true },
    number: { column: payments.number, type: "text", sort: true, filter: true },
    amount: { column: payments.amount, type: "number", sort: true, filter: true, value: (r) => Number(r.amount) },
    customerId: { column: payments.customerId, type: "uuid", filter: true },
    /** The orders a payment was matched to: `orderId:eq:<id>` lists an order's payments. */
    orderId: {
      // array(…), not (select array_agg …): inside any(…) a parenthesised select would be read as a subquery of arrays.
      column: sql`array(select a.order_id from ${paymentAllocations} a where a.tenant_id = ${payments.tenantId} and a.payment_id = ${payments.id})`,
      type: "uuid",
      array: true,
      filter: true,
    },
    method: { column: payments.method, type: "text", filter: true },
    currency: { column: payments.currency, type: "text", filter: true },
    createdAt: { column: payments.createdAt, type: "date", sort: true, filter: true },
  },
});

/** Payments (voided ones included, marked) of the customers the actor can see, with the orders each was matched to. */
export async function findPayments(ctx: Ctx, query: ListQuery): Promise<Page<PaymentView>> {
  requireAccess(ctx, "payment:read");
  const list = paymentListing.build(query, [paymentVisible(ctx)]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select({ ...getTableColumns(payments), customerName: customers.name })
      .from(payments)
      .innerJoin(customers, and(eq(customers.tenantId, payments.tenantId), eq(customers.id, payments.customerId)))
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.fetch);
    const page = list.page(rows);
    const ids = page.items.map((p) => p.id);
    const allocations = ids.length
      ? await tx
          .select({ paymentId: paymentAllocations.paymentId, orderId: paymentAllocations.orderId, orderNumber: orders.number, amount: paymentAllocations.amount })
          .from(paymentAllocations)
          .innerJoin(orders, and(eq(orders.tenantId, paymentAllocations.tenantId), eq(orders.id, paymentAllocations.orderId)))
          .where(anyUuid(paymentAllocations.paymentId, ids))
          .orderBy(asc(orders.number))
      : [];
    const byPayment = new Map<string, typeof allocations>();
    for (const a of allocations) byPayment.set(a.paymentId, [...(byPayment.get(a.paymentId) ?? []), a]);
    return {
      ...page,
      items: page.items.map(({ customerName, ...p }) => present(p, customerName, (byPayment.get(p.id) ?? []).map(({ paymentId: _p, ...a }) => a))),
    };
  });
}
