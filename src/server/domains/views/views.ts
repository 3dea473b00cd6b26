import { and, asc, eq, or } from "drizzle-orm";
import { can, defineObject, requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { forbidden, notFound, unauthenticated } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { savedViews, type ViewQuery } from "./schema.js";

/** `share`: save views for the whole workspace (and change others' shared views). */
export const viewObject = defineObject("view", "core", ["read", "create", "share"]);

type Row = typeof savedViews.$inferSelect;
export type ViewView = Omit<Row, "tenantId">;
const present = ({ tenantId: _t, ...rest }: Row): ViewView => rest;

function me(ctx: Ctx): string {
  if (!ctx.userId) throw unauthenticated();
  return ctx.userId;
}

export interface ViewInput {
  objectType: string;
  name: string;
  shared?: boolean;
  layout?: "list" | "kanban";
  query: ViewQuery;
  position?: number;
}

/** Mine and the shared ones, for one kind of record. */
export async function findViews(ctx: Ctx, objectType: string): Promise<ViewView[]> {
  requireAccess(ctx, "view:read");
  const userId = me(ctx);
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select()
      .from(savedViews)
      .where(and(eq(savedViews.objectType, objectType), or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true))))
      .orderBy(asc(savedViews.position), asc(savedViews.name)),
  );
  return rows.map(present);
}

export async function createView(ctx: Ctx, input: ViewInput): Promise<ViewView> {
  requireAccess(ctx, input.shared ? "view:share" : "view:create");
  const userId = me(ctx);
  return inTenant(ctx, async (tx) => {
    const [row] = await tx.insert(savedViews).values({ ...input, tenantId: ctx.tenantId, ownerId: userId }).returning();
    await recordEvent(tx, ctx, { action: "view.created", objectType: "view", objectId: row!.id, after: present(row!) });
    return present(row!);
  });
}

/** Own views, and shared ones for those who may share. */
async function loadEditable(ctx: Ctx, tx: Parameters<Parameters<typeof inTenant>[1]>[0], id: string): Promise<Row> {
  const userId = me(ctx);
  const [row] = await tx.select().from(savedViews).where(eq(savedViews.id, id)).for("update");
  if (!row || (row.ownerId !== userId && !row.shared)) throw notFound("view");
  if (row.ownerId !== userId && !can(ctx, "view:share")) throw forbidden("view:share");
  return row;
}

export async function updateView(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<Omit<ViewInput, "objectType">>): Promise<ViewView> {
  requireAccess(ctx, "view:create");
  if (input.shared) requireAccess(ctx, "view:share");
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await loadEditable(ctx, tx, id), version, "view");
    const [row] = await tx.update(savedViews).set({ ...input, version: current.version + 1, updatedAt: new Date() }).where(eq(savedViews.id, id)).returning();
    await recordEvent(tx, ctx, { action: "view.updated", objectType: "view", objectId: id, before: present(current), after: present(row!) });
    return present(row!);
  });
}

export async function deleteView(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "view:create");
  await inTenant(ctx, async (tx) => {
    const current = await loadEditable(ctx, tx, id);
    await tx.delete(savedViews).where(eq(savedViews.id, id));
    await recordEvent(tx, ctx, { action: "view.deleted", objectType: "view", objectId: id, before: present(current) });
  });
}
