import { date, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

/** Follow-up tasks and reminders, from any record (a timeline entry's next follow-up creates one). */
/** Records a task can hang from besides a customer/contact (a lead, a deal, an order, a quote). */
export const TASK_OBJECTS = ["customer", "contact", "lead", "opportunity", "order", "quote"] as const;
export const TASK_PRIORITIES = ["low", "normal", "high"] as const;

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
    /** The record the task follows up (any of TASK_OBJECTS), besides customerId/contactId. */
    objectType: text("object_type", { enum: TASK_OBJECTS }),
    objectId: uuid("object_id"),
    priority: text("priority", { enum: TASK_PRIORITIES }).notNull().default("normal"),
    doneAt: timestamp("done_at", { withTimezone: true, mode: "date", precision: 3 }),
    /** When the assignee was reminded that it is due (once). */
    remindedAt: timestamp("reminded_at", { withTimezone: true, mode: "date", precision: 3 }),
    /** When the assignee was e-mailed that it is overdue (once). */
    overdueMailedAt: timestamp("overdue_mailed_at", { withTimezone: true, mode: "date", precision: 3 }),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("tasks_assignee_idx").on(t.tenantId, t.assigneeId, t.status, t.dueAt),
    index("tasks_customer_idx").on(t.tenantId, t.customerId),
    index("tasks_object_idx").on(t.tenantId, t.objectType, t.objectId),
    tenantIsolation(),
  ],
).enableRLS();

/** One row per person and day a task digest was sent: a restarted or repeated job sends none twice. */
export const taskDigests = pgTable(
  "task_digests",
  {
    tenantId: tenantIdColumn(),
    userId: uuid("user_id").notNull(),
    day: date("day").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId, t.day] }), tenantIsolation()],
).enableRLS();
