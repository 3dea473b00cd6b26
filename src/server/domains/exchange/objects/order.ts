import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../../db/client.js";
import { arrayLiteral } from "../../../db/bulk.js";
import { can, requireAccess } from "../../../lib/access.js";
import { readTenant, type Ctx } from "../../../lib/context.js";
import { AppError, invalid } from "../../../lib/errors.js";
import { translate } from "../../../lib/i18n.js";
import { money } from "../../../lib/money.js";
import { customers } from "../../customers/index.js";
import { parseAddress } from "../../customers/regions.js";
import { Currency, DecimalString, Rate } from "../../orders/contracts.js";
import { addImportedOrder, cancelImportedOrder, COUNTING, IMPORTED_ORDER_STATUSES, orderAccess, orders, type ImportedOrderStatus, type OrderLineInput } from "../../orders/index.js";
import { createPayment, invoices, paymentAllocations, payments, voidPayment } from "../../payments/index.js";
import { products } from "../../products/index.js";
import type { RowIssue, RowPlan } from "../rows.js";
import { importRows } from "../schema.js";
import { rowLoader } from "./records.js";
import { enumOf, type ImportObjectDef } from "./types.js";

/**
 * Historical orders (历史订单) with their lines, through the orders
 * domain's import entry point (orders/import-order.ts): a file has a row per
 * order line, and the rows of one order — next to each other, with the same
 * order number — make one order (ImportObjectDef.groupBy, apply.ts
 * applyGroup). The header (customer, date, status, owner, paid amount …)
 * comes from the first row of the order; later rows may repeat it, not
 * contradict it. Each row is a line: a product by SKU or by name, or a free
 * line (a name that is no product, with its price).
 *
 * An order keeps its number: a number the workspace already has is that
 * order's duplicate, and it is skipped — an import never rewrites an order
 * that exists (its lines, amounts and payments are accounting history), so
 * `skip` is the only policy. A line without a discount in the file has none
 * (the file says what was charged; the customer's current terms are not
 * applied to the past); without a price it takes the price list's at the order
 * date. What was paid (已回款) is recorded as a payment matched to the order,
 * received on the 回款日期 or else the order date, so receivables, the
 * customer's payment record and the sales roll-up see it like any payment.
 * Undo voids those payments and cancels the orders ("import undone"): orders
 * are never deleted and their numbers never reused.
 */

const STATUS_WORDS: Record<ImportedOrderStatus, readonly string[]> = {
  draft: ["草稿", "未提交", "待提交", "draft", "new"],
  approved: ["已审核", "已审批", "审核通过", "审批通过", "已确认", "确认", "已生效", "生效", "执行中", "进行中", "approved", "confirmed", "activated", "active", "open", "booked"],
  delivered: ["已发货", "发货", "已交付", "交付", "已出库", "已送达", "delivered", "shipped", "fulfilled"],
  completed: ["已完成", "完成", "已结案", "结案", "已关闭", "关闭", "已结清", "completed", "complete", "closed", "done", "invoiced", "paid"],
  cancelled: ["已取消", "取消", "已作废", "作废", "无效", "cancelled", "canceled", "void", "voided"],
};

/** Fields of the order, taken from its first row. */
const HEADER = ["orderDate", "status", "currency", "channel", "deliveryAddress", "paymentTerms", "notes", "paid", "paidOn"] as const;
/** Fields of each row's line. */
const LINE = ["sku", "product", "unit", "quantity", "unitPrice", "discountRate", "taxRate"] as const;
/** What one order may have (as the orders API). */
const MAX_LINES = 500;

const IsoDate = z.iso.date();

/** One row of the file: the order's number, its header fields (filled on its first row) and one line. */
export const OrderImportRowSchema = z.strictObject({
  number: z.string().trim().min(1).max(64),
  orderDate: IsoDate.optional(),
  status: z.enum(IMPORTED_ORDER_STATUSES).optional(),
  currency: Currency.optional(),
  channel: z.string().trim().max(50).optional(),
  deliveryAddress: z.string().trim().max(500).optional(),
  paymentTerms: z.string().trim().max(200).optional(),
  notes: z.string().trim().max(5000).optional(),
  paid: DecimalString.refine((v) => !/\.\d{3,}$/.test(v), { message: "payments.cents" }).optional(),
  paidOn: IsoDate.optional(),
  sku: z.string().trim().max(64).optional(),
  product: z.string().trim().max(200).optional(),
  unit: z.string().trim().max(20).optional(),
  quantity: DecimalString,
  unitPrice: DecimalString.optional(),
  discountRate: Rate.optional(),
  taxRate: Rate.optional(),
});

type Values = Record<string, unknown>;
const pick = (from: Values, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

/**
 * A group's rows as one order: the number and header of the first row, a line
 * per row. A later row may repeat a header value, not contradict it (two
 * orders under one number); an order needs a customer and a date; money paid
 * needs an order that is owed money.
 */
function combine(plans: RowPlan[]): { plan: RowPlan } | { issues: { source: number; issue: RowIssue }[] } {
  const first = plans[0]!;
  const head = first.input!;
  const issues: { source: number; issue: RowIssue }[] = [];
  const put = (p: RowPlan, field: string, key: string, params: Record<string, string | number> = {}) => issues.push({ source: p.source, issue: { column: p.columns[field] ?? null, key, params } });
  const differs = (p: RowPlan, field: string, value: unknown, firstValue: unknown) => {
    if (value !== undefined && value !== null && value !== firstValue) put(p, field, "import.order_header_differs", { value: String(value), first: String(firstValue ?? ""), row: first.source });
  };
  for (const p of plans.slice(1)) {
    for (const field of HEADER) differs(p, field, p.input![field], head[field]);
    differs(p, "customer", p.customer?.name, first.customer?.name);
    differs(p, "customerCode", p.customer?.code, first.customer?.code);
    differs(p, "owner", p.owner, first.owner);
  }
  if (!head.orderDate) put(first, "orderDate", "import.required", { field: "orderDate" });
  if (!first.customer) put(first, "customer", "import.required", { field: "customer" });
  const status = (head.status as ImportedOrderStatus | undefined) ?? "completed";
  const paid = head.paid as string | undefined;
  if (paid !== undefined && money(paid).lt(0)) put(first, "paid", "payments.amount_positive");
  else if (paid !== undefined && money(paid).gt(0) && !COUNTING.includes(status)) put(first, "paid", "import.order_paid_not_receivable", { status: `order_status_${status}` });
  if (plans.length > MAX_LINES) put(plans[MAX_LINES]!, "number", "import.order_too_many_lines", { max: MAX_LINES });
  if (issues.length) return { issues };
  const input = { number: head.number, ...pick(head, HEADER), status, lines: plans.map((p) => pick(p.input!, LINE)) };
  return { plan: { ...first, input } };
}

/**
 * The lines' products: by SKU (which must exist; archived products too — they
 * were sold then), else by name when exactly one product has it; a name no
 * product has makes a free line. Problems are named `lines.<i>.<field>`, the
 * row and column they come from (applyGroup).
 */
async function resolveProducts(tx: Tx, lines: Values[]): Promise<RowIssue[]> {
  const skus = [...new Set(lines.flatMap((l) => (typeof l.sku === "string" ? [l.sku] : [])))];
  const names = [...new Set(lines.flatMap((l) => (typeof l.sku !== "string" && typeof l.product === "string" ? [l.product.toLowerCase()] : [])))];
  const found =
    skus.length || names.length
      ? await tx
          .select({ id: products.id, sku: products.sku, name: products.name })
          .from(products)
          .where(sql`(${products.sku} = any(${arrayLiteral(skus)}::text[]) or lower(${products.name}) = any(${arrayLiteral(names)}::text[]))`)
      : [];
  const issues: RowIssue[] = [];
  lines.forEach((line, i) => {
    const out: OrderLineInput = { quantity: line.quantity as string, discountRate: (line.discountRate as string | undefined) ?? "0" };
    for (const k of ["unit", "unitPrice", "taxRate"] as const) if (line[k] !== undefined) out[k] = line[k] as string;
    if (typeof line.product === "string") out.name = line.product;
    if (typeof line.sku === "string") {
      const product = found.find((p) => p.sku === line.sku);
      if (product) Object.assign(out, { productId: product.id, sku: product.sku });
      else issues.push({ column: `lines.${i}.sku`, key: "import.product_not_found", params: { value: line.sku } });
    } else if (typeof line.product === "string") {
      const named = found.filter((p) => p.name.toLowerCase() === (line.product as string).toLowerCase());
      if (named.length === 1) out.productId = named[0]!.id;
      else if (named.length > 1) issues.push({ column: `lines.${i}.product`, key: "import.product_ambiguous", params: { value: line.product } });
    }
    lines[i] = out as unknown as Values;
  });
  return issues;
}

/** An order's delivery address as written in the file, with its region codes. */
function deliveryAddress(text: string | undefined) {
  if (text === undefined) return undefined;
  const parsed = parseAddress(text);
  return { provinceCode: parsed.provinceCode, cityCode: parsed.cityCode, districtCode: parsed.districtCode, address: parsed.detail };
}

/** Undoing voids the payments the import recorded (payment:void, as voiding them one by one would) and cancels its orders (order:update). */
async function checkUndo(ctx: Ctx, imp: { id: string }): Promise<void> {
  requireAccess(ctx, "order:update");
  if (can(ctx, "payment:void")) return;
  const [paid] = await readTenant(ctx, (tx) =>
    tx
      .select({ id: paymentAllocations.paymentId })
      .from(importRows)
      .innerJoin(paymentAllocations, and(eq(paymentAllocations.tenantId, importRows.tenantId), eq(paymentAllocations.orderId, importRows.objectId)))
      .where(and(eq(importRows.importId, imp.id), eq(importRows.dryRun, false), eq(importRows.outcome, "created")))
      .limit(1),
  );
  if (paid) throw new AppError("FORBIDDEN", "import.undo_order_payments", {}, { permission: "payment:void" });
}

export const orderImport: ImportObjectDef = {
  fields: [
    { key: "number", type: "text" },
    { key: "customer", type: "customer" },
    { key: "customerCode", type: "customer" },
    { key: "orderDate", type: "date" },
    { key: "status", type: "enum", values: enumOf(IMPORTED_ORDER_STATUSES, STATUS_WORDS) },
    { key: "currency", type: "currency" },
    { key: "owner", type: "user" },
    { key: "channel", type: "text" },
    { key: "deliveryAddress", type: "text" },
    { key: "paymentTerms", type: "text" },
    { key: "notes", type: "text" },
    { key: "paid", type: "money" },
    { key: "paidOn", type: "date" },
    { key: "sku", type: "text" },
    { key: "product", type: "text" },
    { key: "unit", type: "text" },
    { key: "quantity", type: "money" },
    { key: "unitPrice", type: "money" },
    { key: "discountRate", type: "rate" },
    { key: "taxRate", type: "rate" },
  ],
  titles: {
    number: ["订单号", "订单编号", "销售订单号", "订单单号", "单号", "单据编号", "合同号", "合同编号", "order number", "order no", "order id", "order", "sales order number", "sales order no", "salesorder number", "salesorder id", "sales order id", "so number", "so no", "so"],
    customer: ["客户", "客户名称", "客户全称", "购买方", "购货单位", "买方", "account name", "account", "customer", "customer name", "company", "company name", "associated company", "bill to name"],
    customerCode: ["客户编码", "客户编号", "客户代码", "customer code", "customer number", "customer id", "account number"],
    orderDate: ["订单日期", "下单日期", "下单时间", "签约日期", "签订日期", "成交日期", "单据日期", "日期", "order date", "order start date", "effective date", "salesorder date", "sales order date", "date", "create date", "created date"],
    status: ["订单状态", "状态", "单据状态", "status", "order status", "salesorder status", "sales order status"],
    currency: ["币种", "货币", "结算币种", "currency", "currency code", "order currency"],
    owner: ["负责人", "销售", "销售员", "业务员", "销售代表", "所属人", "经办人", "owner", "order owner", "sales order owner", "salesperson", "sales person", "sales rep", "deal owner"],
    channel: ["渠道", "销售渠道", "订单来源", "来源", "channel", "sales channel", "source", "order source"],
    deliveryAddress: ["收货地址", "送货地址", "交货地址", "配送地址", "发货地址", "delivery address", "shipping address", "ship to", "ship to address", "shipping street"],
    paymentTerms: ["付款条件", "付款方式", "结算方式", "账期", "payment terms", "terms"],
    notes: ["备注", "订单备注", "说明", "notes", "note", "description", "comments", "customer notes"],
    paid: ["已回款", "回款金额", "已回款金额", "已收款", "已收金额", "收款金额", "实收金额", "已付款", "paid", "paid amount", "amount paid", "payment received", "received amount"],
    paidOn: ["回款日期", "收款日期", "到账日期", "付款日期", "paid on", "paid date", "payment date", "received date", "date paid"],
    sku: ["产品编码", "产品编号", "商品编码", "商品编号", "物料编码", "存货编码", "货号", "sku", "product code", "item code", "item sku", "part number"],
    product: ["产品名称", "商品名称", "产品", "商品", "品名", "存货名称", "物料名称", "明细", "product", "product name", "item", "item name", "line item", "line item name", "product description"],
    unit: ["单位", "计量单位", "unit", "uom", "usage unit", "unit of measure"],
    quantity: ["数量", "订购数量", "销售数量", "quantity", "qty", "quantity ordered", "ordered quantity"],
    unitPrice: ["单价", "销售单价", "成交单价", "不含税单价", "unit price", "price", "list price", "item price", "sales price", "rate", "unit price (excl. tax)"],
    discountRate: ["折扣", "折扣率", "折扣%", "discount", "discount %", "discount rate", "discount percentage", "item discount"],
    taxRate: ["税率", "增值税率", "增值税税率", "tax rate", "tax %", "item tax %", "vat rate", "vat", "tax"],
  },
  schema: OrderImportRowSchema,
  // Problems the services name by their input (lines.2.productId) go to the column the value came from.
  schemaFields: { customerId: "customer", ownerId: "owner", productId: "sku", name: "product" },
  keys: ["number"],
  defaultKeys: ["number"],
  policies: ["skip"],
  groupBy: "number",
  combine,
  customFields: false,
  ownerDefault: "importer",
  checkUndo,
  async resolve(_ctx, tx, plan, input, resolvers) {
    const issues: RowIssue[] = [];
    const found = await resolvers.customer(tx, plan.customer!);
    if ("issue" in found) issues.push(found.issue);
    else input.customerId = found.id;
    issues.push(...(await resolveProducts(tx, input.lines as Values[])));
    return issues;
  },
  async findExisting(_ctx, tx, input, keys) {
    if (!keys.includes("number")) return undefined;
    // Any order of the workspace, also one the importer cannot see: the number is taken all the same.
    const [row] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, input.number as string));
    return row?.id;
  },
  async create(ctx, tx, input) {
    const { number, status, paid, paidOn, deliveryAddress: address, customerId, ownerId, lines, ...header } = input as Values & { lines: OrderLineInput[] };
    const order = await addImportedOrder(tx, ctx, {
      ...(header as { orderDate: string }),
      number: number as string,
      status: status as ImportedOrderStatus,
      customerId: customerId as string,
      ...(ownerId ? { ownerId: ownerId as string } : {}),
      ...(address !== undefined ? { deliveryAddress: deliveryAddress(address as string) } : {}),
      lines,
    });
    if (typeof paid === "string" && money(paid).gt(0)) {
      const amount = money(paid).toFixed(2);
      try {
        // What was paid, matched to this order: on the day it came (else the order date), as any payment.
        await createPayment(
          ctx,
          { customerId: order.customerId, amount, currency: order.currency, receivedOn: (paidOn as string | undefined) ?? order.orderDate, method: "other", allocations: [{ orderId: order.id, amount }] },
          tx,
        );
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // More than the order's total, say: the paid column's problem.
        throw new AppError(err.code, err.messageKey, err.params, { ...err.details, field: "paid" });
      }
    }
    return order.id;
  },
  load: rowLoader(orders),
  update() {
    // Never reached (skip is the only policy): an existing order is accounting history.
    throw invalid("import.policy_unsupported", { policy: "update", policies: "skip" });
  },
  async removeCreated(ctx, tx, ids, since, importId) {
    const reason = translate(ctx.locale, "import.order_undone_reason", {});
    const done: string[] = [];
    for (const id of ids) {
      const [peek] = await tx.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, id));
      if (!peek) continue;
      // The customer first, as payments and submissions lock it: nothing is paid on the order meanwhile.
      await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, peek.customerId)).for("update");
      const [order] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.id, id), sql`${orders.status} <> 'cancelled'`, sql`${orders.updatedAt} <= ${since.toISOString()}::timestamptz`, orderAccess.visible(ctx)));
      // Changed since the import (a payment, an edit) or invoiced: someone worked on it, it stays.
      if (!order) continue;
      const [invoiced] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.orderId, id)).limit(1);
      if (invoiced) continue;
      const paid = await tx
        .select({ id: payments.id })
        .from(paymentAllocations)
        .innerJoin(payments, and(eq(payments.tenantId, paymentAllocations.tenantId), eq(payments.id, paymentAllocations.paymentId)))
        .where(and(eq(paymentAllocations.orderId, id), isNull(payments.voidedAt)));
      for (const p of paid) await voidPayment(ctx, p.id, "any", reason, tx);
      if (await cancelImportedOrder(tx, ctx, id, reason, { importId, undo: true })) done.push(id);
    }
    return done;
  },
};
