import { date, foreignKey, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";
import { orders } from "../orders/schema.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

/**
 * An order's payment plan (回款计划): instalments due on dates, in the
 * order's currency, adding up to its total. `paid` is what payments matched
 * to the instalment add up to (oldest instalment first).
 */
export const paymentInstalments = pgTable(
  "payment_instalments",
  {
    tenantId: tenantIdColumn(),
    orderId: uuid("order_id").notNull(),
    seq: integer("seq").notNull(),
    dueDate: date("due_date").notNull(),
    amount: money("amount").notNull(),
    paid: money("paid").notNull().default("0"),
    /** When the date the instalment was fully paid (its last payment's date), for the customer's payment record. */
    paidOn: date("paid_on"),
    /** When the order's owner was reminded that it is overdue (once). */
    remindedAt: at("reminded_at"),
    notes: text("notes").notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.orderId, t.seq] }),
    index("payment_instalments_due_idx").on(t.tenantId, t.dueDate),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();

export const PAYMENT_METHODS = ["bank_transfer", "cash", "cheque", "alipay", "wechat_pay", "acceptance_bill", "other"] as const;

/** Money received from a customer (回款), matched to one or more of its orders. Voided, never deleted. */
export const payments = pgTable(
  "payments",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    number: text("number").notNull(),
    customerId: uuid("customer_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    receivedOn: date("received_on").notNull(),
    method: text("method", { enum: PAYMENT_METHODS }).notNull().default("bank_transfer"),
    /** The bank's or platform's reference (流水号). */
    reference: text("reference").notNull().default(""),
    notes: text("notes").notNull().default(""),
    voidedAt: at("voided_at"),
    voidReason: text("void_reason").notNull().default(""),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("payments_number_key").on(t.tenantId, t.number),
    index("payments_customer_idx").on(t.tenantId, t.customerId, t.receivedOn),
    index("payments_received_idx").on(t.tenantId, t.receivedOn, t.id),
    tenantIsolation(),
  ],
).enableRLS();

/** How much of a payment went to which order. */
export const paymentAllocations = pgTable(
  "payment_allocations",
  {
    tenantId: tenantIdColumn(),
    paymentId: uuid("payment_id").notNull(),
    orderId: uuid("order_id").notNull(),
    amount: money("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.paymentId, t.orderId] }),
    index("payment_allocations_order_idx").on(t.tenantId, t.orderId),
    foreignKey({ columns: [t.tenantId, t.paymentId], foreignColumns: [payments.tenantId, payments.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    tenantIsolation(),
  ],
).enableRLS();

export const INVOICE_TYPES = ["vat_special", "vat_normal", "vat_electronic", "other"] as const;

/** An invoice issued for an order (发票): type, number, the buyer's title and tax number, amounts. */
export const invoices = pgTable(
  "invoices",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    orderId: uuid("order_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    type: text("type", { enum: INVOICE_TYPES }).notNull(),
    number: text("number").notNull(),
    /** 抬头: the buyer's name as printed. */
    title: text("title").notNull(),
    /** The buyer's taxpayer id (统一社会信用代码). */
    taxNumber: text("tax_number").notNull().default(""),
    amount: money("amount").notNull(),
    taxAmount: money("tax_amount").notNull().default("0"),
    issuedOn: date("issued_on").notNull(),
    voidedAt: at("voided_at"),
    createdBy: uuid("created_by"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("invoices_number_key").on(t.tenantId, t.type, t.number),
    index("invoices_order_idx").on(t.tenantId, t.orderId),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    tenantIsolation(),
  ],
).enableRLS();
