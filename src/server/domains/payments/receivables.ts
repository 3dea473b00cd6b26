import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { requireAccess, visibleOwnerCondition } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { notFound } from "../../lib/errors.js";
import { cents, money } from "../../lib/money.js";
import { customers, customerVisible } from "../customers/index.js";
import { notify } from "../notifications/notifications.js";
import { orders } from "../orders/index.js";
import { workspaceToday } from "../workspaces/calendar.js";
import { baseCurrency } from "../products/index.js";
import { paymentInstalments } from "./schema.js";

export const AGEING_BUCKETS = ["current", "d1_30", "d31_60", "d61_90", "d90_plus"] as const;
type Bucket = (typeof AGEING_BUCKETS)[number];
export type Ageing = Record<Bucket, string> & { total: string };

export interface ReceivablesRow extends Ageing {
  customerId: string;
  customerName: string;
}

export interface Receivables {
  asOf: string;
  /** Every amount is in this currency (the base currency, at each order's rate). */
  currency: string;
  totals: Ageing;
  customers: ReceivablesRow[];
}

/**
 * What is owed, as of a date, split by how long it is overdue: an instalment
 * is due on its date; an order without a plan on its order date. Only
 * accepted orders the actor can see; amounts converted at each order's rate
 * (total : base total), exact until rounded to cents per bucket.
 */
const dues = (ctx: Ctx) => sql`
  select o.customer_id, i.due_date, (i.amount - i.paid) * o.base_total / nullif(o.total, 0) as unpaid
    from payment_instalments i
    join orders o on o.tenant_id = i.tenant_id and o.id = i.order_id
   where o.status in ('approved', 'delivered', 'completed') and i.amount > i.paid and ${visibleOwnerCondition(ctx, sql`o.owner_id`)}
  union all
  select o.customer_id, o.order_date, (o.total - o.paid) * o.base_total / nullif(o.total, 0)
    from orders o
   where o.status in ('approved', 'delivered', 'completed') and o.total > o.paid and ${visibleOwnerCondition(ctx, sql`o.owner_id`)}
     and not exists (select 1 from payment_instalments i where i.tenant_id = o.tenant_id and i.order_id = o.id)`;

const bucketSums = (asOf: string) => sql`
  coalesce(sum(unpaid) filter (where due_date >= ${asOf}::date), 0)::text as current,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date between 1 and 30), 0)::text as d1_30,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date between 31 and 60), 0)::text as d31_60,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date between 61 and 90), 0)::text as d61_90,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date > 90), 0)::text as d90_plus,
  coalesce(sum(unpaid), 0)::text as total`;

const rounded = (r: Record<string, unknown>): Ageing =>
  Object.fromEntries([...AGEING_BUCKETS, "total"].map((k) => [k, cents(String(r[k] ?? "0"))])) as Ageing;

/** Receivables ageing (应收账龄): per customer with the largest balances first, and totals over all of them. */
export async function getReceivables(ctx: Ctx, input: { asOf?: string; limit: number }): Promise<Receivables> {
  requireAccess(ctx, "order:read");
  return readTenant(ctx, async (tx) => {
    const asOf = input.asOf ?? (await workspaceToday(tx, ctx.tenantId));
    const rows = (
      await tx.execute(sql`
        with d as (${dues(ctx)})
        select d.customer_id as "customerId", c.name as "customerName", ${bucketSums(asOf)}
          from d join customers c on c.tenant_id = (select current_tenant_id()) and c.id = d.customer_id
         group by d.customer_id, c.name
         order by sum(unpaid) desc, c.name
         limit ${input.limit}`)
    ).rows;
    const [totals] = (await tx.execute(sql`with d as (${dues(ctx)}) select ${bucketSums(asOf)} from d`)).rows;
    return {
      asOf,
      currency: await baseCurrency(tx, ctx.tenantId),
      totals: rounded(totals ?? {}),
      customers: rows.map((r) => ({ customerId: String(r.customerId), customerName: String(r.customerName), ...rounded(r) })),
    };
  });
}

export interface PaymentRecord {
  /** Instalments whose due date has come. */
  instalmentsDue: number;
  paidOnTime: number;
  paidLate: number;
  /** Due, not (fully) paid. */
  unpaid: number;
  /** Of the instalments due: paid on or before the due date. Null without any. */
  onTimeRate: number | null;
  averageDaysLate: number | null;
  maxDaysLate: number | null;
  overdue: Ageing;
  currency: string;
}

/**
 * A customer's payment record (回款信用记录), from its instalments: how many
 * fell due, how many were paid on time or late and by how many days, what is
 * overdue now. Updated by every payment, since it is read from them.
 */
export async function getPaymentRecord(ctx: Ctx, customerId: string, on?: string): Promise<PaymentRecord> {
  requireAccess(ctx, "order:read");
  return readTenant(ctx, async (tx) => {
    const asOf = on ?? (await workspaceToday(tx, ctx.tenantId));
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, customerId), isNull(customers.deletedAt), customerVisible(ctx)));
    if (!customer) throw notFound("customer");
    const [r] = (
      await tx.execute<{ due: number; on_time: number; late: number; unpaid: number; avg_late: string | null; max_late: number | null }>(sql`
        select count(*)::int as due,
               count(*) filter (where i.paid_on is not null and i.paid_on <= i.due_date)::int as on_time,
               count(*) filter (where i.paid_on > i.due_date)::int as late,
               count(*) filter (where i.paid_on is null)::int as unpaid,
               avg(i.paid_on - i.due_date) filter (where i.paid_on > i.due_date)::text as avg_late,
               max(coalesce(i.paid_on, ${asOf}::date) - i.due_date) filter (where coalesce(i.paid_on, ${asOf}::date) > i.due_date) as max_late
          from payment_instalments i
          join orders o on o.tenant_id = i.tenant_id and o.id = i.order_id
         where o.customer_id = ${customerId} and o.status in ('approved', 'delivered', 'completed') and i.due_date <= ${asOf}::date`)
    ).rows;
    const [overdue] = (await tx.execute(sql`with d as (${dues({ ...ctx, visibility: "all" })}) select ${bucketSums(asOf)} from d where customer_id = ${customerId} and due_date < ${asOf}::date`)).rows;
    const closed = r!.on_time + r!.late;
    return {
      instalmentsDue: r!.due,
      paidOnTime: r!.on_time,
      paidLate: r!.late,
      unpaid: r!.unpaid,
      onTimeRate: r!.due ? Math.round((r!.on_time / r!.due) * 1000) / 1000 : null,
      averageDaysLate: closed && r!.avg_late !== null ? Math.round(Number(r!.avg_late) * 10) / 10 : null,
      maxDaysLate: r!.max_late,
      overdue: rounded(overdue ?? {}),
      currency: await baseCurrency(tx, ctx.tenantId),
    };
  });
}

/** Tells each order's owner, once per instalment, that an instalment is overdue. Run daily by the schedule. */
export async function remindOverdueInstalments(ctx: Ctx, on?: string): Promise<number> {
  return inTenant(ctx, async (tx) => {
    const today = on ?? (await workspaceToday(tx, ctx.tenantId));
    const due = await tx
      .update(paymentInstalments)
      .set({ remindedAt: new Date() })
      .where(
        and(
          lt(paymentInstalments.dueDate, today),
          sql`${paymentInstalments.amount} > ${paymentInstalments.paid}`,
          isNull(paymentInstalments.remindedAt),
          sql`exists (select 1 from orders o where o.tenant_id = ${paymentInstalments.tenantId} and o.id = ${paymentInstalments.orderId} and o.status in ('approved', 'delivered', 'completed'))`,
        ),
      )
      .returning();
    for (const i of due) {
      const [o] = await tx.select({ number: orders.number, ownerId: orders.ownerId, currency: orders.currency }).from(orders).where(eq(orders.id, i.orderId));
      await notify(tx, ctx.tenantId, {
        userId: o!.ownerId,
        kind: "payment_overdue",
        objectType: "order",
        objectId: i.orderId,
        data: { number: o!.number, amount: money(i.amount).minus(i.paid).toFixed(2), currency: o!.currency, dueDate: i.dueDate },
      });
    }
    return due.length;
  });
}
