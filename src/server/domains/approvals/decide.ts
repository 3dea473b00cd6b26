import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { inTenant, type Ctx } from "../../lib/context.js";
import { AppError, conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { addAction, currentApprovers, detailOf, notifyUsers, presentRequest, runDecisionHandlers, type RequestDetail, type RequestRow } from "./approvals.js";
import "./messages.js";
import { requestVisible } from "./policy.js";
import { approvalRequests } from "./schema.js";

/**
 * Loads a request FOR UPDATE, so two people acting on it at once are
 * serialised: the second sees the first one's version and gets a 409 instead
 * of deciding the same step twice. A finished request or a stale version is
 * a CONFLICT; a request the actor may not see is NOT_FOUND.
 */
async function lockPending(tx: Tx, ctx: Ctx, id: string, version: ExpectedVersion | undefined): Promise<RequestRow> {
  const [row] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, id)).for("update");
  if (!row) throw notFound("approval");
  // State and version first: an approver who lost the race may no longer see the request once its step moved on,
  // and must hear "someone was quicker" (409), not "no such request".
  if (row.status !== "pending") throw conflict("approvals.not_pending", { status: row.status, currentVersion: row.version });
  if (version !== undefined) checkVersion(row, version, "approval");
  const [visible] = await tx.select({ id: approvalRequests.id }).from(approvalRequests).where(and(eq(approvalRequests.id, id), requestVisible(ctx)));
  if (!visible) throw notFound("approval");
  return row;
}

/** Approving, rejecting and returning: the requester never decides their own request, whatever their role. */
async function lockForDecision(tx: Tx, ctx: Ctx, id: string, version: ExpectedVersion): Promise<RequestRow> {
  const row = await lockPending(tx, ctx, id, version);
  if (row.requestedBy === ctx.userId) throw new AppError("FORBIDDEN", "approvals.own_request");
  requireAccess(ctx, "approval:decide");
  if (!ctx.userId || !(await currentApprovers(tx, row)).includes(ctx.userId)) throw new AppError("FORBIDDEN", "approvals.not_approver");
  return row;
}

/** Whoever takes part in approvals: deciders, and requesters (who read their requests). */
function requireParticipant(ctx: Ctx): void {
  if (!can(ctx, "approval:decide")) requireAccess(ctx, "approval:read");
}

async function save(tx: Tx, id: string, before: RequestRow, set: Partial<RequestRow>): Promise<RequestRow> {
  const [row] = await tx
    .update(approvalRequests)
    .set({ ...set, version: before.version + 1, updatedAt: new Date() })
    .where(eq(approvalRequests.id, id))
    .returning();
  return row!;
}

const eventData = (row: RequestRow, extra: Record<string, unknown>) => ({ kind: row.kind, objectType: row.objectType, objectId: row.objectId, ...extra });

/** Approves the current step: the request moves to the next step, or is approved after the last one. */
export async function approveRequest(ctx: Ctx, id: string, version: ExpectedVersion, comment = ""): Promise<RequestDetail> {
  requireParticipant(ctx);
  return inTenant(ctx, async (tx) => {
    const before = await lockForDecision(tx, ctx, id, version);
    const step = before.currentStep;
    const last = step >= before.steps.length - 1;
    const row = await save(tx, id, before, last ? { status: "approved", decidedAt: new Date() } : { currentStep: step + 1 });
    await addAction(tx, ctx, row, { action: "approve", step, comment });
    await recordEvent(tx, ctx, {
      action: last ? "approval.approved" : "approval.step_approved",
      objectType: "approval",
      objectId: id,
      before: presentRequest(before),
      after: presentRequest(row),
      data: eventData(row, { step, comment }),
    });
    if (last) {
      await notifyUsers(tx, ctx, [row.requestedBy], row, "approval_approved");
      await runDecisionHandlers(tx, ctx, { ...row, status: "approved" });
    } else {
      await notifyUsers(tx, ctx, await currentApprovers(tx, row), row, "approval_requested");
    }
    return detailOf(tx, ctx, row);
  });
}

/** Rejects the request at its current step: it is finished. */
export async function rejectRequest(ctx: Ctx, id: string, version: ExpectedVersion, comment = ""): Promise<RequestDetail> {
  requireParticipant(ctx);
  return inTenant(ctx, async (tx) => {
    const before = await lockForDecision(tx, ctx, id, version);
    const row = await save(tx, id, before, { status: "rejected", decidedAt: new Date() });
    await addAction(tx, ctx, row, { action: "reject", step: before.currentStep, comment });
    await recordEvent(tx, ctx, { action: "approval.rejected", objectType: "approval", objectId: id, before: presentRequest(before), after: presentRequest(row), data: eventData(row, { step: before.currentStep, comment }) });
    await notifyUsers(tx, ctx, [row.requestedBy], row, "approval_rejected");
    await runDecisionHandlers(tx, ctx, { ...row, status: "rejected" });
    return detailOf(tx, ctx, row);
  });
}

/** Sends the request back to an earlier step: it stays pending there, and that step's approvers are asked again. */
export async function returnRequest(ctx: Ctx, id: string, version: ExpectedVersion, toStep: number, comment = ""): Promise<RequestDetail> {
  requireParticipant(ctx);
  return inTenant(ctx, async (tx) => {
    const before = await lockForDecision(tx, ctx, id, version);
    if (!Number.isInteger(toStep) || toStep < 0 || toStep >= before.currentStep) {
      throw invalid("approvals.bad_return_step", {}, { field: "toStep", currentStep: before.currentStep });
    }
    const row = await save(tx, id, before, { currentStep: toStep });
    await addAction(tx, ctx, row, { action: "return", step: before.currentStep, toStep, comment });
    await recordEvent(tx, ctx, { action: "approval.returned", objectType: "approval", objectId: id, before: presentRequest(before), after: presentRequest(row), data: eventData(row, { step: before.currentStep, toStep, comment }) });
    const approvers = await currentApprovers(tx, row);
    await notifyUsers(tx, ctx, [...approvers, row.requestedBy], row, "approval_returned", { step: toStep + 1, stepName: row.steps[toStep]!.name });
    return detailOf(tx, ctx, row);
  });
}

/** A comment on a pending request by anyone who can see it; the request itself (and its version) is unchanged. */
export async function commentRequest(ctx: Ctx, id: string, version: ExpectedVersion | undefined, comment: string): Promise<RequestDetail> {
  requireAccess(ctx, "approval:read");
  const text = comment.trim();
  if (!text) throw invalid("approvals.comment_required", {}, { field: "comment" });
  if (text.length > 2000) throw invalid("approvals.comment_too_long", {}, { field: "comment" });
  return inTenant(ctx, async (tx) => {
    const row = await lockPending(tx, ctx, id, version);
    await addAction(tx, ctx, row, { action: "comment", step: row.currentStep, comment: text });
    await recordEvent(tx, ctx, { action: "approval.commented", objectType: "approval", objectId: id, data: eventData(row, { step: row.currentStep, comment: text }) });
    await notifyUsers(tx, ctx, [row.requestedBy, ...(await currentApprovers(tx, row))], row, "approval_commented");
    return detailOf(tx, ctx, row);
  });
}

/** The requester takes a pending request back; the waiting approvers are told. */
export async function withdrawRequest(ctx: Ctx, id: string, version: ExpectedVersion, comment = ""): Promise<RequestDetail> {
  requireParticipant(ctx);
  return inTenant(ctx, async (tx) => {
    const before = await lockPending(tx, ctx, id, version);
    if (before.requestedBy !== ctx.userId) throw new AppError("FORBIDDEN", "approvals.withdraw_not_requester");
    const waiting = await currentApprovers(tx, before);
    const row = await save(tx, id, before, { status: "withdrawn", decidedAt: new Date() });
    await addAction(tx, ctx, row, { action: "withdraw", step: before.currentStep, comment });
    await recordEvent(tx, ctx, { action: "approval.withdrawn", objectType: "approval", objectId: id, before: presentRequest(before), after: presentRequest(row), data: eventData(row, { step: before.currentStep, comment }) });
    await notifyUsers(tx, ctx, waiting, row, "approval_withdrawn");
    await runDecisionHandlers(tx, ctx, { ...row, status: "withdrawn" });
    return detailOf(tx, ctx, row);
  });
}
