import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { ImportOptionsSchema } from "./contracts.js";
import { IMPORT_OBJECTS } from "./schema.js";

const Column = z.strictObject({
  title: z.string().trim().min(1).max(200).meta({ description: "A column title as files carry it (matched folded: case, width, 简繁, punctuation)" }),
  target: z.string().max(100).nullable().meta({ description: "The field it fills (`name`, `phones:mobile`, `custom.<key>` …), or null to leave the column out" }),
});

const Name = z.string().trim().min(1).max(100);
const Columns = z.array(Column).min(1).max(500);

export const ImportTemplateSchema = z
  .object({
    id: z.uuid(),
    objectType: z.enum(IMPORT_OBJECTS),
    name: z.string(),
    columns: z.array(z.object({ title: z.string(), target: z.string().nullable() })),
    options: ImportOptionsSchema.partial(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "ImportTemplate" });

export const ImportTemplateListQuerySchema = z.strictObject({ objectType: z.enum(IMPORT_OBJECTS) });

export const ImportTemplateCreateSchema = z.union([
  z.strictObject({ objectType: z.enum(IMPORT_OBJECTS), name: Name, columns: Columns, options: ImportOptionsSchema.partial().default({}) }),
  z.strictObject({ fromImport: z.uuid().meta({ description: "Save this import's column titles, mapping and options (except the default owner)" }), name: Name }),
]);

export const ImportTemplateUpdateSchema = z.strictObject({ ...VersionField, name: Name.optional(), columns: Columns.optional(), options: ImportOptionsSchema.partial().optional() });

export const ImportTemplateApplySchema = z.strictObject({ ...VersionField, templateId: z.uuid() });

export const ReportQuerySchema = z.strictObject({ dryRun: z.enum(["true", "false"]).default("false").transform((v) => v === "true") });
