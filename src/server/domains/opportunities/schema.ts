import { sql } from "drizzle-orm";
import { boolean, date, foreignKey, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

/** A sales pipeline; a workspace may run several (new business, renewals, projects). */
export const pipelines = pgTable(
  "pipelines",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    position: integer("position").notNull().default(0),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("pipelines_name_key").on(t.tenantId, t.name),
    uniqueIndex("pipelines_default_key").on(t.tenantId).where(sql`is_default`),
    tenantIsolation(),
  ],
).enableRLS();

export const STAGE_KINDS = ["open", "won", "lost"] as const;

/** A stage of a pipeline: its win probability and the opportunity fields that must be filled to enter it. */
export const pipelineStages = pgTable(
  "pipeline_stages",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    pipelineId: uuid("pipeline_id").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** 0–100. */
    probability: integer("probability").notNull().default(0),
    kind: text("kind", { enum: STAGE_KINDS }).notNull().default("open"),
    requiredFields: text("required_fields").array().notNull().default(sql`'{}'::text[]`),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("pipeline_stages_pipeline_idx").on(t.tenantId, t.pipelineId, t.position),
    foreignKey({ columns: [t.tenantId, t.pipelineId], foreignColumns: [pipelines.tenantId, pipelines.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();

export const OPPORTUNITY_STATUSES = ["open", "won", "lost"] as const;

/** An opportunity (商机): a deal with a customer moving through a pipeline's stages. */
export const opportunities = pgTable(
  "opportunities",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    pipelineId: uuid("pipeline_id").notNull(),
    stageId: uuid("stage_id").notNull(),
    /** Kanban order within the stage. */
    rank: integer("rank").notNull().default(0),
    customerId: uuid("customer_id").notNull(),
    contactId: uuid("contact_id"),
    ownerId: uuid("owner_id").notNull(),
    amount: money("amount").notNull().default("0"),
    currency: text("currency").notNull().default("CNY"),
    expectedClose: date("expected_close"),
    /** Overrides the stage's probability when set (0–100). */
    probability: integer("probability"),
    status: text("status", { enum: OPPORTUNITY_STATUSES }).notNull().default("open"),
    source: text("source").notNull().default(""),
    competitors: text("competitors").array().notNull().default(sql`'{}'::text[]`),
    winReason: text("win_reason").notNull().default(""),
    lossReason: text("loss_reason").notNull().default(""),
    description: text("description").notNull().default(""),
    leadId: uuid("lead_id"),
    stageEnteredAt: at("stage_entered_at").notNull().defaultNow(),
    closedAt: at("closed_at"),
    createdBy: uuid("created_by"),
    deletedAt: at("deleted_at"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("opportunities_stage_idx").on(t.tenantId, t.pipelineId, t.stageId, t.rank),
    index("opportunities_owner_idx").on(t.tenantId, t.ownerId, t.status, t.expectedClose),
    index("opportunities_customer_idx").on(t.tenantId, t.customerId),
    index("opportunities_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    tenantIsolation(),
  ],
).enableRLS();

/** Every stage an opportunity was in, and for how long (left_at null: the current one). */
export const opportunityStageHistory = pgTable(
  "opportunity_stage_history",
  {
    tenantId: tenantIdColumn(),
    opportunityId: uuid("opportunity_id").notNull(),
    seq: integer("seq").notNull(),
    stageId: uuid("stage_id").notNull(),
    enteredAt: at("entered_at").notNull(),
    leftAt: at("left_at"),
    actorId: uuid("actor_id"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.opportunityId, t.seq] }),
    index("opportunity_stage_history_stage_idx").on(t.tenantId, t.stageId),
    foreignKey({ columns: [t.tenantId, t.opportunityId], foreignColumns: [opportunities.tenantId, opportunities.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();

/** Products on the deal: what the amount is made of (and what a quote starts from). */
export const opportunityProducts = pgTable(
  "opportunity_products",
  {
    tenantId: tenantIdColumn(),
    opportunityId: uuid("opportunity_id").notNull(),
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id").notNull(),
    quantity: numeric("quantity", { precision: 18, scale: 4 }).notNull(),
    unitPrice: numeric("unit_price", { precision: 18, scale: 4 }).notNull(),
    discountRate: numeric("discount_rate", { precision: 7, scale: 4 }).notNull().default("0"),
    amount: money("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.opportunityId, t.lineNo] }),
    foreignKey({ columns: [t.tenantId, t.opportunityId], foreignColumns: [opportunities.tenantId, opportunities.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();
