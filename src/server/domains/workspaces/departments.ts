import crypto from "node:crypto";
import { asc, eq, like, sql } from "drizzle-orm";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import type { Tx } from "../../db/client.js";
import { departments, memberships } from "./schema.js";

export interface DepartmentView {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
}

const present = (d: typeof departments.$inferSelect): DepartmentView => ({
  id: d.id,
  name: d.name,
  parentId: d.parentId,
  version: d.version,
});

export async function findDepartments(ctx: Ctx): Promise<DepartmentView[]> {
  requireAccess(ctx, "department:read");
  const rows = await readTenant(ctx, (tx) => tx.select().from(departments).orderBy(asc(departments.path)));
  return rows.map(present);
}

export async function getDepartment(ctx: Ctx, id: string): Promise<DepartmentView> {
  requireAccess(ctx, "department:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(departments).where(eq(departments.id, id)));
  if (!row) throw notFound("department");
  return present(row);
}

async function parentPath(tx: Tx, parentId: string | null | undefined): Promise<string> {
  if (!parentId) return "/";
  const [parent] = await tx.select().from(departments).where(eq(departments.id, parentId));
  if (!parent) throw invalid("errors.not_found", { object: "department" }, { field: "parentId" });
  return parent.path;
}

export async function createDepartment(ctx: Ctx, input: { name: string; parentId?: string | null }): Promise<DepartmentView> {
  requireAccess(ctx, "department:create");
  return inTenant(ctx, async (tx) => {
    const id = crypto.randomUUID();
    const path = `${await parentPath(tx, input.parentId)}${id}/`;
    const [row] = await tx
      .insert(departments)
      .values({ tenantId: ctx.tenantId, id, name: input.name, parentId: input.parentId ?? null, path })
      .returning();
    await recordEvent(tx, ctx, { action: "department.created", objectType: "department", objectId: id, after: row });
    return present(row!);
  });
}

/** Renames and/or moves a department; moving rewrites the path of its whole subtree. */
export async function updateDepartment(
  ctx: Ctx,
  id: string,
  version: ExpectedVersion,
  input: { name?: string; parentId?: string | null },
): Promise<DepartmentView> {
  requireAccess(ctx, "department:update");
  return inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(departments).where(eq(departments.id, id)).for("update");
    checkVersion(current, version, "department");
    const before = current!;
    let path = before.path;
    if (input.parentId !== undefined && input.parentId !== before.parentId) {
      const newParentPath = await parentPath(tx, input.parentId);
      if (newParentPath.startsWith(before.path)) throw invalid("errors.department_cycle", {}, { field: "parentId" });
      path = `${newParentPath}${id}/`;
      await tx
        .update(departments)
        .set({ path: sql`${path} || substr(${departments.path}, ${before.path.length + 1})` })
        .where(like(departments.path, `${before.path}_%`));
    }
    const [row] = await tx
      .update(departments)
      .set({
        name: input.name ?? before.name,
        parentId: input.parentId === undefined ? before.parentId : input.parentId,
        path,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(departments.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "department.updated", objectType: "department", objectId: id, before, after: row });
    return present(row!);
  });
}

export async function deleteDepartment(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "department:delete");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(departments).where(eq(departments.id, id)).for("update");
    if (!current) throw notFound("department");
    const [children] = await tx.select({ n: sql<number>`count(*)` }).from(departments).where(eq(departments.parentId, id));
    const [members] = await tx.select({ n: sql<number>`count(*)` }).from(memberships).where(eq(memberships.departmentId, id));
    if ((children?.n ?? 0) > 0 || (members?.n ?? 0) > 0) {
      throw conflict("errors.department_not_empty", { children: children?.n ?? 0, members: members?.n ?? 0 });
    }
    await tx.delete(departments).where(eq(departments.id, id));
    await recordEvent(tx, ctx, { action: "department.deleted", objectType: "department", objectId: id, before: current });
  });
}
