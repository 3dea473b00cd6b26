import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { ListQuerySchema } from "../../lib/listing.js";
import { APPROVAL_ACTIONS, APPROVAL_KINDS, APPROVAL_STATUSES } from "./schema.js";
import "./messages.js";

/** Money as a decimal string (exact), never negative. */
const Amount = z
  .string()
  .trim()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, { message: "errors.money_invalid" })
  .meta({ description: "Decimal amount in the base currency, up to 2 decimals", example: "50000.00" });

export const ApproverSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("role"), roleKey: z.string().trim().min(1).max(100) }),
    z.strictObject({ type: z.literal("user"), userId: z.uuid() }),
    z.strictObject({ type: z.literal("managers") }),
  ])
  .meta({ id: "Approver", description: "Members of a role, one user, or the managers of the requester's department and the departments above it" });

export const ApprovalStepSchema = z.strictObject({ name: z.string().trim().min(1).max(100), approver: ApproverSchema }).meta({ id: "ApprovalStep" });

const Steps = z.array(ApprovalStepSchema).min(1, { message: "approvals.steps_min" }).max(10, { message: "approvals.steps_max" });

const flowFields = {
  kind: z.enum(APPROVAL_KINDS),
  name: z.string().trim().min(1).max(200),
  minAmount: Amount.nullable().optional().meta({ description: "The flow applies from this amount (base currency); null or left out: any amount" }),
  steps: Steps,
  active: z.boolean().optional(),
};

export const FlowCreateSchema = z.strictObject(flowFields).meta({ id: "ApprovalFlowCreate" });
export const FlowUpdateSchema = z
  .strictObject({ ...VersionField, kind: flowFields.kind.optional(), name: flowFields.name.optional(), minAmount: flowFields.minAmount, steps: Steps.optional(), active: z.boolean().optional() })
  .meta({ id: "ApprovalFlowUpdate" });
export type FlowCreateInput = z.infer<typeof FlowCreateSchema>;
export type FlowUpdateInput = Omit<z.infer<typeof FlowUpdateSchema>, "version">;

export const FlowSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(APPROVAL_KINDS),
    name: z.string(),
    minAmount: z.string().nullable(),
    steps: z.array(ApprovalStepSchema),
    active: z.boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "ApprovalFlow" });

export const FlowQuerySchema = z.strictObject({ kind: z.enum(APPROVAL_KINDS).optional() });

export const RequestSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(APPROVAL_KINDS),
    objectType: z.string(),
    objectId: z.uuid(),
    title: z.string(),
    amount: z.string().nullable(),
    currency: z.string().nullable(),
    reason: z.record(z.string(), z.unknown()),
    flowId: z.uuid().nullable(),
    steps: z.array(ApprovalStepSchema),
    currentStep: z.number().int(),
    status: z.enum(APPROVAL_STATUSES),
    requestedBy: z.uuid(),
    decidedAt: DateTime.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "ApprovalRequest" });

export const ActionSchema = z
  .object({
    seq: z.number().int(),
    step: z.number().int(),
    actorId: z.uuid(),
    action: z.enum(APPROVAL_ACTIONS),
    toStep: z.number().int().nullable(),
    comment: z.string(),
    at: DateTime,
  })
  .meta({ id: "ApprovalAction" });

export const RequestDetailSchema = RequestSchema.extend({
  approverIds: z.array(z.uuid()).meta({ description: "Who may decide the current step (empty once the request is finished)" }),
  canDecide: z.boolean().meta({ description: "The caller may approve, reject or return the current step" }),
  actions: z.array(ActionSchema),
}).meta({ id: "ApprovalRequestDetail" });

export const RequestListQuerySchema = ListQuerySchema.extend({
  box: z
    .enum(["inbox", "mine", "all"])
    .optional()
    .meta({
      description:
        "inbox: pending requests I may decide; mine: requests I made; all: every request (approval:manage). Default inbox, or with objectType and objectId every request of that record I may see",
    }),
  objectType: z.string().trim().min(1).max(50).optional().meta({ description: "With objectId: the requests of one record (e.g. quote), whoever asked, as far as I may see them" }),
  objectId: z.uuid().optional(),
});

const Comment = z.string().trim().max(2000, { message: "approvals.comment_too_long" });

export const DecisionSchema = z.strictObject({ ...VersionField, comment: Comment.optional() }).meta({ id: "ApprovalDecision" });
export const ReturnSchema = z
  .strictObject({ ...VersionField, toStep: z.number().int().min(0).meta({ description: "An earlier step (0-based)" }), comment: Comment.optional() })
  .meta({ id: "ApprovalReturn" });
export const CommentSchema = z
  .strictObject({ version: VersionField.version.meta({ description: "Optional: checked when given" }), comment: Comment.min(1, { message: "approvals.comment_required" }) })
  .meta({ id: "ApprovalComment" });
