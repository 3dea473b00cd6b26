import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { isTimeZone } from "../../lib/calendar.js";
import { DUPLICATE_KEYS, DUPLICATE_POLICIES, IMPORT_FORMATS, IMPORT_OBJECTS, IMPORT_STATUSES, ROW_OUTCOMES } from "./schema.js";

const Counts = z.object({ total: z.number().int(), done: z.number().int(), created: z.number().int(), updated: z.number().int(), skipped: z.number().int(), failed: z.number().int() });

export const ImportOptionsSchema = z.strictObject({
  duplicatePolicy: z.enum(DUPLICATE_POLICIES).meta({
    description:
      "A row matching an existing record by one of `keys`: skip it, update the record with the row's non-empty values, merge (fill only the record's empty fields, add phones, e-mails and tags), or create another record",
  }),
  keys: z.array(z.enum(DUPLICATE_KEYS)).max(DUPLICATE_KEYS.length),
  dateOrder: z.enum(["mdy", "dmy"]).meta({ description: "How to read 3/4/2024 (a date starting with the year is always year-month-day)" }),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, { message: "import.time_zone_unknown" })
    .optional()
    .meta({ description: "IANA time zone of the times in the file (an activity's 2024-01-05 14:30); left out: the workspace's" }),
  ownerId: z
    .uuid()
    .nullable()
    .meta({ description: "Owner of records whose row names none; null: public pool (customers), nobody (contacts), assignment rules then the lead pool (leads), the importer as author (activities)" }),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).meta({ description: "Tags added to every imported record" }),
});

export const ImportSchema = z
  .object({
    id: z.uuid(),
    objectType: z.enum(IMPORT_OBJECTS),
    status: z.enum(IMPORT_STATUSES),
    fileName: z.string(),
    fileSize: z.number().int(),
    format: z.enum(IMPORT_FORMATS),
    encoding: z.string().nullable(),
    sheet: z.string().nullable(),
    sheets: z.array(z.string()),
    headers: z.array(z.string()),
    mapping: z.array(z.string().nullable()),
    options: ImportOptionsSchema,
    counts: Counts.nullable(),
    checkCounts: Counts.nullable(),
    jobId: z.uuid().nullable().meta({ description: "The job of the last check, run or undo (progress under /api/v1/jobs/:id)" }),
    templateId: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    finishedAt: DateTime.nullable(),
    undoneAt: DateTime.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
    preview: z
      .array(z.object({ source: z.number().int(), cells: z.array(z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])) }))
      .optional()
      .meta({ description: "The first rows as read (dates as yyyy-mm-dd)" }),
  })
  .meta({ id: "Import" });

export const ImportCreateQuerySchema = z.strictObject({
  objectType: z.enum(IMPORT_OBJECTS),
  fileName: z.string().trim().min(1).max(255),
  encoding: z.enum(["UTF-8", "GB18030", "GBK", "Big5", "UTF-16LE", "UTF-16BE"]).optional().meta({ description: "Text files: skip detection" }),
  sheet: z.string().max(100).optional().meta({ description: "Excel: the sheet to read (default: the first visible)" }),
});

export const ImportUpdateSchema = z.strictObject({
  ...VersionField,
  mapping: z.array(z.string().max(100).nullable()).max(500).optional().meta({ description: "Per column: a field (`name`, `phones:mobile`, `custom.<key>` …) or null to leave it out" }),
  options: ImportOptionsSchema.partial().optional(),
  sheet: z.string().max(100).optional(),
});

export const ImportIssuesQuerySchema = z.strictObject({
  dryRun: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ImportIssuesSchema = z.object({
  items: z.array(
    z.object({
      source: z.number().int(),
      outcome: z.enum(ROW_OUTCOMES),
      objectId: z.uuid().nullable(),
      issues: z.array(z.object({ column: z.string().nullable(), key: z.string(), message: z.string() })),
    }),
  ),
  nextAfter: z.number().int().nullable(),
});
