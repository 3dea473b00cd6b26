import { date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";
import { customers } from "../customers/schema.js";

const money = (name: string) => numeric(name, { precision: 18, scale: 2 });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const ORDER_STATUSES = ["draft", "pending_approval", "approved", "delivered", "completed", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Order and payment numbering and credit control of a workspace. */
export const orderSettings = pgTable(
  "order_settings",
  {
    tenantId: tenantIdColumn().primaryKey(),
    numberPattern: text("number_pattern").notNull().default("SO{YYYY}{MM}{SEQ:5}"),
    numberPeriod: text("number_period").notNull().default(""),
    numberNext: integer("number_next").notNull().default(1),
    /** Numbers of received payments (回款单号), counted the same way. */
    paymentPattern: text("payment_pattern").notNull().default("HK{YYYY}{MM}{SEQ:5}"),
    paymentPeriod: text("payment_period").notNull().default(""),
    paymentNext: integer("payment_next").notNull().default(1),
    /** Numbers of quotes (报价单号). */
    quotePattern: text("quote_pattern").notNull().default("QT{YYYY}{MM}{SEQ:5}"),
    quotePeriod: text("quote_period").notNull().default(""),
    quoteNext: integer("quote_next").notNull().default(1),
    /** Quotes whose discount on any line exceeds this fraction need approval (kind "discount"); null: never. */
    discountApprovalAbove: numeric("discount_approval_above", { precision: 7, scale: 4 }),
    /** The company as printed on quotes and orders (letterhead). */
    letterhead: jsonb("letterhead").$type<Letterhead>().notNull().default({}),
    /** What happens to an order over the customer's credit or sales limit: refused, or sent for approval. */
    creditMode: text("credit_mode", { enum: ["block", "approval"] }).notNull().default("approval"),
    /** The period a customer's sales limit counts orders in. */
    salesLimitPeriod: text("sales_limit_period", { enum: ["month", "quarter", "year"] }).notNull().default("month"),
    ...timestamps(),
    version: versionColumn(),
  },
  () => [tenantIsolation()],
).enableRLS();

/** The seller's details printed at the top and bottom of sales documents. */
export interface Letterhead {
  companyName?: string;
  address?: string;
  phone?: string;
  email?: string;
  website?: string;
  taxNumber?: string;
  bankName?: string;
  bankAccount?: string;
  /** An uploaded image (attachments) shown at the top left. */
  logoAttachmentId?: string | null;
  footer?: string;
}

/** What the credit check found when the order was submitted (amounts in the base currency). */
export interface CreditCheck {
  currency: string;
  orderAmount: string;
  outstanding: string;
  creditLimit: string | null;
  periodSales: string;
  salesLimit: string | null;
  /** Which limits the order would exceed. */
  exceeded: ("credit_limit" | "sales_limit")[];
  checkedAt: string;
}

/** The delivery address copied from the master file (or typed) when the order was made. */
export interface DeliveryAddress {
  provinceCode?: string | null;
  cityCode?: string | null;
  districtCode?: string | null;
  address: string;
  recipient?: string;
  phone?: string;
}

/**
 * A sales order (合同/订单). Amounts are kept exact: lines are computed with
 * decimal arithmetic, rounded to cents per line, totals are sums of lines.
 * `paid` is what payments matched to it add up to; outstanding receivables
 * are total − paid of orders that count (approved, delivered, completed).
 */
export const orders = pgTable(
  "orders",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    number: text("number").notNull(),
    customerId: uuid("customer_id").notNull(),
    contactId: uuid("contact_id"),
    ownerId: uuid("owner_id").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("draft"),
    currency: text("currency").notNull(),
    orderDate: date("order_date").notNull(),
    expectedDelivery: date("expected_delivery"),
    channel: text("channel").notNull().default(""),
    deliveryAddress: jsonb("delivery_address").$type<DeliveryAddress>(),
    paymentTerms: text("payment_terms").notNull().default(""),
    notes: text("notes").notNull().default(""),
    priceListId: uuid("price_list_id"),
    quoteId: uuid("quote_id"),
    opportunityId: uuid("opportunity_id"),
    subtotal: money("subtotal").notNull().default("0"),
    discountTotal: money("discount_total").notNull().default("0"),
    taxTotal: money("tax_total").notNull().default("0"),
    total: money("total").notNull().default("0"),
    /** The total in the workspace's base currency at the order date's rate (what credit and sales limits count). */
    baseTotal: money("base_total").notNull().default("0"),
    paid: money("paid").notNull().default("0"),
    creditCheck: jsonb("credit_check").$type<CreditCheck>(),
    approvalId: uuid("approval_id"),
    submittedAt: at("submitted_at"),
    approvedAt: at("approved_at"),
    deliveredAt: at("delivered_at"),
    completedAt: at("completed_at"),
    cancelledAt: at("cancelled_at"),
    cancelReason: text("cancel_reason").notNull().default(""),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("orders_number_key").on(t.tenantId, t.number),
    index("orders_customer_idx").on(t.tenantId, t.customerId, t.status),
    index("orders_owner_idx").on(t.tenantId, t.ownerId, t.orderDate),
    index("orders_date_idx").on(t.tenantId, t.orderDate, t.id),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    tenantIsolation(),
  ],
).enableRLS();

/** A line of an order: quantity × unit price, less a discount rate, plus tax; amounts rounded to cents. */
export const orderLines = pgTable(
  "order_lines",
  {
    tenantId: tenantIdColumn(),
    orderId: uuid("order_id").notNull(),
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id"),
    sku: text("sku").notNull().default(""),
    name: text("name").notNull(),
    unit: text("unit").notNull().default(""),
    quantity: numeric("quantity", { precision: 18, scale: 4 }).notNull(),
    unitPrice: numeric("unit_price", { precision: 18, scale: 4 }).notNull(),
    /** Fraction off the line (0.05 = 5 %). */
    discountRate: numeric("discount_rate", { precision: 7, scale: 4 }).notNull().default("0"),
    taxRate: numeric("tax_rate", { precision: 7, scale: 4 }).notNull().default("0"),
    /** quantity × unit price, rounded to cents. */
    grossAmount: money("gross_amount").notNull(),
    discountAmount: money("discount_amount").notNull(),
    taxAmount: money("tax_amount").notNull(),
    /** gross − discount + tax. */
    amount: money("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.orderId, t.lineNo] }),
    index("order_lines_product_idx").on(t.tenantId, t.productId),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();
