import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { isCurrency } from "../products/index.js";
import { OPPORTUNITY_STATUSES, STAGE_KINDS } from "./schema.js";

/** Fields a stage may require before an opportunity enters it. */
export const REQUIRABLE_FIELDS = ["amount", "expectedClose", "contactId", "products", "competitors", "description", "source"] as const;
export type RequirableField = (typeof REQUIRABLE_FIELDS)[number];

/** An amount as a string (exact): numeric(18,2), signed on the wire so a negative value gets its own message. */
export const AmountString = z
  .string()
  .trim()
  .regex(/^-?\d{1,16}(\.\d{1,2})?$/, { message: "opportunities.decimal" })
  .meta({ description: "An amount as a decimal string, e.g. \"12500.00\"", example: "12500.00" });
const Quantity = z
  .string()
  .trim()
  .regex(/^-?\d{1,14}(\.\d{1,4})?$/, { message: "opportunities.quantity" })
  .meta({ description: "A decimal number as a string", example: "2" });
const Rate = z
  .string()
  .trim()
  .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, { message: "opportunities.rate" })
  .meta({ description: "A fraction between 0 and 1 (0.1 = 10 %)", example: "0.1" });
export const Currency = z.string().refine(isCurrency, { message: "opportunities.currency_invalid" }).meta({ description: "ISO 4217 code", example: "CNY" });
const IsoDate = z.iso.date();
const Amount = z.string().meta({ description: "Exact amount as a decimal string", example: "12500.00" });

// Pipelines and stages

const StageInputSchema = z.strictObject({
  id: z.uuid().optional().meta({ description: "An existing stage of this pipeline; omitted: a new stage" }),
  name: z.string().trim().min(1).max(60),
  probability: z.number().int().min(0).max(100),
  kind: z.enum(STAGE_KINDS).default("open"),
  requiredFields: z.array(z.enum(REQUIRABLE_FIELDS)).max(REQUIRABLE_FIELDS.length).default([]),
});
export type StageInput = z.output<typeof StageInputSchema>;

const Stages = z
  .array(StageInputSchema)
  .min(3)
  .max(30)
  .meta({ description: "All stages in board order; at least one open, one won and one lost. On update, stages left out are deleted (refused while they hold opportunities)" });

export const PipelineCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  isDefault: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  stages: Stages,
});
export const PipelineUpdateSchema = z.strictObject({
  ...VersionField,
  name: z.string().trim().min(1).max(100).optional(),
  isDefault: z.boolean().optional().meta({ description: "true: make this the default pipeline (the previous default stops being it); the default cannot be unset, only replaced" }),
  position: z.number().int().min(0).max(10_000).optional(),
  stages: Stages.optional(),
});

export const StageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    probability: z.number().int(),
    kind: z.enum(STAGE_KINDS),
    requiredFields: z.array(z.string()),
  })
  .meta({ id: "PipelineStage" });

export const PipelineSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean(),
    position: z.number().int(),
    stages: z.array(StageSchema),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Pipeline" });

// Opportunities

export const OpportunityLineInputSchema = z.strictObject({
  productId: z.uuid(),
  quantity: Quantity,
  unitPrice: Quantity.optional().meta({ description: "Omitted: the customer's price list or the product's list price in the opportunity's currency" }),
  discountRate: Rate.optional().meta({ description: "Omitted: the customer's discount terms" }),
});
export type OpportunityLineInput = z.output<typeof OpportunityLineInputSchema>;

const Lines = z.array(OpportunityLineInputSchema).max(200).meta({ description: "Products on the deal; when present the amount is their sum ([] removes them)" });

const fields = {
  name: z.string().trim().min(1).max(200),
  contactId: z.uuid().nullable().optional(),
  ownerId: z.uuid().optional().meta({ description: "Defaults to the creator" }),
  amount: AmountString.optional().meta({ description: "Typed amount; not allowed with products (then the amount is their sum)" }),
  currency: Currency.optional().meta({ description: "Defaults to the customer's currency" }),
  expectedClose: IsoDate.nullable().optional(),
  probability: z.number().int().min(0).max(100).nullable().optional().meta({ description: "Overrides the stage's probability" }),
  source: z.string().trim().max(100).optional(),
  competitors: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
  description: z.string().trim().max(5000).optional(),
  lines: Lines.optional(),
};

export const OpportunityCreateSchema = z.strictObject({
  ...fields,
  customerId: z.uuid(),
  pipelineId: z.uuid().optional().meta({ description: "Defaults to the default pipeline" }),
  stageId: z.uuid().optional().meta({ description: "An open stage of the pipeline; defaults to its first open stage" }),
});
export type OpportunityCreateInput = z.output<typeof OpportunityCreateSchema>;

export const OpportunityUpdateSchema = z.strictObject({
  ...VersionField,
  ...fields,
  name: fields.name.optional(),
  customerId: z.uuid().optional(),
  winReason: z.string().trim().max(1000).optional(),
  lossReason: z.string().trim().max(1000).optional(),
});
export type OpportunityUpdateInput = Omit<z.output<typeof OpportunityUpdateSchema>, "version">;

export const MoveSchema = z.strictObject({
  ...VersionField,
  stageId: z.uuid(),
  rank: z.number().int().min(0).max(100_000).optional().meta({ description: "0-based place among the cards of the column I see; omitted: last (or unchanged within the same column)" }),
  winReason: z.string().trim().max(1000).optional(),
  lossReason: z.string().trim().max(1000).optional().meta({ description: "Required when entering a lost stage" }),
});
export type MoveInput = Omit<z.output<typeof MoveSchema>, "version">;

const OpportunityLineSchema = z.object({
  lineNo: z.number().int(),
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  quantity: z.string(),
  unitPrice: z.string(),
  discountRate: z.string(),
  amount: Amount,
});

export const OpportunitySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    pipelineId: z.uuid(),
    stageId: z.uuid(),
    rank: z.number().int(),
    customerId: z.uuid(),
    customerName: z.string(),
    contactId: z.uuid().nullable(),
    ownerId: z.uuid(),
    amount: Amount,
    currency: z.string(),
    expectedClose: z.string().nullable(),
    probability: z.number().int().nullable(),
    status: z.enum(OPPORTUNITY_STATUSES),
    source: z.string(),
    competitors: z.array(z.string()),
    winReason: z.string(),
    lossReason: z.string(),
    description: z.string(),
    leadId: z.uuid().nullable(),
    stageEnteredAt: DateTime,
    closedAt: DateTime.nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
    lines: z.array(OpportunityLineSchema).optional().meta({ description: "Present on a single opportunity, absent in lists" }),
  })
  .meta({ id: "Opportunity" });

export const HistorySchema = z
  .object({
    items: z.array(
      z.object({
        seq: z.number().int(),
        stageId: z.uuid(),
        stageName: z.string().meta({ description: "Empty when the stage was deleted since" }),
        kind: z.enum(STAGE_KINDS).nullable(),
        enteredAt: DateTime,
        leftAt: DateTime.nullable(),
        days: z.number().meta({ description: "Days in the stage (until now for the current one), 2 decimals" }),
        actorId: z.uuid().nullable(),
      }),
    ),
  })
  .meta({ id: "OpportunityHistory" });

export const BoardQuerySchema = z.object({ cards: z.coerce.number().int().min(0).max(100).default(20) });

const CardSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  customerId: z.uuid(),
  customerName: z.string(),
  ownerId: z.uuid(),
  amount: Amount,
  currency: z.string(),
  expectedClose: z.string().nullable(),
  probability: z.number().int().meta({ description: "The opportunity's own, else the stage's" }),
  status: z.enum(OPPORTUNITY_STATUSES),
  rank: z.number().int(),
  stageEnteredAt: DateTime,
  version: z.number().int(),
});

export const BoardSchema = z
  .object({
    pipeline: PipelineSchema,
    currency: z.string().meta({ description: "The workspace's base currency: the sums are in it" }),
    missingRates: z.array(z.string()).meta({ description: "Currencies without an exchange rate today: their amounts are counted but not summed" }),
    columns: z.array(
      z.object({
        stage: StageSchema,
        count: z.number().int(),
        amount: Amount,
        weighted: Amount.meta({ description: "Σ amount × probability (the opportunity's own, else the stage's)" }),
        cards: z.array(CardSchema),
      }),
    ),
  })
  .meta({ id: "PipelineBoard" });
