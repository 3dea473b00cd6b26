import { sql } from "drizzle-orm";
import { boolean, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";
import type { Email, Phone } from "./validation.js";
import { timestamp } from "drizzle-orm/pg-core";

const deletedAt = () => timestamp("deleted_at", { withTimezone: true, mode: "date", precision: 3 });
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

export const CUSTOMER_KINDS = ["organization", "individual"] as const;
export const CUSTOMER_STATUSES = ["active", "inactive", "blacklisted"] as const;
export const LIFECYCLE_STAGES = ["prospect", "new", "repeat", "loyal", "at_risk", "churned"] as const;
export const GRADES = ["A", "B", "C"] as const;
export const COMPANY_SIZES = ["micro", "small", "medium", "large", "enterprise"] as const;
export const GENDERS = ["male", "female", "other"] as const;
export const CONTACT_ROLES = ["decision_maker", "influencer", "user", "other"] as const;
export const ADDRESS_KINDS = ["billing", "delivery"] as const;

/** The analysis profile: what the company knows of the customer, in words. */
export interface CustomerAnalysis {
  attitude?: string;
  evaluation?: string;
  contractPerformance?: string;
  frictions?: string;
  competitors?: string;
  demand?: string;
  potential?: string;
  interests?: string;
  values?: string;
}

/**
 * A customer: an organisation or an individual, with its finance profile
 * (columns), analysis profile (jsonb) and custom fields (jsonb). `owner_id`
 * null means the customer is in the public pool.
 */
export const customers = pgTable(
  "customers",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    code: text("code").notNull(),
    kind: text("kind", { enum: CUSTOMER_KINDS }).notNull(),
    name: text("name").notNull(),
    shortName: text("short_name").notNull().default(""),
    /** For the duplicate check: folded, without legal form or region affixes. */
    nameKey: text("name_key").notNull(),
    type: text("type").notNull().default(""),
    source: text("source").notNull().default(""),
    ownerId: uuid("owner_id"),
    teamId: uuid("team_id"),
    status: text("status", { enum: CUSTOMER_STATUSES }).notNull().default("active"),
    lifecycleStage: text("lifecycle_stage", { enum: LIFECYCLE_STAGES }).notNull().default("prospect"),
    grade: text("grade", { enum: GRADES }),
    gradeManual: boolean("grade_manual").notNull().default(false),
    industry: text("industry").notNull().default(""),
    companySize: text("company_size", { enum: COMPANY_SIZES }),
    cooperationSince: date("cooperation_since"),
    website: text("website").notNull().default(""),
    remarks: text("remarks").notNull().default(""),
    phones: jsonb("phones").$type<Phone[]>().notNull().default([]),
    emails: jsonb("emails").$type<Email[]>().notNull().default([]),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    // Geography (official division codes) and the address as written.
    provinceCode: text("province_code"),
    cityCode: text("city_code"),
    districtCode: text("district_code"),
    address: text("address").notNull().default(""),
    // Finance profile
    creditCode: text("credit_code"),
    taxRules: text("tax_rules").notNull().default(""),
    currency: text("currency").notNull().default("CNY"),
    discountTerms: text("discount_terms").notNull().default(""),
    paymentTerms: text("payment_terms").notNull().default(""),
    creditLimit: money("credit_limit"),
    salesLimit: money("sales_limit"),
    creditRating: text("credit_rating").notNull().default(""),
    commissionCode: text("commission_code").notNull().default(""),
    invoiceRecipient: text("invoice_recipient").notNull().default(""),
    bankName: text("bank_name").notNull().default(""),
    /** AES-256-GCM ciphertext (lib/crypto.ts); the API shows it masked unless the role may see it. */
    bankAccountCipher: text("bank_account_cipher"),
    bankAccountLast4: text("bank_account_last4"),
    // Analysis profile and demographics (individuals)
    analysis: jsonb("analysis").$type<CustomerAnalysis>().notNull().default({}),
    gender: text("gender", { enum: GENDERS }),
    birthday: date("birthday"),
    lunarBirthMonth: smallint("lunar_birth_month"),
    lunarBirthDay: smallint("lunar_birth_day"),
    ageBand: text("age_band").notNull().default(""),
    incomeBand: text("income_band").notNull().default(""),
    custom: jsonb("custom").$type<Record<string, unknown>>().notNull().default({}),
    // Public pool (公海): the pool the customer is in (no owner) or returns to.
    poolId: uuid("pool_id"),
    ownedSince: timestamp("owned_since", { withTimezone: true, mode: "date", precision: 3 }),
    lastFollowUpAt: timestamp("last_follow_up_at", { withTimezone: true, mode: "date", precision: 3 }),
    lastDealAt: timestamp("last_deal_at", { withTimezone: true, mode: "date", precision: 3 }),
    /** When the owner was last warned of an automatic reclaim (once per deadline). */
    reclaimWarnedAt: timestamp("reclaim_warned_at", { withTimezone: true, mode: "date", precision: 3 }),
    createdBy: uuid("created_by"),
    deletedAt: deletedAt(),
    deletedBy: uuid("deleted_by"),
    /** Merged into this record (deleted with it, kept out of the trash): old ids and links resolve to it. */
    mergedInto: uuid("merged_into"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("customers_pool_idx").on(t.tenantId, t.poolId, t.ownerId),
    uniqueIndex("customers_code_key").on(t.tenantId, t.code),
    index("customers_owner_idx").on(t.tenantId, t.ownerId, t.updatedAt),
    index("customers_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    index("customers_name_idx").on(t.tenantId, t.name, t.id),
    index("customers_name_key_idx").on(t.tenantId, t.nameKey),
    index("customers_credit_code_idx").on(t.tenantId, t.creditCode),
    index("customers_deleted_idx").on(t.tenantId, t.deletedAt),
    tenantIsolation(),
  ],
).enableRLS();

/** Colleagues who work a customer with its owner; they see it too. */
export const customerCollaborators = pgTable(
  "customer_collaborators",
  {
    tenantId: tenantIdColumn(),
    customerId: uuid("customer_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }).onDelete("cascade"),
    index("customer_collaborators_user_idx").on(t.tenantId, t.userId),
    tenantIsolation(),
  ],
).enableRLS();

/** Billing and delivery addresses; one default of each kind. */
export const customerAddresses = pgTable(
  "customer_addresses",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    customerId: uuid("customer_id").notNull(),
    kind: text("kind", { enum: ADDRESS_KINDS }).notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    provinceCode: text("province_code"),
    cityCode: text("city_code"),
    districtCode: text("district_code"),
    detail: text("detail").notNull(),
    postcode: text("postcode").notNull().default(""),
    recipient: text("recipient").notNull().default(""),
    phone: text("phone").notNull().default(""),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }).onDelete("cascade"),
    index("customer_addresses_customer_idx").on(t.tenantId, t.customerId),
    tenantIsolation(),
  ],
).enableRLS();

/** People; linked to one or more customers. An individual customer has itself as a contact (`is_self`). */
export const contacts = pgTable(
  "contacts",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    gender: text("gender", { enum: GENDERS }),
    title: text("title").notNull().default(""),
    department: text("department").notNull().default(""),
    birthday: date("birthday"),
    wechat: text("wechat").notNull().default(""),
    phones: jsonb("phones").$type<Phone[]>().notNull().default([]),
    emails: jsonb("emails").$type<Email[]>().notNull().default([]),
    notes: text("notes").notNull().default(""),
    ownerId: uuid("owner_id"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    custom: jsonb("custom").$type<Record<string, unknown>>().notNull().default({}),
    isSelf: boolean("is_self").notNull().default(false),
    createdBy: uuid("created_by"),
    deletedAt: deletedAt(),
    deletedBy: uuid("deleted_by"),
    /** Merged into this record (deleted with it, kept out of the trash): old ids and links resolve to it. */
    mergedInto: uuid("merged_into"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("contacts_owner_idx").on(t.tenantId, t.ownerId, t.updatedAt),
    index("contacts_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    index("contacts_name_idx").on(t.tenantId, t.name, t.id),
    index("contacts_name_key_idx").on(t.tenantId, t.nameKey),
    tenantIsolation(),
  ],
).enableRLS();

export const customerContacts = pgTable(
  "customer_contacts",
  {
    tenantId: tenantIdColumn(),
    customerId: uuid("customer_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    role: text("role", { enum: CONTACT_ROLES }).notNull().default("other"),
    isPrimary: boolean("is_primary").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.contactId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }).onDelete("cascade"),
    index("customer_contacts_contact_idx").on(t.tenantId, t.contactId),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * Contact points for the duplicate check: every phone and e-mail of every
 * customer and contact, one row each, so "who else has this number" is one
 * index lookup.
 */
export const contactPoints = pgTable(
  "contact_points",
  {
    tenantId: tenantIdColumn(),
    objectType: text("object_type", { enum: ["customer", "contact"] }).notNull(),
    objectId: uuid("object_id").notNull(),
    kind: text("kind", { enum: ["phone", "email"] }).notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.objectType, t.objectId, t.kind, t.value] }),
    index("contact_points_value_idx").on(t.tenantId, t.kind, t.value),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * The search index: one row per customer, contact or lead, written in the
 * same transaction as the record. `terms` (GIN with btree_gin, tenant first)
 * serves CJK characters and bigrams, pinyin, initials, words, phone suffixes
 * and e-mails; `latin` (trigram GIN) serves typo-tolerant Latin matching.
 * `status`: the record's status where it has one (leads), shown in results
 * and used to leave converted leads out.
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    tenantId: tenantIdColumn(),
    objectType: text("object_type", { enum: ["customer", "contact", "lead"] }).notNull(),
    objectId: uuid("object_id").notNull(),
    ownerId: uuid("owner_id"),
    status: text("status"),
    title: text("title").notNull(),
    subtitle: text("subtitle").notNull().default(""),
    terms: text("terms").array().notNull(),
    latin: text("latin").notNull().default(""),
    deleted: boolean("deleted").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.objectType, t.objectId] }),
    index("search_documents_terms_idx").using("gin", t.tenantId, t.terms),
    index("search_documents_latin_idx").using("gin", t.tenantId, sql`${t.latin} gin_trgm_ops`),
    // Exact titles rank first in a search, whatever the number of other matches.
    index("search_documents_title_idx").on(t.tenantId, t.title),
    tenantIsolation(),
  ],
).enableRLS();

/** Numbering of customer codes per workspace: pattern and counter (per period when the pattern has a date). */
export const customerSettings = pgTable(
  "customer_settings",
  {
    tenantId: tenantIdColumn().primaryKey(),
    codePattern: text("code_pattern").notNull().default("C{YYYY}{SEQ:5}"),
    codePeriod: text("code_period").notNull().default(""),
    codeNext: integer("code_next").notNull().default(1),
    duplicateMode: text("duplicate_mode", { enum: ["warn", "block"] }).notNull().default("warn"),
    /** A/B/C grading: the first rule whose filters all match gives the grade; manual grades are kept. */
    gradeRules: jsonb("grade_rules").$type<{ grade: "A" | "B" | "C"; filter: string[] }[]>().notNull().default([]),
    defaultGrade: text("default_grade", { enum: ["A", "B", "C"] }),
    ...timestamps(),
    version: versionColumn(),
  },
  () => [tenantIsolation()],
).enableRLS();

/**
 * Public pools (公海) with their rules: how many customers a member may claim
 * a day and hold at once, when owned customers go back automatically (days
 * without a follow-up or without a deal), how many days before that the
 * owner is warned, and how long a former owner waits to claim again.
 */
export const pools = pgTable(
  "pools",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    dailyClaimLimit: integer("daily_claim_limit").notNull().default(20),
    maxHeld: integer("max_held").notNull().default(300),
    reclaimNoFollowUpDays: integer("reclaim_no_follow_up_days"),
    reclaimNoDealDays: integer("reclaim_no_deal_days"),
    warnDays: integer("warn_days").notNull().default(3),
    cooldownDays: integer("cooldown_days").notNull().default(7),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("pools_name_key").on(t.tenantId, t.name),
    uniqueIndex("pools_default_key").on(t.tenantId).where(sql`is_default`),
    tenantIsolation(),
  ],
).enableRLS();

/** Claims, releases and reclaims: the daily claim limit and the cooldown are counted from here. */
export const poolMoves = pgTable(
  "pool_moves",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    customerId: uuid("customer_id").notNull(),
    poolId: uuid("pool_id"),
    userId: uuid("user_id").notNull(),
    action: text("action", { enum: ["claim", "release", "reclaim"] }).notNull(),
    reason: text("reason").notNull().default(""),
    at: timestamp("at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("pool_moves_user_idx").on(t.tenantId, t.userId, t.action, t.at),
    index("pool_moves_customer_idx").on(t.tenantId, t.customerId, t.at),
    tenantIsolation(),
  ],
).enableRLS();

export const CUSTOM_FIELD_TYPES = ["text", "number", "money", "date", "select", "multiselect", "boolean", "user", "url"] as const;

/** Fields admins add to customers and contacts; values live in the record's `custom` jsonb under `key`. */
export const customFields = pgTable(
  "custom_fields",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type", { enum: ["customer", "contact"] }).notNull(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: text("type", { enum: CUSTOM_FIELD_TYPES }).notNull(),
    options: jsonb("options").$type<{ value: string; label: string }[]>().notNull().default([]),
    required: boolean("required").notNull().default(false),
    position: integer("position").notNull().default(0),
    archived: boolean("archived").notNull().default(false),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("custom_fields_key").on(t.tenantId, t.objectType, t.key), tenantIsolation()],
).enableRLS();
