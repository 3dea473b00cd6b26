import { date, index, integer, numeric, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { tenantIdColumn, tenantIsolation } from "../../db/columns.js";

/**
 * The sales roll-up: per owner and day, accepted orders (count and base_total,
 * by order date) and money received (by received date, matched to that owner's
 * orders, in the base currency at each order's rate). Maintained exactly by
 * triggers on orders, payments and payment_allocations, in the writing
 * transaction (migration 0017), so a committed change is always in it. Amounts
 * are unconstrained numeric: the same quotients a direct query adds up, so the
 * two agree to the last digit.
 */
export const salesDaily = pgTable(
  "sales_daily",
  {
    tenantId: tenantIdColumn(),
    ownerId: uuid("owner_id").notNull(),
    day: date("day").notNull(),
    ordersCount: integer("orders_count").notNull().default(0),
    ordersAmount: numeric("orders_amount").notNull().default("0"),
    paymentsAmount: numeric("payments_amount").notNull().default("0"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ownerId, t.day] }), index("sales_daily_day_idx").on(t.tenantId, t.day), tenantIsolation()],
).enableRLS();

/**
 * Receivables still open, one row per unpaid instalment (seq ≥ 1) or per order
 * without a plan (seq 0, due on its order date), in the base currency. Only
 * open amounts are kept, so ageing reads a few rows however many orders were
 * paid. Rebuilt per order by triggers on orders and payment_instalments.
 */
export const salesOpenDues = pgTable(
  "sales_open_dues",
  {
    tenantId: tenantIdColumn(),
    orderId: uuid("order_id").notNull(),
    seq: integer("seq").notNull(),
    ownerId: uuid("owner_id").notNull(),
    dueDate: date("due_date").notNull(),
    unpaid: numeric("unpaid").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.orderId, t.seq] }), index("sales_open_dues_owner_idx").on(t.tenantId, t.ownerId, t.dueDate), tenantIsolation()],
).enableRLS();
