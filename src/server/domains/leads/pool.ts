import { and, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { startOfLocalDay } from "../../lib/calendar.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { notify } from "../notifications/notifications.js";
import { workspaceZone } from "../workspaces/calendar.js";
import type { PoolSettingsInput } from "./contracts.js";
import { loadLead, OPEN_STATUSES, presentLead, requireStatus, type LeadRow, type LeadView } from "./leads.js";
import { leadMoves, leadPoolSettings, leads } from "./schema.js";
import { indexLead } from "./search-index.js";

type SettingsRow = typeof leadPoolSettings.$inferSelect;
export type PoolSettingsView = Pick<SettingsRow, "dailyClaimLimit" | "maxHeld" | "reclaimNoFollowUpDays" | "warnDays" | "cooldownDays" | "version">;
const presentSettings = ({ dailyClaimLimit, maxHeld, reclaimNoFollowUpDays, warnDays, cooldownDays, version }: SettingsRow): PoolSettingsView => ({
  dailyClaimLimit,
  maxHeld,
  reclaimNoFollowUpDays,
  warnDays,
  cooldownDays,
  version,
});

const DAY = 86_400_000;

/** The workspace's lead pool rules; the defaults until someone changes them. */
async function settingsOf(tx: Tx, tenantId: string, lock = false): Promise<SettingsRow> {
  const read = async () => {
    const q = tx.select().from(leadPoolSettings);
    return (lock ? await q.for("update") : await q)[0];
  };
  const row = await read();
  if (row) return row;
  await tx.insert(leadPoolSettings).values({ tenantId }).onConflictDoNothing();
  return (await read())!;
}

/** Defaults when the workspace has no settings row yet (reads write nothing). */
const DEFAULTS = { dailyClaimLimit: 20, maxHeld: 200, reclaimNoFollowUpDays: null, warnDays: 2, cooldownDays: 7, version: 1 } satisfies PoolSettingsView;

export async function getLeadPoolSettings(ctx: Ctx): Promise<PoolSettingsView> {
  requireAccess(ctx, "lead:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(leadPoolSettings);
    return row ? presentSettings(row) : DEFAULTS;
  });
}

export async function updateLeadPoolSettings(ctx: Ctx, version: ExpectedVersion, input: PoolSettingsInput): Promise<PoolSettingsView> {
  requireAccess(ctx, "lead:manage");
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await settingsOf(tx, ctx.tenantId, true), version, "lead_pool_settings");
    const [row] = await tx
      .update(leadPoolSettings)
      .set({ ...input, version: current.version + 1, updatedAt: new Date() })
      .where(eq(leadPoolSettings.tenantId, ctx.tenantId))
      .returning();
    await recordEvent(tx, ctx, { action: "lead_pool_settings.updated", objectType: "lead_pool_settings", objectId: ctx.tenantId, before: presentSettings(current), after: presentSettings(row!) });
    return presentSettings(row!);
  });
}

/**
 * Claims a pool lead for the actor, under the customer pool's rules:
 * exactly one of concurrent claims of one lead wins (row lock); one
 * person's claims queue on a per-person lock, so the daily limit and the
 * holding cap (open leads held) cannot be raced; whoever released the lead
 * (or had it reclaimed) waits out the cooldown.
 */
export async function claimLead(ctx: Ctx, id: string, now = new Date()): Promise<LeadView> {
  requireAccess(ctx, "lead:claim");
  const userId = ctx.userId;
  if (!userId) throw invalid("errors.validation");
  return inTenant(ctx, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lead-claim:${ctx.tenantId}:${userId}`}, 0))`);
    // Not narrowed by visibility: whoever lost the race learns it was claimed (409), not that it vanished.
    const [row] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.id, id), isNull(leads.deletedAt)))
      .for("update");
    if (!row) throw notFound("lead");
    if (row.ownerId !== null) throw conflict("leads.already_claimed", { reason: "claimed" });
    const settings = await settingsOf(tx, ctx.tenantId);

    const [recent] = await tx
      .select({ at: leadMoves.at })
      .from(leadMoves)
      .where(and(eq(leadMoves.leadId, id), eq(leadMoves.userId, userId), inArray(leadMoves.kind, ["release", "reclaim"]), gte(leadMoves.at, new Date(now.getTime() - settings.cooldownDays * DAY))))
      .orderBy(sql`${leadMoves.at} desc`)
      .limit(1);
    if (recent) throw conflict("leads.claim_cooldown", { reason: "cooldown", until: new Date(recent.at.getTime() + settings.cooldownDays * DAY).toISOString() });
    const [{ today } = { today: 0 }] = await tx
      .select({ today: sql<number>`count(*)::int` })
      .from(leadMoves)
      .where(and(eq(leadMoves.userId, userId), eq(leadMoves.kind, "claim"), gte(leadMoves.at, startOfLocalDay(await workspaceZone(tx, ctx.tenantId), now))));
    if (today >= settings.dailyClaimLimit) throw new AppError("CONFLICT", "leads.claim_daily_limit", { limit: settings.dailyClaimLimit }, { reason: "daily_limit", limit: settings.dailyClaimLimit });
    const [{ held } = { held: 0 }] = await tx
      .select({ held: sql<number>`count(*)::int` })
      .from(leads)
      .where(and(eq(leads.ownerId, userId), isNull(leads.deletedAt), inArray(leads.status, OPEN_STATUSES)));
    if (held >= settings.maxHeld) throw new AppError("CONFLICT", "leads.claim_hold_limit", { limit: settings.maxHeld }, { reason: "hold_limit", limit: settings.maxHeld });

    const [claimed] = await tx
      .update(leads)
      .set({ ownerId: userId, ownedSince: now, reclaimWarnedAt: null, assignedByRule: null, updatedAt: now, version: row.version + 1 })
      .where(eq(leads.id, id))
      .returning();
    await indexLead(tx, ctx, claimed!);
    await tx.insert(leadMoves).values({ tenantId: ctx.tenantId, leadId: id, userId, kind: "claim", at: now });
    await recordEvent(tx, ctx, { action: "lead.claimed", objectType: "lead", objectId: id, before: { ownerId: null }, after: { ownerId: userId } });
    return presentLead(ctx, claimed!);
  });
}

/** Back to the pool: released by its owner (or a manager), or reclaimed by the rule. */
async function toPool(tx: Tx, ctx: Ctx, row: LeadRow, kind: "release" | "reclaim", reason: string, now: Date): Promise<void> {
  const [pooled] = await tx
    .update(leads)
    .set({ ownerId: null, ownedSince: null, reclaimWarnedAt: null, assignedByRule: null, updatedAt: now, version: row.version + 1 })
    .where(eq(leads.id, row.id))
    .returning();
  await indexLead(tx, ctx, pooled!);
  await tx.insert(leadMoves).values({ tenantId: ctx.tenantId, leadId: row.id, userId: row.ownerId!, kind, reason, at: now });
  await recordEvent(tx, ctx, {
    action: kind === "release" ? "lead.released" : "lead.reclaimed",
    objectType: "lead",
    objectId: row.id,
    before: { ownerId: row.ownerId },
    after: { ownerId: null },
    data: { reason },
  });
}

/** Puts an open lead back into the pool: its owner, or a manager (lead:manage) who sees it. */
export async function releaseLead(ctx: Ctx, id: string, reason = "", now = new Date()): Promise<void> {
  requireAccess(ctx, "lead:claim");
  await inTenant(ctx, async (tx) => {
    const row = await loadLead(tx, ctx, id, true);
    if (row.ownerId === null) throw conflict("leads.already_in_pool", { reason: "in_pool" });
    if (row.ownerId !== ctx.userId) requireAccess(ctx, "lead:manage");
    // Only leads still worked go back: the pool holds no closed leads.
    requireStatus(row, OPEN_STATUSES, "release");
    await toPool(tx, ctx, row, "release", reason, now);
  });
}

/**
 * The reclaim rule, run on a schedule: owned open leads without a
 * follow-up for `reclaimNoFollowUpDays` (counted from the later of being
 * given the lead and its last follow-up) go back to the pool; owners are
 * warned `warnDays` before, once per deadline.
 */
export async function applyLeadPoolRules(ctx: Ctx, now = new Date()): Promise<{ reclaimed: number; warned: number }> {
  let reclaimed = 0;
  let warned = 0;
  await inTenant(ctx, async (tx) => {
    const [settings] = await tx.select().from(leadPoolSettings);
    if (!settings || settings.reclaimNoFollowUpDays === null) return;
    const start = sql`coalesce(${leads.ownedSince}, ${leads.createdAt})`;
    const clock = sql`greatest(${start}, coalesce(${leads.lastFollowUpAt}, ${start}))`;
    const deadline = sql`${clock} + make_interval(days => ${settings.reclaimNoFollowUpDays})`;
    const due = await tx
      .select({ row: leads, clock: sql<string>`${clock}`.mapWith((v: string) => new Date(v)), deadline: sql<string>`${deadline}`.mapWith((v: string) => new Date(v)) })
      .from(leads)
      .where(
        and(
          sql`${leads.ownerId} is not null`,
          isNull(leads.deletedAt),
          inArray(leads.status, OPEN_STATUSES),
          sql`${deadline} <= ${now.toISOString()}::timestamptz + make_interval(days => ${settings.warnDays})`,
        ),
      )
      .for("update", { of: leads });
    for (const { row, clock: since, deadline: at } of due) {
      const ownerId = row.ownerId!;
      if (at <= now) {
        await toPool(tx, ctx, row, "reclaim", "rule", now);
        await notify(tx, ctx.tenantId, { userId: ownerId, kind: "lead_reclaimed", objectType: "lead", objectId: row.id, data: { name: row.name } });
        reclaimed++;
      } else if (!row.reclaimWarnedAt || row.reclaimWarnedAt < since) {
        await tx.update(leads).set({ reclaimWarnedAt: now }).where(eq(leads.id, row.id));
        const days = Math.max(1, Math.ceil((at.getTime() - now.getTime()) / DAY));
        await notify(tx, ctx.tenantId, { userId: ownerId, kind: "lead_reclaim_warning", objectType: "lead", objectId: row.id, data: { name: row.name, days } });
        warned++;
      }
    }
  });
  return { reclaimed, warned };
}
