import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { inTenant, inTenantOr, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineListing, likeEscape, type ListQuery, type Page } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { notify } from "../notifications/notifications.js";
import { checkRegion, maskEmail, maskPhone } from "../customers/index.js";
import { memberships } from "../workspaces/schema.js";
import { pickByRules } from "./assignment.js";
import type { LeadCreateInput, LeadUpdateInput } from "./contracts.js";
import { leadVisible, maskInLeadPool } from "./policy.js";
import { leadMoves, leads, LEAD_STATUSES } from "./schema.js";
import { indexLead } from "./search-index.js";

export type LeadRow = typeof leads.$inferSelect;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type LeadView = Omit<LeadRow, "tenantId" | "reclaimWarnedAt" | "deletedAt" | "custom"> & { contactDetailsMasked: boolean };

/** Statuses a lead is worked in: they count against the holding cap and the reclaim rule applies. */
export const OPEN_STATUSES = ["new", "contacted", "qualified"] as const satisfies LeadStatus[];

/** `reveal`: for events, which keep the real values whoever acts. */
export function presentLead(ctx: Ctx, row: LeadRow, reveal = false): LeadView {
  const { tenantId: _t, reclaimWarnedAt: _w, deletedAt: _d, custom: _c, ...rest } = row;
  const masked = !reveal && maskInLeadPool(ctx, row.ownerId);
  if (!masked) return { ...rest, contactDetailsMasked: false };
  return {
    ...rest,
    phone: row.phone && maskPhone(row.phone),
    email: row.email && maskEmail(row.email),
    wechat: row.wechat && "****",
    contactDetailsMasked: true,
  };
}

/** The lead, visible to the actor and not deleted; locked when it is to be changed. */
export async function loadLead(tx: Tx, ctx: Ctx, id: string, lock = false): Promise<LeadRow> {
  const q = tx
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), isNull(leads.deletedAt), leadVisible(ctx)));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound("lead");
  return row;
}

export async function requireActiveMember(tx: Tx, userId: string, field: string): Promise<void> {
  const [m] = await tx
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")));
  if (!m) throw invalid("errors.not_found", { object: "user" }, { field });
}

export function requireStatus(row: LeadRow, allowed: readonly LeadStatus[], action: string): void {
  if (!allowed.includes(row.status)) {
    throw invalid("leads.bad_transition", { action: `lead_action_${action}`, status: `lead_status_${row.status}` }, { status: row.status, allowed });
  }
}

/** A pool lead is worked after claiming it; managers may act on it directly. */
function requireWorkable(ctx: Ctx, row: LeadRow): void {
  if (row.ownerId === null && !can(ctx, "lead:manage")) throw conflict("leads.claim_first", { reason: "in_pool" });
}

/**
 * Gives a lead to a user: records the move and tells them (unless they gave
 * it to themselves). `reason`: the rule's name, or "manual".
 */
export async function recordAssignment(tx: Tx, ctx: Ctx, lead: Pick<LeadRow, "id" | "name">, userId: string, reason: string, at: Date): Promise<void> {
  await tx.insert(leadMoves).values({ tenantId: ctx.tenantId, leadId: lead.id, userId, kind: "assign", reason, at });
  if (userId !== ctx.userId) await notify(tx, ctx.tenantId, { userId, kind: "lead_assigned", objectType: "lead", objectId: lead.id, data: { name: lead.name } });
}

function columnsOf(input: LeadUpdateInput): Partial<typeof leads.$inferInsert> {
  const out: Partial<typeof leads.$inferInsert> = {};
  const simple = ["name", "company", "title", "phone", "email", "wechat", "source", "campaign", "provinceCode", "cityCode", "address", "productLine", "industry", "notes"] as const;
  for (const key of simple) if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
  if (input.tags !== undefined) out.tags = [...new Set(input.tags)];
  return out;
}

/**
 * Creates a lead. Its owner: the one given (another user than oneself needs
 * lead:manage); else the creator, if they may claim leads and do not hand
 * it over (`toPool`); else the first matching assignment rule's next user
 * in turn; else nobody — it is in the lead pool. `outer`: the caller's
 * transaction (an import writes its rows in its own).
 */
export async function createLead(ctx: Ctx, input: LeadCreateInput, outer?: Tx): Promise<LeadView> {
  requireAccess(ctx, "lead:create");
  if (input.ownerId && input.toPool) throw invalid("leads.owner_or_pool", {}, { field: "toPool" });
  if (input.ownerId && input.ownerId !== ctx.userId) requireAccess(ctx, "lead:manage");
  checkRegion(input.provinceCode, input.cityCode, undefined, "provinceCode");
  return inTenantOr(ctx, outer, async (tx) => {
    const now = new Date();
    let ownerId: string | null = null;
    let rule: { id: string; name: string } | null = null;
    if (input.ownerId) {
      await requireActiveMember(tx, input.ownerId, "ownerId");
      ownerId = input.ownerId;
    } else if (!input.toPool && ctx.userId && can(ctx, "lead:claim")) {
      ownerId = ctx.userId;
    } else {
      const picked = await pickByRules(tx, { provinceCode: input.provinceCode ?? null, productLine: input.productLine ?? "", source: input.source ?? "" });
      if (picked) {
        ownerId = picked.userId;
        rule = picked.rule;
      }
    }
    const [row] = await tx
      .insert(leads)
      .values({ ...columnsOf(input), name: input.name, tenantId: ctx.tenantId, ownerId, ownedSince: ownerId ? now : null, assignedByRule: rule?.id ?? null, createdBy: ctx.userId })
      .returning();
    // Kept by its creator it was not assigned; given by a rule or to someone else, it was.
    await indexLead(tx, ctx, row!);
    if (ownerId && (rule || ownerId !== ctx.userId)) await recordAssignment(tx, ctx, row!, ownerId, rule?.name ?? "manual", now);
    await recordEvent(tx, ctx, { action: "lead.created", objectType: "lead", objectId: row!.id, after: presentLead(ctx, row!, true), data: rule ? { ruleId: rule.id } : {} });
    return presentLead(ctx, row!);
  });
}

export async function getLead(ctx: Ctx, id: string): Promise<LeadView> {
  requireAccess(ctx, "lead:read");
  return readTenant(ctx, async (tx) => presentLead(ctx, await loadLead(tx, ctx, id)));
}

export const leadListing = defineListing({
  id: leads.id,
  defaultSort: "-updatedAt",
  fields: {
    name: { column: leads.name, type: "text", sort: true, filter: true },
    company: { column: leads.company, type: "text", filter: true },
    status: { column: leads.status, type: "enum", filter: true, values: LEAD_STATUSES },
    ownerId: { column: leads.ownerId, type: "uuid", filter: true },
    source: { column: leads.source, type: "text", filter: true },
    campaign: { column: leads.campaign, type: "text", filter: true },
    provinceCode: { column: leads.provinceCode, type: "text", filter: true },
    productLine: { column: leads.productLine, type: "text", filter: true },
    tag: { column: leads.tags, type: "text", filter: true, array: true },
    lastFollowUpAt: { column: leads.lastFollowUpAt, type: "date", sort: true, filter: true, nullable: true },
    createdAt: { column: leads.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: leads.updatedAt, type: "date", sort: true, filter: true },
  },
});

/** `q`: part of the name, company, e-mail or phone (digits as typed, without spaces or dashes). */
function matches(q: string) {
  const text = `%${likeEscape(q.trim())}%`;
  const digits = q.replace(/[\s\-()]/g, "");
  return or(
    sql`${leads.name} ilike ${text}`,
    sql`${leads.company} ilike ${text}`,
    sql`${leads.email} ilike ${text}`,
    /^\+?\d{3,}$/.test(digits) ? sql`${leads.phone} like ${`%${likeEscape(digits.replace(/^\+/, ""))}%`}` : undefined,
  );
}

/**
 * Leads the actor may see: by owner (role visibility) and the pool (no
 * owner); `filter=ownerId:null` lists the pool.
 */
export async function findLeads(ctx: Ctx, query: ListQuery): Promise<Page<LeadView>> {
  requireAccess(ctx, "lead:read");
  const list = leadListing.build(query, [isNull(leads.deletedAt), leadVisible(ctx), query.q?.trim() ? matches(query.q) : undefined]);
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(leads).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    return { ...page, items: page.items.map((r) => presentLead(ctx, r)) };
  });
}

export async function updateLead(ctx: Ctx, id: string, version: ExpectedVersion, input: LeadUpdateInput, outer?: Tx): Promise<LeadView> {
  requireAccess(ctx, "lead:update");
  return inTenantOr(ctx, outer, async (tx) => {
    const current = checkVersion(await loadLead(tx, ctx, id, true), version, "lead");
    requireWorkable(ctx, current);
    requireStatus(current, [...OPEN_STATUSES, "lost"], "update");
    const values = columnsOf(input);
    const province = input.provinceCode !== undefined ? input.provinceCode : current.provinceCode;
    const city = input.cityCode !== undefined ? input.cityCode : input.provinceCode !== undefined ? null : current.cityCode;
    if (input.provinceCode !== undefined || input.cityCode !== undefined) {
      checkRegion(province, city, undefined, input.cityCode !== undefined ? "cityCode" : "provinceCode");
      values.cityCode = city;
    }
    const [row] = await tx
      .update(leads)
      .set({ ...values, version: current.version + 1, updatedAt: new Date() })
      .where(eq(leads.id, id))
      .returning();
    await indexLead(tx, ctx, row!);
    await recordEvent(tx, ctx, { action: "lead.updated", objectType: "lead", objectId: id, before: presentLead(ctx, current, true), after: presentLead(ctx, row!, true) });
    return presentLead(ctx, row!);
  });
}

/** Soft delete (lead:delete): the lead leaves lists, the pool and the reclaim rule. */
export async function deleteLead(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "lead:delete");
  await inTenant(ctx, async (tx) => {
    const current = await loadLead(tx, ctx, id, true);
    const now = new Date();
    const [row] = await tx.update(leads).set({ deletedAt: now, updatedAt: now, version: current.version + 1 }).where(eq(leads.id, id)).returning();
    await indexLead(tx, ctx, row!);
    await recordEvent(tx, ctx, { action: "lead.deleted", objectType: "lead", objectId: id, before: { deletedAt: null }, after: { deletedAt: now } });
  });
}

/**
 * A follow-up with the lead: the reclaim clock restarts (never moves back),
 * a new lead becomes contacted. The note is kept in the event.
 */
export async function followUpLead(ctx: Ctx, id: string, version: ExpectedVersion, note: string, now = new Date()): Promise<LeadView> {
  requireAccess(ctx, "lead:update");
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await loadLead(tx, ctx, id, true), version, "lead");
    requireWorkable(ctx, current);
    requireStatus(current, OPEN_STATUSES, "follow_up");
    const [row] = await tx
      .update(leads)
      .set({
        lastFollowUpAt: sql`greatest(${leads.lastFollowUpAt}, ${now.toISOString()}::timestamptz)`,
        reclaimWarnedAt: null,
        status: current.status === "new" ? "contacted" : current.status,
        version: current.version + 1,
        updatedAt: now,
      })
      .where(eq(leads.id, id))
      .returning();
    await indexLead(tx, ctx, row!);
    await recordEvent(tx, ctx, { action: "lead.followed_up", objectType: "lead", objectId: id, before: presentLead(ctx, current, true), after: presentLead(ctx, row!, true), data: { note } });
    return presentLead(ctx, row!);
  });
}

const TRANSITIONS = {
  qualify: { from: ["new", "contacted"], event: "lead.qualified" },
  lose: { from: OPEN_STATUSES, event: "lead.lost" },
  reopen: { from: ["lost"], event: "lead.reopened" },
} as const satisfies Record<string, { from: readonly LeadStatus[]; event: string }>;
export type LeadTransition = keyof typeof TRANSITIONS;

/**
 * Qualification and loss: new/contacted → qualified; any open status → lost
 * with a reason; lost → reopened (contacted if it was followed up, else
 * new), its reclaim clock restarting.
 */
export async function transitionLead(ctx: Ctx, id: string, version: ExpectedVersion, action: LeadTransition, lostReason = ""): Promise<LeadView> {
  requireAccess(ctx, "lead:update");
  if (action === "lose" && !lostReason.trim()) throw invalid("leads.lost_reason_required", {}, { field: "lostReason" });
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await loadLead(tx, ctx, id, true), version, "lead");
    requireWorkable(ctx, current);
    requireStatus(current, TRANSITIONS[action].from, action);
    const now = new Date();
    const change: Partial<typeof leads.$inferInsert> =
      action === "qualify"
        ? { status: "qualified" }
        : action === "lose"
          ? { status: "lost", lostReason: lostReason.trim() }
          : { status: current.lastFollowUpAt ? "contacted" : "new", lostReason: "", reclaimWarnedAt: null, ...(current.ownerId ? { ownedSince: now } : {}) };
    const [row] = await tx
      .update(leads)
      .set({ ...change, version: current.version + 1, updatedAt: now })
      .where(eq(leads.id, id))
      .returning();
    await indexLead(tx, ctx, row!);
    await recordEvent(tx, ctx, { action: TRANSITIONS[action].event, objectType: "lead", objectId: id, before: presentLead(ctx, current, true), after: presentLead(ctx, row!, true) });
    return presentLead(ctx, row!);
  });
}

/**
 * Gives a lead to a user (an active member): one's own lead with
 * lead:update, anyone else's or a pool lead with lead:manage. The new owner
 * is notified; their reclaim clock starts now.
 */
export async function assignLead(ctx: Ctx, id: string, version: ExpectedVersion, userId: string): Promise<LeadView> {
  requireAccess(ctx, "lead:update");
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await loadLead(tx, ctx, id, true), version, "lead");
    if (current.ownerId !== ctx.userId) requireAccess(ctx, "lead:manage");
    requireStatus(current, [...OPEN_STATUSES, "lost"], "assign");
    await requireActiveMember(tx, userId, "userId");
    const now = new Date();
    const [row] = await tx
      .update(leads)
      .set({ ownerId: userId, ownedSince: now, reclaimWarnedAt: null, assignedByRule: null, version: current.version + 1, updatedAt: now })
      .where(eq(leads.id, id))
      .returning();
    await indexLead(tx, ctx, row!);
    await recordAssignment(tx, ctx, row!, userId, "manual", now);
    await recordEvent(tx, ctx, { action: "lead.assigned", objectType: "lead", objectId: id, before: { ownerId: current.ownerId }, after: { ownerId: userId } });
    return presentLead(ctx, row!);
  });
}
