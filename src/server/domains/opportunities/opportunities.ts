import { and, asc, eq, getTableColumns, ilike, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { translate } from "../../lib/i18n.js";
import { defineListing, likeEscape, type ListQuery, type Page } from "../../lib/listing.js";
import { cents, money, sum } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { customerContacts, customers, customerVisible } from "../customers/index.js";
import { discountRateOf, priceFor, productsByIds } from "../products/index.js";
import { workspaceToday } from "../workspaces/calendar.js";
import { memberships } from "../workspaces/schema.js";
import type { OpportunityCreateInput, OpportunityLineInput, OpportunityUpdateInput, RequirableField } from "./contracts.js";
import "./messages.js";
import { ensureDefaultPipeline, type StageRow } from "./pipelines.js";
import { opportunityAccess } from "./policy.js";
import { opportunities, opportunityProducts, opportunityStageHistory, pipelines, pipelineStages } from "./schema.js";

export type Row = typeof opportunities.$inferSelect;
export interface OpportunityLineView {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  quantity: string;
  unitPrice: string;
  discountRate: string;
  amount: string;
}
export type OpportunityView = Omit<Row, "tenantId" | "deletedAt"> & { customerName: string; lines?: OpportunityLineView[] };

export const present = ({ tenantId: _t, deletedAt: _d, ...rest }: Row, customerName: string, lines?: OpportunityLineView[]): OpportunityView => ({
  ...rest,
  customerName,
  ...(lines ? { lines } : {}),
});

type CustomerRow = Pick<typeof customers.$inferSelect, "id" | "name" | "currency" | "type" | "discountTerms">;
const customerColumns = { id: customers.id, name: customers.name, currency: customers.currency, type: customers.type, discountTerms: customers.discountTerms };

/** The customer, not deleted and (when `visible`) visible to the actor; named in a body it is a bad field. */
async function loadCustomer(tx: Tx, ctx: Ctx, id: string, visible = true): Promise<CustomerRow> {
  const [row] = await tx
    .select(customerColumns)
    .from(customers)
    .where(and(eq(customers.id, id), isNull(customers.deletedAt), visible ? customerVisible(ctx) : undefined));
  if (!row) throw invalid("errors.not_found", { object: "customer" }, { field: "customerId" });
  return row;
}

async function requireMember(tx: Tx, userId: string): Promise<void> {
  const [member] = await tx
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")));
  if (!member) throw invalid("errors.not_found", { object: "user" }, { field: "ownerId" });
}

async function requireContactOf(tx: Tx, customerId: string, contactId: string): Promise<void> {
  const [link] = await tx
    .select({ id: customerContacts.contactId })
    .from(customerContacts)
    .where(and(eq(customerContacts.customerId, customerId), eq(customerContacts.contactId, contactId)));
  if (!link) throw invalid("opportunities.contact_not_of_customer", {}, { field: "contactId" });
}

function requireAmount(amount: string): void {
  if (money(amount).lt(0)) throw invalid("opportunities.amount_negative", {}, { field: "amount" });
}

type PricedLine = Omit<OpportunityLineView, "sku" | "name">;

/**
 * Prices the products on the deal for its customer and currency: unless
 * given, the price of the customer's price list or the product's list price
 * (products/priceFor) and the discount of the customer's terms. A line's
 * amount excludes tax: gross (quantity × price) less the discount, each
 * rounded half up to cents once, as order lines round.
 */
async function priceLines(tx: Tx, ctx: Ctx, customer: CustomerRow, currency: string, lines: OpportunityLineInput[]): Promise<PricedLine[]> {
  const found = new Map((await productsByIds(tx, [...new Set(lines.map((l) => l.productId))])).map((p) => [p.id, p]));
  const customerDiscount = discountRateOf(customer.discountTerms);
  // Prices and rates of today in the workspace's calendar.
  const on = await workspaceToday(tx, ctx.tenantId);
  const priced: PricedLine[] = [];
  for (const [i, line] of lines.entries()) {
    const field = (name: string) => ({ field: `lines.${i}.${name}` });
    if (money(line.quantity).lte(0)) throw invalid("opportunities.quantity_positive", {}, field("quantity"));
    if (line.unitPrice !== undefined && money(line.unitPrice).lt(0)) throw invalid("opportunities.price_negative", {}, field("unitPrice"));
    const product = found.get(line.productId);
    if (!product) throw invalid("errors.not_found", { object: "product" }, field("productId"));
    if (!product.active) throw invalid("opportunities.product_inactive", { sku: product.sku }, field("productId"));
    const unitPrice = line.unitPrice ?? (await priceFor(tx, { productId: product.id, quantity: line.quantity, currency, customerType: customer.type, on })).unitPrice;
    const discountRate = line.discountRate ?? customerDiscount;
    const gross = cents(money(line.quantity).times(unitPrice));
    const amount = cents(money(gross).minus(cents(money(gross).times(discountRate))));
    priced.push({ lineNo: i + 1, productId: product.id, quantity: line.quantity, unitPrice, discountRate, amount });
  }
  return priced;
}

const amountOf = (lines: PricedLine[]) => sum(lines.map((l) => l.amount)).toFixed(2);

async function writeLines(tx: Tx, ctx: Ctx, opportunityId: string, lines: PricedLine[]): Promise<void> {
  await tx.delete(opportunityProducts).where(eq(opportunityProducts.opportunityId, opportunityId));
  if (lines.length) await tx.insert(opportunityProducts).values(lines.map((l) => ({ ...l, tenantId: ctx.tenantId, opportunityId })));
}

/** The products on a deal with their SKU and name from the catalogue. */
export async function linesOf(tx: Tx, opportunityId: string): Promise<OpportunityLineView[]> {
  const rows = await tx.select().from(opportunityProducts).where(eq(opportunityProducts.opportunityId, opportunityId)).orderBy(asc(opportunityProducts.lineNo));
  const names = new Map((await productsByIds(tx, [...new Set(rows.map((r) => r.productId))])).map((p) => [p.id, p]));
  return rows.map((r) => ({
    lineNo: r.lineNo,
    productId: r.productId,
    sku: names.get(r.productId)?.sku ?? "",
    name: names.get(r.productId)?.name ?? "",
    quantity: r.quantity,
    unitPrice: r.unitPrice,
    discountRate: r.discountRate,
    amount: r.amount,
  }));
}

/** What a stage's required fields look at. */
export interface FieldState {
  amount: string;
  expectedClose: string | null;
  contactId: string | null;
  lineCount: number;
  competitors: string[];
  description: string;
  source: string;
}

const FILLED: Record<RequirableField, (s: FieldState) => boolean> = {
  amount: (s) => money(s.amount).gt(0),
  expectedClose: (s) => s.expectedClose !== null,
  contactId: (s) => s.contactId !== null,
  products: (s) => s.lineCount > 0,
  competitors: (s) => s.competitors.length > 0,
  description: (s) => s.description.trim() !== "",
  source: (s) => s.source.trim() !== "",
};

export function missingFields(stage: Pick<StageRow, "requiredFields">, state: FieldState): RequirableField[] {
  return stage.requiredFields.filter((f): f is RequirableField => f in FILLED && !FILLED[f as RequirableField](state));
}

/** Refuses with the missing fields named in the actor's language (one parameter: the list). */
export function refuseMissing(ctx: Ctx, stage: Pick<StageRow, "name">, missing: RequirableField[]): never {
  const fields = missing.map((f) => translate(ctx.locale, `objects.opportunity_field_${f}`)).join(ctx.locale === "zh-CN" ? "、" : ", ");
  throw invalid("opportunities.required_fields", { stage: stage.name, fields }, { missing });
}

const RANK_GAP = 1024;

/**
 * The rank that puts a card at `index` among the cards of a column the actor
 * sees (omitted or past the end: last). Ranks have gaps; when two neighbours
 * leave none, the column is renumbered (rank is presentation: no version bump).
 */
export async function rankFor(tx: Tx, ctx: Ctx, stageId: string, index: number | undefined, movingId: string | null): Promise<number> {
  const column = and(eq(opportunities.stageId, stageId), isNull(opportunities.deletedAt), movingId ? sql`${opportunities.id} <> ${movingId}` : undefined);
  const last = async () => {
    const [m] = await tx.select({ max: sql<number | null>`max(${opportunities.rank})` }).from(opportunities).where(column);
    return m?.max === null || m?.max === undefined ? 0 : m.max + RANK_GAP;
  };
  if (index === undefined) return last();
  for (let attempt = 0; attempt < 2; attempt++) {
    const [target] = await tx
      .select({ id: opportunities.id, rank: opportunities.rank })
      .from(opportunities)
      .where(and(column, opportunityAccess.visible(ctx)))
      .orderBy(asc(opportunities.rank), asc(opportunities.id))
      .offset(index)
      .limit(1);
    if (!target) return last();
    const [prev] = await tx
      .select({ rank: opportunities.rank })
      .from(opportunities)
      .where(and(column, sql`(${opportunities.rank}, ${opportunities.id}) < (${target.rank}, ${target.id})`))
      .orderBy(sql`${opportunities.rank} desc`, sql`${opportunities.id} desc`)
      .limit(1);
    if (!prev) return target.rank - RANK_GAP;
    if (target.rank - prev.rank > 1) return Math.floor((prev.rank + target.rank) / 2);
    await tx.execute(sql`update opportunities o set rank = r.n * ${RANK_GAP} from (
      select id, row_number() over (order by rank, id) as n from opportunities
      where stage_id = ${stageId} and deleted_at is null ${movingId ? sql`and id <> ${movingId}` : sql``}) r
      where o.id = r.id`);
  }
  return last();
}

/** Opens the history row of the stage an opportunity enters (the previous one is closed by the caller). */
export async function openHistory(tx: Tx, ctx: Ctx, opportunityId: string, stageId: string, at: Date): Promise<void> {
  await tx.insert(opportunityStageHistory).values({
    tenantId: ctx.tenantId,
    opportunityId,
    stageId,
    enteredAt: at,
    actorId: ctx.userId,
    seq: sql`(select coalesce(max(seq), 0) + 1 from opportunity_stage_history where opportunity_id = ${opportunityId})`,
  });
}

type NewOpportunity = Omit<OpportunityCreateInput, "customerId" | "ownerId" | "pipelineId" | "name"> & {
  name: string;
  customerId: string;
  ownerId?: string;
  pipelineId?: string | null;
  leadId?: string | null;
};

/** The pipeline and starting stage: the given (open) stage, else the first open stage of the given or default pipeline. */
async function startingStage(tx: Tx, ctx: Ctx, pipelineId: string | null | undefined, stageId: string | undefined): Promise<StageRow> {
  if (stageId) {
    const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, stageId));
    if (!stage) throw invalid("errors.not_found", { object: "pipeline_stage" }, { field: "stageId" });
    if (pipelineId && stage.pipelineId !== pipelineId) throw invalid("pipelines.unknown_stage", {}, { field: "stageId" });
    if (stage.kind !== "open") throw invalid("opportunities.stage_not_open", {}, { field: "stageId" });
    return stage;
  }
  let id = pipelineId;
  if (!id) id = (await ensureDefaultPipeline(tx, ctx)).id;
  else {
    const [p] = await tx.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.id, id));
    if (!p) throw invalid("errors.not_found", { object: "pipeline" }, { field: "pipelineId" });
  }
  const [stage] = await tx
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.pipelineId, id), eq(pipelineStages.kind, "open")))
    .orderBy(asc(pipelineStages.position))
    .limit(1);
  // Every pipeline keeps an open stage (checked whenever stages change).
  return stage!;
}

async function insertOpportunity(tx: Tx, ctx: Ctx, input: NewOpportunity): Promise<OpportunityView> {
  const customer = await loadCustomer(tx, ctx, input.customerId);
  const ownerId = input.ownerId ?? ctx.userId;
  if (!ownerId) throw invalid("errors.validation", {}, { field: "ownerId" });
  if (input.ownerId) await requireMember(tx, input.ownerId);
  if (input.contactId) await requireContactOf(tx, customer.id, input.contactId);
  if (input.amount !== undefined) requireAmount(input.amount);
  const lines = input.lines ?? [];
  if (lines.length && input.amount !== undefined) throw invalid("opportunities.amount_from_products", {}, { field: "amount" });
  const currency = input.currency ?? customer.currency;
  const priced = lines.length ? await priceLines(tx, ctx, customer, currency, lines) : [];
  const amount = priced.length ? amountOf(priced) : cents(input.amount ?? "0");
  const stage = await startingStage(tx, ctx, input.pipelineId, input.stageId);
  const competitors = [...new Set(input.competitors ?? [])];
  const state: FieldState = {
    amount,
    expectedClose: input.expectedClose ?? null,
    contactId: input.contactId ?? null,
    lineCount: priced.length,
    competitors,
    description: input.description ?? "",
    source: input.source ?? "",
  };
  const missing = missingFields(stage, state);
  if (missing.length) refuseMissing(ctx, stage, missing);
  const now = new Date();
  const [row] = await tx
    .insert(opportunities)
    .values({
      tenantId: ctx.tenantId,
      name: input.name,
      pipelineId: stage.pipelineId,
      stageId: stage.id,
      rank: await rankFor(tx, ctx, stage.id, undefined, null),
      customerId: customer.id,
      contactId: input.contactId ?? null,
      ownerId,
      amount,
      currency,
      expectedClose: input.expectedClose ?? null,
      probability: input.probability ?? null,
      source: input.source ?? "",
      competitors,
      description: input.description ?? "",
      leadId: input.leadId ?? null,
      stageEnteredAt: now,
      createdBy: ctx.userId,
    })
    .returning();
  await writeLines(tx, ctx, row!.id, priced);
  await openHistory(tx, ctx, row!.id, stage.id, now);
  const view = present(row!, customer.name, await linesOf(tx, row!.id));
  await recordEvent(tx, ctx, {
    action: "opportunity.created",
    objectType: "opportunity",
    objectId: row!.id,
    after: view,
    data: { customerId: customer.id, pipelineId: stage.pipelineId, stageId: stage.id, ...(input.leadId ? { leadId: input.leadId } : {}) },
  });
  return view;
}

/** Creates an opportunity in a pipeline's open stage, with its first history row. */
export async function createOpportunity(ctx: Ctx, input: OpportunityCreateInput): Promise<OpportunityView> {
  requireAccess(ctx, "opportunity:create");
  return inTenant(ctx, (tx) => insertOpportunity(tx, ctx, input));
}

export interface AddOpportunityInput {
  name: string;
  customerId: string;
  contactId?: string | null;
  ownerId: string;
  amount?: string;
  currency?: string;
  expectedClose?: string | null;
  source?: string;
  leadId?: string | null;
  pipelineId?: string | null;
}

/**
 * Creates an opportunity in the caller's transaction (lead conversion): in
 * the first open stage of the given pipeline, else of the default one
 * (created on first use), with its first history row and its
 * `opportunity.created` event. Refuses what createOpportunity refuses.
 */
export async function addOpportunity(tx: Tx, ctx: Ctx, input: AddOpportunityInput): Promise<{ id: string }> {
  requireAccess(ctx, "opportunity:create");
  const view = await insertOpportunity(tx, ctx, {
    name: input.name,
    customerId: input.customerId,
    contactId: input.contactId ?? null,
    ownerId: input.ownerId,
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    expectedClose: input.expectedClose ?? null,
    ...(input.source !== undefined ? { source: input.source } : {}),
    leadId: input.leadId ?? null,
    pipelineId: input.pipelineId ?? null,
  });
  return { id: view.id };
}

/** The opportunity, visible to the actor and not deleted, locked for a change. */
export async function lockOpportunity(tx: Tx, ctx: Ctx, id: string, version: ExpectedVersion): Promise<Row> {
  const [current] = await tx
    .select()
    .from(opportunities)
    .where(and(eq(opportunities.id, id), isNull(opportunities.deletedAt), opportunityAccess.visible(ctx)))
    .for("update");
  return checkVersion(current, version, "opportunity");
}

export async function customerName(tx: Tx, id: string): Promise<string> {
  const [c] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, id));
  return c?.name ?? "";
}

export const stateOf = (o: Pick<Row, "amount" | "expectedClose" | "contactId" | "competitors" | "description" | "source">, lineCount: number): FieldState => ({
  amount: o.amount,
  expectedClose: o.expectedClose,
  contactId: o.contactId,
  lineCount,
  competitors: o.competitors,
  description: o.description,
  source: o.source,
});

/**
 * Changes an opportunity's fields (its stage changes by moving it). Products,
 * when given, replace all products and make the amount; a new currency
 * re-prices the products from the catalogue. A change may not empty a field
 * the current stage requires.
 */
export async function updateOpportunity(ctx: Ctx, id: string, version: ExpectedVersion, input: OpportunityUpdateInput): Promise<OpportunityView> {
  requireAccess(ctx, "opportunity:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockOpportunity(tx, ctx, id, version);
    const customerChanged = input.customerId !== undefined && input.customerId !== current.customerId;
    const customer = await loadCustomer(tx, ctx, input.customerId ?? current.customerId, customerChanged);
    if (input.ownerId && input.ownerId !== current.ownerId) await requireMember(tx, input.ownerId);
    const contactId = input.contactId === undefined ? current.contactId : input.contactId;
    if (contactId && (input.contactId !== undefined || customerChanged)) await requireContactOf(tx, customer.id, contactId);
    if (input.amount !== undefined) requireAmount(input.amount);
    const currency = input.currency ?? current.currency;
    const existing = await linesOf(tx, id);
    const before = present(current, await customerName(tx, current.customerId), existing);
    let lines: OpportunityLineInput[] | undefined = input.lines;
    if (lines === undefined && currency !== current.currency && existing.length) {
      lines = existing.map((l) => ({ productId: l.productId, quantity: l.quantity, discountRate: l.discountRate }));
    }
    const lineCount = lines !== undefined ? lines.length : existing.length;
    if (input.amount !== undefined && lineCount > 0) throw invalid("opportunities.amount_from_products", {}, { field: "amount" });
    let amount = input.amount !== undefined ? cents(input.amount) : current.amount;
    if (lines !== undefined) {
      const priced = await priceLines(tx, ctx, customer, currency, lines);
      await writeLines(tx, ctx, id, priced);
      if (priced.length) amount = amountOf(priced);
    }
    const { lines: _lines, ...header } = input;
    const next = {
      ...header,
      customerId: customer.id,
      contactId,
      currency,
      amount,
      ...(input.competitors ? { competitors: [...new Set(input.competitors)] } : {}),
    };
    const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, current.stageId));
    if (stage) {
      const had = new Set(missingFields(stage, stateOf(current, existing.length)));
      const missing = missingFields(stage, stateOf({ ...current, ...next }, lineCount)).filter((f) => !had.has(f));
      if (missing.length) refuseMissing(ctx, stage, missing);
    }
    if (current.status === "lost" && input.lossReason !== undefined && input.lossReason === "") throw invalid("opportunities.loss_reason_required", {}, { field: "lossReason" });
    const [row] = await tx
      .update(opportunities)
      .set({ ...next, version: current.version + 1, updatedAt: new Date() })
      .where(eq(opportunities.id, id))
      .returning();
    const after = present(row!, customer.name, await linesOf(tx, id));
    await recordEvent(tx, ctx, { action: "opportunity.updated", objectType: "opportunity", objectId: id, before, after });
    return after;
  });
}

/** Moves an opportunity to the trash (deleted_at); its history and products stay. */
export async function deleteOpportunity(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "opportunity:delete");
  await inTenant(ctx, async (tx) => {
    const current = await lockOpportunity(tx, ctx, id, "any");
    const now = new Date();
    await tx.update(opportunities).set({ deletedAt: now, updatedAt: now, version: current.version + 1 }).where(eq(opportunities.id, id));
    await recordEvent(tx, ctx, { action: "opportunity.deleted", objectType: "opportunity", objectId: id, before: { deletedAt: null }, after: { deletedAt: now } });
  });
}

export async function getOpportunity(ctx: Ctx, id: string): Promise<OpportunityView> {
  requireAccess(ctx, "opportunity:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx
      .select({ opportunity: opportunities, customerName: customers.name })
      .from(opportunities)
      .innerJoin(customers, and(eq(customers.tenantId, opportunities.tenantId), eq(customers.id, opportunities.customerId)))
      .where(and(eq(opportunities.id, id), isNull(opportunities.deletedAt), opportunityAccess.visible(ctx)));
    if (!row) throw notFound("opportunity");
    return present(row.opportunity, row.customerName, await linesOf(tx, id));
  });
}

export const opportunityListing = defineListing({
  id: opportunities.id,
  defaultSort: "-updatedAt",
  fields: {
    name: { column: opportunities.name, type: "text", sort: true, filter: true },
    updatedAt: { column: opportunities.updatedAt, type: "date", sort: true },
    createdAt: { column: opportunities.createdAt, type: "date", sort: true, filter: true },
    expectedClose: { column: opportunities.expectedClose, type: "date", sort: true, filter: true, nullable: true },
    amount: { column: opportunities.amount, type: "number", sort: true, filter: true, value: (r) => Number(r.amount) },
    pipelineId: { column: opportunities.pipelineId, type: "uuid", filter: true },
    stageId: { column: opportunities.stageId, type: "uuid", filter: true },
    status: { column: opportunities.status, type: "enum", filter: true, values: ["open", "won", "lost"] },
    ownerId: { column: opportunities.ownerId, type: "uuid", filter: true },
    customerId: { column: opportunities.customerId, type: "uuid", filter: true },
    currency: { column: opportunities.currency, type: "text", filter: true },
  },
});

/** Opportunities the actor may see (by owner), without their products; `q` matches the name. */
export async function findOpportunities(ctx: Ctx, query: ListQuery): Promise<Page<OpportunityView>> {
  requireAccess(ctx, "opportunity:read");
  const q = query.q?.trim();
  const list = opportunityListing.build(query, [isNull(opportunities.deletedAt), opportunityAccess.visible(ctx), q ? ilike(opportunities.name, `%${likeEscape(q)}%`) : undefined]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select({ ...getTableColumns(opportunities), customerName: customers.name })
      .from(opportunities)
      .innerJoin(customers, and(eq(customers.tenantId, opportunities.tenantId), eq(customers.id, opportunities.customerId)))
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map(({ customerName, ...o }) => present(o, customerName)) };
  });
}
