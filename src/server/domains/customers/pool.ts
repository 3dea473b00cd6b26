import { and, asc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, defineObject, requireAccess } from "../../lib/access.js";
import { inTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { startOfLocalDay } from "../../lib/calendar.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { notify } from "../notifications/notifications.js";
import { workspaceZone } from "../workspaces/calendar.js";
import { customerVisible } from "./policy.js";
import { contacts, customerContacts, customers, poolMoves, pools, searchDocuments } from "./schema.js";

/** claim/release: work the pool; manage: pools and their rules, and seeing contact details in the pool. */
export const poolObject = defineObject("pool", "sales", ["read", "claim", "create", "update", "delete", "manage"]);

type PoolRow = typeof pools.$inferSelect;
export type PoolView = Omit<PoolRow, "tenantId" | "createdAt" | "updatedAt">;
const present = ({ tenantId: _t, createdAt: _c, updatedAt: _u, ...rest }: PoolRow): PoolView => rest;

export interface PoolInput {
  name: string;
  isDefault?: boolean;
  dailyClaimLimit?: number;
  maxHeld?: number;
  reclaimNoFollowUpDays?: number | null;
  reclaimNoDealDays?: number | null;
  warnDays?: number;
  cooldownDays?: number;
}

/** The workspace's default pool, created on first use. */
export async function defaultPool(tx: Tx, tenantId: string): Promise<PoolRow> {
  const [row] = await tx.select().from(pools).where(eq(pools.isDefault, true));
  if (row) return row;
  await tx.insert(pools).values({ tenantId, name: "公海", isDefault: true }).onConflictDoNothing();
  const [created] = await tx.select().from(pools).where(eq(pools.isDefault, true));
  return created!;
}

export async function findPools(ctx: Ctx): Promise<PoolView[]> {
  requireAccess(ctx, "pool:read");
  const rows = await inTenant(ctx, async (tx) => {
    await defaultPool(tx, ctx.tenantId);
    return tx.select().from(pools).orderBy(sql`${pools.isDefault} desc`, asc(pools.name));
  });
  return rows.map(present);
}

async function unsetOtherDefaults(tx: Tx, keepId: string) {
  await tx.update(pools).set({ isDefault: false }).where(and(eq(pools.isDefault, true), sql`${pools.id} <> ${keepId}`));
}

export async function createPool(ctx: Ctx, input: PoolInput): Promise<PoolView> {
  requireAccess(ctx, "pool:create");
  try {
    return await inTenant(ctx, async (tx) => {
      if (input.isDefault) await tx.update(pools).set({ isDefault: false }).where(eq(pools.isDefault, true));
      const [row] = await tx.insert(pools).values({ ...input, tenantId: ctx.tenantId }).returning();
      await recordEvent(tx, ctx, { action: "pool.created", objectType: "pool", objectId: row!.id, after: present(row!) });
      return present(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "pools_name_key")) throw conflict("errors.name_taken", { field: "name" });
    throw err;
  }
}

export async function updatePool(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<PoolInput>): Promise<PoolView> {
  requireAccess(ctx, "pool:update");
  try {
    return await inTenant(ctx, async (tx) => {
      const [current] = await tx.select().from(pools).where(eq(pools.id, id)).for("update");
      checkVersion(current, version, "pool");
      if (input.isDefault === false && current!.isDefault) throw invalid("errors.pool_default_required", {}, { field: "isDefault" });
      if (input.isDefault) await unsetOtherDefaults(tx, id);
      const [row] = await tx.update(pools).set({ ...input, version: current!.version + 1, updatedAt: new Date() }).where(eq(pools.id, id)).returning();
      await recordEvent(tx, ctx, { action: "pool.updated", objectType: "pool", objectId: id, before: present(current!), after: present(row!) });
      return present(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "pools_name_key")) throw conflict("errors.name_taken", { field: "name" });
    throw err;
  }
}

/**
 * Claims a pool customer for the actor. Exactly one of concurrent claims of
 * one customer wins (row lock); one person's concurrent claims queue on a
 * per-person lock, so the daily limit and the holding cap cannot be raced.
 */
export async function claimCustomer(ctx: Ctx, id: string, now = new Date()): Promise<{ id: string; ownerId: string }> {
  requireAccess(ctx, "pool:claim");
  const userId = ctx.userId;
  if (!userId) throw invalid("errors.validation");
  return inTenant(ctx, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`claim:${ctx.tenantId}:${userId}`}, 0))`);
    // Not narrowed by visibility: whoever lost the race learns it was claimed (409), not that it vanished.
    const [row] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.id, id), isNull(customers.deletedAt)))
      .for("update");
    if (!row) throw notFound("customer");
    if (row.ownerId !== null) throw conflict("errors.already_claimed", { reason: "claimed" });
    const pool = row.poolId ? ((await tx.select().from(pools).where(eq(pools.id, row.poolId)))[0] ?? (await defaultPool(tx, ctx.tenantId))) : await defaultPool(tx, ctx.tenantId);

    const cooldownFrom = new Date(now.getTime() - pool.cooldownDays * 86_400_000);
    const [recent] = await tx
      .select({ at: poolMoves.at })
      .from(poolMoves)
      .where(and(eq(poolMoves.customerId, id), eq(poolMoves.userId, userId), sql`${poolMoves.action} in ('release', 'reclaim')`, gte(poolMoves.at, cooldownFrom)))
      .limit(1);
    if (recent) {
      const until = new Date(recent.at.getTime() + pool.cooldownDays * 86_400_000);
      throw conflict("errors.claim_cooldown", { reason: "cooldown", until: until.toISOString() });
    }
    const [{ today } = { today: 0 }] = await tx
      .select({ today: sql<number>`count(*)::int` })
      .from(poolMoves)
      .where(and(eq(poolMoves.userId, userId), eq(poolMoves.action, "claim"), gte(poolMoves.at, startOfLocalDay(await workspaceZone(tx, ctx.tenantId), now))));
    if (today >= pool.dailyClaimLimit) throw conflict("errors.claim_daily_limit", { reason: "daily_limit", limit: pool.dailyClaimLimit });
    const [{ held } = { held: 0 }] = await tx
      .select({ held: sql<number>`count(*)::int` })
      .from(customers)
      .where(and(eq(customers.ownerId, userId), isNull(customers.deletedAt)));
    if (held >= pool.maxHeld) throw conflict("errors.claim_hold_limit", { reason: "hold_limit", limit: pool.maxHeld });

    await tx
      .update(customers)
      .set({ ownerId: userId, poolId: pool.id, ownedSince: now, reclaimWarnedAt: null, updatedAt: now, version: row.version + 1 })
      .where(eq(customers.id, id));
    await setContactsOwner(tx, id, null, userId);
    await tx.update(searchDocuments).set({ ownerId: userId }).where(and(eq(searchDocuments.objectType, "customer"), eq(searchDocuments.objectId, id)));
    await tx.insert(poolMoves).values({ tenantId: ctx.tenantId, customerId: id, poolId: pool.id, userId, action: "claim", at: now });
    await recordEvent(tx, ctx, { action: "customer.claimed", objectType: "customer", objectId: id, before: { ownerId: null }, after: { ownerId: userId }, data: { poolId: pool.id } });
    return { id, ownerId: userId };
  });
}

/** Contacts that went with the customer (owned by `from`) go with it. */
async function setContactsOwner(tx: Tx, customerId: string, from: string | null, to: string | null) {
  const ids = tx.select({ id: customerContacts.contactId }).from(customerContacts).where(eq(customerContacts.customerId, customerId));
  await tx
    .update(contacts)
    .set({ ownerId: to, updatedAt: new Date() })
    .where(and(sql`${contacts.id} in ${ids}`, from === null ? isNull(contacts.ownerId) : eq(contacts.ownerId, from)));
  await tx
    .update(searchDocuments)
    .set({ ownerId: to })
    .where(and(eq(searchDocuments.objectType, "contact"), sql`${searchDocuments.objectId} in ${ids}`, from === null ? isNull(searchDocuments.ownerId) : eq(searchDocuments.ownerId, from)));
}

/**
 * An owner change made by editing the customer (assignment, transfer, or
 * clearing the owner): the customer's contacts held by the previous owner
 * follow, a cleared owner puts the customer in its pool (recorded as a
 * release), and the reclaim clock restarts for the new owner. Returns the
 * columns to write with the update.
 */
export async function ownerChange(tx: Tx, ctx: Ctx, row: typeof customers.$inferSelect, to: string | null, now: Date) {
  await setContactsOwner(tx, row.id, row.ownerId, to);
  if (to === null) {
    const poolId = row.poolId ?? (await defaultPool(tx, ctx.tenantId)).id;
    if (row.ownerId) await tx.insert(poolMoves).values({ tenantId: ctx.tenantId, customerId: row.id, poolId, userId: row.ownerId, action: "release", reason: "", at: now });
    return { ownerId: null, poolId, ownedSince: null, reclaimWarnedAt: null };
  }
  return { ownerId: to, ownedSince: now, reclaimWarnedAt: null };
}

/**
 * Puts a customer back into a pool: its owner releases it, or someone who
 * may update it (a manager) moves it. `action` reclaim is the rules' doing.
 */
async function toPool(ctx: Ctx, tx: Tx, row: typeof customers.$inferSelect, poolId: string, action: "release" | "reclaim", reason: string, now: Date) {
  const formerOwner = row.ownerId!;
  await tx
    .update(customers)
    .set({ ownerId: null, poolId, ownedSince: null, reclaimWarnedAt: null, updatedAt: now, version: row.version + 1 })
    .where(eq(customers.id, row.id));
  await setContactsOwner(tx, row.id, formerOwner, null);
  await tx.update(searchDocuments).set({ ownerId: null }).where(and(eq(searchDocuments.objectType, "customer"), eq(searchDocuments.objectId, row.id)));
  await tx.insert(poolMoves).values({ tenantId: ctx.tenantId, customerId: row.id, poolId, userId: formerOwner, action, reason, at: now });
  await recordEvent(tx, ctx, {
    action: action === "release" ? "customer.released" : "customer.reclaimed",
    objectType: "customer",
    objectId: row.id,
    before: { ownerId: formerOwner },
    after: { ownerId: null },
    data: { poolId, reason },
  });
}

export async function releaseCustomer(ctx: Ctx, id: string, input: { poolId?: string; reason?: string }, now = new Date()): Promise<void> {
  requireAccess(ctx, "pool:claim");
  await inTenant(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.id, id), isNull(customers.deletedAt), customerVisible(ctx)))
      .for("update");
    if (!row) throw notFound("customer");
    if (row.ownerId === null) throw conflict("errors.already_in_pool");
    // The owner releases; anyone else needs the right to update it (a manager over the owner).
    if (row.ownerId !== ctx.userId) requireAccess(ctx, "customer:update");
    let poolId = input.poolId ?? row.poolId;
    if (input.poolId) {
      const [p] = await tx.select({ id: pools.id }).from(pools).where(eq(pools.id, input.poolId));
      if (!p) throw invalid("errors.not_found", { object: "pool" }, { field: "poolId" });
    }
    poolId ??= (await defaultPool(tx, ctx.tenantId)).id;
    await toPool(ctx, tx, row, poolId, "release", input.reason ?? "", now);
  });
}

/**
 * The pool rules, run on a schedule: owned customers past a pool's
 * no-follow-up or no-deal limit go back to it; owners whose customers are
 * within `warnDays` of that are notified once per deadline. The clock of a
 * customer starts when it was claimed (or created) and restarts with every
 * follow-up or deal.
 */
export async function applyPoolRules(ctx: Ctx, now = new Date()): Promise<{ reclaimed: number; warned: number }> {
  let reclaimed = 0;
  let warned = 0;
  await inTenant(ctx, async (tx) => {
    const def = await defaultPool(tx, ctx.tenantId);
    const all = await tx.select().from(pools);
    for (const pool of all) {
      if (pool.reclaimNoFollowUpDays === null && pool.reclaimNoDealDays === null) continue;
      const inThisPool = pool.id === def.id ? sql`(${customers.poolId} = ${pool.id} or ${customers.poolId} is null)` : sql`${customers.poolId} = ${pool.id}`;
      const start = sql`coalesce(${customers.ownedSince}, ${customers.createdAt})`;
      const deadlines: ReturnType<typeof sql>[] = [];
      if (pool.reclaimNoFollowUpDays !== null) deadlines.push(sql`greatest(${start}, coalesce(${customers.lastFollowUpAt}, ${start})) + make_interval(days => ${pool.reclaimNoFollowUpDays})`);
      if (pool.reclaimNoDealDays !== null) deadlines.push(sql`greatest(${start}, coalesce(${customers.lastDealAt}, ${start})) + make_interval(days => ${pool.reclaimNoDealDays})`);
      const deadline = deadlines.length === 1 ? deadlines[0]! : sql`least(${sql.join(deadlines, sql`, `)})`;
      const due = await tx
        .select({ row: customers, deadline: sql<Date>`${deadline}`.mapWith((v: string) => new Date(v)) })
        .from(customers)
        .where(and(sql`${customers.ownerId} is not null`, isNull(customers.deletedAt), inThisPool, sql`${deadline} <= ${now.toISOString()}::timestamptz + make_interval(days => ${pool.warnDays})`))
        .for("update", { of: customers });
      for (const { row, deadline: at } of due) {
        if (at <= now) {
          await toPool(ctx, tx, row, pool.id, "reclaim", "rule", now);
          await notify(tx, ctx.tenantId, { userId: row.ownerId!, kind: "customer_reclaimed", objectType: "customer", objectId: row.id, data: { name: row.name, pool: pool.name } });
          reclaimed++;
        } else if (!row.reclaimWarnedAt || row.reclaimWarnedAt < (row.lastFollowUpAt ?? row.ownedSince ?? row.createdAt)) {
          await tx.update(customers).set({ reclaimWarnedAt: now }).where(eq(customers.id, row.id));
          const days = Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 86_400_000));
          await notify(tx, ctx.tenantId, { userId: row.ownerId!, kind: "customer_reclaim_warning", objectType: "customer", objectId: row.id, data: { name: row.name, days, pool: pool.name } });
          warned++;
        }
      }
    }
  });
  return { reclaimed, warned };
}

/** Pool customers' phones and e-mails are masked until claimed, unless one may manage pools. */
export function maskInPool(ctx: Ctx, ownerId: string | null): boolean {
  return ownerId === null && !can(ctx, "pool:manage");
}

export const maskPhone = (e164: string) => {
  const digits = e164.split(";")[0]!;
  return digits.length > 7 ? `${digits.slice(0, digits.length - 8)}****${digits.slice(-4)}` : "****";
};
export const maskEmail = (address: string) => {
  const [local = "", domain = ""] = address.split("@");
  return `${local.slice(0, 1)}***@${domain}`;
};
