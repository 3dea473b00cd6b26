import { integer, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps } from "../../db/columns.js";

/**
 * What users see of background work: state and progress of each job.
 * pg-boss does the queueing; this table is the tenant-scoped view of it.
 */
export const jobs = pgTable(
  "jobs",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    kind: text("kind").notNull(),
    state: text("state", { enum: ["queued", "running", "completed", "failed", "cancelled"] }).notNull().default("queued"),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total"),
    input: jsonb("input").$type<Record<string, unknown>>().notNull().default({}),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    createdBy: uuid("created_by"),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date", precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date", precision: 3 }),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("jobs_recent_idx").on(t.tenantId, t.createdAt.desc()), tenantIsolation()],
).enableRLS();
