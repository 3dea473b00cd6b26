import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

/** What an import can create; each has its definition under objects/. */
export const IMPORT_OBJECTS = ["customer", "contact", "product", "lead", "activity", "order"] as const;
/** What a list view can be exported from. */
export const EXPORT_OBJECTS = ["customer", "contact"] as const;
export const IMPORT_FORMATS = ["csv", "xlsx", "vcard"] as const;
/** A run that found problems stays `completed` with its failed rows listed. */
/** uploaded → (dry run →) running → completed | failed → (undoing →) undone. */
export const IMPORT_STATUSES = ["uploaded", "checking", "checked", "running", "completed", "failed", "undoing", "undone"] as const;
export const DUPLICATE_POLICIES = ["skip", "update", "merge", "create"] as const;
/**
 * What makes a row match an existing record (each object offers some, objects/): codes, phones, e-mails,
 * names, a product's SKU, an activity's occurrence (its customer or contact, kind, time and subject), or an order's number.
 */
export const DUPLICATE_KEYS = ["code", "creditCode", "phone", "email", "name", "sku", "occurrence", "number"] as const;
export type DuplicateKey = (typeof DUPLICATE_KEYS)[number];
export const ROW_OUTCOMES = ["created", "updated", "skipped", "failed"] as const;

export interface ImportOptions {
  /**
   * What a row that matches an existing record by one of `keys` does: nothing (skip), overwrite the
   * record with the row's non-empty values (update), fill only what the record leaves empty and add to
   * its phones, e-mails and tags (merge), or create another record (create).
   */
  duplicatePolicy: (typeof DUPLICATE_POLICIES)[number];
  keys: DuplicateKey[];
  /** 3/4/2024: March 4 (mdy) or 3 April (dmy). */
  dateOrder: "mdy" | "dmy";
  /** Where times of day in the file are (IANA name); left out: the server's time zone. */
  timeZone?: string;
  /**
   * Owner of records whose row names none (null: the public pool for customers, nobody for contacts,
   * the assignment rules then the lead pool for leads, the importer as the author of activities).
   */
  ownerId: string | null;
  tags: string[];
}

export interface ImportCounts {
  total: number;
  done: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/**
 * An import: the uploaded file (under the data directory), how its columns
 * map onto fields, the options, and what its runs did. The file stays until
 * the import is deleted, so a run can be repeated or resumed.
 */
export const imports = pgTable(
  "imports",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type", { enum: IMPORT_OBJECTS }).notNull(),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("uploaded"),
    fileName: text("file_name").notNull(),
    fileSize: bigint("file_size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    format: text("format", { enum: IMPORT_FORMATS }).notNull(),
    encoding: text("encoding"),
    sheet: text("sheet"),
    sheets: text("sheets").array().notNull().default(sql`'{}'::text[]`),
    headers: jsonb("headers").$type<string[]>().notNull(),
    mapping: jsonb("mapping").$type<(string | null)[]>().notNull(),
    options: jsonb("options").$type<ImportOptions>().notNull(),
    counts: jsonb("counts").$type<ImportCounts | null>(),
    /** The counts of the last dry run (nothing written). */
    checkCounts: jsonb("check_counts").$type<ImportCounts | null>(),
    jobId: uuid("job_id"),
    /** The template the mapping came from, if any. */
    templateId: uuid("template_id"),
    createdBy: uuid("created_by"),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date", precision: 3 }),
    undoneAt: timestamp("undone_at", { withTimezone: true, mode: "date", precision: 3 }),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("imports_created_idx").on(t.tenantId, t.createdAt.desc()), tenantIsolation()],
).enableRLS();

/**
 * What a run did with each source row, written in the same transaction as the
 * record it created or updated: a resumed run skips the rows already here (so
 * a crash duplicates nothing), the error report lists the failed ones, and an
 * undo knows what to remove or restore (`before`).
 */
export const importRows = pgTable(
  "import_rows",
  {
    tenantId: tenantIdColumn(),
    importId: uuid("import_id").notNull(),
    /** The rows of the last dry run (nothing written) are kept apart from the run's. */
    dryRun: boolean("dry_run").notNull().default(false),
    source: integer("source").notNull(),
    outcome: text("outcome", { enum: ROW_OUTCOMES }).notNull(),
    objectId: uuid("object_id"),
    issues: jsonb("issues").$type<{ column: string | null; key: string; params?: Record<string, string | number> }[]>().notNull().default(sql`'[]'::jsonb`),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId, t.dryRun, t.source] }), tenantIsolation()],
).enableRLS();

/**
 * A saved mapping: per column title (folded: case, width, 简繁), the field it
 * fills, plus options. Applied to a new import whose columns carry the same titles.
 */
export const importTemplates = pgTable(
  "import_templates",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type", { enum: IMPORT_OBJECTS }).notNull(),
    name: text("name").notNull(),
    /** Column title as the file has it → mapping target (null: leave the column out). */
    columns: jsonb("columns").$type<{ title: string; target: string | null }[]>().notNull(),
    options: jsonb("options").$type<Partial<ImportOptions>>().notNull().default({}),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("import_templates_name_idx").on(t.tenantId, t.objectType, t.name), tenantIsolation()],
).enableRLS();

export const EXPORT_FORMATS = ["csv", "xlsx", "vcard"] as const;
export const EXPORT_STATUSES = ["queued", "running", "completed", "failed", "expired"] as const;

/**
 * An export of a list view (its filters, sort and columns) written by a job
 * to a file under the data directory, downloadable until `expiresAt`.
 */
export const exports = pgTable(
  "exports",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type", { enum: EXPORT_OBJECTS }).notNull(),
    format: text("format", { enum: EXPORT_FORMATS }).notNull(),
    status: text("status", { enum: EXPORT_STATUSES }).notNull().default("queued"),
    /** The list query (filters, sort, search, columns, view id) as the list API takes it. */
    query: jsonb("query").$type<Record<string, unknown>>().notNull(),
    locale: text("locale").notNull(),
    fileName: text("file_name").notNull(),
    rows: integer("rows"),
    fileSize: bigint("file_size", { mode: "number" }),
    jobId: uuid("job_id"),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date", precision: 3 }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date", precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("exports_created_idx").on(t.tenantId, t.createdAt.desc()), tenantIsolation()],
).enableRLS();

export const DEDUP_OBJECTS = ["customer", "contact"] as const;
export const SCAN_STATUSES = ["queued", "running", "completed", "failed"] as const;
export const PAIR_STATUSES = ["pending", "dismissed", "merged"] as const;

/** A duplicate scan over a workspace's customers or contacts, run as a job. */
export const duplicateScans = pgTable(
  "duplicate_scans",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type", { enum: DEDUP_OBJECTS }).notNull(),
    status: text("status", { enum: SCAN_STATUSES }).notNull().default("queued"),
    /** Records read, candidate pairs compared, pairs kept. */
    counts: jsonb("counts").$type<{ records: number; compared: number; pairs: number } | null>(),
    jobId: uuid("job_id"),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date", precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("duplicate_scans_created_idx").on(t.tenantId, t.createdAt.desc()), tenantIsolation()],
).enableRLS();

export interface PairReason {
  /** credit_code, phone, email, name, name_pinyin … */
  kind: string;
  /** What matched (a phone, the normalised names). */
  detail: string;
  score: number;
}

/**
 * The review queue: a pair of probable duplicates (`leftId` < `rightId`), its
 * score and reasons. Dismissed pairs stay dismissed when a later scan finds them again.
 */
export const duplicatePairs = pgTable(
  "duplicate_pairs",
  {
    tenantId: tenantIdColumn(),
    objectType: text("object_type", { enum: DEDUP_OBJECTS }).notNull(),
    leftId: uuid("left_id").notNull(),
    rightId: uuid("right_id").notNull(),
    score: real("score").notNull(),
    reasons: jsonb("reasons").$type<PairReason[]>().notNull(),
    status: text("status", { enum: PAIR_STATUSES }).notNull().default("pending"),
    scanId: uuid("scan_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    reviewedBy: uuid("reviewed_by"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true, mode: "date", precision: 3 }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.objectType, t.leftId, t.rightId] }),
    index("duplicate_pairs_queue_idx").on(t.tenantId, t.objectType, t.status, t.score.desc()),
    index("duplicate_pairs_right_idx").on(t.tenantId, t.objectType, t.rightId),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * A merge: the survivor, the records merged into it, the field choices, and
 * everything needed to undo it (`before`: the records and the links moved).
 */
export const merges = pgTable(
  "merges",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type", { enum: DEDUP_OBJECTS }).notNull(),
    survivorId: uuid("survivor_id").notNull(),
    mergedIds: uuid("merged_ids").array().notNull(),
    /** Field → the id of the record whose value the survivor keeps. */
    choices: jsonb("choices").$type<Record<string, string>>().notNull(),
    before: jsonb("before").$type<Record<string, unknown>>().notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    undoneAt: timestamp("undone_at", { withTimezone: true, mode: "date", precision: 3 }),
    undoneBy: uuid("undone_by"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("merges_survivor_idx").on(t.tenantId, t.objectType, t.survivorId), tenantIsolation()],
).enableRLS();
