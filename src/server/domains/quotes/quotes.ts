import fs from "node:fs/promises";
import { and, asc, eq, getTableColumns, isNull } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { translate, type Locale } from "../../lib/i18n.js";
import { defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { money } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { approvalRequests, onApprovalDecided, openApproval, type DecidedRequest } from "../approvals/index.js";
import { contacts, customerContacts, customers } from "../customers/index.js";
import { opportunities } from "../opportunities/index.js";
import { addOrder, nextQuoteNumber, orderSettingsOf, priceDocument, type OrderLineInput } from "../orders/index.js";
import { storagePath } from "../timeline/attachments.js";
import { attachments } from "../timeline/schema.js";
import { workspaceToday } from "../workspaces/calendar.js";
import type { QuoteCreateInput, QuoteUpdateInput } from "./contracts.js";
import "./messages.js";
import { renderQuotePdf, type QuotePdfData } from "./pdf.js";
import { quoteAccess } from "./policy.js";
import { quoteLines, quoteRevisions, quotes, type QUOTE_STATUSES } from "./schema.js";

type Row = typeof quotes.$inferSelect;
type RevisionRow = typeof quoteRevisions.$inferSelect;
type LineRow = typeof quoteLines.$inferSelect;
type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export type QuoteLineView = Omit<LineRow, "tenantId" | "quoteId" | "revision">;
export interface RevisionSummary {
  revision: number;
  total: string;
  currency: string;
  sentAt: Date | null;
  sentTo: string;
  createdAt: Date;
}
export type QuoteView = Omit<Row, "tenantId" | "deletedAt" | "revision"> &
  Omit<RevisionRow, "tenantId" | "quoteId" | "createdBy" | "createdAt"> & {
    currentRevision: number;
    customerName: string;
    approvalRequired?: boolean;
    lines?: QuoteLineView[];
    revisions?: RevisionSummary[];
  };

const presentLine = ({ tenantId: _t, quoteId: _q, revision: _r, ...rest }: LineRow): QuoteLineView => rest;
function present(q: Row, rev: RevisionRow, customerName: string, extra: { lines?: LineRow[]; revisions?: RevisionSummary[]; approvalRequired?: boolean } = {}): QuoteView {
  const { tenantId: _t, deletedAt: _d, revision: currentRevision, ...quote } = q;
  const { tenantId: _rt, quoteId: _rq, createdBy: _rc, createdAt: _ra, ...revision } = rev;
  return {
    ...quote,
    ...revision,
    currentRevision,
    customerName,
    ...(extra.approvalRequired === undefined ? {} : { approvalRequired: extra.approvalRequired }),
    ...(extra.lines ? { lines: extra.lines.map(presentLine) } : {}),
    ...(extra.revisions ? { revisions: extra.revisions } : {}),
  };
}

const visibleQuote = (ctx: Ctx, id: string) => and(eq(quotes.id, id), isNull(quotes.deletedAt), quoteAccess.visible(ctx));

/** The quote, visible to the actor, locked for a change. */
async function lockQuote(tx: Tx, ctx: Ctx, id: string, version: ExpectedVersion): Promise<Row> {
  const [row] = await tx.select().from(quotes).where(visibleQuote(ctx, id)).for("update");
  return checkVersion(row, version, "quote");
}

async function revisionOf(tx: Tx, quoteId: string, revision: number): Promise<RevisionRow> {
  const [row] = await tx
    .select()
    .from(quoteRevisions)
    .where(and(eq(quoteRevisions.quoteId, quoteId), eq(quoteRevisions.revision, revision)));
  if (!row) throw new AppError("NOT_FOUND", "quotes.revision_not_found", { revision }, { revision });
  return row;
}

const linesOf = (tx: Tx, quoteId: string, revision: number) =>
  tx
    .select()
    .from(quoteLines)
    .where(and(eq(quoteLines.quoteId, quoteId), eq(quoteLines.revision, revision)))
    .orderBy(asc(quoteLines.lineNo));

async function customerName(tx: Tx, id: string): Promise<string> {
  const [c] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, id));
  return c?.name ?? "";
}

async function requireContactOf(tx: Tx, customerId: string, contactId: string): Promise<void> {
  const [link] = await tx
    .select({ id: customerContacts.contactId })
    .from(customerContacts)
    .where(and(eq(customerContacts.customerId, customerId), eq(customerContacts.contactId, contactId)));
  if (!link) throw invalid("quotes.contact_not_of_customer", {}, { field: "contactId" });
}

async function requireOpportunity(tx: Tx, id: string): Promise<void> {
  const [row] = await tx.select({ id: opportunities.id }).from(opportunities).where(eq(opportunities.id, id));
  if (!row) throw invalid("errors.not_found", { object: "opportunity" }, { field: "opportunityId" });
}

function requireStatus(q: Row, allowed: QuoteStatus[], action: string): void {
  if (!allowed.includes(q.status)) throw invalid("quotes.bad_transition", { action: `quote_action_${action}`, status: `quote_status_${q.status}` }, { status: q.status, allowed });
}

function checkDates(quoteDate: string, validUntil: string | null): void {
  if (validUntil && validUntil < quoteDate) throw invalid("quotes.valid_until_before_date", {}, { field: "validUntil" });
}

/** The threshold a line's discount must not exceed without approval, when the workspace sets one and a line exceeds it. */
async function discountOver(tx: Tx, ctx: Ctx, lines: Pick<LineRow, "discountRate">[]): Promise<{ threshold: string; maxRate: string } | null> {
  const { discountApprovalAbove } = await orderSettingsOf(tx, ctx.tenantId);
  if (discountApprovalAbove === null) return null;
  const max = lines.reduce((m, l) => (money(l.discountRate).gt(m) ? money(l.discountRate) : m), money(0));
  return max.gt(discountApprovalAbove) ? { threshold: discountApprovalAbove, maxRate: max.toString() } : null;
}

/** Lines as order input, with the prices they were quoted at. */
const asInput = (lines: LineRow[], keepProductPrices = true): OrderLineInput[] =>
  lines.map((l) => ({
    productId: l.productId,
    sku: l.sku,
    name: l.name,
    unit: l.unit,
    quantity: l.quantity,
    discountRate: l.discountRate,
    taxRate: l.taxRate,
    ...(l.productId && !keepProductPrices ? {} : { unitPrice: l.unitPrice }),
  }));

/** Creates a draft quote (revision 1) with lines priced like an order's. */
export async function createQuote(ctx: Ctx, input: QuoteCreateInput): Promise<QuoteView> {
  requireAccess(ctx, "quote:create");
  if (!ctx.userId) throw invalid("errors.validation", {}, { field: "ownerId" });
  const ownerId = ctx.userId;
  return inTenant(ctx, async (tx) => {
    const quoteDate = input.quoteDate ?? (await workspaceToday(tx, ctx.tenantId));
    const validUntil = input.validUntil ?? null;
    checkDates(quoteDate, validUntil);
    const { customer, currency, priced, totals, baseTotal } = await priceDocument(tx, ctx, { ...input, on: quoteDate });
    if (input.contactId) await requireContactOf(tx, customer.id, input.contactId);
    if (input.opportunityId) await requireOpportunity(tx, input.opportunityId);
    const [q] = await tx
      .insert(quotes)
      .values({
        tenantId: ctx.tenantId,
        number: await nextQuoteNumber(tx, ctx.tenantId),
        customerId: customer.id,
        contactId: input.contactId ?? null,
        opportunityId: input.opportunityId ?? null,
        ownerId,
        createdBy: ctx.userId,
      })
      .returning();
    const [rev] = await tx
      .insert(quoteRevisions)
      .values({
        tenantId: ctx.tenantId,
        quoteId: q!.id,
        revision: 1,
        currency,
        quoteDate,
        validUntil,
        priceListId: input.priceListId ?? null,
        paymentTerms: input.paymentTerms ?? customer.paymentTerms,
        deliveryTerms: input.deliveryTerms ?? "",
        notes: input.notes ?? "",
        ...totals,
        baseTotal,
        createdBy: ctx.userId,
      })
      .returning();
    const lines = await tx
      .insert(quoteLines)
      .values(priced.map((l) => ({ ...l, tenantId: ctx.tenantId, quoteId: q!.id, revision: 1 })))
      .returning();
    const view = present(q!, rev!, customer.name, { lines });
    await recordEvent(tx, ctx, { action: "quote.created", objectType: "quote", objectId: q!.id, after: view, data: { customerId: customer.id } });
    return view;
  });
}

/**
 * Changes a quote. A draft's current revision is changed in place; once the
 * revision was sent, the change makes the next revision (the sent one stays
 * as the customer saw it) and the quote is a draft again. Any change drops
 * an approval of the discounts: the approved content is gone.
 */
export async function updateQuote(ctx: Ctx, id: string, version: ExpectedVersion, input: QuoteUpdateInput): Promise<QuoteView> {
  requireAccess(ctx, "quote:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockQuote(tx, ctx, id, version);
    requireStatus(current, ["draft", "sent", "expired"], "update");
    const rev = await revisionOf(tx, id, current.revision);
    const oldLines = await linesOf(tx, id, current.revision);
    const name = await customerName(tx, current.customerId);
    const before = present(current, rev, name, { lines: oldLines });
    if (input.contactId) await requireContactOf(tx, current.customerId, input.contactId);
    if (input.opportunityId) await requireOpportunity(tx, input.opportunityId);
    const currency = input.currency ?? rev.currency;
    const quoteDate = input.quoteDate ?? rev.quoteDate;
    const validUntil = input.validUntil === undefined ? rev.validUntil : input.validUntil;
    const priceListId = input.priceListId === undefined ? rev.priceListId : input.priceListId;
    checkDates(quoteDate, validUntil);
    const repricing = input.lines !== undefined || currency !== rev.currency || quoteDate !== rev.quoteDate || priceListId !== rev.priceListId;
    const revised = rev.sentAt !== null;
    const number = revised ? current.revision + 1 : current.revision;
    let lineValues = oldLines.map(({ tenantId: _t, quoteId: _q, revision: _r, ...l }) => l);
    let amounts = { subtotal: rev.subtotal, discountTotal: rev.discountTotal, taxTotal: rev.taxTotal, total: rev.total, baseTotal: rev.baseTotal };
    if (repricing) {
      // Lines kept from before keep their prices; a new currency re-prices only catalogue lines.
      const lines = input.lines ?? asInput(oldLines, currency === rev.currency);
      const priced = await priceDocument(tx, ctx, { customerId: current.customerId, currency, on: quoteDate, priceListId, lines });
      lineValues = priced.priced;
      amounts = { ...priced.totals, baseTotal: priced.baseTotal };
    }
    const values = {
      currency,
      quoteDate,
      validUntil,
      priceListId,
      paymentTerms: input.paymentTerms ?? rev.paymentTerms,
      deliveryTerms: input.deliveryTerms ?? rev.deliveryTerms,
      notes: input.notes ?? rev.notes,
      ...amounts,
    };
    let newRev: RevisionRow;
    if (revised) {
      [newRev] = (await tx
        .insert(quoteRevisions)
        .values({ tenantId: ctx.tenantId, quoteId: id, revision: number, ...values, createdBy: ctx.userId })
        .returning()) as [RevisionRow];
      await tx.insert(quoteLines).values(lineValues.map((l) => ({ ...l, tenantId: ctx.tenantId, quoteId: id, revision: number })));
    } else {
      [newRev] = (await tx
        .update(quoteRevisions)
        .set(values)
        .where(and(eq(quoteRevisions.quoteId, id), eq(quoteRevisions.revision, number)))
        .returning()) as [RevisionRow];
      if (repricing) {
        await tx.delete(quoteLines).where(and(eq(quoteLines.quoteId, id), eq(quoteLines.revision, number)));
        await tx.insert(quoteLines).values(lineValues.map((l) => ({ ...l, tenantId: ctx.tenantId, quoteId: id, revision: number })));
      }
    }
    const [row] = await tx
      .update(quotes)
      .set({
        ...(input.contactId !== undefined ? { contactId: input.contactId } : {}),
        ...(input.opportunityId !== undefined ? { opportunityId: input.opportunityId } : {}),
        revision: number,
        status: "draft",
        approvalId: null,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(quotes.id, id))
      .returning();
    const after = present(row!, newRev, name, { lines: await linesOf(tx, id, number) });
    await recordEvent(tx, ctx, { action: revised ? "quote.revised" : "quote.updated", objectType: "quote", objectId: id, before, after, data: { revision: number } });
    return after;
  });
}

/** One quote: the current revision (or the one asked for) with its lines, and the list of revisions. */
export async function getQuote(ctx: Ctx, id: string, revision?: number): Promise<QuoteView> {
  requireAccess(ctx, "quote:read");
  return readTenant(ctx, async (tx) => {
    const [q] = await tx.select().from(quotes).where(visibleQuote(ctx, id));
    if (!q) throw notFound("quote");
    const rev = await revisionOf(tx, id, revision ?? q.revision);
    const lines = await linesOf(tx, id, rev.revision);
    const revisions = await tx
      .select({ revision: quoteRevisions.revision, total: quoteRevisions.total, currency: quoteRevisions.currency, sentAt: quoteRevisions.sentAt, sentTo: quoteRevisions.sentTo, createdAt: quoteRevisions.createdAt })
      .from(quoteRevisions)
      .where(eq(quoteRevisions.quoteId, id))
      .orderBy(asc(quoteRevisions.revision));
    // A read-only connection cannot create the settings row; without one there is no threshold.
    const { discountApprovalAbove } = await orderSettingsOf(tx, ctx.tenantId).catch(() => ({ discountApprovalAbove: null }));
    const approvalRequired = discountApprovalAbove !== null && lines.some((l) => money(l.discountRate).gt(discountApprovalAbove));
    return present(q, rev, await customerName(tx, q.customerId), { lines, revisions, approvalRequired });
  });
}

export const quoteListing = defineListing({
  id: quotes.id,
  defaultSort: "-updatedAt",
  fields: {
    number: { column: quotes.number, type: "text", sort: true, filter: true },
    status: { column: quotes.status, type: "enum", filter: true, values: ["draft", "sent", "accepted", "rejected", "expired"] },
    customerId: { column: quotes.customerId, type: "uuid", filter: true },
    ownerId: { column: quotes.ownerId, type: "uuid", filter: true },
    opportunityId: { column: quotes.opportunityId, type: "uuid", filter: true },
    validUntil: { column: quoteRevisions.validUntil, type: "date", filter: true },
    createdAt: { column: quotes.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: quotes.updatedAt, type: "date", sort: true },
  },
});

/** Quotes the actor may see (by owner) with their current revision, without lines. `validUntil:lt:<today>` finds the lapsed ones. */
export async function findQuotes(ctx: Ctx, query: ListQuery): Promise<Page<QuoteView>> {
  requireAccess(ctx, "quote:read");
  const list = quoteListing.build(query, [isNull(quotes.deletedAt), quoteAccess.visible(ctx)]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select({ ...getTableColumns(quotes), rev: quoteRevisions, customerName: customers.name })
      .from(quotes)
      .innerJoin(quoteRevisions, and(eq(quoteRevisions.tenantId, quotes.tenantId), eq(quoteRevisions.quoteId, quotes.id), eq(quoteRevisions.revision, quotes.revision)))
      .innerJoin(customers, and(eq(customers.tenantId, quotes.tenantId), eq(customers.id, quotes.customerId)))
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(({ rev, customerName: name, ...q }) => present(q, rev, name)) };
  });
}

/** Moves a quote that is not accepted to the trash. */
export async function deleteQuote(ctx: Ctx, id: string, version: ExpectedVersion): Promise<void> {
  requireAccess(ctx, "quote:delete");
  await inTenant(ctx, async (tx) => {
    const current = await lockQuote(tx, ctx, id, version);
    requireStatus(current, ["draft", "sent", "rejected", "expired"], "delete");
    const now = new Date();
    await tx.update(quotes).set({ deletedAt: now, version: current.version + 1, updatedAt: now }).where(eq(quotes.id, id));
    await recordEvent(tx, ctx, { action: "quote.deleted", objectType: "quote", objectId: id, before: { status: current.status }, after: { deletedAt: now } });
  });
}

/** Lapsed: marked expired (committed), and the caller is told so. */
async function expire(tx: Tx, ctx: Ctx, current: Row, rev: RevisionRow): Promise<AppError> {
  const [row] = await tx.update(quotes).set({ status: "expired", version: current.version + 1, updatedAt: new Date() }).where(eq(quotes.id, current.id)).returning();
  const name = await customerName(tx, current.customerId);
  await recordEvent(tx, ctx, { action: "quote.expired", objectType: "quote", objectId: current.id, before: present(current, rev, name), after: present(row!, rev, name) });
  return invalid("quotes.expired", { date: rev.validUntil! }, { validUntil: rev.validUntil });
}
/** Past its validity in the workspace's calendar. */
const lapsed = async (tx: Tx, ctx: Ctx, rev: RevisionRow) => rev.validUntil !== null && rev.validUntil < (await workspaceToday(tx, ctx.tenantId));

/**
 * Asks for approval of the current revision's discounts (kind "discount"),
 * needed when a line's discount exceeds the workspace's threshold. The
 * request remembers the quote's version: a decision on a quote changed since
 * changes nothing.
 */
export async function requestDiscountApproval(ctx: Ctx, id: string, version: ExpectedVersion): Promise<{ approvalId: string }> {
  requireAccess(ctx, "quote:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockQuote(tx, ctx, id, version);
    requireStatus(current, ["draft"], "request_approval");
    if (current.approvalId) throw invalid("quotes.already_approved", {}, { approvalId: current.approvalId });
    const rev = await revisionOf(tx, id, current.revision);
    const over = await discountOver(tx, ctx, await linesOf(tx, id, current.revision));
    if (!over) throw invalid("quotes.approval_not_needed");
    const name = await customerName(tx, current.customerId);
    const approval = await openApproval(tx, ctx, {
      kind: "discount",
      objectType: "quote",
      objectId: id,
      title: `${current.number} V${current.revision} ${name}`,
      amount: rev.baseTotal,
      currency: null,
      reason: { revision: current.revision, quoteVersion: current.version, ...over },
    });
    await recordEvent(tx, ctx, { action: "quote.approval_requested", objectType: "quote", objectId: id, data: { approvalId: approval.id, revision: current.revision, ...over } });
    return { approvalId: approval.id };
  });
}

/** Called by the approvals domain in the deciding transaction: an approval of the unchanged quote is recorded on it. */
export async function discountDecided(tx: Tx, ctx: Ctx, request: DecidedRequest): Promise<void> {
  if (request.objectType !== "quote" || request.status !== "approved") return;
  const [current] = await tx.select().from(quotes).where(eq(quotes.id, request.objectId)).for("update");
  const [approval] = await tx.select({ reason: approvalRequests.reason }).from(approvalRequests).where(eq(approvalRequests.id, request.id));
  const asked = approval?.reason as { revision?: number; quoteVersion?: number } | undefined;
  // A stale decision (the quote was changed since it was asked for) changes nothing.
  if (!current || current.deletedAt || current.status !== "draft" || asked?.quoteVersion !== current.version || asked.revision !== current.revision) return;
  const [row] = await tx.update(quotes).set({ approvalId: request.id, version: current.version + 1, updatedAt: new Date() }).where(eq(quotes.id, current.id)).returning();
  await recordEvent(tx, ctx, { action: "quote.discount_approved", objectType: "quote", objectId: current.id, before: { approvalId: current.approvalId }, after: { approvalId: row!.approvalId }, data: { revision: current.revision } });
}
onApprovalDecided("discount", discountDecided);

async function logoOf(tx: Tx, ctx: Ctx, attachmentId: string | null | undefined): Promise<Buffer | null> {
  if (!attachmentId) return null;
  const [file] = await tx.select().from(attachments).where(eq(attachments.id, attachmentId));
  if (!file || !["image/png", "image/jpeg"].includes(file.mime)) return null;
  return fs.readFile(storagePath(ctx.services.config.dataDir, ctx.tenantId, file.sha256)).catch(() => null);
}

async function pdfDataOf(tx: Tx, ctx: Ctx, q: Row, rev: RevisionRow): Promise<QuotePdfData> {
  const lines = await linesOf(tx, q.id, rev.revision);
  const settings = await orderSettingsOf(tx, ctx.tenantId);
  const [contact] = q.contactId ? await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, q.contactId)) : [];
  return {
    number: q.number,
    revision: rev.revision,
    quoteDate: rev.quoteDate,
    validUntil: rev.validUntil,
    currency: rev.currency,
    customerName: await customerName(tx, q.customerId),
    contactName: contact?.name ?? null,
    lines,
    subtotal: rev.subtotal,
    discountTotal: rev.discountTotal,
    taxTotal: rev.taxTotal,
    total: rev.total,
    paymentTerms: rev.paymentTerms,
    deliveryTerms: rev.deliveryTerms,
    notes: rev.notes,
    letterhead: settings.letterhead,
    logo: await logoOf(tx, ctx, settings.letterhead.logoAttachmentId),
  };
}

const pdfName = (number: string, revision: number) => `${number}-V${revision}.pdf`;

/** The PDF of a revision (default: the current one) in the given language. */
export async function quotePdf(ctx: Ctx, id: string, revision: number | undefined, locale: Locale): Promise<{ filename: string; body: Buffer }> {
  requireAccess(ctx, "quote:read");
  // Settings may be created on first use: a write transaction.
  const data = await inTenant(ctx, async (tx) => {
    const [q] = await tx.select().from(quotes).where(visibleQuote(ctx, id));
    if (!q) throw notFound("quote");
    return pdfDataOf(tx, ctx, q, await revisionOf(tx, id, revision ?? q.revision));
  });
  return { filename: pdfName(data.number, data.revision), body: await renderQuotePdf(data, locale) };
}

const transports = new Map<string, ReturnType<typeof nodemailer.createTransport>>();
/**
 * Mail with the quote attached. lib/mail.ts sends text only, so this uses
 * nodemailer on the same SMTP_URL; without SMTP it falls back to the mailer
 * (written to the log, without the attachment).
 */
async function mailQuote(ctx: Ctx, mail: { to: string; cc: string[]; subject: string; text: string; filename: string; pdf: Buffer }): Promise<void> {
  const { smtpUrl, from } = ctx.services.config.mail;
  if (!smtpUrl) return ctx.services.mailer.send({ to: mail.to, subject: mail.subject, text: mail.text });
  let transport = transports.get(smtpUrl);
  if (!transport) transports.set(smtpUrl, (transport = nodemailer.createTransport(smtpUrl)));
  await transport.sendMail({
    from,
    to: mail.to,
    ...(mail.cc.length ? { cc: mail.cc } : {}),
    subject: mail.subject,
    text: mail.text,
    attachments: [{ filename: mail.filename, content: mail.pdf, contentType: "application/pdf" }],
  });
}

/**
 * Sends the current revision's PDF by e-mail and marks the revision sent.
 * Refused for a lapsed quote (marked expired) and, while a line's discount
 * exceeds the workspace's threshold, without an approval of this revision.
 * The mail goes out before the commit: a failed send marks nothing.
 */
export async function sendQuote(ctx: Ctx, id: string, version: ExpectedVersion, input: { to: string; cc?: string[]; message?: string; lang?: Locale }): Promise<QuoteView> {
  requireAccess(ctx, "quote:update");
  const locale = input.lang ?? ctx.locale;
  const outcome = await inTenant(ctx, async (tx) => {
    const current = await lockQuote(tx, ctx, id, version);
    requireStatus(current, ["draft", "sent"], "send");
    const rev = await revisionOf(tx, id, current.revision);
    if (await lapsed(tx, ctx, rev)) return { error: await expire(tx, ctx, current, rev) };
    const lines = await linesOf(tx, id, current.revision);
    const over = await discountOver(tx, ctx, lines);
    if (over && !current.approvalId) throw invalid("quotes.approval_required", { threshold: `${money(over.threshold).times(100).toString()}%` }, { ...over });
    const data = await pdfDataOf(tx, ctx, current, rev);
    const pdf = await renderQuotePdf(data, locale);
    const company = data.letterhead.companyName ?? "";
    const params = { number: current.number, revision: rev.revision, customer: data.contactName ?? data.customerName, company, message: input.message ?? "" };
    try {
      await mailQuote(ctx, {
        to: input.to,
        cc: input.cc ?? [],
        subject: translate(locale, "quotes.mail.subject", params).trim(),
        text: translate(locale, "quotes.mail.body", params).trim(),
        filename: pdfName(current.number, rev.revision),
        pdf,
      });
    } catch (err) {
      throw invalid("quotes.mail_failed", {}, { reason: err instanceof Error ? err.message : String(err) });
    }
    const now = new Date();
    const sentTo = [input.to, ...(input.cc ?? [])].join(", ");
    const [sentRev] = await tx
      .update(quoteRevisions)
      .set({ sentAt: now, sentTo })
      .where(and(eq(quoteRevisions.quoteId, id), eq(quoteRevisions.revision, rev.revision)))
      .returning();
    const [row] = await tx.update(quotes).set({ status: "sent", version: current.version + 1, updatedAt: now }).where(eq(quotes.id, id)).returning();
    const before = present(current, rev, data.customerName);
    const after = present(row!, sentRev!, data.customerName, { lines });
    await recordEvent(tx, ctx, { action: "quote.sent", objectType: "quote", objectId: id, before, after, data: { revision: rev.revision, to: sentTo } });
    return { quote: after };
  });
  if ("error" in outcome) throw outcome.error;
  return outcome.quote;
}

/**
 * The customer accepted the current (sent, still valid) revision: a draft
 * order is made from it in the same transaction, with the quoted lines and
 * prices, and the quote is accepted with the order's id.
 */
export async function acceptQuote(ctx: Ctx, id: string, version: ExpectedVersion): Promise<QuoteView> {
  requireAccess(ctx, "quote:update");
  requireAccess(ctx, "order:create");
  const outcome = await inTenant(ctx, async (tx) => {
    const current = await lockQuote(tx, ctx, id, version);
    requireStatus(current, ["sent"], "accept");
    const rev = await revisionOf(tx, id, current.revision);
    if (await lapsed(tx, ctx, rev)) return { error: await expire(tx, ctx, current, rev) };
    const lines = await linesOf(tx, id, current.revision);
    const order = await addOrder(tx, ctx, {
      customerId: current.customerId,
      contactId: current.contactId,
      ownerId: current.ownerId,
      currency: rev.currency,
      paymentTerms: rev.paymentTerms,
      notes: rev.notes,
      priceListId: rev.priceListId,
      lines: asInput(lines),
      quoteId: id,
      opportunityId: current.opportunityId,
    });
    const now = new Date();
    const [row] = await tx
      .update(quotes)
      .set({ status: "accepted", acceptedAt: now, orderId: order.id, version: current.version + 1, updatedAt: now })
      .where(eq(quotes.id, id))
      .returning();
    const name = order.customerName;
    const after = present(row!, rev, name, { lines });
    await recordEvent(tx, ctx, { action: "quote.accepted", objectType: "quote", objectId: id, before: present(current, rev, name), after, data: { orderId: order.id, revision: rev.revision } });
    return { quote: after };
  });
  if ("error" in outcome) throw outcome.error;
  return outcome.quote;
}

/** The customer declined the sent quote, for a reason. */
export async function rejectQuote(ctx: Ctx, id: string, version: ExpectedVersion, reason: string): Promise<QuoteView> {
  requireAccess(ctx, "quote:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockQuote(tx, ctx, id, version);
    requireStatus(current, ["sent", "expired"], "reject");
    if (!reason.trim()) throw invalid("quotes.reject_reason_required", {}, { field: "reason" });
    const rev = await revisionOf(tx, id, current.revision);
    const [row] = await tx
      .update(quotes)
      .set({ status: "rejected", rejectedReason: reason.trim(), version: current.version + 1, updatedAt: new Date() })
      .where(eq(quotes.id, id))
      .returning();
    const name = await customerName(tx, current.customerId);
    const after = present(row!, rev, name, { lines: await linesOf(tx, id, current.revision) });
    await recordEvent(tx, ctx, { action: "quote.rejected", objectType: "quote", objectId: id, before: present(current, rev, name), after });
    return after;
  });
}
