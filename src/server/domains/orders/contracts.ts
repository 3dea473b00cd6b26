import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { ORDER_STATUSES } from "./schema.js";

/** A decimal as a string (exact on the wire): up to 14 integer digits and 4 decimals, signed (a negative value gets its own message from the service). */
export const DecimalString = z
  .string()
  .trim()
  .regex(/^-?\d{1,14}(\.\d{1,4})?$/, { message: "orders.decimal" })
  .meta({ description: "A decimal number as a string, e.g. \"12.5\"", example: "12.5" });
/** A fraction 0–1 with up to 4 decimals (0.13 = 13 %). */
export const Rate = z
  .string()
  .trim()
  .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, { message: "orders.rate" })
  .meta({ description: "A fraction between 0 and 1 (0.13 = 13 %)", example: "0.13" });
export const Currency = z.string().regex(/^[A-Z]{3}$/, { message: "orders.currency" }).meta({ description: "ISO 4217 code", example: "CNY" });
const Amount = z.string().meta({ description: "Exact amount as a decimal string", example: "1130.00" });
const IsoDate = z.iso.date();

const DeliveryAddressSchema = z.strictObject({
  provinceCode: z.string().max(12).nullable().optional(),
  cityCode: z.string().max(12).nullable().optional(),
  districtCode: z.string().max(12).nullable().optional(),
  address: z.string().trim().max(500),
  recipient: z.string().trim().max(100).optional(),
  phone: z.string().trim().max(40).optional(),
});

export const OrderLineInputSchema = z.strictObject({
  productId: z.uuid().nullable().optional(),
  sku: z.string().trim().max(64).optional(),
  name: z.string().trim().max(200).optional().meta({ description: "Defaults to the product's name; required without a product" }),
  unit: z.string().trim().max(20).optional(),
  quantity: DecimalString,
  unitPrice: DecimalString.optional().meta({ description: "Excluding tax. Omitted: the customer's price list (group, quantity tier, date) or the product's list price in the order currency" }),
  discountRate: Rate.optional().meta({ description: "Omitted: the customer's discount terms (e.g. 95折 → 0.05)" }),
  taxRate: Rate.optional().meta({ description: "Omitted: the product's tax rate" }),
});

const header = {
  contactId: z.uuid().nullable().optional(),
  ownerId: z.uuid().optional().meta({ description: "Defaults to the creator" }),
  currency: Currency.optional().meta({ description: "Defaults to the customer's currency" }),
  orderDate: IsoDate.optional().meta({ description: "Defaults to today in the workspace's time zone" }),
  expectedDelivery: IsoDate.nullable().optional(),
  channel: z.string().trim().max(50).optional(),
  deliveryAddress: DeliveryAddressSchema.nullable().optional().meta({ description: "Defaults to the customer's default delivery address" }),
  paymentTerms: z.string().trim().max(200).optional().meta({ description: "Defaults to the customer's payment terms" }),
  notes: z.string().trim().max(5000).optional(),
  priceListId: z.uuid().nullable().optional().meta({ description: "A price list to use instead of the customer's" }),
};

export const OrderCreateSchema = z.strictObject({ customerId: z.uuid(), ...header, lines: z.array(OrderLineInputSchema).min(1).max(500) });
export const OrderUpdateSchema = z.strictObject({ ...VersionField, ...header, lines: z.array(OrderLineInputSchema).min(1).max(500).optional() });
export const VersionBody = z.strictObject({ ...VersionField }).nullish();
export const CancelBody = z.strictObject({ ...VersionField, reason: z.string().trim().min(1).max(500) });

const OrderLineSchema = z.object({
  lineNo: z.number().int(),
  productId: z.uuid().nullable(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  quantity: z.string(),
  unitPrice: z.string(),
  discountRate: z.string(),
  taxRate: z.string(),
  grossAmount: Amount,
  discountAmount: Amount,
  taxAmount: Amount,
  amount: Amount,
});

const CreditCheckSchema = z.object({
  currency: z.string(),
  orderAmount: Amount,
  outstanding: Amount,
  creditLimit: Amount.nullable(),
  periodSales: Amount,
  salesLimit: Amount.nullable(),
  exceeded: z.array(z.enum(["credit_limit", "sales_limit"])),
  checkedAt: z.string(),
});

export const OrderSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    contactId: z.uuid().nullable(),
    ownerId: z.uuid(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    orderDate: z.string(),
    expectedDelivery: z.string().nullable(),
    channel: z.string(),
    deliveryAddress: DeliveryAddressSchema.nullable(),
    paymentTerms: z.string(),
    notes: z.string(),
    priceListId: z.uuid().nullable(),
    quoteId: z.uuid().nullable(),
    opportunityId: z.uuid().nullable(),
    subtotal: Amount,
    discountTotal: Amount,
    taxTotal: Amount,
    total: Amount,
    baseTotal: Amount.meta({ description: "The total in the workspace's base currency at the order date's rate" }),
    paid: Amount,
    creditCheck: CreditCheckSchema.nullable(),
    approvalId: z.uuid().nullable(),
    submittedAt: DateTime.nullable(),
    approvedAt: DateTime.nullable(),
    deliveredAt: DateTime.nullable(),
    completedAt: DateTime.nullable(),
    cancelledAt: DateTime.nullable(),
    cancelReason: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
    lines: z.array(OrderLineSchema).optional().meta({ description: "Present on a single order, absent in lists" }),
  })
  .meta({ id: "Order" });

export const CreditPositionSchema = z
  .object({
    currency: z.string().meta({ description: "The workspace's base currency: every figure is in it" }),
    creditLimit: Amount.nullable(),
    outstanding: Amount.meta({ description: "Receivables: total − paid of approved, delivered and completed orders" }),
    available: Amount.nullable(),
    salesLimit: Amount.nullable(),
    period: z.object({ from: z.string(), to: z.string() }),
    periodSales: Amount,
  })
  .meta({ id: "CreditPosition" });

const LetterheadSchema = z.strictObject({
  companyName: z.string().trim().max(200).optional(),
  address: z.string().trim().max(300).optional(),
  phone: z.string().trim().max(50).optional(),
  email: z.string().trim().max(200).optional(),
  website: z.string().trim().max(200).optional(),
  taxNumber: z.string().trim().max(30).optional(),
  bankName: z.string().trim().max(100).optional(),
  bankAccount: z.string().trim().max(50).optional(),
  logoAttachmentId: z.uuid().nullable().optional().meta({ description: "An uploaded image (POST /api/v1/attachments) printed at the top of quotes" }),
  footer: z.string().trim().max(500).optional(),
});

export const OrderSettingsSchema = z
  .object({
    numberPattern: z.string(),
    paymentPattern: z.string(),
    quotePattern: z.string(),
    creditMode: z.enum(["block", "approval"]),
    salesLimitPeriod: z.enum(["month", "quarter", "year"]),
    discountApprovalAbove: z.string().nullable(),
    letterhead: LetterheadSchema,
    version: z.number().int(),
  })
  .meta({ id: "OrderSettings" });

const NumberPattern = z
  .string()
  .trim()
  .max(40)
  .regex(/^(?:[A-Za-z0-9_\-/.]|\{(?:YYYY|YY|MM|DD)\})*\{SEQ:[3-9]\}(?:[A-Za-z0-9_\-/.]|\{(?:YYYY|YY|MM|DD)\})*$/, { message: "orders.number_pattern" })
  .optional();

export const OrderSettingsUpdateSchema = z.strictObject({
  ...VersionField,
  numberPattern: NumberPattern,
  paymentPattern: NumberPattern,
  quotePattern: NumberPattern,
  discountApprovalAbove: Rate.nullable().optional().meta({ description: "Quotes with a line discount above this fraction need approval; null: never" }),
  letterhead: LetterheadSchema.optional(),
  creditMode: z.enum(["block", "approval"]).optional().meta({ description: "An order over a limit is refused (block) or sent for approval" }),
  salesLimitPeriod: z.enum(["month", "quarter", "year"]).optional(),
});
