import { sql } from "drizzle-orm";
import { bigint, index, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

export const ACTIVITY_KINDS = ["call", "visit", "meeting", "email", "im", "note", "system"] as const;
/** Kinds that count as a follow-up with the customer (the pool's reclaim clock restarts). */
export const FOLLOW_UP_KINDS = ["call", "visit", "meeting", "email", "im"] as const;

/**
 * The timeline (the master file's "investment records"): every interaction
 * with a customer or contact, what it cost, and what comes next.
 */
export const activities = pgTable(
  "activities",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    customerId: uuid("customer_id"),
    contactId: uuid("contact_id"),
    kind: text("kind", { enum: ACTIVITY_KINDS }).notNull(),
    /** call: inbound/outbound; im: wechat, qq, dingtalk…; free text otherwise. */
    channel: text("channel").notNull().default(""),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date", precision: 3 }).notNull(),
    durationMinutes: integer("duration_minutes"),
    place: text("place").notNull().default(""),
    subject: text("subject").notNull().default(""),
    summary: text("summary").notNull().default(""),
    participantUserIds: uuid("participant_user_ids").array().notNull().default(sql`'{}'::uuid[]`),
    participantContactIds: uuid("participant_contact_ids").array().notNull().default(sql`'{}'::uuid[]`),
    mentionUserIds: uuid("mention_user_ids").array().notNull().default(sql`'{}'::uuid[]`),
    costAmount: numeric("cost_amount", { precision: 18, scale: 2 }),
    discountAmount: numeric("discount_amount", { precision: 18, scale: 2 }),
    gift: text("gift").notNull().default(""),
    currency: text("currency").notNull().default("CNY"),
    nextFollowUpAt: timestamp("next_follow_up_at", { withTimezone: true, mode: "date", precision: 3 }),
    /** For system entries: the record it stands for (an order, a ticket…). */
    sourceType: text("source_type"),
    sourceId: uuid("source_id"),
    ownerId: uuid("owner_id"),
    deletedAt: timestamp("deleted_at", { withTimezone: true, mode: "date", precision: 3 }),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("activities_customer_idx").on(t.tenantId, t.customerId, t.occurredAt.desc()),
    index("activities_contact_idx").on(t.tenantId, t.contactId, t.occurredAt.desc()),
    tenantIsolation(),
  ],
).enableRLS();

/** Files attached to timeline entries, stored under ./data/files (content-addressed), checked by their bytes. */
export const attachments = pgTable(
  "attachments",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    activityId: uuid("activity_id"),
    filename: text("filename").notNull(),
    mime: text("mime").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    createdBy: uuid("created_by"),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("attachments_activity_idx").on(t.tenantId, t.activityId), tenantIsolation()],
).enableRLS();
