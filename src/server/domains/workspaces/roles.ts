import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import {
  SYSTEM_ROLE_KEYS,
  SYSTEM_ROLE_VISIBILITY,
  isKnownPermission,
  isSystemRole,
  requireAccess,
  systemRolePermissions,
} from "../../lib/access.js";
import { inTenant, readTenant, type Ctx, type Visibility } from "../../lib/context.js";
import { conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { SYSTEM_ROLE_NAMES, type Locale } from "../../lib/i18n.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { memberships, roles } from "./schema.js";

export type RoleRow = typeof roles.$inferSelect;

export interface RoleView {
  id: string;
  key: string;
  name: string;
  description: string;
  permissions: string[];
  visibility: Visibility;
  isSystem: boolean;
  version: number;
}

/** System roles take their rights from code, so rights of domains added later reach existing workspaces. */
export function effectivePermissions(role: Pick<RoleRow, "key" | "isSystem" | "permissions">): string[] {
  if (role.isSystem && isSystemRole(role.key)) return systemRolePermissions(role.key);
  return role.permissions.filter(isKnownPermission);
}

export function presentRole(role: RoleRow, locale: Locale): RoleView {
  return {
    id: role.id,
    key: role.key,
    name: role.isSystem ? (SYSTEM_ROLE_NAMES[role.key]?.[locale] ?? role.name) : role.name,
    description: role.description,
    permissions: effectivePermissions(role),
    visibility: role.visibility,
    isSystem: role.isSystem,
    version: role.version,
  };
}

/** Creates the built-in roles of a new workspace; returns their ids by key. */
export async function seedSystemRoles(tx: Tx, tenantId: string): Promise<Record<string, string>> {
  const rows = await tx
    .insert(roles)
    .values(
      SYSTEM_ROLE_KEYS.map((key) => ({
        tenantId,
        key,
        name: SYSTEM_ROLE_NAMES[key]?.["en-US"] ?? key,
        permissions: [],
        visibility: SYSTEM_ROLE_VISIBILITY[key],
        isSystem: true,
      })),
    )
    .returning({ id: roles.id, key: roles.key });
  return Object.fromEntries(rows.map((r) => [r.key, r.id]));
}

export async function findRoles(ctx: Ctx): Promise<RoleView[]> {
  requireAccess(ctx, "role:read");
  const rows = await readTenant(ctx, (tx) =>
    tx.select().from(roles).orderBy(sql`${roles.isSystem} desc`, asc(roles.createdAt), asc(roles.key)),
  );
  return rows.map((r) => presentRole(r, ctx.locale));
}

export async function getRole(ctx: Ctx, id: string): Promise<RoleView> {
  requireAccess(ctx, "role:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(roles).where(eq(roles.id, id)));
  if (!row) throw notFound("role");
  return presentRole(row, ctx.locale);
}

function validatePermissions(permissions: string[]): string[] {
  for (const p of permissions) if (!isKnownPermission(p)) throw invalid("errors.unknown_permission", { permission: p });
  return [...new Set(permissions)].sort();
}

export interface RoleInput {
  key: string;
  name: string;
  description?: string;
  permissions: string[];
  visibility: Visibility;
}

export async function createRole(ctx: Ctx, input: RoleInput): Promise<RoleView> {
  requireAccess(ctx, "role:create");
  if (isSystemRole(input.key)) throw conflict("errors.name_taken", { field: "key" });
  const permissions = validatePermissions(input.permissions);
  try {
    const row = await inTenant(ctx, async (tx) => {
      const [created] = await tx
        .insert(roles)
        .values({ tenantId: ctx.tenantId, ...input, description: input.description ?? "", permissions })
        .returning();
      if (!created) throw new Error("insert returned nothing");
      await recordEvent(tx, ctx, { action: "role.created", objectType: "role", objectId: created.id, after: created });
      return created;
    });
    return presentRole(row, ctx.locale);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("errors.name_taken", { field: "key" });
    throw err;
  }
}

export async function updateRole(
  ctx: Ctx,
  id: string,
  version: ExpectedVersion,
  input: Partial<Omit<RoleInput, "key">>,
): Promise<RoleView> {
  requireAccess(ctx, "role:update");
  const row = await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(roles).where(eq(roles.id, id)).for("update");
    checkVersion(current, version, "role");
    if (current!.isSystem) throw invalid("errors.system_role");
    const [updated] = await tx
      .update(roles)
      .set({
        ...input,
        ...(input.permissions ? { permissions: validatePermissions(input.permissions) } : {}),
        version: current!.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(roles.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "role.updated", objectType: "role", objectId: id, before: current, after: updated });
    return updated!;
  });
  return presentRole(row, ctx.locale);
}

export async function deleteRole(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "role:delete");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(roles).where(eq(roles.id, id)).for("update");
    if (!current) throw notFound("role");
    if (current.isSystem) throw invalid("errors.system_role");
    const [used] = await tx.select({ n: sql<number>`count(*)` }).from(memberships).where(eq(memberships.roleId, id));
    if (used && used.n > 0) throw conflict("errors.role_in_use", { members: used.n });
    await tx.delete(roles).where(and(eq(roles.id, id)));
    await recordEvent(tx, ctx, { action: "role.deleted", objectType: "role", objectId: id, before: current });
  });
}
