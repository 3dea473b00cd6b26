import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, boolean } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const LEAD_STATUSES = ["new", "contacted", "qualified", "converted", "lost"] as const;

/**
 * A lead (线索): a person or company that may become a customer. Without an
 * owner it is in the lead pool, claimed and reclaimed by the same kind of
 * rules as the customer pool (lead_pool_settings). Converting it makes a
 * customer, a contact and (optionally) an opportunity, after the duplicate check.
 */
export const leads = pgTable(
  "leads",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    company: text("company").notNull().default(""),
    title: text("title").notNull().default(""),
    /** E.164 when it parses, else as typed. */
    phone: text("phone").notNull().default(""),
    email: text("email").notNull().default(""),
    wechat: text("wechat").notNull().default(""),
    source: text("source").notNull().default(""),
    campaign: text("campaign").notNull().default(""),
    provinceCode: text("province_code"),
    cityCode: text("city_code"),
    address: text("address").notNull().default(""),
    productLine: text("product_line").notNull().default(""),
    industry: text("industry").notNull().default(""),
    notes: text("notes").notNull().default(""),
    status: text("status", { enum: LEAD_STATUSES }).notNull().default("new"),
    ownerId: uuid("owner_id"),
    ownedSince: at("owned_since"),
    lastFollowUpAt: at("last_follow_up_at"),
    /** When the owner was warned of a reclaim (once per deadline). */
    reclaimWarnedAt: at("reclaim_warned_at"),
    lostReason: text("lost_reason").notNull().default(""),
    customerId: uuid("customer_id"),
    contactId: uuid("contact_id"),
    opportunityId: uuid("opportunity_id"),
    convertedAt: at("converted_at"),
    /** The assignment rule that gave it its owner, if any. */
    assignedByRule: uuid("assigned_by_rule"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    custom: jsonb("custom").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid("created_by"),
    deletedAt: at("deleted_at"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("leads_owner_idx").on(t.tenantId, t.ownerId, t.status, t.updatedAt),
    index("leads_status_idx").on(t.tenantId, t.status, t.createdAt),
    index("leads_phone_idx").on(t.tenantId, t.phone),
    index("leads_email_idx").on(t.tenantId, t.email),
    index("leads_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    tenantIsolation(),
  ],
).enableRLS();

/** Claim and reclaim rules of the lead pool (one row per workspace). */
export const leadPoolSettings = pgTable(
  "lead_pool_settings",
  {
    tenantId: tenantIdColumn().primaryKey(),
    dailyClaimLimit: integer("daily_claim_limit").notNull().default(20),
    maxHeld: integer("max_held").notNull().default(200),
    reclaimNoFollowUpDays: integer("reclaim_no_follow_up_days"),
    warnDays: integer("warn_days").notNull().default(2),
    cooldownDays: integer("cooldown_days").notNull().default(7),
    ...timestamps(),
    version: versionColumn(),
  },
  () => [tenantIsolation()],
).enableRLS();

/** Claims, releases, reclaims and assignments: daily limits and cooldowns are counted from here. */
export const leadMoves = pgTable(
  "lead_moves",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    leadId: uuid("lead_id").notNull(),
    userId: uuid("user_id").notNull(),
    kind: text("kind", { enum: ["claim", "release", "reclaim", "assign"] }).notNull(),
    reason: text("reason").notNull().default(""),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("lead_moves_user_idx").on(t.tenantId, t.userId, t.kind, t.at), index("lead_moves_lead_idx").on(t.tenantId, t.leadId, t.at), tenantIsolation()],
).enableRLS();

/**
 * How new leads get an owner: rules checked by position; the first that
 * matches (its provinces, product lines or sources; empty = any) hands the
 * lead to its users in turn (round robin, `next_index`).
 */
export const leadAssignmentRules = pgTable(
  "lead_assignment_rules",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    provinceCodes: text("province_codes").array().notNull().default(sql`'{}'::text[]`),
    productLines: text("product_lines").array().notNull().default(sql`'{}'::text[]`),
    sources: text("sources").array().notNull().default(sql`'{}'::text[]`),
    userIds: uuid("user_ids").array().notNull(),
    nextIndex: integer("next_index").notNull().default(0),
    active: boolean("active").notNull().default(true),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), tenantIsolation()],
).enableRLS();
