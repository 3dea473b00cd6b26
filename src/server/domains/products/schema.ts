import { sql } from "drizzle-orm";
import { boolean, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

/** Prices carry four decimals (unit prices of cheap parts); amounts are rounded to cents where they are totalled. */
const price = (name: string) => numeric(name, { precision: 18, scale: 4 });
const quantity = (name: string) => numeric(name, { precision: 18, scale: 4 });

/** Categories of the catalogue, a tree (parent null: top level). */
export const productCategories = pgTable(
  "product_categories",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    parentId: uuid("parent_id"),
    position: integer("position").notNull().default(0),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("product_categories_name_key").on(t.tenantId, t.parentId, t.name).nullsNotDistinct(), tenantIsolation()],
).enableRLS();

/**
 * A product or service of the catalogue. `list_price` is in the product's
 * currency; price lists may set other prices per customer group and quantity.
 * Products are archived (inactive), not deleted: orders and quotes keep
 * pointing at them.
 */
export const products = pgTable(
  "products",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    categoryId: uuid("category_id"),
    /** Unit of sale as written on quotes: 件, 台, 套, kg, hour … */
    unit: text("unit").notNull().default(""),
    currency: text("currency").notNull().default("CNY"),
    listPrice: price("list_price").notNull().default("0"),
    /** VAT rate as a fraction (0.13 = 13 %). */
    taxRate: numeric("tax_rate", { precision: 7, scale: 4 }).notNull().default("0"),
    description: text("description").notNull().default(""),
    /** Product line, for lead assignment and reporting. */
    productLine: text("product_line").notNull().default(""),
    active: boolean("active").notNull().default(true),
    custom: jsonb("custom").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("products_sku_key").on(t.tenantId, t.sku),
    index("products_name_idx").on(t.tenantId, t.name, t.id),
    index("products_category_idx").on(t.tenantId, t.categoryId),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * A price list: prices in one currency for the customers of some groups
 * (customer types of the master file; none = every customer), valid in a
 * date range. The customer's list with the highest priority wins.
 */
export const priceLists = pgTable(
  "price_lists",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    currency: text("currency").notNull().default("CNY"),
    customerTypes: text("customer_types").array().notNull().default(sql`'{}'::text[]`),
    priority: integer("priority").notNull().default(0),
    validFrom: date("valid_from"),
    validTo: date("valid_to"),
    active: boolean("active").notNull().default(true),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("price_lists_name_key").on(t.tenantId, t.name), tenantIsolation()],
).enableRLS();

/** A price of a list; several per product make tiers (the highest `min_quantity` not above the ordered quantity applies). */
export const priceListItems = pgTable(
  "price_list_items",
  {
    tenantId: tenantIdColumn(),
    priceListId: uuid("price_list_id").notNull(),
    productId: uuid("product_id").notNull(),
    minQuantity: quantity("min_quantity").notNull().default("0"),
    unitPrice: price("unit_price").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.priceListId, t.productId, t.minQuantity] }),
    index("price_list_items_product_idx").on(t.tenantId, t.productId),
    foreignKey({ columns: [t.tenantId, t.priceListId], foreignColumns: [priceLists.tenantId, priceLists.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    tenantIsolation(),
  ],
).enableRLS();

/** How many units of the workspace's base currency one unit of `currency` is worth, from a date on. */
export const exchangeRates = pgTable(
  "exchange_rates",
  {
    tenantId: tenantIdColumn(),
    currency: text("currency").notNull(),
    validFrom: date("valid_from").notNull(),
    rate: numeric("rate", { precision: 18, scale: 8 }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    createdBy: uuid("created_by"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.currency, t.validFrom] }), tenantIsolation()],
).enableRLS();

/** The workspace's pricing settings: its base currency (exchange rates are against it; credit limits are compared in it). */
export const pricingSettings = pgTable(
  "pricing_settings",
  {
    tenantId: tenantIdColumn().primaryKey(),
    baseCurrency: text("base_currency").notNull().default("CNY"),
    ...timestamps(),
    version: versionColumn(),
  },
  () => [tenantIsolation()],
).enableRLS();
