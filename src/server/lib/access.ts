import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Ctx, Visibility } from "./context.js";
import { forbidden } from "./errors.js";

/**
 * Permissions are "object:action" strings. Each domain declares its objects
 * once (in its policy.ts); the default roles below derive their rights from
 * the object's area, so a new domain needs no edits here.
 */
export type Area = "admin" | "core" | "sales" | "service" | "marketing";

export interface ObjectDef {
  name: string;
  area: Area;
  actions: readonly string[];
}

const objects = new Map<string, ObjectDef>();

export function defineObject(name: string, area: Area, actions: readonly string[]): ObjectDef {
  const def = { name, area, actions };
  objects.set(name, def);
  return def;
}

export function allObjects(): ObjectDef[] {
  return [...objects.values()];
}

export function allPermissions(): string[] {
  return allObjects().flatMap((o) => o.actions.map((a) => `${o.name}:${a}`));
}

export function isKnownPermission(p: string): boolean {
  const [object, action] = p.split(":");
  return Boolean(object && action && objects.get(object)?.actions.includes(action));
}

export const SYSTEM_ROLE_KEYS = ["owner", "admin", "manager", "sales", "service", "marketing", "read_only"] as const;
export type SystemRoleKey = (typeof SYSTEM_ROLE_KEYS)[number];

const WORK = ["read", "create", "update", "export", "claim"];

/** What a system role may do with one object. Kept in code, so new objects reach existing workspaces. */
function systemGrant(role: SystemRoleKey, o: ObjectDef, action: string): boolean {
  switch (role) {
    case "owner":
      return true;
    case "admin":
      return !(o.name === "workspace" && action === "delete");
    case "manager":
      return o.area === "admin" ? action === "read" && o.name !== "audit" : true;
    case "sales":
      return o.area === "admin" ? o.name === "user" && action === "read" : (o.area === "core" || o.area === "sales") && WORK.includes(action);
    case "service":
      return o.area === "admin" ? o.name === "user" && action === "read" : (o.area === "core" || o.area === "service") && WORK.includes(action);
    case "marketing":
      return o.area === "admin" ? o.name === "user" && action === "read" : (o.area === "core" || o.area === "marketing") && WORK.includes(action);
    case "read_only":
      return o.area === "admin" ? o.name === "user" && action === "read" : action === "read";
  }
}

export function systemRolePermissions(role: SystemRoleKey): string[] {
  return allObjects().flatMap((o) => o.actions.filter((a) => systemGrant(role, o, a)).map((a) => `${o.name}:${a}`));
}

export const SYSTEM_ROLE_VISIBILITY: Record<SystemRoleKey, Visibility> = {
  owner: "all",
  admin: "all",
  manager: "department",
  sales: "own",
  service: "team",
  marketing: "all",
  read_only: "department",
};

export function isSystemRole(key: string): key is SystemRoleKey {
  return (SYSTEM_ROLE_KEYS as readonly string[]).includes(key);
}

/** Does a token scope pattern ("*", "user:*", "*:read", "user:read") cover a permission? */
export function scopeCovers(scope: string, permission: string): boolean {
  const [so, sa] = scope === "*" ? ["*", "*"] : scope.split(":");
  const [po, pa] = permission.split(":");
  return (so === "*" || so === po) && (sa === "*" || sa === pa);
}

export function can(ctx: Ctx, permission: string): boolean {
  return ctx.permissions.has(permission);
}

/** First line of every service function: throws FORBIDDEN unless the actor holds the permission. */
export function requireAccess(ctx: Ctx, permission: string): void {
  if (!ctx.permissions.has(permission)) throw forbidden(permission);
}

/**
 * Record visibility by owner, declared once per object:
 *   export const dealAccess = recordPolicy("deal", deals.ownerId);
 * then `where(dealAccess.visible(ctx))` in every query of that object.
 * own: the actor's records; team: records of anyone sharing a team;
 * department: records of the actor's department and every department below it.
 */
export function recordPolicy(object: string, ownerColumn: AnyPgColumn) {
  return {
    object,
    visible(ctx: Ctx): SQL {
      return visibleOwnerCondition(ctx, ownerColumn);
    },
  };
}

export function visibleOwnerCondition(ctx: Ctx, owner: AnyPgColumn | SQL): SQL {
  const me = ctx.userId;
  switch (ctx.visibility) {
    case "all":
      return sql`true`;
    case "own":
      return me ? sql`${owner} = ${me}` : sql`false`;
    case "team":
      return sql`(${owner} = ${me} or ${owner} in (
        select tm2.user_id from team_members tm1
        join team_members tm2 on tm2.tenant_id = tm1.tenant_id and tm2.team_id = tm1.team_id
        where tm1.user_id = ${me}))`;
    case "department":
      if (!ctx.departmentId) return sql`${owner} = ${me}`;
      return sql`(${owner} = ${me} or ${owner} in (
        select m.user_id from memberships m
        join departments d on d.tenant_id = m.tenant_id and d.id = m.department_id
        where d.path like (select path from departments where id = ${ctx.departmentId}) || '%'))`;
  }
}
