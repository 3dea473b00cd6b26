import { and, eq } from "drizzle-orm";
import { withTenant, type Database } from "../../db/client.js";
import type { Visibility } from "../../lib/context.js";
import { effectivePermissions } from "./roles.js";
import { memberships, roles } from "./schema.js";

export interface Access {
  roleId: string;
  roleKey: string;
  permissions: string[];
  visibility: Visibility;
  departmentId: string | null;
}

/** A user's rights in a workspace, or undefined when they are not an active member. */
export async function loadAccess(database: Database, tenantId: string, userId: string): Promise<Access | undefined> {
  const [row] = await withTenant(database, { tenantId, userId }, (tx) =>
    tx
      .select({ role: roles, departmentId: memberships.departmentId, status: memberships.status })
      .from(memberships)
      .innerJoin(roles, and(eq(roles.tenantId, memberships.tenantId), eq(roles.id, memberships.roleId)))
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId))),
    "read",
  );
  if (!row || row.status !== "active") return undefined;
  return {
    roleId: row.role.id,
    roleKey: row.role.key,
    permissions: effectivePermissions(row.role),
    visibility: row.role.visibility,
    departmentId: row.departmentId,
  };
}
