import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { LocaleSchema } from "../../lib/i18n.js";
import { ListQuerySchema } from "../../lib/listing.js";
import { Currency, OrderLineInputSchema } from "../orders/contracts.js";
import { QUOTE_STATUSES } from "./schema.js";

const Amount = z.string().meta({ description: "Exact amount as a decimal string", example: "1130.00" });
const IsoDate = z.iso.date();
const Lines = z.array(OrderLineInputSchema).min(1).max(500);

const header = {
  contactId: z.uuid().nullable().optional(),
  opportunityId: z.uuid().nullable().optional(),
  currency: Currency.optional().meta({ description: "Defaults to the customer's currency" }),
  quoteDate: IsoDate.optional().meta({ description: "Defaults to today in the workspace's time zone" }),
  validUntil: IsoDate.nullable().optional(),
  priceListId: z.uuid().nullable().optional().meta({ description: "A price list to use instead of the customer's" }),
  paymentTerms: z.string().trim().max(500).optional().meta({ description: "Defaults to the customer's payment terms" }),
  deliveryTerms: z.string().trim().max(500).optional(),
  notes: z.string().trim().max(5000).optional(),
};

export const QuoteCreateSchema = z.strictObject({ customerId: z.uuid(), ...header, lines: Lines });
export const QuoteUpdateSchema = z.strictObject({ ...VersionField, ...header, lines: Lines.optional().meta({ description: "Replace all lines (re-priced)" }) });
export type QuoteCreateInput = z.infer<typeof QuoteCreateSchema>;
export type QuoteUpdateInput = Omit<z.infer<typeof QuoteUpdateSchema>, "version">;

export const VersionBody = z.strictObject({ ...VersionField }).nullish();
export const RejectBody = z.strictObject({ ...VersionField, reason: z.string().trim().min(1).max(500) });
export const SendBody = z.strictObject({
  ...VersionField,
  to: z.email().max(254),
  cc: z.array(z.email().max(254)).max(10).optional(),
  message: z.string().trim().max(5000).optional(),
  lang: LocaleSchema.optional().meta({ description: "Language of the PDF and e-mail; defaults to the request's" }),
});
export const RevisionQuery = z.strictObject({ revision: z.coerce.number().int().min(1).optional().meta({ description: "Defaults to the current revision" }) });
export const PdfQuery = RevisionQuery.extend({ lang: LocaleSchema.optional().meta({ description: "Defaults to the request's language" }) });
export const QuoteListQuerySchema = ListQuerySchema;

const QuoteLineSchema = z.object({
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

const RevisionFields = {
  revision: z.number().int(),
  currency: z.string(),
  quoteDate: z.string(),
  validUntil: z.string().nullable(),
  priceListId: z.uuid().nullable(),
  paymentTerms: z.string(),
  deliveryTerms: z.string(),
  notes: z.string(),
  subtotal: Amount,
  discountTotal: Amount,
  taxTotal: Amount,
  total: Amount,
  baseTotal: Amount.meta({ description: "The total in the workspace's base currency at the quote date's rate" }),
  sentAt: DateTime.nullable(),
  sentTo: z.string(),
};

export const QuoteRevisionSummarySchema = z.object({ revision: z.number().int(), total: Amount, currency: z.string(), sentAt: DateTime.nullable(), sentTo: z.string(), createdAt: DateTime });

export const QuoteSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    contactId: z.uuid().nullable(),
    opportunityId: z.uuid().nullable(),
    ownerId: z.uuid(),
    status: z.enum(QUOTE_STATUSES),
    currentRevision: z.number().int().meta({ description: "The quote's current revision; `revision` is the one shown" }),
    orderId: z.uuid().nullable(),
    approvalId: z.uuid().nullable().meta({ description: "The approved discount approval of the current revision" }),
    approvalRequired: z.boolean().optional().meta({ description: "A line's discount exceeds the workspace's threshold (single quote only)" }),
    acceptedAt: DateTime.nullable(),
    rejectedReason: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
    ...RevisionFields,
    lines: z.array(QuoteLineSchema).optional().meta({ description: "Present on a single quote, absent in lists" }),
    revisions: z.array(QuoteRevisionSummarySchema).optional().meta({ description: "All revisions, on a single quote" }),
  })
  .meta({ id: "Quote" });
