import { z } from "zod";
import { DateTime } from "../../lib/http.js";
import { DEDUP_OBJECTS } from "./schema.js";

const Ids = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.uuid()).min(2).max(10));

export const MergePreviewQuerySchema = z.strictObject({
  objectType: z.enum(DEDUP_OBJECTS),
  ids: Ids.meta({ description: "2 to 10 record ids, comma-separated; the first is suggested as the one to keep" }),
});

const MergeRecordSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  code: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: z.number().int(),
  /** How much hangs on the record (links, timeline entries, tasks): a hint for which one to keep. */
  related: z.object({ contacts: z.number().int(), customers: z.number().int(), activities: z.number().int(), tasks: z.number().int() }),
});

export const MergePreviewSchema = z
  .object({
    objectType: z.enum(DEDUP_OBJECTS),
    survivorId: z.uuid().meta({ description: "Suggested record to keep" }),
    records: z.array(MergeRecordSchema),
    fields: z.array(
      z.object({
        field: z.string().meta({ description: "name, phones, analysis.demand, custom.<key> …" }),
        label: z.string().nullable().meta({ description: "Custom fields' label; built-in fields are labelled by the client" }),
        list: z.boolean().meta({ description: "Phones, e-mails and tags: may also be the union of all records (choice \"union\")" }),
        values: z.record(z.string(), z.unknown()).meta({ description: "Record id → its value (bank accounts masked)" }),
        suggested: z.string().meta({ description: "Record id, or \"union\"" }),
        differs: z.boolean(),
      }),
    ),
  })
  .meta({ id: "MergePreview" });

export const MergeCreateSchema = z.strictObject({
  objectType: z.enum(DEDUP_OBJECTS),
  survivorId: z.uuid(),
  mergedIds: z.array(z.uuid()).min(1).max(9),
  choices: z
    .record(z.string().max(80), z.union([z.uuid(), z.literal("union")]))
    .default({})
    .meta({ description: "Field → the record whose value is kept (\"union\" for phones, e-mails, tags). Left out: the preview's suggestion" }),
  version: z
    .record(z.uuid(), z.number().int().min(1))
    .optional()
    .meta({ description: "Record id → the version reviewed: 409 if any changed since" }),
});

export const MergeSchema = z
  .object({
    id: z.uuid(),
    objectType: z.enum(DEDUP_OBJECTS),
    survivorId: z.uuid(),
    mergedIds: z.array(z.uuid()),
    choices: z.record(z.string(), z.string()),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    undoneAt: DateTime.nullable(),
    undoneBy: z.uuid().nullable(),
    names: z.record(z.uuid(), z.string()).meta({ description: "Record id → name (the survivor's as it is now)" }),
  })
  .meta({ id: "Merge" });

export const MergeListQuerySchema = z.strictObject({
  objectType: z.enum(DEDUP_OBJECTS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export type MergeCreate = z.infer<typeof MergeCreateSchema>;
