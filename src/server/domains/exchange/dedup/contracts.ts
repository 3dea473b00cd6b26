import { z } from "zod";
import { DateTime } from "../../../lib/http.js";
import { DEDUP_OBJECTS, PAIR_STATUSES, SCAN_STATUSES } from "../schema.js";

export const ScanSchema = z
  .object({
    id: z.uuid(),
    objectType: z.enum(DEDUP_OBJECTS),
    status: z.enum(SCAN_STATUSES),
    counts: z
      .object({ records: z.number().int(), compared: z.number().int(), pairs: z.number().int() })
      .nullable()
      .meta({ description: "Records read, candidate pairs compared, probable duplicates kept" }),
    jobId: z.uuid().nullable(),
    createdAt: DateTime,
    finishedAt: DateTime.nullable(),
  })
  .meta({ id: "DuplicateScan" });

export const ScanCreateSchema = z.strictObject({ objectType: z.enum(DEDUP_OBJECTS) });
export const ScanListQuerySchema = z.strictObject({ objectType: z.enum(DEDUP_OBJECTS).optional() });

const RecordSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  code: z.string().optional().meta({ description: "Customers: the customer code" }),
  phones: z.array(z.string()).meta({ description: "E.164; masked for pool customers unless one may manage pools" }),
  emails: z.array(z.string()),
  ownerId: z.uuid().nullable(),
  companies: z.array(z.string()).optional().meta({ description: "Contacts: the names of their customers" }),
});

export const PairSchema = z
  .object({
    objectType: z.enum(DEDUP_OBJECTS),
    leftId: z.uuid(),
    rightId: z.uuid(),
    score: z.number(),
    status: z.enum(PAIR_STATUSES),
    reasons: z
      .array(z.object({ kind: z.string(), detail: z.string(), score: z.number(), message: z.string() }))
      .meta({ description: "Evidence, strongest first; a negative score is counter-evidence (the pair's score was multiplied by 1 + score)" }),
    left: RecordSummary,
    right: RecordSummary,
  })
  .meta({ id: "DuplicatePair" });

export const PairListQuerySchema = z.strictObject({
  objectType: z.enum(DEDUP_OBJECTS).default("customer"),
  status: z.enum(PAIR_STATUSES).default("pending"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(200).optional().meta({ description: "`nextAfter` of the previous page" }),
});
export type PairListQuery = z.infer<typeof PairListQuerySchema>;

export const PairPageSchema = z.object({ items: z.array(PairSchema), nextAfter: z.string().nullable() });

export const PairDismissSchema = z.strictObject({ objectType: z.enum(DEDUP_OBJECTS), leftId: z.uuid(), rightId: z.uuid() });
