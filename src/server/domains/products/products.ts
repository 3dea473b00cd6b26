import { eq, ilike, or } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { inTenantOr, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, defineListing, likeEscape, type ListQuery, type Page } from "../../lib/listing.js";
import { money } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { lockCategory } from "./categories.js";
import type { ProductCreate, ProductUpdate } from "./contracts.js";
import { baseCurrency } from "./exchange-rates.js";
import "./messages.js";
import { products } from "./schema.js";

type Row = typeof products.$inferSelect;
export type ProductView = Omit<Row, "tenantId" | "custom">;
const present = ({ tenantId: _t, custom: _c, ...rest }: Row): ProductView => rest;

const skuTaken = (sku: string) => new AppError("CONFLICT", "products.sku_taken", { sku }, { field: "sku", sku });

/** `outer`: the caller's transaction (an import writes its rows in its own). */
export async function createProduct(ctx: Ctx, input: ProductCreate, outer?: Tx): Promise<ProductView> {
  requireAccess(ctx, "product:create");
  try {
    return await inTenantOr(ctx, outer, async (tx) => {
      if (input.categoryId) await lockCategory(tx, input.categoryId, "categoryId");
      const [row] = await tx
        .insert(products)
        .values({ ...input, currency: input.currency ?? (await baseCurrency(tx, ctx.tenantId)), tenantId: ctx.tenantId, createdBy: ctx.userId })
        .returning();
      const view = present(row!);
      await recordEvent(tx, ctx, { action: "product.created", objectType: "product", objectId: row!.id, after: view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err, "products_sku_key")) throw skuTaken(input.sku);
    throw err;
  }
}

/**
 * A product's list price (and its currency) is what customers pay when no price list applies, so changing it
 * on an existing product takes the right to set prices (price_list:manage), as price lists do; reps keep
 * product:update for names, descriptions and categories, and still set the first price of a product they add.
 */
function requirePriceRight(ctx: Ctx, current: Row, input: ProductUpdate): void {
  if (can(ctx, "price_list:manage")) return;
  if (input.listPrice !== undefined && !money(input.listPrice).eq(current.listPrice))
    throw new AppError("FORBIDDEN", "products.price_needs_manage", {}, { field: "listPrice", permission: "price_list:manage" });
  if (input.currency !== undefined && input.currency !== current.currency)
    throw new AppError("FORBIDDEN", "products.price_needs_manage", {}, { field: "currency", permission: "price_list:manage" });
}

/** Changes a product; `active: false` archives it (product.archived), `true` brings it back (product.unarchived). */
export async function updateProduct(ctx: Ctx, id: string, version: ExpectedVersion, input: ProductUpdate, outer?: Tx): Promise<ProductView> {
  requireAccess(ctx, "product:update");
  try {
    return await inTenantOr(ctx, outer, async (tx) => {
      const [current] = await tx.select().from(products).where(eq(products.id, id)).for("update");
      checkVersion(current, version, "product");
      requirePriceRight(ctx, current!, input);
      if (input.categoryId && input.categoryId !== current!.categoryId) await lockCategory(tx, input.categoryId, "categoryId");
      const [row] = await tx
        .update(products)
        .set({ ...input, version: current!.version + 1, updatedAt: new Date() })
        .where(eq(products.id, id))
        .returning();
      const before = present(current!);
      const after = present(row!);
      const action = before.active === after.active ? "product.updated" : after.active ? "product.unarchived" : "product.archived";
      await recordEvent(tx, ctx, { action, objectType: "product", objectId: id, before, after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err, "products_sku_key")) throw skuTaken(input.sku ?? "");
    throw err;
  }
}

export async function getProduct(ctx: Ctx, id: string): Promise<ProductView> {
  requireAccess(ctx, "product:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(products).where(eq(products.id, id)));
  if (!row) throw notFound("product");
  return present(row);
}

export const productListing = defineListing({
  id: products.id,
  defaultSort: "name",
  fields: {
    name: { column: products.name, type: "text", sort: true, filter: true },
    sku: { column: products.sku, type: "text", sort: true, filter: true },
    // Compared as numeric by PostgreSQL; kept a string here so a cursor holds the exact price.
    listPrice: { column: products.listPrice, type: "text", sort: true },
    categoryId: { column: products.categoryId, type: "uuid", filter: true },
    active: { column: products.active, type: "boolean", filter: true },
    currency: { column: products.currency, type: "text", filter: true },
    productLine: { column: products.productLine, type: "text", filter: true },
    createdAt: { column: products.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: products.updatedAt, type: "date", sort: true, filter: true },
  },
});

/** A page of the catalogue; `q` finds products whose name or SKU contains it, in any case. */
export async function findProducts(ctx: Ctx, query: ListQuery): Promise<Page<ProductView>> {
  requireAccess(ctx, "product:read");
  const q = query.q?.trim();
  const pattern = q ? `%${likeEscape(q)}%` : undefined;
  const list = productListing.build(query, [pattern ? or(ilike(products.name, pattern), ilike(products.sku, pattern)) : undefined]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(products).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(present) };
  });
}

export type ProductSummary = Pick<Row, "id" | "sku" | "name" | "unit" | "currency" | "listPrice" | "taxRate" | "active">;

/** The products of these ids that exist in the transaction's workspace (others are simply missing), for order lines. */
export async function productsByIds(tx: Tx, ids: string[]): Promise<ProductSummary[]> {
  if (ids.length === 0) return [];
  return tx
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      unit: products.unit,
      currency: products.currency,
      listPrice: products.listPrice,
      taxRate: products.taxRate,
      active: products.active,
    })
    .from(products)
    .where(anyUuid(products.id, [...new Set(ids)]));
}
