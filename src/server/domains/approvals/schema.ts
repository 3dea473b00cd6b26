import { sql } from "drizzle-orm";
import { boolean, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** What may need approval (审批): an order over a credit or sales limit, a discount over a threshold, a large quote or contract. */
export const APPROVAL_KINDS = ["credit_override", "discount", "quote", "contract"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** Who decides a step: members of a role, one user, or the managers (role "manager") of the requester's department or any above it. */
export type Approver = { type: "role"; roleKey: string } | { type: "user"; userId: string } | { type: "managers" };
export interface ApprovalStep {
  name: string;
  approver: Approver;
}

/**
 * A configured flow: the steps a request of its kind goes through when its
 * amount reaches `min_amount` (base currency; null: always). The matching
 * flow with the highest `min_amount` applies.
 */
export const approvalFlows = pgTable(
  "approval_flows",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    kind: text("kind", { enum: APPROVAL_KINDS }).notNull(),
    name: text("name").notNull(),
    minAmount: numeric("min_amount", { precision: 18, scale: 2 }),
    steps: jsonb("steps").$type<ApprovalStep[]>().notNull(),
    active: boolean("active").notNull().default(true),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("approval_flows_kind_idx").on(t.tenantId, t.kind), tenantIsolation()],
).enableRLS();

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const;

/** A request going through its flow's steps; the steps are copied from the flow when it is made, so editing a flow never changes a running request. */
export const approvalRequests = pgTable(
  "approval_requests",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    kind: text("kind", { enum: APPROVAL_KINDS }).notNull(),
    objectType: text("object_type").notNull(),
    objectId: uuid("object_id").notNull(),
    title: text("title").notNull(),
    amount: numeric("amount", { precision: 18, scale: 2 }),
    currency: text("currency"),
    /** Why approval is needed, for the approver (e.g. the credit check's figures). */
    reason: jsonb("reason").$type<Record<string, unknown>>().notNull().default({}),
    flowId: uuid("flow_id"),
    steps: jsonb("steps").$type<ApprovalStep[]>().notNull(),
    currentStep: integer("current_step").notNull().default(0),
    status: text("status", { enum: APPROVAL_STATUSES }).notNull().default("pending"),
    requestedBy: uuid("requested_by").notNull(),
    decidedAt: at("decided_at"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("approval_requests_status_idx").on(t.tenantId, t.status, t.createdAt),
    index("approval_requests_object_idx").on(t.tenantId, t.objectType, t.objectId),
    index("approval_requests_requester_idx").on(t.tenantId, t.requestedBy, t.createdAt),
    // One pending request per record and kind.
    uniqueIndex("approval_requests_pending_key").on(t.tenantId, t.objectType, t.objectId, t.kind).where(sql`status = 'pending'`),
    tenantIsolation(),
  ],
).enableRLS();

export const APPROVAL_ACTIONS = ["submit", "approve", "reject", "return", "comment", "withdraw"] as const;

/** Every step of a request's history: who did what at which step, with their comment. */
export const approvalActions = pgTable(
  "approval_actions",
  {
    tenantId: tenantIdColumn(),
    requestId: uuid("request_id").notNull(),
    seq: integer("seq").notNull(),
    step: integer("step").notNull(),
    actorId: uuid("actor_id").notNull(),
    action: text("action", { enum: APPROVAL_ACTIONS }).notNull(),
    /** For `return`: the step the request goes back to. */
    toStep: integer("to_step"),
    comment: text("comment").notNull().default(""),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.requestId, t.seq] }),
    index("approval_actions_actor_idx").on(t.tenantId, t.requestId, t.actorId),
    foreignKey({ columns: [t.tenantId, t.requestId], foreignColumns: [approvalRequests.tenantId, approvalRequests.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();
