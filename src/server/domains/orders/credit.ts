import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { cents, money } from "../../lib/money.js";
import { convert } from "../products/index.js";
import { orders, type CreditCheck, type OrderStatus } from "./schema.js";

/** Orders that are receivables and count against limits: accepted and not cancelled. */
export const COUNTING: OrderStatus[] = ["approved", "delivered", "completed"];

export type LimitPeriod = "month" | "quarter" | "year";

/** The first day of the period containing `on` and of the next one (YYYY-MM-DD). */
export function periodBounds(on: string, period: LimitPeriod): { from: string; to: string } {
  const [y, m] = on.split("-").map(Number) as [number, number];
  const startMonth = period === "month" ? m : period === "quarter" ? Math.floor((m - 1) / 3) * 3 + 1 : 1;
  const months = period === "month" ? 1 : period === "quarter" ? 3 : 12;
  const iso = (year: number, month: number) => `${year + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, "0")}-01`;
  return { from: iso(y, startMonth), to: iso(y, startMonth + months) };
}

export interface CreditCustomer {
  id: string;
  currency: string;
  creditLimit: string | null;
  salesLimit: string | null;
}

export interface CreditPosition {
  /** The base currency every figure is in. */
  currency: string;
  creditLimit: string | null;
  /** Receivables: total − paid of counting orders. */
  outstanding: string;
  available: string | null;
  salesLimit: string | null;
  period: { from: string; to: string };
  periodSales: string;
}

/**
 * A customer's credit position in the base currency on a date. Limits are
 * kept in the customer's currency and converted at that date's rate; order
 * amounts were converted when each order was made (`base_total`).
 */
export async function creditPosition(tx: Tx, customer: CreditCustomer, base: string, on: string, period: LimitPeriod): Promise<CreditPosition> {
  const bounds = periodBounds(on, period);
  const [row] = await tx
    .select({
      outstanding: sql<string>`coalesce(sum(case when ${orders.total} = 0 then 0 else ${orders.baseTotal} * (${orders.total} - ${orders.paid}) / ${orders.total} end), 0)::text`,
      periodSales: sql<string>`coalesce(sum(${orders.baseTotal}) filter (where ${and(gte(orders.orderDate, bounds.from), lt(orders.orderDate, bounds.to))}), 0)::text`,
    })
    .from(orders)
    .where(and(eq(orders.customerId, customer.id), inArray(orders.status, COUNTING)));
  const limit = async (value: string | null) => (value === null ? null : cents(await convert(tx, value, customer.currency, base, on)));
  const creditLimit = await limit(customer.creditLimit);
  const outstanding = cents(row!.outstanding);
  return {
    currency: base,
    creditLimit,
    outstanding,
    available: creditLimit === null ? null : cents(money(creditLimit).minus(outstanding)),
    salesLimit: await limit(customer.salesLimit),
    period: bounds,
    periodSales: cents(row!.periodSales),
  };
}

/** What accepting an order of `amount` (base currency) would do to the customer's limits. */
export function checkAgainst(position: CreditPosition, amount: string, now = new Date()): CreditCheck {
  const exceeded: CreditCheck["exceeded"] = [];
  if (position.creditLimit !== null && money(position.outstanding).plus(amount).gt(position.creditLimit)) exceeded.push("credit_limit");
  if (position.salesLimit !== null && money(position.periodSales).plus(amount).gt(position.salesLimit)) exceeded.push("sales_limit");
  return {
    currency: position.currency,
    orderAmount: amount,
    outstanding: position.outstanding,
    creditLimit: position.creditLimit,
    periodSales: position.periodSales,
    salesLimit: position.salesLimit,
    exceeded,
    checkedAt: now.toISOString(),
  };
}
