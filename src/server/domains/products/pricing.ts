import { and, desc, eq, gte, isNull, lte, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { invalid, notFound } from "../../lib/errors.js";
import { money } from "../../lib/money.js";
import { isCurrency, QUANTITY } from "./contracts.js";
import { convert } from "./exchange-rates.js";
import "./messages.js";
import { priceListRow } from "./price-lists.js";
import { priceListItems, priceLists, products } from "./schema.js";

export interface PriceQuery {
  productId: string;
  /** Decimal string, 0 or more. */
  quantity: string;
  /** The order's currency. */
  currency: string;
  /** The customer's group (its `type` in the master file); "" when it has none. */
  customerType: string;
  /** The order's date, YYYY-MM-DD: which lists and rates are valid. */
  on: string;
  /** A list chosen on the order; left out: the best list that applies. */
  priceListId?: string | null;
}

export interface Price {
  /** Decimal string with 4 places, in the order's currency. */
  unitPrice: string;
  priceListId: string | null;
  source: "price_list" | "list_price";
}

/** The tier of a list for a product: the one with the highest minimum quantity not above the quantity. */
async function tierOf(tx: Tx, priceListId: string, productId: string, quantity: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ unitPrice: priceListItems.unitPrice })
    .from(priceListItems)
    .where(and(eq(priceListItems.priceListId, priceListId), eq(priceListItems.productId, productId), lte(priceListItems.minQuantity, quantity)))
    .orderBy(desc(priceListItems.minQuantity))
    .limit(1);
  return row?.unitPrice;
}

/**
 * The unit price of a product for an order line, in the order's currency.
 *
 * With `priceListId` the order names its list: it must be in this workspace
 * (else NOT_FOUND), active, valid on `on` and in the order's currency (else
 * VALIDATION). Without, the list is chosen: active, valid on `on`, in the
 * order's currency, for the customer's group or for everyone, with a price
 * for the product at this quantity; the highest priority wins, then a list
 * naming the group over a general one. Within the list the tier with the
 * highest minimum quantity not above the quantity applies.
 *
 * When no list prices the product at this quantity (including a named list
 * without it), the product's list price is converted to the order's
 * currency with the rates valid on `on` and rounded half up to 4 decimals.
 * Archived products are priced too: whether they may be ordered is the
 * caller's rule. Runs in the caller's transaction.
 */
export async function priceFor(tx: Tx, input: PriceQuery): Promise<Price> {
  if (!QUANTITY.test(input.quantity)) throw invalid("pricing.quantity_invalid", {}, { field: "quantity" });
  if (!isCurrency(input.currency)) throw invalid("products.currency_invalid", {}, { field: "currency" });
  const [product] = await tx
    .select({ id: products.id, currency: products.currency, listPrice: products.listPrice })
    .from(products)
    .where(eq(products.id, input.productId));
  if (!product) throw notFound("product");

  if (input.priceListId) {
    const list = await priceListRow(tx, input.priceListId);
    const details = { field: "priceListId", priceListId: list.id };
    if (!list.active) throw invalid("pricing.list_inactive", { name: list.name }, details);
    if ((list.validFrom && list.validFrom > input.on) || (list.validTo && list.validTo < input.on)) {
      throw invalid("pricing.list_not_valid", { name: list.name, date: input.on }, details);
    }
    if (list.currency !== input.currency) {
      throw invalid("pricing.list_currency_mismatch", { name: list.name, listCurrency: list.currency, currency: input.currency }, { ...details, listCurrency: list.currency });
    }
    const unitPrice = await tierOf(tx, list.id, product.id, input.quantity);
    if (unitPrice !== undefined) return { unitPrice, priceListId: list.id, source: "price_list" };
  } else {
    const tier = tx
      .select({ unitPrice: priceListItems.unitPrice })
      .from(priceListItems)
      .where(and(eq(priceListItems.priceListId, priceLists.id), eq(priceListItems.productId, product.id), lte(priceListItems.minQuantity, input.quantity)))
      .orderBy(desc(priceListItems.minQuantity))
      .limit(1);
    const [best] = await tx
      .select({ id: priceLists.id, unitPrice: sql<string>`(${tier})` })
      .from(priceLists)
      .where(
        and(
          eq(priceLists.active, true),
          eq(priceLists.currency, input.currency),
          or(isNull(priceLists.validFrom), lte(priceLists.validFrom, input.on)),
          or(isNull(priceLists.validTo), gte(priceLists.validTo, input.on)),
          sql`(cardinality(${priceLists.customerTypes}) = 0 or ${input.customerType} = any(${priceLists.customerTypes}))`,
          sql`exists (${tier})`,
        ),
      )
      // Ties beyond priority and group: the newer list, then a stable order.
      .orderBy(desc(priceLists.priority), sql`cardinality(${priceLists.customerTypes}) > 0 desc`, desc(priceLists.createdAt), priceLists.id)
      .limit(1);
    if (best) return { unitPrice: best.unitPrice, priceListId: best.id, source: "price_list" };
  }

  const converted = await convert(tx, product.listPrice, product.currency, input.currency, input.on);
  return { unitPrice: money(converted).toFixed(4), priceListId: null, source: "list_price" };
}
