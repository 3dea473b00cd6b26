import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { Currency, DecimalString } from "../orders/contracts.js";
import { INVOICE_TYPES, PAYMENT_METHODS } from "./schema.js";

const Amount = z.string().meta({ description: "Exact amount as a decimal string", example: "1130.00" });
const IsoDate = z.iso.date();
/** Money given by a user: at most 2 decimals. */
const MoneyInput = DecimalString.refine((v) => !/\.\d{3,}$/.test(v), { message: "payments.cents" });

export const InstalmentsBody = z.strictObject({
  ...VersionField,
  instalments: z
    .array(z.strictObject({ dueDate: IsoDate, amount: MoneyInput, notes: z.string().trim().max(500).optional() }))
    .min(1)
    .max(60)
    .meta({ description: "Must add up to the order total exactly" }),
});

export const InstalmentSchema = z
  .object({
    seq: z.number().int(),
    dueDate: z.string(),
    amount: Amount,
    paid: Amount,
    paidOn: z.string().nullable(),
    notes: z.string(),
    status: z.enum(["paid", "partly_paid", "open", "overdue"]),
    daysOverdue: z.number().int(),
  })
  .meta({ id: "Instalment" });

export const PaymentCreateSchema = z.strictObject({
  customerId: z.uuid(),
  amount: MoneyInput,
  currency: Currency,
  receivedOn: IsoDate,
  method: z.enum(PAYMENT_METHODS).optional(),
  reference: z.string().trim().max(100).optional().meta({ description: "Bank or platform reference (流水号); a reference already recorded is refused" }),
  notes: z.string().trim().max(2000).optional(),
  allocations: z
    .array(z.strictObject({ orderId: z.uuid(), amount: MoneyInput }))
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Omitted: the customer's oldest open orders in this currency first" }),
});

export const PaymentSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    amount: Amount,
    currency: z.string(),
    receivedOn: z.string(),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string(),
    notes: z.string(),
    voidedAt: DateTime.nullable(),
    voidReason: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
    allocations: z.array(z.object({ orderId: z.uuid(), orderNumber: z.string(), amount: Amount })).optional(),
  })
  .meta({ id: "Payment" });

export const VoidBody = z.strictObject({ ...VersionField, reason: z.string().trim().min(1).max(500) });

const AgeingSchema = z.object({ current: Amount, d1_30: Amount, d31_60: Amount, d61_90: Amount, d90_plus: Amount, total: Amount });
export const ReceivablesSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    totals: AgeingSchema,
    customers: z.array(AgeingSchema.extend({ customerId: z.uuid(), customerName: z.string() })),
  })
  .meta({ id: "Receivables" });

export const PaymentRecordSchema = z
  .object({
    instalmentsDue: z.number().int(),
    paidOnTime: z.number().int(),
    paidLate: z.number().int(),
    unpaid: z.number().int(),
    onTimeRate: z.number().nullable(),
    averageDaysLate: z.number().nullable(),
    maxDaysLate: z.number().int().nullable(),
    overdue: AgeingSchema,
    currency: z.string(),
  })
  .meta({ id: "PaymentRecord" });

export const InvoiceCreateSchema = z.strictObject({
  type: z.enum(INVOICE_TYPES).meta({ description: "vat_special 增值税专用发票, vat_normal 普通发票, vat_electronic 电子发票, other" }),
  number: z.string().trim().min(1).max(40),
  title: z.string().trim().max(200).optional().meta({ description: "抬头; defaults to the customer's name" }),
  taxNumber: z.string().trim().max(30).optional().meta({ description: "The buyer's taxpayer id; defaults to the customer's credit code" }),
  amount: MoneyInput,
  taxAmount: MoneyInput.optional(),
  issuedOn: IsoDate,
});

export const InvoiceSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    customerId: z.uuid(),
    type: z.enum(INVOICE_TYPES),
    number: z.string(),
    title: z.string(),
    taxNumber: z.string(),
    amount: Amount,
    taxAmount: Amount,
    issuedOn: z.string(),
    voidedAt: DateTime.nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
    orderNumber: z.string().optional().meta({ description: "In lists of invoices" }),
    customerName: z.string().optional().meta({ description: "In lists of invoices" }),
  })
  .meta({ id: "Invoice" });
