import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { categoryTree, createCategory, deleteCategory, findCategories, getCategory, updateCategory } from "./categories.js";
import {
  CategoryCreateSchema,
  CategoryNodeSchema,
  CategorySchema,
  CategoryUpdateSchema,
  ExchangeRateInput,
  ExchangeRateParams,
  ExchangeRateQuery,
  ExchangeRateSchema,
  PriceListCreateSchema,
  PriceListDetailSchema,
  PriceListItemsSchema,
  PriceListSchema,
  PriceListUpdateSchema,
  PricingSettingsSchema,
  PricingSettingsUpdateSchema,
  ProductCreateSchema,
  ProductSchema,
  ProductUpdateSchema,
} from "./contracts.js";
import { deleteExchangeRate, findExchangeRates, getPricingSettings, setExchangeRate, updatePricingSettings } from "./exchange-rates.js";
import { createPriceList, deletePriceList, findPriceLists, getPriceList, replacePriceListItems, updatePriceList } from "./price-lists.js";
import "./policy.js";
import { createProduct, findProducts, getProduct, updateProduct } from "./products.js";

const NoContent = { 204: z.null(), ...errors };

export function productRoutes(app: App): void {
  // Categories
  app.get(
    "/api/v1/product-categories",
    { schema: { tags: ["products"], summary: "All product categories, flat (by position, then name)", response: { 200: z.object({ items: z.array(CategorySchema) }), ...errors } } },
    async (req) => ({ items: await findCategories(ctxOf(req)) }),
  );
  app.get(
    "/api/v1/product-categories/tree",
    { schema: { tags: ["products"], summary: "All product categories as a tree: top-level ones with their children", response: { 200: z.object({ items: z.array(CategoryNodeSchema) }), ...errors } } },
    async (req) => ({ items: categoryTree(await findCategories(ctxOf(req))) }),
  );
  app.post(
    "/api/v1/product-categories",
    { schema: { tags: ["products"], summary: "Create a category (product:create)", body: CategoryCreateSchema, response: { 201: CategorySchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createCategory(ctxOf(req), req.body)),
  );
  app.get("/api/v1/product-categories/:id", { schema: { tags: ["products"], summary: "One category", params: IdParams, response: { 200: CategorySchema, ...errors } } }, async (req, reply) => {
    const category = await getCategory(ctxOf(req), req.params.id);
    setEtag(reply, category.version);
    return category;
  });
  app.patch(
    "/api/v1/product-categories/:id",
    {
      schema: {
        tags: ["products"],
        summary: "Rename, move (parentId; never under itself) or reorder a category (product:update; If-Match or version required)",
        params: IdParams,
        body: CategoryUpdateSchema,
        response: { 200: CategorySchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const category = await updateCategory(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, category.version);
      return category;
    },
  );
  app.delete(
    "/api/v1/product-categories/:id",
    { schema: { tags: ["products"], summary: "Delete an empty category (refused while it has products or sub-categories)", params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deleteCategory(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Products
  app.get(
    "/api/v1/products",
    {
      schema: {
        tags: ["products"],
        summary: "The catalogue. Sort: name, sku, listPrice, createdAt, updatedAt. Filters: categoryId, active, currency, productLine, name, sku. q: name or SKU contains",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(ProductSchema), ...errors },
      },
    },
    async (req) => findProducts(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/products",
    { schema: { tags: ["products"], summary: "Create a product (SKU unique in the workspace)", body: ProductCreateSchema, response: { 201: ProductSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createProduct(ctxOf(req), req.body)),
  );
  app.get("/api/v1/products/:id", { schema: { tags: ["products"], summary: "One product", params: IdParams, response: { 200: ProductSchema, ...errors } } }, async (req, reply) => {
    const product = await getProduct(ctxOf(req), req.params.id);
    setEtag(reply, product.version);
    return product;
  });
  app.patch(
    "/api/v1/products/:id",
    {
      schema: {
        tags: ["products"],
        summary: "Change a product; active: false archives it, true brings it back (If-Match or version required)",
        params: IdParams,
        body: ProductUpdateSchema,
        response: { 200: ProductSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const product = await updateProduct(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, product.version);
      return product;
    },
  );

  // Price lists
  app.get(
    "/api/v1/price-lists",
    {
      schema: {
        tags: ["pricing"],
        summary: "Price lists. Sort: priority (default -priority), name, createdAt, updatedAt. Filters: name, priority, currency, active, customerType",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(PriceListSchema), ...errors },
      },
    },
    async (req) => findPriceLists(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/price-lists",
    { schema: { tags: ["pricing"], summary: "Create a price list (price_list:manage)", body: PriceListCreateSchema, response: { 201: PriceListDetailSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createPriceList(ctxOf(req), req.body)),
  );
  app.get("/api/v1/price-lists/:id", { schema: { tags: ["pricing"], summary: "A price list with its prices", params: IdParams, response: { 200: PriceListDetailSchema, ...errors } } }, async (req, reply) => {
    const list = await getPriceList(ctxOf(req), req.params.id);
    setEtag(reply, list.version);
    return list;
  });
  app.patch(
    "/api/v1/price-lists/:id",
    {
      schema: {
        tags: ["pricing"],
        summary: "Change a price list (price_list:manage; If-Match or version required)",
        params: IdParams,
        body: PriceListUpdateSchema,
        response: { 200: PriceListDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const list = await updatePriceList(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, list.version);
      return list;
    },
  );
  app.put(
    "/api/v1/price-lists/:id/items",
    {
      schema: {
        tags: ["pricing"],
        summary: "Replace all prices of a list: tiers are items of a product with different minQuantity (price_list:manage; If-Match or version required)",
        params: IdParams,
        body: PriceListItemsSchema,
        response: { 200: PriceListDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, items } = req.body;
      const list = await replacePriceListItems(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), items);
      setEtag(reply, list.version);
      return list;
    },
  );
  app.delete(
    "/api/v1/price-lists/:id",
    { schema: { tags: ["pricing"], summary: "Delete a price list and its prices (orders keep theirs)", params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deletePriceList(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Exchange rates and the base currency
  app.get(
    "/api/v1/pricing-settings",
    { schema: { tags: ["pricing"], summary: "The base currency (exchange rates are quoted against it)", response: { 200: PricingSettingsSchema, ...errors } } },
    async (req, reply) => {
      const settings = await getPricingSettings(ctxOf(req));
      setEtag(reply, settings.version);
      return settings;
    },
  );
  app.patch(
    "/api/v1/pricing-settings",
    {
      schema: {
        tags: ["pricing"],
        summary: "Change the base currency, only while no exchange rates exist (price_list:manage; If-Match or version required)",
        body: PricingSettingsUpdateSchema,
        response: { 200: PricingSettingsSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const settings = await updatePricingSettings(ctxOf(req), expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, settings.version);
      return settings;
    },
  );
  app.get(
    "/api/v1/exchange-rates",
    { schema: { tags: ["pricing"], summary: "Exchange rates, latest first (optionally of one currency)", querystring: ExchangeRateQuery, response: { 200: z.object({ items: z.array(ExchangeRateSchema) }), ...errors } } },
    async (req) => ({ items: await findExchangeRates(ctxOf(req), req.query) }),
  );
  app.post(
    "/api/v1/exchange-rates",
    {
      schema: {
        tags: ["pricing"],
        summary: "Set what one unit of a currency is worth in the base currency from a date on; replaces the rate of the same currency and date (price_list:manage)",
        body: ExchangeRateInput,
        response: { 200: ExchangeRateSchema, ...errors },
      },
    },
    async (req) => setExchangeRate(ctxOf(req), req.body),
  );
  app.delete(
    "/api/v1/exchange-rates/:currency/:validFrom",
    { schema: { tags: ["pricing"], summary: "Delete a rate (price_list:manage)", params: ExchangeRateParams, response: NoContent } },
    async (req, reply) => {
      await deleteExchangeRate(ctxOf(req), req.params.currency, req.params.validFrom);
      return reply.code(204).send(null);
    },
  );
}
