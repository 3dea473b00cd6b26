import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, textArray } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { memberships, roles } from "../workspaces/schema.js";
import type { FlowCreateInput, FlowUpdateInput } from "./contracts.js";
import "./messages.js";
import { roleMayDecide } from "./policy.js";
import { approvalFlows, type ApprovalKind, type ApprovalStep } from "./schema.js";

type Row = typeof approvalFlows.$inferSelect;
export type FlowView = Omit<Row, "tenantId">;
const present = ({ tenantId: _t, ...rest }: Row): FlowView => rest;

/**
 * Every step must name approvers who exist and may decide: a role of this
 * workspace whose members hold approval:decide, or an active member who does.
 * ("managers" is resolved per request and falls back to owners and admins.)
 */
async function checkSteps(tx: Tx, steps: ApprovalStep[]): Promise<void> {
  const roleKeys = [...new Set(steps.flatMap((s) => (s.approver.type === "role" ? [s.approver.roleKey] : [])))];
  const userIds = [...new Set(steps.flatMap((s) => (s.approver.type === "user" ? [s.approver.userId] : [])))];
  const roleRows = roleKeys.length ? await tx.select().from(roles).where(sql`${roles.key} = any(${textArray(roleKeys)})`) : [];
  const userRows = userIds.length
    ? await tx
        .select({ userId: memberships.userId, role: roles })
        .from(memberships)
        .innerJoin(roles, and(eq(roles.tenantId, memberships.tenantId), eq(roles.id, memberships.roleId)))
        .where(and(anyUuid(memberships.userId, userIds), eq(memberships.status, "active")))
    : [];
  for (const [i, step] of steps.entries()) {
    const field = `steps.${i}.approver`;
    const a = step.approver;
    if (a.type === "role") {
      const role = roleRows.find((r) => r.key === a.roleKey);
      if (!role) throw invalid("approvals.unknown_role", { roleKey: a.roleKey }, { field: `${field}.roleKey` });
      if (!roleMayDecide(role)) throw invalid("approvals.approver_cannot_decide", { step: i + 1 }, { field: `${field}.roleKey` });
    } else if (a.type === "user") {
      const member = userRows.find((r) => r.userId === a.userId);
      if (!member) throw invalid("approvals.unknown_user", { step: i + 1 }, { field: `${field}.userId` });
      if (!roleMayDecide(member.role)) throw invalid("approvals.approver_cannot_decide", { step: i + 1 }, { field: `${field}.userId` });
    }
  }
}

/** Two active flows of one kind may not start at the same amount: which one applies would be a coin toss. */
async function checkThreshold(tx: Tx, ctx: Ctx, flow: { id?: string; kind: ApprovalKind; minAmount: string | null; active: boolean }): Promise<void> {
  if (!flow.active) return;
  // Serialises saves of this kind's flows, so two concurrent saves cannot both pass the check.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`approval_flows:${ctx.tenantId}:${flow.kind}`}, 0))`);
  const [same] = await tx
    .select({ id: approvalFlows.id })
    .from(approvalFlows)
    .where(
      and(
        eq(approvalFlows.kind, flow.kind),
        eq(approvalFlows.active, true),
        flow.minAmount === null ? isNull(approvalFlows.minAmount) : sql`${approvalFlows.minAmount} = ${flow.minAmount}::numeric`,
        flow.id ? ne(approvalFlows.id, flow.id) : undefined,
      ),
    );
  if (same) throw conflict("approvals.threshold_taken", { flowId: same.id, field: "minAmount" });
}

export async function findFlows(ctx: Ctx, query: { kind?: ApprovalKind } = {}): Promise<FlowView[]> {
  requireAccess(ctx, "approval:read");
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select()
      .from(approvalFlows)
      .where(query.kind ? eq(approvalFlows.kind, query.kind) : undefined)
      .orderBy(asc(approvalFlows.kind), sql`${approvalFlows.minAmount} asc nulls first`, asc(approvalFlows.createdAt)),
  );
  return rows.map(present);
}

export async function getFlow(ctx: Ctx, id: string): Promise<FlowView> {
  requireAccess(ctx, "approval:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(approvalFlows).where(eq(approvalFlows.id, id)));
  if (!row) throw notFound("approval_flow");
  return present(row);
}

export async function createFlow(ctx: Ctx, input: FlowCreateInput): Promise<FlowView> {
  requireAccess(ctx, "approval:manage");
  return inTenant(ctx, async (tx) => {
    const values = { kind: input.kind, name: input.name, minAmount: input.minAmount ?? null, steps: input.steps, active: input.active ?? true };
    await checkSteps(tx, values.steps);
    await checkThreshold(tx, ctx, values);
    const [row] = await tx
      .insert(approvalFlows)
      .values({ tenantId: ctx.tenantId, ...values })
      .returning();
    await recordEvent(tx, ctx, { action: "approval_flow.created", objectType: "approval_flow", objectId: row!.id, after: present(row!) });
    return present(row!);
  });
}

/** Changes a flow; requests already made keep the steps they were made with. */
export async function updateFlow(ctx: Ctx, id: string, version: ExpectedVersion, input: FlowUpdateInput): Promise<FlowView> {
  requireAccess(ctx, "approval:manage");
  return inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(approvalFlows).where(eq(approvalFlows.id, id)).for("update");
    const before = checkVersion(current, version, "approval_flow");
    const next = {
      kind: input.kind ?? before.kind,
      name: input.name ?? before.name,
      minAmount: input.minAmount === undefined ? before.minAmount : input.minAmount,
      steps: input.steps ?? before.steps,
      active: input.active ?? before.active,
    };
    if (input.steps) await checkSteps(tx, input.steps);
    await checkThreshold(tx, ctx, { id, ...next });
    const [row] = await tx
      .update(approvalFlows)
      .set({ ...next, version: before.version + 1, updatedAt: new Date() })
      .where(eq(approvalFlows.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "approval_flow.updated", objectType: "approval_flow", objectId: id, before: present(before), after: present(row!) });
    return present(row!);
  });
}

/** Deletes a flow; running requests carry their own copy of its steps. */
export async function deleteFlow(ctx: Ctx, id: string, version: ExpectedVersion): Promise<void> {
  requireAccess(ctx, "approval:manage");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(approvalFlows).where(eq(approvalFlows.id, id)).for("update");
    const before = checkVersion(current, version, "approval_flow");
    await tx.delete(approvalFlows).where(eq(approvalFlows.id, id));
    await recordEvent(tx, ctx, { action: "approval_flow.deleted", objectType: "approval_flow", objectId: id, before: present(before) });
  });
}

/**
 * The flow a request of this kind and amount goes through: the active flow
 * with the highest minimum the amount reaches (a flow without a minimum
 * matches any amount, also none).
 */
export async function matchFlow(tx: Tx, kind: ApprovalKind, amount: string | null): Promise<Row | undefined> {
  const [row] = await tx
    .select()
    .from(approvalFlows)
    .where(
      and(
        eq(approvalFlows.kind, kind),
        eq(approvalFlows.active, true),
        amount === null ? isNull(approvalFlows.minAmount) : sql`(${approvalFlows.minAmount} is null or ${approvalFlows.minAmount} <= ${amount}::numeric)`,
      ),
    )
    .orderBy(sql`${approvalFlows.minAmount} desc nulls last`, asc(approvalFlows.createdAt))
    .limit(1);
  return row;
}
