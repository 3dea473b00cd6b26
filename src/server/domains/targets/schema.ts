import { date, index, numeric, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

/** What a target measures: signed orders, collected payments (回款), new customers, or won deals. */
export const TARGET_METRICS = ["order_amount", "payment_amount", "new_customers", "won_deals"] as const;
export const TARGET_PERIODS = ["month", "quarter", "year"] as const;
/** Who a target is for; the company's scope id is the workspace id. */
export const TARGET_SCOPES = ["company", "department", "team", "user"] as const;

/**
 * A sales target (业绩目标) for one scope, metric and period, in the workspace's base currency
 * (or a count). Targets are broken down from the top: a child names its parent, and the
 * children of one parent never add up to more than the parent.
 */
export const salesTargets = pgTable(
  "sales_targets",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    metric: text("metric", { enum: TARGET_METRICS }).notNull(),
    periodType: text("period_type", { enum: TARGET_PERIODS }).notNull(),
    /** First day of the month, quarter or year. */
    periodStart: date("period_start").notNull(),
    scope: text("scope", { enum: TARGET_SCOPES }).notNull(),
    scopeId: uuid("scope_id").notNull(),
    amount: numeric("amount", { precision: 18, scale: 2 }).notNull(),
    parentId: uuid("parent_id"),
    notes: text("notes").notNull().default(""),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("sales_targets_key").on(t.tenantId, t.metric, t.periodType, t.periodStart, t.scope, t.scopeId),
    index("sales_targets_parent_idx").on(t.tenantId, t.parentId),
    tenantIsolation(),
  ],
).enableRLS();
