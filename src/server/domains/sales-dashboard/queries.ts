import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { visibleOwnerCondition } from "../../lib/access.js";
import { sqlMidnightAfter, sqlMidnightOf } from "../../lib/calendar.js";
import type { Ctx } from "../../lib/context.js";
import { workspaceZone } from "../workspaces/calendar.js";

/** Orders and money received per month (YYYY-MM), unrounded numeric strings. */
export interface MonthRow {
  month: string;
  orders: number;
  amount: string;
  payments: string;
}

/** Open receivables as of a day: unrounded sums per ageing bucket. */
export type DuesRow = {
  current: string;
  d1_30: string;
  d31_60: string;
  d61_90: string;
  d90_plus: string;
  total: string;
};

const visible = (ctx: Ctx, owner: SQL) => visibleOwnerCondition(ctx, owner);

/** Per month of [from, to] from the roll-up: a few hundred rows per year however many orders there are. */
export async function monthsFromRollup(tx: Tx, ctx: Ctx, from: string, to: string): Promise<MonthRow[]> {
  const rows = await tx.execute<{ month: string; orders: number; amount: string; payments: string }>(sql`
    select to_char(m, 'YYYY-MM') as month, orders, amount::text, payments::text
      from (select date_trunc('month', day) as m, sum(orders_count)::int as orders, sum(orders_amount) as amount, sum(payments_amount) as payments
              from sales_daily
             where day >= ${from}::date and day <= ${to}::date and ${visible(ctx, sql`owner_id`)}
             group by 1) x
     order by m`);
  return rows.rows;
}

/**
 * The same figures read from orders, allocations and payments directly: what
 * the roll-up must always equal (tests), and the baseline of bench/orders.ts.
 */
export async function monthsDirect(tx: Tx, ctx: Ctx, from: string, to: string): Promise<MonthRow[]> {
  const rows = await tx.execute<{ month: string; orders: number; amount: string; payments: string }>(sql`
    select month, sum(n)::int as orders, sum(amount)::text as amount, sum(payments)::text as payments
      from (select to_char(o.order_date, 'YYYY-MM') as month, 1 as n, o.base_total as amount, 0::numeric as payments
              from orders o
             where o.status in ('approved', 'delivered', 'completed') and o.order_date >= ${from}::date and o.order_date <= ${to}::date
               and ${visible(ctx, sql`o.owner_id`)}
            union all
            select to_char(p.received_on, 'YYYY-MM'), 0, 0, coalesce(a.amount * o.base_total / nullif(o.total, 0), 0)
              from payment_allocations a
              join payments p on p.tenant_id = a.tenant_id and p.id = a.payment_id
              join orders o on o.tenant_id = a.tenant_id and o.id = a.order_id
             where p.voided_at is null and p.received_on >= ${from}::date and p.received_on <= ${to}::date
               and ${visible(ctx, sql`o.owner_id`)}) x
     group by 1 order by 1`);
  return rows.rows;
}

const buckets = (asOf: string) => sql`
  coalesce(sum(unpaid) filter (where due_date >= ${asOf}::date), 0)::text as current,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date between 1 and 30), 0)::text as d1_30,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date between 31 and 60), 0)::text as d31_60,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date between 61 and 90), 0)::text as d61_90,
  coalesce(sum(unpaid) filter (where ${asOf}::date - due_date > 90), 0)::text as d90_plus,
  coalesce(sum(unpaid), 0)::text as total`;

/** Receivables ageing from the open dues the triggers keep (only what is still owed is stored). */
export async function duesFromRollup(tx: Tx, ctx: Ctx, asOf: string): Promise<DuesRow> {
  // Summed per due date first (a few hundred dates), then bucketed.
  const [row] = (
    await tx.execute<DuesRow>(sql`
      select ${buckets(asOf)}
        from (select due_date, sum(unpaid) as unpaid from sales_open_dues where ${visible(ctx, sql`owner_id`)} group by due_date) d`)
  ).rows;
  return row!;
}

/** The same ageing computed from orders and instalments, as payments/receivables.ts does. */
export async function duesDirect(tx: Tx, ctx: Ctx, asOf: string): Promise<DuesRow> {
  const [row] = (
    await tx.execute<DuesRow>(sql`
      with d as (
        select i.due_date, coalesce((i.amount - i.paid) * o.base_total / nullif(o.total, 0), 0) as unpaid
          from payment_instalments i
          join orders o on o.tenant_id = i.tenant_id and o.id = i.order_id
         where o.status in ('approved', 'delivered', 'completed') and i.amount > i.paid and ${visible(ctx, sql`o.owner_id`)}
        union all
        select o.order_date, coalesce((o.total - o.paid) * o.base_total / nullif(o.total, 0), 0)
          from orders o
         where o.status in ('approved', 'delivered', 'completed') and o.total > o.paid and ${visible(ctx, sql`o.owner_id`)}
           and not exists (select 1 from payment_instalments i where i.tenant_id = o.tenant_id and i.order_id = o.id))
      select ${buckets(asOf)} from d`)
  ).rows;
  return row!;
}

/** Leads created in [from, to] and how many of them were converted into customers. */
export async function leadConversion(tx: Tx, ctx: Ctx, from: string, to: string): Promise<{ leads: number; converted: number }> {
  const zone = await workspaceZone(tx, ctx.tenantId);
  const [row] = (
    await tx.execute<{ leads: number; converted: number }>(sql`
      select count(*)::int as leads, count(*) filter (where status = 'converted')::int as converted
        from leads
       where deleted_at is null and created_at >= ${sqlMidnightOf(from, zone)} and created_at < ${sqlMidnightAfter(to, zone)} and ${visible(ctx, sql`owner_id`)}`)
  ).rows;
  return row!;
}
