import { asc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import type { CategoryInput, CategoryNode, CategoryUpdate } from "./contracts.js";
import "./messages.js";
import { productCategories, products } from "./schema.js";

type Row = typeof productCategories.$inferSelect;
export type CategoryView = Omit<Row, "tenantId"> & { productCount: number };

const present = ({ tenantId: _t, ...rest }: Row, productCount = 0): CategoryView => ({ ...rest, productCount });

const nameTaken = (err: unknown) => isUniqueViolation(err, "product_categories_name_key");

/**
 * A category that products or sub-categories may point at: the key-share
 * lock keeps a concurrent delete from removing it before this transaction
 * commits (and the delete, which locks it for update, then sees them).
 */
export async function lockCategory(tx: Tx, id: string, field: string): Promise<void> {
  const [row] = await tx.select({ id: productCategories.id }).from(productCategories).where(eq(productCategories.id, id)).for("key share");
  if (!row) throw invalid("errors.not_found", { object: "product_category" }, { field });
}

export async function createCategory(ctx: Ctx, input: CategoryInput): Promise<CategoryView> {
  requireAccess(ctx, "product:create");
  try {
    return await inTenant(ctx, async (tx) => {
      if (input.parentId) await lockCategory(tx, input.parentId, "parentId");
      const [row] = await tx
        .insert(productCategories)
        .values({ tenantId: ctx.tenantId, name: input.name, parentId: input.parentId ?? null, position: input.position ?? 0 })
        .returning();
      const view = present(row!);
      await recordEvent(tx, ctx, { action: "product_category.created", objectType: "product_category", objectId: row!.id, after: view });
      return view;
    });
  } catch (err) {
    if (nameTaken(err)) throw conflict("products.category_name_taken", { field: "name" });
    throw err;
  }
}

/** Renames, moves (never under itself or its own sub-categories) or reorders a category. */
export async function updateCategory(ctx: Ctx, id: string, version: ExpectedVersion, input: CategoryUpdate): Promise<CategoryView> {
  requireAccess(ctx, "product:update");
  try {
    return await inTenant(ctx, async (tx) => {
      const moving = input.parentId !== undefined;
      // Two moves checked at once could each pass and together make a loop
      // (A under B, B under A): moves of a workspace take turns.
      if (moving) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('product_categories.move:' || ${ctx.tenantId}, 0))`);
      const [current] = await tx.select().from(productCategories).where(eq(productCategories.id, id)).for("update");
      checkVersion(current, version, "product_category");
      const parentId = moving ? (input.parentId ?? null) : current!.parentId;
      if (moving && parentId !== null && parentId !== current!.parentId) {
        await lockCategory(tx, parentId, "parentId");
        if (await isWithin(tx, parentId, id)) throw invalid("products.category_cycle", {}, { field: "parentId" });
      }
      const [row] = await tx
        .update(productCategories)
        .set({
          name: input.name ?? current!.name,
          parentId,
          position: input.position ?? current!.position,
          version: current!.version + 1,
          updatedAt: new Date(),
        })
        .where(eq(productCategories.id, id))
        .returning();
      const count = await productCounts(tx, id);
      const before = present(current!, count.get(id));
      const after = present(row!, count.get(id));
      await recordEvent(tx, ctx, { action: "product_category.updated", objectType: "product_category", objectId: id, before, after });
      return after;
    });
  } catch (err) {
    if (nameTaken(err)) throw conflict("products.category_name_taken", { field: "name" });
    throw err;
  }
}

/** Is `node` the category `ancestor` or below it? */
async function isWithin(tx: Tx, node: string, ancestor: string): Promise<boolean> {
  // UNION (not UNION ALL) ends the walk even on data that already loops.
  const { rows } = await tx.execute<{ found: boolean }>(sql`
    with recursive up(id, parent_id) as (
      select id, parent_id from product_categories where id = ${node}
      union
      select c.id, c.parent_id from product_categories c join up on c.id = up.parent_id
    )
    select exists(select 1 from up where id = ${ancestor}) as found`);
  return rows[0]?.found === true;
}

/** Deletes an empty category: one that still holds products or sub-categories is refused. */
export async function deleteCategory(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "product:update");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(productCategories).where(eq(productCategories.id, id)).for("update");
    if (!current) throw notFound("product_category");
    const [children] = await tx.select({ n: sql<number>`count(*)::int` }).from(productCategories).where(eq(productCategories.parentId, id));
    const [held] = await tx.select({ n: sql<number>`count(*)::int` }).from(products).where(eq(products.categoryId, id));
    const counts = { children: children?.n ?? 0, products: held?.n ?? 0 };
    if (counts.children > 0 || counts.products > 0) throw new AppError("CONFLICT", "products.category_not_empty", counts, counts);
    await tx.delete(productCategories).where(eq(productCategories.id, id));
    await recordEvent(tx, ctx, { action: "product_category.deleted", objectType: "product_category", objectId: id, before: present(current, 0) });
  });
}

async function productCounts(tx: Tx, id?: string): Promise<Map<string, number>> {
  const rows = await tx
    .select({ id: products.categoryId, n: sql<number>`count(*)::int` })
    .from(products)
    .where(id ? eq(products.categoryId, id) : sql`${products.categoryId} is not null`)
    .groupBy(products.categoryId);
  return new Map(rows.map((r) => [r.id!, r.n]));
}

export async function getCategory(ctx: Ctx, id: string): Promise<CategoryView> {
  requireAccess(ctx, "product:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(productCategories).where(eq(productCategories.id, id));
    if (!row) throw notFound("product_category");
    return present(row, (await productCounts(tx, id)).get(id));
  });
}

/** Every category, flat: by position, then name. */
export async function findCategories(ctx: Ctx): Promise<CategoryView[]> {
  requireAccess(ctx, "product:read");
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(productCategories).orderBy(asc(productCategories.position), asc(productCategories.name), asc(productCategories.id));
    const counts = await productCounts(tx);
    return rows.map((r) => present(r, counts.get(r.id)));
  });
}

/** The categories as a tree: top-level ones with their children, each level by position, then name. */
export function categoryTree(flat: CategoryView[]): CategoryNode[] {
  const nodes = new Map(flat.map((c) => [c.id, { ...c, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

