import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client.js";
import { arrayLiteral } from "../../../db/bulk.js";
import { ProductCreateSchema, type ProductCreate } from "../../products/contracts.js";
import { createProduct, updateProduct } from "../../products/products.js";
import { productCategories, products } from "../../products/schema.js";
import { fold } from "../../customers/text.js";
import type { RowIssue } from "../rows.js";
import { rowLoader, undoEvents, undoNeeds } from "./records.js";
import type { ImportObjectDef } from "./types.js";

/**
 * Products of the catalogue, through the product services: SKU (unique in
 * the workspace, the natural duplicate key), category by name or path
 * (电子产品/手机), list price in its currency (¥1,280.50), tax rate (13%).
 * Products are never deleted — orders and quotes keep pointing at them — so
 * undoing an import archives the products it created, as a person would.
 */

const ACTIVE_WORDS = {
  true: ["true", "启用", "在售", "上架", "有效", "正常", "active", "on sale", "yes", "是", "1"],
  false: ["false", "停用", "停售", "下架", "无效", "归档", "已归档", "inactive", "archived", "discontinued", "no", "否", "0"],
};

/** A category by its name, or by a path of names (电子产品/手机, 电子产品 > 手机) when the name alone is not unique. */
async function findCategory(tx: Tx, text: string, column: string): Promise<{ id: string } | { issue: RowIssue }> {
  const parts = text.split(/\s*[/>＞]\s*/).filter(Boolean);
  const rows = await tx
    .select({ id: productCategories.id, name: productCategories.name, parentId: productCategories.parentId })
    .from(productCategories)
    .where(inArray(productCategories.name, [...new Set([text, ...parts])]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // The whole text as a name first (a name may hold a slash), else each part the parent of the next.
  let found = rows.filter((r) => fold(r.name) === fold(text));
  if (!found.length && parts.length > 1) {
    found = rows.filter((r) => {
      let node: (typeof rows)[number] | undefined = r;
      for (let i = parts.length - 1; i >= 0; i--) {
        if (!node || fold(node.name) !== fold(parts[i]!)) return false;
        node = node.parentId ? byId.get(node.parentId) : undefined;
      }
      return true;
    });
  }
  if (found.length === 1) return { id: found[0]!.id };
  return { issue: { column, key: found.length ? "import.category_ambiguous" : "import.category_not_found", params: { value: text } } };
}

export const productImport: ImportObjectDef = {
  fields: [
    { key: "sku", type: "text" },
    { key: "name", type: "text" },
    { key: "category", type: "ref" },
    { key: "unit", type: "text" },
    { key: "currency", type: "currency" },
    { key: "listPrice", type: "money" },
    { key: "taxRate", type: "rate" },
    { key: "description", type: "text" },
    { key: "productLine", type: "text" },
    { key: "active", type: "boolean", values: ACTIVE_WORDS },
  ],
  titles: {
    sku: ["sku", "产品编码", "产品编号", "商品编码", "商品编号", "货号", "物料编码", "物料号", "料号", "存货编码", "编码", "编号", "product code", "item code", "item number", "product sku", "part number", "code"],
    name: ["产品名称", "商品名称", "品名", "存货名称", "物料名称", "名称", "产品", "商品", "product name", "item name", "name", "product", "item"],
    category: ["产品分类", "商品分类", "产品类别", "存货分类", "分类", "类别", "category", "product category", "product family", "family"],
    unit: ["单位", "计量单位", "销售单位", "unit", "uom", "unit of measure", "unit of measurement"],
    currency: ["币种", "货币", "结算币种", "currency", "currency code", "price currency"],
    listPrice: ["标准价", "标准价格", "标准售价", "价格", "单价", "售价", "销售价", "销售单价", "零售价", "定价", "牌价", "list price", "price", "unit price", "sales price", "standard price"],
    taxRate: ["税率", "增值税率", "增值税税率", "tax rate", "vat rate", "vat", "tax"],
    description: ["描述", "产品描述", "说明", "产品说明", "规格", "规格型号", "备注", "description", "product description", "specification", "notes"],
    productLine: ["产品线", "产品系列", "系列", "product line", "line"],
    active: ["状态", "是否启用", "启用", "在售", "是否在售", "上架", "active", "is active", "status"],
  },
  schema: ProductCreateSchema,
  schemaFields: { categoryId: "category" },
  keys: ["sku", "name"],
  defaultKeys: ["sku"],
  customFields: false,
  ownerDefault: "nobody",
  // Undo archives created products and restores updated ones: both are updates of the catalogue.
  checkUndo: undoNeeds("product:update"),
  async resolve(_ctx, tx, plan, input) {
    const category = plan.refs.category;
    if (!category) return [];
    const found = await findCategory(tx, category, plan.columns.category ?? "category");
    if ("issue" in found) return [found.issue];
    input.categoryId = found.id;
    return [];
  },
  async findExisting(_ctx, tx, input, keys) {
    const [row] = await tx
      .select({ id: products.id })
      .from(products)
      .where(
        sql`(${keys.includes("sku") && input.sku ? eq(products.sku, input.sku as string) : sql`false`} or ${
          keys.includes("name") && input.name ? sql`lower(${products.name}) = lower(${input.name as string})` : sql`false`
        })`,
      )
      // A product with the row's SKU before one with its name.
      .orderBy(sql`${products.sku} = ${(input.sku as string | undefined) ?? ""} desc`, products.createdAt)
      .limit(1);
    return row?.id;
  },
  create: async (ctx, tx, input) => (await createProduct(ctx, input as ProductCreate, tx)).id,
  load: rowLoader(products),
  async update(ctx, tx, id, change) {
    await updateProduct(ctx, id, "any", change as Partial<ProductCreate>, tx);
  },
  async removeCreated(ctx, tx, ids, since, importId) {
    if (!ids.length) return [];
    const archived = await tx
      .update(products)
      .set({ active: false, updatedAt: new Date(), version: sql`${products.version} + 1` })
      .where(and(sql`${products.id} = any(${arrayLiteral(ids)}::uuid[])`, eq(products.active, true), sql`${products.updatedAt} <= ${since.toISOString()}::timestamptz`))
      .returning({ id: products.id });
    const done = archived.map((r) => r.id);
    if (done.length) await undoEvents(tx, ctx, "product", "archived", done, { active: { before: true, after: false } }, importId);
    return done;
  },
};
