import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

export const IMPORT_OBJECTS = ["customer", "contact"] as const;
export const IMPORT_FORMATS = ["csv", "xlsx", "vcard"] as const;
/** uploaded → (dry run →) running → completed | failed; a run that found problems stays `completed` with failed rows. */
export const IMPORT_STATUSES = ["uploaded", "checking", "checked", "running", "completed", "failed"] as const;
export const DUPLICATE_POLICIES = ["skip", "update", "create"] as const;
export const DUPLICATE_KEYS = ["code", "creditCode", "phone", "email", "name"] as const;
export const ROW_OUTCOMES = ["created", "updated", "skipped", "failed"] as const;

export interface ImportOptions {
  /** What a row that matches an existing record by one of `keys` does. */
  duplicatePolicy: (typeof DUPLICATE_POLICIES)[number];
  keys: (typeof DUPLICATE_KEYS)[number][];
  /** 3/4/2024: March 4 (mdy) or 3 April (dmy). */
  dateOrder: "mdy" | "dmy";
  /** Owner of records whose row names none (null: the public pool for customers, nobody for contacts). */
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
    createdBy: uuid("created_by"),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date", precision: 3 }),
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
