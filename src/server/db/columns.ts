import { sql } from "drizzle-orm";
import { integer, pgPolicy, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Building blocks every table uses. Business tables are keyed by tenant_id
 * first (primary key and indexes), so they can later be distributed by tenant.
 */
export const tenantIdColumn = () => uuid("tenant_id").notNull();

export const idColumn = () => uuid("id").notNull().defaultRandom();

export const timestamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
});

/** Optimistic concurrency: bumped by every update, compared against If-Match. */
export const versionColumn = () => integer("version").notNull().default(1);

/**
 * Row-level security: a row is visible only inside a transaction whose
 * `app.tenant_id` setting names its tenant (see db/client.ts withTenant).
 * `current_tenant_id()` is defined in the first migration; the sub-select makes
 * PostgreSQL evaluate it once per query (an InitPlan) instead of once per row.
 */
export const tenantIsolation = () =>
  pgPolicy("tenant_isolation", {
    as: "permissive",
    for: "all",
    using: sql`tenant_id = (select current_tenant_id())`,
    withCheck: sql`tenant_id = (select current_tenant_id())`,
  });
