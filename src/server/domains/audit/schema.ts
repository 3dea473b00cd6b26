import { bigserial, index, inet, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIdColumn, tenantIsolation } from "../../db/columns.js";

export interface FieldChange {
  before: unknown;
  after: unknown;
}

/**
 * The event log: one row per mutation, written in the mutation's own
 * transaction (lib/events.ts). The audit trail reads it; webhooks,
 * automation, loyalty and analytics will subscribe to its event names.
 */
export const events = pgTable(
  "events",
  {
    tenantId: tenantIdColumn(),
    id: bigserial("id", { mode: "number" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    actorType: text("actor_type", { enum: ["user", "api_token", "system"] }).notNull(),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    changes: jsonb("changes").$type<Record<string, FieldChange>>().notNull().default({}),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    ip: inet("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("events_time_idx").on(t.tenantId, t.occurredAt.desc(), t.id.desc()),
    index("events_object_idx").on(t.tenantId, t.objectType, t.objectId),
    index("events_actor_idx").on(t.tenantId, t.actorUserId, t.occurredAt.desc()),
    tenantIsolation(),
  ],
).enableRLS();
