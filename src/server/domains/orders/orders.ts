import { and, asc, desc, eq, getTableColumns, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { cents, money } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { onApprovalDecided, openApproval } from "../approvals/index.js";
import { customerContacts, customers, customerVisible } from "../customers/index.js";
import { customerAddresses } from "../customers/schema.js";
import { baseCurrency, convert, discountRateOf, priceFor, productsByIds } from "../products/index.js";
import { memberships } from "../workspaces/schema.js";
import { lineAmounts, totalsOf } from "./amounts.js";
import { checkAgainst, creditPosition, type CreditPosition } from "./credit.js";
import { orderAccess } from "./policy.js";
import { orderLines, orders, orderSettings, type DeliveryAddress, type OrderStatus } from "./schema.js";
import { nextOrderNumber, orderSettingsOf } from "./settings.js";
import { workspaceToday } from "../workspaces/calendar.js";

type Row = typeof orders.$inferSelect;
type LineRow = typeof orderLines.$inferSelect;
export type OrderLineView = Omit<LineRow, "tenantId" | "orderId">;
export type OrderView = Omit<Row, "tenantId"> & { customerName: string; lines?: OrderLineView[] };

export interface OrderLineInput {
  productId?: string | null;
  sku?: string;
  name?: string;
  unit?: string;
  quantity: string;
  /** Omitted: the price list's or the product's price for this customer. */
  unitPrice?: string;
  /** Omitted: the customer's discount terms. */
  discountRate?: string;
  /** Omitted: the product's tax rate (0 for free lines). */
  taxRate?: string;
}

export interface OrderInput {
  customerId: string;
  contactId?: string | null;
  ownerId?: string;
  currency?: string;
  orderDate?: string;
  expectedDelivery?: string | null;
  channel?: string;
  deliveryAddress?: DeliveryAddress | null;
  paymentTerms?: string;
  notes?: string;
  priceListId?: string | null;
  lines: OrderLineInput[];
}

const presentLine = ({ tenantId: _t, orderId: _o, ...rest }: LineRow): OrderLineView => rest;
export const present = ({ tenantId: _t, ...rest }: Row, customerName: string, lines?: LineRow[]): OrderView => ({ ...rest, customerName, ...(lines ? { lines: lines.map(presentLine) } : {}) });

type CustomerRow = Pick<typeof customers.$inferSelect, "id" | "name" | "currency" | "type" | "discountTerms" | "paymentTerms" | "creditLimit" | "salesLimit" | "address" | "provinceCode" | "cityCode" | "districtCode">;
const customerColumns = {
  id: customers.id,
  name: customers.name,
  currency: customers.currency,
  type: customers.type,
  discountTerms: customers.discountTerms,
  paymentTerms: customers.paymentTerms,
  creditLimit: customers.creditLimit,
  salesLimit: customers.salesLimit,
  address: customers.address,
  provinceCode: customers.provinceCode,
  cityCode: customers.cityCode,
  districtCode: customers.districtCode,
};

/** The order's customer, visible to the actor and not deleted; `lock` serialises everything that counts against its limits. */
async function loadCustomer(tx: Tx, ctx: Ctx, id: string, lock = false, asPath = false): Promise<CustomerRow> {
  const query = tx
    .select(customerColumns)
    .from(customers)
    .where(and(eq(customers.id, id), isNull(customers.deletedAt), customerVisible(ctx)));
  const [row] = lock ? await query.for("update") : await query;
  // Named in a body it is a bad field (400); in the path, a missing resource (404).
  if (!row) throw asPath ? notFound("customer") : invalid("errors.not_found", { object: "customer" }, { field: "customerId" });
  return row;
}

/** The customer's default delivery address, else its own address. */
export async function defaultDelivery(tx: Tx, customer: CustomerRow): Promise<DeliveryAddress | null> {
  const [a] = await tx
    .select()
    .from(customerAddresses)
    .where(and(eq(customerAddresses.customerId, customer.id), eq(customerAddresses.kind, "delivery")))
    .orderBy(desc(customerAddresses.isDefault), asc(customerAddresses.position))
    .limit(1);
  if (a) return { provinceCode: a.provinceCode, cityCode: a.cityCode, districtCode: a.districtCode, address: a.detail, recipient: a.recipient, phone: a.phone };
  if (!customer.address) return null;
  return { provinceCode: customer.provinceCode, cityCode: customer.cityCode, districtCode: customer.districtCode, address: customer.address };
}

export async function requireMember(tx: Tx, userId: string, field: string): Promise<void> {
  const [member] = await tx
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")));
  if (!member) throw invalid("errors.not_found", { object: "user" }, { field });
}

/**
 * Prices the lines for this customer: a line naming a product takes its SKU,
 * name, unit and tax rate, and — unless given — the price of the customer's
 * price list (by group, quantity tier, date) or the product's list price in
 * the order's currency, and the discount of the customer's terms. Archived
 * products are refused, unless `archived` (a historical order sold them then).
 */
async function priceLines(tx: Tx, customer: CustomerRow, currency: string, on: string, priceListId: string | null, lines: OrderLineInput[], archived = false) {
  const ids = [...new Set(lines.flatMap((l) => (l.productId ? [l.productId] : [])))];
  const found = new Map((ids.length ? await productsByIds(tx, ids) : []).map((p) => [p.id, p]));
  const customerDiscount = discountRateOf(customer.discountTerms);
  const priced = [];
  for (const [i, line] of lines.entries()) {
    const field = (name: string) => ({ field: `lines.${i}.${name}` });
    if (money(line.quantity).lte(0)) throw invalid("orders.quantity_positive", {}, field("quantity"));
    if (line.unitPrice !== undefined && money(line.unitPrice).lt(0)) throw invalid("orders.price_negative", {}, field("unitPrice"));
    const product = line.productId ? found.get(line.productId) : undefined;
    if (line.productId && !product) throw invalid("errors.not_found", { object: "product" }, field("productId"));
    if (product && !product.active && !archived) throw invalid("orders.product_inactive", { sku: product.sku }, field("productId"));
    const name = line.name?.trim() || product?.name;
    if (!name) throw invalid("orders.line_needs_name", {}, field("name"));
    let unitPrice = line.unitPrice;
    if (unitPrice === undefined) {
      if (!product) throw invalid("orders.line_needs_price", {}, field("unitPrice"));
      unitPrice = (await priceFor(tx, { productId: product.id, quantity: line.quantity, currency, customerType: customer.type, on, priceListId })).unitPrice;
    }
    const discountRate = line.discountRate ?? customerDiscount;
    const taxRate = line.taxRate ?? product?.taxRate ?? "0";
    const values = { quantity: line.quantity, unitPrice, discountRate, taxRate };
    priced.push({ lineNo: i + 1, productId: product?.id ?? null, sku: line.sku ?? product?.sku ?? "", name, unit: line.unit ?? product?.unit ?? "", ...values, ...lineAmounts(values) });
  }
  return priced;
}

/** Lines, totals and the total in the base currency, for an order's customer, currency and date. */
async function computeOrder(tx: Tx, ctx: Ctx, customer: CustomerRow, currency: string, on: string, priceListId: string | null, lines: OrderLineInput[], archived = false) {
  const priced = await priceLines(tx, customer, currency, on, priceListId, lines, archived);
  const totals = totalsOf(priced);
  const base = await baseCurrency(tx, ctx.tenantId);
  const baseTotal = cents(await convert(tx, totals.total, currency, base, on));
  return { priced, totals, baseTotal };
}

/**
 * Prices a sales document (order, quote) for a customer the actor can see:
 * its lines, totals and the total in the base currency. Shared with quotes.
 */
export async function priceDocument(tx: Tx, ctx: Ctx, input: { customerId: string; currency?: string; on: string; priceListId?: string | null; lines: OrderLineInput[]; archivedProducts?: boolean }) {
  const customer = await loadCustomer(tx, ctx, input.customerId);
  const currency = input.currency ?? customer.currency;
  return { customer, currency, ...(await computeOrder(tx, ctx, customer, currency, input.on, input.priceListId ?? null, input.lines, input.archivedProducts)) };
}

/** Creates a draft order in the caller's transaction (an accepted quote makes one), with its event. */
export async function addOrder(tx: Tx, ctx: Ctx, input: OrderInput & { quoteId?: string | null; opportunityId?: string | null }): Promise<OrderView> {
  const ownerId = input.ownerId ?? ctx.userId;
  if (!ownerId) throw invalid("errors.validation", {}, { field: "ownerId" });
  if (input.ownerId) await requireMember(tx, input.ownerId, "ownerId");
  const orderDate = input.orderDate ?? (await workspaceToday(tx, ctx.tenantId));
  const { customer, currency, priced, totals, baseTotal } = await priceDocument(tx, ctx, { ...input, on: orderDate });
  if (input.contactId) await requireContactOf(tx, customer.id, input.contactId);
  const [row] = await tx
    .insert(orders)
    .values({
      tenantId: ctx.tenantId,
      number: await nextOrderNumber(tx, ctx.tenantId),
      customerId: customer.id,
      contactId: input.contactId ?? null,
      ownerId,
      currency,
      orderDate,
      expectedDelivery: input.expectedDelivery ?? null,
      channel: input.channel ?? "",
      deliveryAddress: input.deliveryAddress === undefined ? await defaultDelivery(tx, customer) : input.deliveryAddress,
      paymentTerms: input.paymentTerms ?? customer.paymentTerms,
      notes: input.notes ?? "",
      priceListId: input.priceListId ?? null,
      quoteId: input.quoteId ?? null,
      opportunityId: input.opportunityId ?? null,
      ...totals,
      baseTotal,
      createdBy: ctx.userId,
    })
    .returning();
  const lines = await tx
    .insert(orderLines)
    .values(priced.map((l) => ({ ...l, tenantId: ctx.tenantId, orderId: row!.id })))
    .returning();
  const view = present(row!, customer.name, lines);
  await recordEvent(tx, ctx, { action: "order.created", objectType: "order", objectId: row!.id, after: view, data: { customerId: customer.id } });
  return view;
}

/** Creates a draft order with its lines and number. */
export async function createOrder(ctx: Ctx, input: OrderInput): Promise<OrderView> {
  requireAccess(ctx, "order:create");
  return inTenant(ctx, (tx) => addOrder(tx, ctx, input));
}

async function requireContactOf(tx: Tx, customerId: string, contactId: string): Promise<void> {
  const [link] = await tx
    .select({ id: customerContacts.contactId })
    .from(customerContacts)
    .where(and(eq(customerContacts.customerId, customerId), eq(customerContacts.contactId, contactId)));
  if (!link) throw invalid("orders.contact_not_of_customer", {}, { field: "contactId" });
}

/** The order, visible to the actor, locked for a change. */
async function lockOrder(tx: Tx, ctx: Ctx, id: string, version: ExpectedVersion): Promise<Row> {
  const [current] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), orderAccess.visible(ctx)))
    .for("update");
  return checkVersion(current, version, "order");
}

const linesOf = (tx: Tx, orderId: string) => tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));

async function customerName(tx: Tx, id: string): Promise<string> {
  const [c] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, id));
  return c?.name ?? "";
}

function requireStatus(order: Row, allowed: OrderStatus[], action: string): void {
  if (!allowed.includes(order.status)) {
    throw invalid("orders.bad_transition", { action: `order_action_${action}`, status: `order_status_${order.status}` }, { status: order.status, allowed });
  }
}

/** Changes a draft: its header and, when given, all its lines (re-priced). */
export async function updateOrder(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<Omit<OrderInput, "customerId">>): Promise<OrderView> {
  requireAccess(ctx, "order:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockOrder(tx, ctx, id, version);
    requireStatus(current, ["draft"], "update");
    const customer = await loadCustomer(tx, ctx, current.customerId);
    if (input.ownerId) await requireMember(tx, input.ownerId, "ownerId");
    if (input.contactId) await requireContactOf(tx, customer.id, input.contactId);
    const currency = input.currency ?? current.currency;
    const orderDate = input.orderDate ?? current.orderDate;
    const priceListId = input.priceListId === undefined ? current.priceListId : input.priceListId;
    const repricing = input.lines !== undefined || currency !== current.currency || orderDate !== current.orderDate || priceListId !== current.priceListId;
    const before = present(current, customer.name, await linesOf(tx, id));
    let amounts = {};
    if (repricing) {
      // Lines kept from before keep their prices; a new currency or date re-prices only lines without a typed price.
      const lines: OrderLineInput[] = input.lines ?? before.lines!.map((l) => ({ productId: l.productId, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity, discountRate: l.discountRate, taxRate: l.taxRate, ...(l.productId && currency !== current.currency ? {} : { unitPrice: l.unitPrice }) }));
      const { priced, totals, baseTotal } = await computeOrder(tx, ctx, customer, currency, orderDate, priceListId, lines);
      await tx.delete(orderLines).where(eq(orderLines.orderId, id));
      await tx.insert(orderLines).values(priced.map((l) => ({ ...l, tenantId: ctx.tenantId, orderId: id })));
      amounts = { ...totals, baseTotal };
    }
    const { lines: _lines, ...header } = input;
    const [row] = await tx
      .update(orders)
      .set({ ...header, currency, orderDate, priceListId, ...amounts, version: current.version + 1, updatedAt: new Date() })
      .where(eq(orders.id, id))
      .returning();
    const after = present(row!, customer.name, await linesOf(tx, id));
    await recordEvent(tx, ctx, { action: "order.updated", objectType: "order", objectId: id, before, after });
    return after;
  });
}

/**
 * Submits a draft: checks it against the customer's credit limit (receivables
 * outstanding + this order) and sales limit (this period's orders + this
 * order) with the customer row locked, so concurrent submissions for one
 * customer are checked one after the other and can never together exceed a
 * limit. Within limits the order is approved; over a limit it is refused
 * (credit mode "block": nothing changes) or sent for approval.
 */
export async function submitOrder(ctx: Ctx, id: string, version: ExpectedVersion): Promise<OrderView> {
  requireAccess(ctx, "order:update");
  const outcome = await inTenant(ctx, async (tx) => {
    const peek = await tx
      .select({ customerId: orders.customerId })
      .from(orders)
      .where(and(eq(orders.id, id), orderAccess.visible(ctx)));
    if (!peek[0]) throw notFound("order");
    // Customer first, then order: the lock order every credit-affecting change takes.
    const customer = await loadCustomer(tx, ctx, peek[0].customerId, true);
    const current = await lockOrder(tx, ctx, id, version);
    requireStatus(current, ["draft"], "submit");
    const lines = await linesOf(tx, id);
    if (lines.length === 0) throw invalid("orders.no_lines", {}, { field: "lines" });
    const settings = await orderSettingsOf(tx, ctx.tenantId);
    const base = await baseCurrency(tx, ctx.tenantId);
    const position = await creditPosition(tx, customer, base, current.orderDate, settings.salesLimitPeriod);
    const check = checkAgainst(position, current.baseTotal);
    const now = new Date();
    const before = present(current, customer.name, lines);
    if (check.exceeded.length && settings.creditMode === "block") return { refused: check, order: null };
    let approvalId: string | null = null;
    if (check.exceeded.length) {
      const approval = await openApproval(tx, ctx, {
        kind: "credit_override",
        objectType: "order",
        objectId: id,
        title: `${current.number} ${customer.name}`,
        amount: current.baseTotal,
        currency: base,
        reason: { ...check },
      });
      approvalId = approval.id;
    }
    const status: OrderStatus = approvalId ? "pending_approval" : "approved";
    const [row] = await tx
      .update(orders)
      .set({ status, creditCheck: check, approvalId, submittedAt: now, ...(status === "approved" ? { approvedAt: now } : {}), version: current.version + 1, updatedAt: now })
      .where(eq(orders.id, id))
      .returning();
    const after = present(row!, customer.name, lines);
    await recordEvent(tx, ctx, { action: status === "approved" ? "order.approved" : "order.submitted", objectType: "order", objectId: id, before, after, data: { creditCheck: check } });
    return { refused: null, order: after };
  });
  if (outcome.refused) {
    const exceeded = outcome.refused.exceeded;
    throw invalid("orders.credit_exceeded", { limits: `order_limit_${exceeded.length > 1 ? "both" : exceeded[0]!}` }, { creditCheck: outcome.refused });
  }
  return outcome.order!;
}

/** Called by the approvals domain when a credit override is decided, in the deciding transaction. */
export async function creditDecided(tx: Tx, ctx: Ctx, request: { id: string; objectType: string; objectId: string; status: "approved" | "rejected" | "withdrawn" }): Promise<void> {
  if (request.objectType !== "order") return;
  const [current] = await tx.select().from(orders).where(eq(orders.id, request.objectId)).for("update");
  // A stale decision (the order was changed since) changes nothing.
  if (!current || current.status !== "pending_approval" || current.approvalId !== request.id) return;
  const now = new Date();
  const approved = request.status === "approved";
  const [row] = await tx
    .update(orders)
    .set(approved ? { status: "approved", approvedAt: now, version: current.version + 1, updatedAt: now } : { status: "draft", approvalId: null, version: current.version + 1, updatedAt: now })
    .where(eq(orders.id, current.id))
    .returning();
  const name = await customerName(tx, current.customerId);
  await recordEvent(tx, ctx, {
    action: approved ? "order.approved" : "order.returned",
    objectType: "order",
    objectId: current.id,
    before: present(current, name),
    after: present(row!, name),
    data: { approvalId: request.id, decision: request.status },
  });
}

const TRANSITIONS = {
  deliver: { from: ["approved"], to: "delivered", stamp: "deliveredAt" },
  complete: { from: ["delivered"], to: "completed", stamp: "completedAt" },
  cancel: { from: ["draft", "approved"], to: "cancelled", stamp: "cancelledAt" },
} as const satisfies Record<string, { from: OrderStatus[]; to: OrderStatus; stamp: keyof Row }>;
export type OrderTransition = keyof typeof TRANSITIONS;

/** Moves an order along its flow: approved → delivered → completed; a draft or an approved order may be cancelled (with a reason). */
export async function transitionOrder(ctx: Ctx, id: string, version: ExpectedVersion, action: OrderTransition, reason = ""): Promise<OrderView> {
  requireAccess(ctx, "order:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockOrder(tx, ctx, id, version);
    const t = TRANSITIONS[action];
    requireStatus(current, [...t.from], action);
    if (action === "cancel" && !reason.trim()) throw invalid("orders.cancel_reason_required", {}, { field: "reason" });
    if (action === "cancel" && money(current.paid).gt(0)) throw invalid("orders.cancel_paid", {}, { paid: current.paid });
    const now = new Date();
    const [row] = await tx
      .update(orders)
      .set({ status: t.to, [t.stamp]: now, ...(action === "cancel" ? { cancelReason: reason.trim() } : {}), version: current.version + 1, updatedAt: now })
      .where(eq(orders.id, id))
      .returning();
    const name = await customerName(tx, current.customerId);
    const after = present(row!, name);
    await recordEvent(tx, ctx, { action: `order.${t.to}`, objectType: "order", objectId: id, before: present(current, name), after });
    return { ...after, lines: (await linesOf(tx, id)).map(presentLine) };
  });
}

export async function getOrder(ctx: Ctx, id: string): Promise<OrderView> {
  requireAccess(ctx, "order:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx
      .select({ order: orders, customerName: customers.name })
      .from(orders)
      .innerJoin(customers, and(eq(customers.tenantId, orders.tenantId), eq(customers.id, orders.customerId)))
      .where(and(eq(orders.id, id), orderAccess.visible(ctx)));
    if (!row) throw notFound("order");
    return present(row.order, row.customerName, await linesOf(tx, id));
  });
}

export const orderListing = defineListing({
  id: orders.id,
  defaultSort: "-orderDate",
  fields: {
    number: { column: orders.number, type: "text", sort: true, filter: true },
    orderDate: { column: orders.orderDate, type: "date", sort: true, filter: true },
    status: { column: orders.status, type: "enum", filter: true, values: ["draft", "pending_approval", "approved", "delivered", "completed", "cancelled"] },
    customerId: { column: orders.customerId, type: "uuid", filter: true },
    ownerId: { column: orders.ownerId, type: "uuid", filter: true },
    channel: { column: orders.channel, type: "text", filter: true },
    currency: { column: orders.currency, type: "text", filter: true },
    total: { column: orders.total, type: "number", sort: true, filter: true, value: (r) => Number(r.total) },
    createdAt: { column: orders.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: orders.updatedAt, type: "date", sort: true },
  },
});

/** Orders the actor may see (by owner), without their lines. */
export async function findOrders(ctx: Ctx, query: ListQuery): Promise<Page<OrderView>> {
  requireAccess(ctx, "order:read");
  const list = orderListing.build(query, [orderAccess.visible(ctx)]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select({ ...getTableColumns(orders), customerName: customers.name })
      .from(orders)
      .innerJoin(customers, and(eq(customers.tenantId, orders.tenantId), eq(customers.id, orders.customerId)))
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(({ customerName, ...order }) => present(order, customerName)) };
  });
}

/** A customer's credit position today: limits, receivables, this period's sales (base currency). */
export async function getCreditPosition(ctx: Ctx, customerId: string): Promise<CreditPosition> {
  requireAccess(ctx, "order:read");
  return readTenant(ctx, async (tx) => {
    const customer = await loadCustomer(tx, ctx, customerId, false, true);
    const [settings] = await tx.select({ period: orderSettings.salesLimitPeriod }).from(orderSettings);
    return creditPosition(tx, customer, await baseCurrency(tx, ctx.tenantId), await workspaceToday(tx, ctx.tenantId), settings?.period ?? "month");
  });
}

onApprovalDecided("credit_override", creditDecided);
