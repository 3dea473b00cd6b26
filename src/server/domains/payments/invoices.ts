import { and, asc, eq, getTableColumns, isNull } from "drizzle-orm";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, isUniqueViolation, conflict, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { money, sum } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { customers } from "../customers/index.js";
import { COUNTING, orderAccess, orders } from "../orders/index.js";
import { invoices, type INVOICE_TYPES } from "./schema.js";

type Row = typeof invoices.$inferSelect;
export type InvoiceView = Omit<Row, "tenantId">;
const present = ({ tenantId: _t, ...rest }: Row): InvoiceView => rest;

export interface InvoiceInput {
  type: (typeof INVOICE_TYPES)[number];
  number: string;
  /** Defaults to the customer's name. */
  title?: string;
  /** Defaults to the customer's unified social credit code. */
  taxNumber?: string;
  amount: string;
  taxAmount?: string;
  issuedOn: string;
}

/** Records an invoice issued for an accepted order; invoices of an order never add up to more than its total. */
export async function createInvoice(ctx: Ctx, orderId: string, input: InvoiceInput): Promise<InvoiceView> {
  requireAccess(ctx, "invoice:create");
  if (money(input.amount).lte(0)) throw invalid("payments.amount_positive", {}, { field: "amount" });
  try {
    return await inTenant(ctx, async (tx) => {
      const [order] = await tx
        .select()
        .from(orders)
        .where(and(eq(orders.id, orderId), orderAccess.visible(ctx)))
        .for("update");
      if (!order) throw notFound("order");
      if (!COUNTING.includes(order.status)) throw invalid("payments.order_not_receivable", { number: order.number, status: `order_status_${order.status}` });
      const issued = await tx
        .select({ amount: invoices.amount })
        .from(invoices)
        .where(and(eq(invoices.orderId, orderId), isNull(invoices.voidedAt)));
      const invoiced = sum(issued.map((i) => i.amount));
      if (invoiced.plus(input.amount).gt(order.total)) {
        throw invalid("invoices.over_total", { invoiced: invoiced.toFixed(2), total: order.total }, { field: "amount", invoiced: invoiced.toFixed(2), total: order.total });
      }
      const [customer] = await tx.select({ name: customers.name, creditCode: customers.creditCode }).from(customers).where(eq(customers.id, order.customerId));
      const [row] = await tx
        .insert(invoices)
        .values({
          tenantId: ctx.tenantId,
          orderId,
          customerId: order.customerId,
          type: input.type,
          number: input.number.trim(),
          title: input.title?.trim() || customer!.name,
          taxNumber: input.taxNumber?.trim() ?? customer!.creditCode ?? "",
          amount: money(input.amount).toFixed(2),
          taxAmount: money(input.taxAmount ?? "0").toFixed(2),
          issuedOn: input.issuedOn,
          createdBy: ctx.userId,
        })
        .returning();
      await recordEvent(tx, ctx, { action: "invoice.issued", objectType: "invoice", objectId: row!.id, after: present(row!), data: { orderId } });
      return present(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "invoices_number_key")) throw conflict("invoices.number_taken", { number: input.number.trim() });
    throw err;
  }
}

export async function voidInvoice(ctx: Ctx, id: string, version: ExpectedVersion): Promise<InvoiceView> {
  requireAccess(ctx, "invoice:void");
  return inTenant(ctx, async (tx) => {
    const [current] = await tx
      .select({ invoice: invoices })
      .from(invoices)
      .innerJoin(orders, and(eq(orders.tenantId, invoices.tenantId), eq(orders.id, invoices.orderId)))
      .where(and(eq(invoices.id, id), orderAccess.visible(ctx)))
      .for("update", { of: invoices });
    const invoice = checkVersion(current?.invoice, version, "invoice");
    if (invoice.voidedAt) throw invalid("invoices.already_void");
    const [row] = await tx
      .update(invoices)
      .set({ voidedAt: new Date(), version: invoice.version + 1, updatedAt: new Date() })
      .where(eq(invoices.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "invoice.voided", objectType: "invoice", objectId: id, before: present(invoice), after: present(row!) });
    return present(row!);
  });
}

export async function findOrderInvoices(ctx: Ctx, orderId: string): Promise<InvoiceView[]> {
  requireAccess(ctx, "invoice:read");
  return readTenant(ctx, async (tx) => {
    const [order] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.id, orderId), orderAccess.visible(ctx)));
    if (!order) throw notFound("order");
    return (await tx.select().from(invoices).where(eq(invoices.orderId, orderId)).orderBy(asc(invoices.issuedOn), asc(invoices.number))).map(present);
  });
}

export const invoiceListing = defineListing({
  id: invoices.id,
  defaultSort: "-issuedOn",
  fields: {
    issuedOn: { column: invoices.issuedOn, type: "date", sort: true, filter: true },
    number: { column: invoices.number, type: "text", sort: true, filter: true },
    amount: { column: invoices.amount, type: "number", sort: true, filter: true, value: (r) => Number(r.amount) },
    type: { column: invoices.type, type: "enum", filter: true, values: ["vat_special", "vat_normal", "vat_electronic", "other"] },
    customerId: { column: invoices.customerId, type: "uuid", filter: true },
    orderId: { column: invoices.orderId, type: "uuid", filter: true },
    createdAt: { column: invoices.createdAt, type: "date", sort: true, filter: true },
  },
});

/** Invoices of the orders the actor can see (voided ones included, marked), with their order's number and customer's name. */
export async function findInvoices(ctx: Ctx, query: ListQuery): Promise<Page<InvoiceView & { orderNumber: string; customerName: string }>> {
  requireAccess(ctx, "invoice:read");
  const list = invoiceListing.build(query, [orderAccess.visible(ctx)]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select({ ...getTableColumns(invoices), orderNumber: orders.number, customerName: customers.name })
      .from(invoices)
      .innerJoin(orders, and(eq(orders.tenantId, invoices.tenantId), eq(orders.id, invoices.orderId)))
      .innerJoin(customers, and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId)))
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(({ orderNumber, customerName, ...i }) => ({ ...present(i), orderNumber, customerName })) };
  });
}
