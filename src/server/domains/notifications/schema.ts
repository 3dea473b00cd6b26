import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation } from "../../db/columns.js";

/** In-app notifications: one row per recipient. `data` carries the message parameters and the object it is about. */
export const notifications = pgTable(
  "notifications",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    userId: uuid("user_id").notNull(),
    kind: text("kind").notNull(),
    objectType: text("object_type"),
    objectId: uuid("object_id"),
    data: jsonb("data").$type<Record<string, string | number>>().notNull().default({}),
    readAt: timestamp("read_at", { withTimezone: true, mode: "date", precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("notifications_user_idx").on(t.tenantId, t.userId, t.createdAt.desc()), tenantIsolation()],
).enableRLS();
