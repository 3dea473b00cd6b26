import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import "./messages.js";

/** ISO 4217 codes the runtime's ICU knows (CNY, USD, EUR, HKD …): "rmb" or "XYZ" are refused. */
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const isCurrency = (value: string) => /^[A-Z]{3}$/.test(value) && CURRENCIES.has(value);

export const Currency = z
  .string()
  .refine(isCurrency, { message: "products.currency_invalid" })
  .meta({ description: "ISO 4217 currency code", example: "CNY" });

/** numeric(18,4) and not negative: prices and list prices. */
export const PRICE = /^\d{1,14}(\.\d{1,4})?$/;
export const Price = z
  .string()
  .trim()
  .regex(PRICE, { message: "products.price_invalid" })
  .meta({ description: "Decimal price, 0 or more, up to 4 decimals", example: "1280.50" });

export const QUANTITY = /^\d{1,14}(\.\d{1,4})?$/;
export const Quantity = z
  .string()
  .trim()
  .regex(QUANTITY, { message: "pricing.quantity_invalid" })
  .meta({ description: "Decimal quantity, 0 or more, up to 4 decimals", example: "10" });

const TaxRate = z
  .string()
  .trim()
  .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, { message: "products.tax_rate_invalid" })
  .meta({ description: "VAT rate as a fraction from 0 to 1 (0.13 = 13 %)", example: "0.13" });

/** numeric(18,8), above 0. */
const Rate = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,8})?$/, { message: "pricing.rate_invalid" })
  .refine((v) => /[1-9]/.test(v), { message: "pricing.rate_invalid" })
  .meta({ description: "Units of the base currency one unit of the currency is worth, up to 8 decimals", example: "7.12345678" });

const DateOnly = z.iso.date();
const Name = z.string().trim().min(1).max(200);

// Categories

export const CategorySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    parentId: z.uuid().nullable(),
    position: z.number().int(),
    productCount: z.number().int().meta({ description: "Products directly in this category (not its sub-categories)" }),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "ProductCategory" });

export interface CategoryNode extends z.output<typeof CategorySchema> {
  children: CategoryNode[];
}

export const CategoryNodeSchema: z.ZodType<CategoryNode> = z
  .object({
    ...CategorySchema.shape,
    get children() {
      return z.array(CategoryNodeSchema);
    },
  })
  .meta({ id: "ProductCategoryNode" });

const categoryFields = {
  name: z.string().trim().min(1).max(100),
  parentId: z.uuid().nullable().optional().meta({ description: "Left out or null: a top-level category" }),
  position: z.number().int().min(0).max(100_000).optional().meta({ description: "Order among its siblings (then by name)" }),
};
export const CategoryCreateSchema = z.strictObject(categoryFields);
export const CategoryUpdateSchema = z.strictObject({ ...VersionField, ...categoryFields, name: categoryFields.name.optional() });
export type CategoryInput = z.infer<typeof CategoryCreateSchema>;
export type CategoryUpdate = Omit<z.infer<typeof CategoryUpdateSchema>, "version">;

// Products

export const ProductSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    categoryId: z.uuid().nullable(),
    unit: z.string(),
    currency: z.string(),
    listPrice: z.string(),
    taxRate: z.string(),
    description: z.string(),
    productLine: z.string(),
    active: z.boolean(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Product" });

const productFields = {
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^\S+$/)
    .meta({ description: "Stock keeping unit, unique in the workspace" }),
  name: Name,
  categoryId: z.uuid().nullable().optional(),
  unit: z.string().trim().max(20).optional().meta({ description: "Unit of sale: 件, 台, 套, kg, hour …" }),
  currency: Currency.optional().meta({ description: "Currency of the list price; left out: the workspace's base currency" }),
  listPrice: Price.optional(),
  taxRate: TaxRate.optional(),
  description: z.string().trim().max(5000).optional(),
  productLine: z.string().trim().max(100).optional(),
  active: z.boolean().optional().meta({ description: "false archives the product: it stays on orders but is no longer offered" }),
};
export const ProductCreateSchema = z.strictObject(productFields);
export const ProductUpdateSchema = z.strictObject({ ...VersionField, ...productFields, sku: productFields.sku.optional(), name: Name.optional() });
export type ProductCreate = z.infer<typeof ProductCreateSchema>;
export type ProductUpdate = Omit<z.infer<typeof ProductUpdateSchema>, "version">;

// Price lists

export const PriceListSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    currency: z.string(),
    customerTypes: z.array(z.string()),
    priority: z.number().int(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    active: z.boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "PriceList" });

export const PriceListItemSchema = z
  .object({ productId: z.uuid(), sku: z.string(), name: z.string(), unit: z.string(), minQuantity: z.string(), unitPrice: z.string() })
  .meta({ id: "PriceListItem" });

export const PriceListDetailSchema = z.object({ ...PriceListSchema.shape, items: z.array(PriceListItemSchema) }).meta({ id: "PriceListDetail" });

const priceListFields = {
  name: Name,
  currency: Currency,
  customerTypes: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .optional()
    .meta({ description: "Customer groups (the customers' type) the list is for; empty: every customer" }),
  priority: z.number().int().min(-1000).max(1000).optional().meta({ description: "Among the lists that apply, the highest priority wins" }),
  validFrom: DateOnly.nullable().optional(),
  validTo: DateOnly.nullable().optional(),
  active: z.boolean().optional(),
};
export const PriceListCreateSchema = z.strictObject(priceListFields);
export const PriceListUpdateSchema = z.strictObject({ ...VersionField, ...priceListFields, name: Name.optional(), currency: Currency.optional() });
export type PriceListCreate = z.infer<typeof PriceListCreateSchema>;
export type PriceListUpdate = Omit<z.infer<typeof PriceListUpdateSchema>, "version">;

export const PriceListItemInput = z.strictObject({
  productId: z.uuid(),
  minQuantity: Quantity.optional().meta({ description: "The tier starts at this quantity; left out: 0" }),
  unitPrice: Price,
});
export const PriceListItemsSchema = z.strictObject({ ...VersionField, items: z.array(PriceListItemInput).max(5000) });
export type PriceListItemInput = z.infer<typeof PriceListItemInput>;

// Exchange rates and settings

export const ExchangeRateSchema = z
  .object({ currency: z.string(), validFrom: z.string(), rate: z.string(), createdAt: DateTime, createdBy: z.uuid().nullable() })
  .meta({ id: "ExchangeRate" });
export const ExchangeRateInput = z.strictObject({ currency: Currency, validFrom: DateOnly, rate: Rate });
export type ExchangeRateInput = z.infer<typeof ExchangeRateInput>;
export const ExchangeRateQuery = z.strictObject({
  currency: Currency.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const ExchangeRateParams = z.strictObject({ currency: Currency, validFrom: DateOnly });

export const PricingSettingsSchema = z.object({ baseCurrency: z.string(), version: z.number().int() }).meta({ id: "PricingSettings" });
export const PricingSettingsUpdateSchema = z.strictObject({ ...VersionField, baseCurrency: Currency.optional() });
