import { sql, type SQL } from "drizzle-orm";
import { can, defineObject, isSystemRole, SYSTEM_ROLE_KEYS, systemRolePermissions, visibleOwnerCondition } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { textArray } from "../../lib/listing.js";
import { approvalRequests } from "./schema.js";

/**
 * `decide`: act on a step one is an approver of (approve, reject, return);
 * `manage`: configure flows and see every request.
 */
export const approvalObject = defineObject("approval", "sales", ["read", "decide", "manage"]);

/** A request's columns, or stand-ins for one request that is not in the FROM clause. */
export interface RequestRef {
  /** The current step's approver (jsonb). */
  approver: SQL;
  requestedBy: SQL;
}

export const currentApprover = (): RequestRef => ({
  approver: sql`(${approvalRequests.steps} -> ${approvalRequests.currentStep} -> 'approver')`,
  requestedBy: sql`${approvalRequests.requestedBy}`,
});

/** Roles whose members may decide: system roles by their derived rights, custom roles by their permission list. */
function mayDecide(role: string): SQL {
  const deciding = SYSTEM_ROLE_KEYS.filter((k) => systemRolePermissions(k).includes("approval:decide"));
  return sql`(case when ${sql.raw(role)}.is_system and ${sql.raw(role)}.key = any(${textArray(SYSTEM_ROLE_KEYS)})
    then ${sql.raw(role)}.key = any(${textArray(deciding)})
    else 'approval:decide' = any(${sql.raw(role)}.permissions) end)`;
}

/** Is this role key one whose members may decide? (For checking a flow's steps when it is saved.) */
export function roleMayDecide(role: { key: string; isSystem: boolean; permissions: string[] }): boolean {
  if (role.isSystem && isSystemRole(role.key)) return systemRolePermissions(role.key).includes("approval:decide");
  return role.permissions.includes("approval:decide");
}

/**
 * The user ids who decide a step: the step's approvers (role members, one
 * user, or the managers of the requester's department and of every
 * department above it) who are active and may decide — never the requester.
 * When that is nobody, the workspace's owners and admins, so no request is
 * ever stuck. One statement, usable per row of a list (the inbox).
 */
export function approversSql(req: RequestRef): SQL {
  const a = req.approver;
  const direct = sql`select m.user_id from memberships m
    join roles ro on ro.tenant_id = m.tenant_id and ro.id = m.role_id
    where m.status = 'active' and m.user_id <> ${req.requestedBy} and ${mayDecide("ro")} and (
      (${a} ->> 'type' = 'role' and ro.key = ${a} ->> 'roleKey')
      or (${a} ->> 'type' = 'user' and m.user_id::text = ${a} ->> 'userId')
      or (${a} ->> 'type' = 'managers' and ro.key = 'manager' and exists (
        select 1 from memberships rm
        join departments rd on rd.tenant_id = rm.tenant_id and rd.id = rm.department_id
        join departments md on md.tenant_id = m.tenant_id and md.id = m.department_id
        where rm.user_id = ${req.requestedBy} and starts_with(rd.path, md.path))))`;
  return sql`${direct}
    union
    select m.user_id from memberships m
    join roles ro on ro.tenant_id = m.tenant_id and ro.id = m.role_id
    where m.status = 'active' and m.user_id <> ${req.requestedBy} and ro.is_system and ro.key in ('owner', 'admin')
      and not exists (${direct})`;
}

/** Pending requests whose current step the actor may decide. */
export function inboxCondition(ctx: Ctx): SQL {
  if (!ctx.userId || !can(ctx, "approval:decide")) return sql`false`;
  return sql`(${approvalRequests.status} = 'pending' and ${ctx.userId}::uuid in (${approversSql(currentApprover())}))`;
}

/**
 * Who sees a request: with approval:manage everyone; otherwise the requester
 * and whoever may see the requester's records (role visibility), anyone who
 * acted on it, and the current step's approvers.
 */
export function requestVisible(ctx: Ctx): SQL {
  if (can(ctx, "approval:manage")) return sql`true`;
  if (!ctx.userId) return sql`false`;
  return sql`(${visibleOwnerCondition(ctx, approvalRequests.requestedBy)}
    or exists (select 1 from approval_actions aa where aa.request_id = ${approvalRequests.id} and aa.actor_id = ${ctx.userId})
    or (${approvalRequests.status} = 'pending' and ${ctx.userId}::uuid in (${approversSql(currentApprover())})))`;
}
