import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

/** Follow-up tasks and reminders, from any record (a timeline entry's next follow-up creates one). */
export const tasks = pgTable(
  "tasks",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    title: text("title").notNull(),
    notes: text("notes").notNull().default(""),
    dueAt: timestamp("due_at", { withTimezone: true, mode: "date", precision: 3 }).notNull(),
    assigneeId: uuid("assignee_id").notNull(),
    status: text("status", { enum: ["open", "done", "cancelled"] }).notNull().default("open"),
    customerId: uuid("customer_id"),
    contactId: uuid("contact_id"),
    activityId: uuid("activity_id"),
    doneAt: timestamp("done_at", { withTimezone: true, mode: "date", precision: 3 }),
    /** When the assignee was reminded that it is due (once). */
    remindedAt: timestamp("reminded_at", { withTimezone: true, mode: "date", precision: 3 }),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("tasks_assignee_idx").on(t.tenantId, t.assigneeId, t.status, t.dueAt),
    index("tasks_customer_idx").on(t.tenantId, t.customerId),
    tenantIsolation(),
  ],
).enableRLS();
