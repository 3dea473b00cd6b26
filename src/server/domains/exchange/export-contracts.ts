import { z } from "zod";
import { DateTime } from "../../lib/http.js";
import { EXPORT_FORMATS, EXPORT_STATUSES, EXPORT_OBJECTS } from "./schema.js";

const ExportQueryShape = {
  filter: z
    .union([z.string().max(500), z.array(z.string().max(500)).max(20)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .meta({ description: "The list's filters, as the list endpoints take them (`status:eq:active`)" }),
  sort: z.string().max(100).optional().meta({ description: "The list's sort (`-updatedAt`)" }),
  q: z.string().max(200).optional().meta({ description: "The list's search" }),
  columns: z
    .array(z.string().max(100))
    .max(200)
    .optional()
    .meta({ description: "The columns the list shows (`owner`, `phone`, `custom.<key>` …), in order; the identifying ones (code, name) always come first. Absent: every column" }),
  viewId: z.uuid().optional().meta({ description: "A saved view (own or shared) whose query is the base; the fields above override it" }),
  vcardVersion: z.enum(["4.0", "3.0"]).optional().meta({ description: "vCard only: 4.0 (default) or 3.0 for older address books" }),
};

export const ExportCreateSchema = z.strictObject({
  objectType: z.enum(EXPORT_OBJECTS),
  format: z.enum(EXPORT_FORMATS),
  query: z.strictObject(ExportQueryShape).default({ filter: [] }),
});

export const ExportSchema = z
  .object({
    id: z.uuid(),
    objectType: z.enum(EXPORT_OBJECTS),
    format: z.enum(EXPORT_FORMATS),
    status: z.enum(EXPORT_STATUSES),
    query: z.object({
      filter: z.array(z.string()),
      sort: z.string().optional(),
      q: z.string().optional(),
      columns: z.array(z.string()).optional(),
      viewId: z.string().optional(),
      vcardVersion: z.enum(["4.0", "3.0"]).optional(),
    }),
    locale: z.string(),
    fileName: z.string(),
    rows: z.number().int().nullable(),
    fileSize: z.number().int().nullable(),
    jobId: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    finishedAt: DateTime.nullable(),
    expiresAt: DateTime.nullable(),
    error: z.string().nullable(),
    progressDone: z.number().int().nullable(),
    progressTotal: z.number().int().nullable(),
    downloadUrl: z.string().nullable().meta({ description: "Where the finished file is (its creator only), until it expires" }),
  })
  .meta({ id: "Export" });
