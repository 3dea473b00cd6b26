import { date, foreignKey, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

export const QUOTE_STATUSES = ["draft", "sent", "accepted", "rejected", "expired"] as const;

/**
 * A quote (报价单) to a customer. Its content lives in revisions: changing a
 * quote that was sent makes a new revision (V2, V3 …) and keeps the old ones
 * as they were sent; `revision` is the current one. Accepting the current
 * revision makes an order from it.
 */
export const quotes = pgTable(
  "quotes",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    number: text("number").notNull(),
    customerId: uuid("customer_id").notNull(),
    contactId: uuid("contact_id"),
    opportunityId: uuid("opportunity_id"),
    ownerId: uuid("owner_id").notNull(),
    status: text("status", { enum: QUOTE_STATUSES }).notNull().default("draft"),
    revision: integer("revision").notNull().default(1),
    orderId: uuid("order_id"),
    approvalId: uuid("approval_id"),
    acceptedAt: at("accepted_at"),
    rejectedReason: text("rejected_reason").notNull().default(""),
    createdBy: uuid("created_by"),
    deletedAt: at("deleted_at"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("quotes_number_key").on(t.tenantId, t.number),
    index("quotes_customer_idx").on(t.tenantId, t.customerId),
    index("quotes_owner_idx").on(t.tenantId, t.ownerId, t.updatedAt),
    index("quotes_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    tenantIsolation(),
  ],
).enableRLS();

/** One revision of a quote: terms and totals as written (and as sent, once `sent_at` is set). */
export const quoteRevisions = pgTable(
  "quote_revisions",
  {
    tenantId: tenantIdColumn(),
    quoteId: uuid("quote_id").notNull(),
    revision: integer("revision").notNull(),
    currency: text("currency").notNull(),
    quoteDate: date("quote_date").notNull(),
    validUntil: date("valid_until"),
    priceListId: uuid("price_list_id"),
    paymentTerms: text("payment_terms").notNull().default(""),
    deliveryTerms: text("delivery_terms").notNull().default(""),
    notes: text("notes").notNull().default(""),
    subtotal: money("subtotal").notNull(),
    discountTotal: money("discount_total").notNull(),
    taxTotal: money("tax_total").notNull(),
    total: money("total").notNull(),
    baseTotal: money("base_total").notNull(),
    sentAt: at("sent_at"),
    sentTo: text("sent_to").notNull().default(""),
    createdBy: uuid("created_by"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.quoteId, t.revision] }),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [quotes.tenantId, quotes.id] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();

/** A line of a quote revision, priced like an order line (orders/amounts.ts). */
export const quoteLines = pgTable(
  "quote_lines",
  {
    tenantId: tenantIdColumn(),
    quoteId: uuid("quote_id").notNull(),
    revision: integer("revision").notNull(),
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id"),
    sku: text("sku").notNull().default(""),
    name: text("name").notNull(),
    unit: text("unit").notNull().default(""),
    quantity: numeric("quantity", { precision: 18, scale: 4 }).notNull(),
    unitPrice: numeric("unit_price", { precision: 18, scale: 4 }).notNull(),
    discountRate: numeric("discount_rate", { precision: 7, scale: 4 }).notNull().default("0"),
    taxRate: numeric("tax_rate", { precision: 7, scale: 4 }).notNull().default("0"),
    grossAmount: money("gross_amount").notNull(),
    discountAmount: money("discount_amount").notNull(),
    taxAmount: money("tax_amount").notNull(),
    amount: money("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.quoteId, t.revision, t.lineNo] }),
    foreignKey({ columns: [t.tenantId, t.quoteId, t.revision], foreignColumns: [quoteRevisions.tenantId, quoteRevisions.quoteId, quoteRevisions.revision] }).onDelete("cascade"),
    tenantIsolation(),
  ],
).enableRLS();
