import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { fitsNumeric } from "../../lib/money.js";
import { notify } from "../notifications/notifications.js";
import { matchFlow } from "./flows.js";
import "./messages.js";
import { approversSql, inboxCondition, requestVisible, type RequestRef } from "./policy.js";
import { approvalActions, approvalRequests, APPROVAL_KINDS, APPROVAL_STATUSES, type ApprovalKind, type ApprovalStep } from "./schema.js";

export type RequestRow = typeof approvalRequests.$inferSelect;
export type RequestView = Omit<RequestRow, "tenantId">;
export const presentRequest = ({ tenantId: _t, ...rest }: RequestRow): RequestView => rest;

type ActionRow = typeof approvalActions.$inferSelect;
export type ActionView = Omit<ActionRow, "tenantId" | "requestId">;
const presentAction = ({ tenantId: _t, requestId: _r, ...rest }: ActionRow): ActionView => rest;

export interface RequestDetail extends RequestView {
  approverIds: string[];
  canDecide: boolean;
  actions: ActionView[];
}

/** When no flow of a kind applies: the requester's department managers (or, failing them, owners and admins) decide. */
export const DEFAULT_STEPS: ApprovalStep[] = [{ name: "Manager approval", approver: { type: "managers" } }];

export interface OpenApprovalInput {
  kind: ApprovalKind;
  objectType: string;
  objectId: string;
  title: string;
  /** In the workspace's base currency: flows' minimums are compared with it. */
  amount: string | null;
  currency: string | null;
  reason: Record<string, unknown>;
}

export type DecidedStatus = "approved" | "rejected" | "withdrawn";
export interface DecidedRequest {
  id: string;
  kind: ApprovalKind;
  objectType: string;
  objectId: string;
  status: DecidedStatus;
  requestedBy: string;
}
export type DecisionHandler = (tx: Tx, ctx: Ctx, request: DecidedRequest) => Promise<void>;

const handlers = new Map<ApprovalKind, DecisionHandler[]>();

/**
 * Registers what happens to the requesting domain's record when a request of
 * `kind` is finally approved, rejected or withdrawn. Handlers run in the
 * deciding transaction with the decider's context: if one throws, the
 * decision is rolled back with it.
 */
export function onApprovalDecided(kind: ApprovalKind, handler: DecisionHandler): void {
  handlers.set(kind, [...(handlers.get(kind) ?? []), handler]);
}

export async function runDecisionHandlers(tx: Tx, ctx: Ctx, row: RequestRow & { status: DecidedStatus }): Promise<void> {
  const request: DecidedRequest = { id: row.id, kind: row.kind, objectType: row.objectType, objectId: row.objectId, status: row.status, requestedBy: row.requestedBy };
  for (const handler of handlers.get(row.kind) ?? []) await handler(tx, ctx, request);
}

/** The approvers of a request's current step (see approversSql), sorted; none once it is finished. */
export async function currentApprovers(tx: Tx, row: Pick<RequestRow, "steps" | "currentStep" | "requestedBy" | "status">): Promise<string[]> {
  if (row.status !== "pending") return [];
  const step = row.steps[row.currentStep];
  if (!step) return [];
  const ref: RequestRef = { approver: sql`${JSON.stringify(step.approver)}::jsonb`, requestedBy: sql`${row.requestedBy}::uuid` };
  const { rows } = await tx.execute<{ user_id: string }>(sql`select user_id from (${approversSql(ref)}) a order by user_id`);
  return rows.map((r) => r.user_id);
}

/** Appends to a request's history; the caller holds the request's row lock, so seq has no gaps or duplicates. */
export async function addAction(
  tx: Tx,
  ctx: Ctx,
  row: RequestRow,
  input: { action: ActionRow["action"]; step: number; toStep?: number; comment?: string },
): Promise<void> {
  const [{ next } = { next: 1 }] = await tx
    .select({ next: sql<number>`coalesce(max(${approvalActions.seq}), 0)::int + 1` })
    .from(approvalActions)
    .where(eq(approvalActions.requestId, row.id));
  await tx.insert(approvalActions).values({
    tenantId: ctx.tenantId,
    requestId: row.id,
    seq: next,
    step: input.step,
    actorId: ctx.userId!,
    action: input.action,
    toStep: input.toStep ?? null,
    comment: input.comment ?? "",
  });
}

/** Notifies each user once, never the actor. */
export async function notifyUsers(tx: Tx, ctx: Ctx, userIds: Iterable<string>, row: RequestRow, kind: string, data: Record<string, string | number> = {}): Promise<void> {
  for (const userId of new Set(userIds)) {
    if (userId === ctx.userId) continue;
    await notify(tx, ctx.tenantId, { userId, kind, objectType: "approval", objectId: row.id, data: { title: row.title, ...data } });
  }
}

/**
 * Opens an approval request in the caller's transaction (an order sent for
 * approval is saved with its request, or neither is). The requester is the
 * context's user; no approval permission is needed to ask. The steps come
 * from the matching flow (or DEFAULT_STEPS) and are copied, so later edits of
 * the flow do not change this request. CONFLICT while another request of the
 * same kind for the same record is pending.
 */
export async function openApproval(tx: Tx, ctx: Ctx, input: OpenApprovalInput): Promise<{ id: string; status: "pending" }> {
  if (!ctx.userId) throw invalid("approvals.requester_required");
  if (!(APPROVAL_KINDS as readonly string[]).includes(input.kind)) throw invalid("errors.validation", {}, { field: "kind" });
  if (!input.title.trim() || input.title.length > 500) throw invalid("errors.validation", {}, { field: "title" });
  if (input.amount !== null && !fitsNumeric(input.amount, 18, 2)) throw invalid("errors.money_invalid", {}, { field: "amount" });
  // One pending request per record and kind: concurrent openers queue here, then see each other's row.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`approval:${ctx.tenantId}:${input.objectType}:${input.objectId}:${input.kind}`}, 0))`);
  const [pending] = await tx
    .select({ id: approvalRequests.id })
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.objectType, input.objectType),
        eq(approvalRequests.objectId, input.objectId),
        eq(approvalRequests.kind, input.kind),
        eq(approvalRequests.status, "pending"),
      ),
    );
  if (pending) throw conflict("approvals.already_pending", { requestId: pending.id });
  const flow = await matchFlow(tx, input.kind, input.amount);
  const [row] = await tx
    .insert(approvalRequests)
    .values({
      tenantId: ctx.tenantId,
      kind: input.kind,
      objectType: input.objectType,
      objectId: input.objectId,
      title: input.title,
      amount: input.amount,
      currency: input.currency,
      reason: input.reason,
      flowId: flow?.id ?? null,
      steps: flow?.steps ?? DEFAULT_STEPS,
      requestedBy: ctx.userId,
    })
    .returning();
  await addAction(tx, ctx, row!, { action: "submit", step: 0 });
  await recordEvent(tx, ctx, { action: "approval.requested", objectType: "approval", objectId: row!.id, after: presentRequest(row!), data: { kind: input.kind, objectType: input.objectType, objectId: input.objectId } });
  await notifyUsers(tx, ctx, await currentApprovers(tx, row!), row!, "approval_requested");
  return { id: row!.id, status: "pending" };
}

/** The pending request (of any kind) for a record, or null. */
export async function pendingApprovalFor(tx: Tx, objectType: string, objectId: string): Promise<RequestView | null> {
  const [row] = await tx
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.objectType, objectType), eq(approvalRequests.objectId, objectId), eq(approvalRequests.status, "pending")))
    .orderBy(desc(approvalRequests.createdAt))
    .limit(1);
  return row ? presentRequest(row) : null;
}

export const requestListing = defineListing({
  id: approvalRequests.id,
  defaultSort: "-createdAt",
  fields: {
    createdAt: { column: approvalRequests.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: approvalRequests.updatedAt, type: "date", sort: true, filter: true },
    status: { column: approvalRequests.status, type: "enum", filter: true, values: APPROVAL_STATUSES },
    kind: { column: approvalRequests.kind, type: "enum", filter: true, values: APPROVAL_KINDS },
    objectType: { column: approvalRequests.objectType, type: "text", filter: true },
    objectId: { column: approvalRequests.objectId, type: "uuid", filter: true },
    requestedBy: { column: approvalRequests.requestedBy, type: "uuid", filter: true },
  },
});

type Box = "inbox" | "mine" | "all";

/**
 * inbox: pending requests whose current step I may decide; mine: what I
 * asked for; all: every request (approval:manage). With a record
 * (objectType + objectId): its requests that I may see (requestVisible), so
 * a record's page finds its pending request whoever asked for it — narrowed
 * further by a box when one is given.
 */
export async function findRequests(ctx: Ctx, box: Box | undefined, query: ListQuery, record: { objectType?: string; objectId?: string } = {}): Promise<Page<RequestView>> {
  requireAccess(ctx, "approval:read");
  const { objectType, objectId } = record;
  if (!objectType !== !objectId) throw invalid("approvals.object_incomplete", {}, { field: objectType ? "objectId" : "objectType" });
  const byRecord = objectType && objectId ? and(eq(approvalRequests.objectType, objectType), eq(approvalRequests.objectId, objectId), requestVisible(ctx)) : undefined;
  const chosen: Box | undefined = box ?? (byRecord ? undefined : "inbox");
  if (chosen === "all") requireAccess(ctx, "approval:manage");
  const scope = chosen === "inbox" ? inboxCondition(ctx) : chosen === "mine" ? sql`${approvalRequests.requestedBy} = ${ctx.userId}` : undefined;
  const list = requestListing.build(query, [byRecord, scope]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(approvalRequests).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(presentRequest) };
  });
}

/** One request with its steps, the current step's approvers and its history. */
export async function getRequest(ctx: Ctx, id: string): Promise<RequestDetail> {
  requireAccess(ctx, "approval:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(approvalRequests).where(and(eq(approvalRequests.id, id), requestVisible(ctx)));
    if (!row) throw notFound("approval");
    return detailOf(tx, ctx, row);
  });
}

export async function detailOf(tx: Tx, ctx: Ctx, row: RequestRow): Promise<RequestDetail> {
  const approverIds = await currentApprovers(tx, row);
  const actions = await tx.select().from(approvalActions).where(eq(approvalActions.requestId, row.id)).orderBy(asc(approvalActions.seq));
  const canDecide = ctx.userId !== null && approverIds.includes(ctx.userId) && can(ctx, "approval:decide");
  return { ...presentRequest(row), approverIds, canDecide, actions: actions.map(presentAction) };
}
