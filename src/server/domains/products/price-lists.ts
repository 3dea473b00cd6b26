import { asc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { money } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import type { PriceListCreate, PriceListItemInput, PriceListUpdate } from "./contracts.js";
import "./messages.js";
import { priceListItems, priceLists, products } from "./schema.js";

type Row = typeof priceLists.$inferSelect;
export type PriceListView = Omit<Row, "tenantId">;
export interface PriceListItemView {
  productId: string;
  sku: string;
  name: string;
  unit: string;
  minQuantity: string;
  unitPrice: string;
}
export type PriceListDetail = PriceListView & { items: PriceListItemView[] };

const present = ({ tenantId: _t, ...rest }: Row): PriceListView => rest;
const nameTaken = (err: unknown) => isUniqueViolation(err, "price_lists_name_key");

function checkRange(validFrom: string | null | undefined, validTo: string | null | undefined): void {
  // ISO dates compare as text.
  if (validFrom && validTo && validFrom > validTo) throw invalid("pricing.valid_range", {}, { field: "validTo" });
}

/** Customer groups as given, without blanks or repeats. */
const groups = (types: string[] | undefined) => (types === undefined ? undefined : [...new Set(types)]);

export async function createPriceList(ctx: Ctx, input: PriceListCreate): Promise<PriceListDetail> {
  requireAccess(ctx, "price_list:manage");
  checkRange(input.validFrom, input.validTo);
  try {
    return await inTenant(ctx, async (tx) => {
      const [row] = await tx
        .insert(priceLists)
        .values({ ...input, customerTypes: groups(input.customerTypes) ?? [], tenantId: ctx.tenantId })
        .returning();
      const view = present(row!);
      await recordEvent(tx, ctx, { action: "price_list.created", objectType: "price_list", objectId: row!.id, after: view });
      return { ...view, items: [] };
    });
  } catch (err) {
    if (nameTaken(err)) throw conflict("pricing.list_name_taken", { field: "name" });
    throw err;
  }
}

export async function updatePriceList(ctx: Ctx, id: string, version: ExpectedVersion, input: PriceListUpdate): Promise<PriceListDetail> {
  requireAccess(ctx, "price_list:manage");
  try {
    return await inTenant(ctx, async (tx) => {
      const [current] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for("update");
      checkVersion(current, version, "price_list");
      checkRange(input.validFrom === undefined ? current!.validFrom : input.validFrom, input.validTo === undefined ? current!.validTo : input.validTo);
      const [row] = await tx
        .update(priceLists)
        .set({ ...input, customerTypes: groups(input.customerTypes), version: current!.version + 1, updatedAt: new Date() })
        .where(eq(priceLists.id, id))
        .returning();
      const after = present(row!);
      await recordEvent(tx, ctx, { action: "price_list.updated", objectType: "price_list", objectId: id, before: present(current!), after });
      return { ...after, items: await itemsOf(tx, id) };
    });
  } catch (err) {
    if (nameTaken(err)) throw conflict("pricing.list_name_taken", { field: "name" });
    throw err;
  }
}

/** Deletes a list and its prices. Orders keep their own prices, so none of them changes. */
export async function deletePriceList(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "price_list:manage");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for("update");
    if (!current) throw notFound("price_list");
    await tx.delete(priceLists).where(eq(priceLists.id, id));
    await recordEvent(tx, ctx, { action: "price_list.deleted", objectType: "price_list", objectId: id, before: present(current) });
  });
}

async function itemsOf(tx: Tx, id: string): Promise<PriceListItemView[]> {
  return tx
    .select({
      productId: priceListItems.productId,
      sku: products.sku,
      name: products.name,
      unit: products.unit,
      minQuantity: priceListItems.minQuantity,
      unitPrice: priceListItems.unitPrice,
    })
    .from(priceListItems)
    .innerJoin(products, eq(products.id, priceListItems.productId))
    .where(eq(priceListItems.priceListId, id))
    .orderBy(asc(products.sku), asc(priceListItems.minQuantity));
}

/** A list with its prices, by product SKU and tier. */
export async function getPriceList(ctx: Ctx, id: string): Promise<PriceListDetail> {
  requireAccess(ctx, "price_list:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(priceLists).where(eq(priceLists.id, id));
    if (!row) throw notFound("price_list");
    return { ...present(row), items: await itemsOf(tx, id) };
  });
}

export const priceListListing = defineListing({
  id: priceLists.id,
  defaultSort: "-priority",
  fields: {
    name: { column: priceLists.name, type: "text", sort: true, filter: true },
    priority: { column: priceLists.priority, type: "number", sort: true, filter: true },
    currency: { column: priceLists.currency, type: "text", filter: true },
    active: { column: priceLists.active, type: "boolean", filter: true },
    customerType: { column: priceLists.customerTypes, type: "text", filter: true, array: true },
    createdAt: { column: priceLists.createdAt, type: "date", sort: true },
    updatedAt: { column: priceLists.updatedAt, type: "date", sort: true },
  },
});

export async function findPriceLists(ctx: Ctx, query: ListQuery): Promise<Page<PriceListView>> {
  requireAccess(ctx, "price_list:read");
  const list = priceListListing.build(query);
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(priceLists).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(present) };
  });
}

/** A tier's key: the same quantity written "10" or "10.00" is the same tier (numeric(18,4) in the table). */
const tierKey = (productId: string, minQuantity: string) => `${productId}@${money(minQuantity).toFixed(4)}`;

/**
 * Replaces all prices of a list. Tiers of a product are its items with
 * different minimum quantities; the same product and quantity twice is
 * refused, and so is a product that is not in this workspace (not found).
 * The event holds the prices that changed, keyed "product@minQuantity".
 */
export async function replacePriceListItems(ctx: Ctx, id: string, version: ExpectedVersion, items: PriceListItemInput[]): Promise<PriceListDetail> {
  requireAccess(ctx, "price_list:manage");
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = tierKey(item.productId, item.minQuantity ?? "0");
    if (seen.has(key)) throw invalid("pricing.duplicate_tier", { minQuantity: item.minQuantity ?? "0" }, { field: `items.${i}.minQuantity`, productId: item.productId });
    seen.add(key);
  });
  return inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for("update");
    checkVersion(current, version, "price_list");
    const ids = [...new Set(items.map((i) => i.productId))];
    // Row-level security hides other workspaces' products: theirs are "not found" like unknown ids.
    const found = new Set(ids.length ? (await tx.select({ id: products.id }).from(products).where(anyUuid(products.id, ids)).for("key share")).map((r) => r.id) : []);
    const missing = items.findIndex((i) => !found.has(i.productId));
    if (missing >= 0) throw invalid("errors.not_found", { object: "product" }, { field: `items.${missing}.productId`, productId: items[missing]!.productId });

    const before = await tx.select().from(priceListItems).where(eq(priceListItems.priceListId, id));
    await tx.delete(priceListItems).where(eq(priceListItems.priceListId, id));
    if (items.length) {
      await tx.insert(priceListItems).values(
        items.map((i) => ({ tenantId: ctx.tenantId, priceListId: id, productId: i.productId, minQuantity: i.minQuantity ?? "0", unitPrice: i.unitPrice })),
      );
    }
    const [row] = await tx
      .update(priceLists)
      .set({ version: current!.version + 1, updatedAt: new Date() })
      .where(eq(priceLists.id, id))
      .returning();
    const prices = (list: { productId: string; minQuantity: string; unitPrice: string }[]) =>
      Object.fromEntries(list.map((i) => [tierKey(i.productId, i.minQuantity), money(i.unitPrice).toFixed(4)]));
    await recordEvent(tx, ctx, {
      action: "price_list.items_replaced",
      objectType: "price_list",
      objectId: id,
      before: prices(before),
      after: prices(items.map((i) => ({ ...i, minQuantity: i.minQuantity ?? "0" }))),
      data: { items: items.length },
    });
    return { ...present(row!), items: await itemsOf(tx, id) };
  });
}

/** Used by pricing: the list row, or NOT_FOUND (also for another workspace's list). */
export async function priceListRow(tx: Tx, id: string): Promise<Row> {
  const [row] = await tx.select().from(priceLists).where(eq(priceLists.id, id));
  if (!row) throw notFound("price_list");
  return row;
}
