import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess, visibleOwnerCondition } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { AppError } from "../../lib/errors.js";
import { cents, money, sum, type Money } from "../../lib/money.js";
import { workspaceToday, workspaceZone } from "../workspaces/calendar.js";
import { baseCurrency, convert } from "../products/index.js";
import { actualsByOwner, attainment, dayBefore, periodOf, present, type Period, type PeriodType, type TargetMetric } from "./actuals.js";
import { personalTargets, scopeNames } from "./targets.js";

const shown = (p: Period) => ({ type: p.type, start: p.start, end: dayBefore(p.end) });

/** The people whose figures the actor may see: themself (own), team-mates, their department and below, or everyone. */
async function visiblePeople(tx: Tx, ctx: Ctx): Promise<Set<string> | null> {
  if (ctx.visibility === "all") return null;
  const rows = await tx.execute<{ user_id: string }>(sql`select user_id from memberships where ${visibleOwnerCondition(ctx, sql`user_id`)}`);
  const out = new Set(rows.rows.map((r) => r.user_id));
  if (ctx.userId) out.add(ctx.userId);
  return out;
}

export interface LeaderboardEntry {
  rank: number;
  userId: string;
  name: string;
  actual: string;
  target: string | null;
  attainment: number | null;
}

/**
 * The people I may see ranked by what they achieved in a period (ties share a
 * rank), with their personal targets. Active members without a figure are
 * listed at 0, so a rep with nothing yet still sees where they stand.
 */
export async function getLeaderboard(ctx: Ctx, input: { metric: TargetMetric; periodType: PeriodType; on?: string }) {
  requireAccess(ctx, "target:read");
  return readTenant(ctx, async (tx) => {
    const period = periodOf(input.periodType, input.on ?? (await workspaceToday(tx, ctx.tenantId)));
    const people = await visiblePeople(tx, ctx);
    const actuals = await actualsByOwner(tx, input.metric, period, await workspaceZone(tx, ctx.tenantId));
    const targets = await personalTargets(tx, input.metric, period);
    const members = (await tx.execute<{ user_id: string }>(sql`select user_id from memberships where status = 'active'`)).rows.map((r) => r.user_id);
    const ids = new Set([...members, ...actuals.byOwner.keys(), ...targets.keys()].filter((id) => !people || people.has(id)));
    const names = await scopeNames(tx, [...ids].map((scopeId) => ({ scope: "user" as const, scopeId })));
    const rows = [...ids]
      .map((userId) => ({ userId, value: actuals.byOwner.get(userId) ?? money(0) }))
      .sort((a, b) => b.value.comparedTo(a.value) || (names.get(a.userId) ?? "").localeCompare(names.get(b.userId) ?? ""));
    const items: LeaderboardEntry[] = [];
    rows.forEach((r, i) => {
      const previous = items[i - 1];
      const rank = previous && rows[i - 1]!.value.eq(r.value) ? previous.rank : i + 1;
      const target = targets.get(r.userId) ?? null;
      items.push({ rank, userId: r.userId, name: names.get(r.userId) ?? "", actual: present(input.metric, r.value), target, attainment: target === null ? null : attainment(r.value, target) });
    });
    return { metric: input.metric, period: shown(period), currency: await baseCurrency(tx, ctx.tenantId), items };
  });
}

interface ForecastFigures {
  openCount: number;
  pipeline: string;
  weighted: string;
  actual: string;
  projected: string;
  target: string | null;
  projectedAttainment: number | null;
}

/**
 * The weighted pipeline forecast of a period, per owner I may see: open
 * opportunities expected to close in it, their amounts × probability (the
 * opportunity's own, else its stage's) in the base currency at today's rates,
 * beside the orders accepted so far in the period and the personal
 * order-amount target. projected = actual + weighted.
 */
export async function getForecast(ctx: Ctx, input: { periodType: PeriodType; on?: string }) {
  requireAccess(ctx, "target:read");
  return readTenant(ctx, async (tx) => {
    const today = await workspaceToday(tx, ctx.tenantId);
    const period = periodOf(input.periodType, input.on ?? today);
    const open = (
      await tx.execute<{ owner_id: string; currency: string; n: number; amount: string; weighted: string }>(sql`
        select o.owner_id, o.currency, count(*)::int as n, sum(o.amount)::text as amount,
               (sum(o.amount * coalesce(o.probability, s.probability)) / 100)::text as weighted
          from opportunities o
          join pipeline_stages s on s.tenant_id = o.tenant_id and s.id = o.stage_id
         where o.status = 'open' and o.deleted_at is null
           and o.expected_close >= ${period.start}::date and o.expected_close < ${period.end}::date
           and ${visibleOwnerCondition(ctx, sql`o.owner_id`)}
         group by o.owner_id, o.currency`)
    ).rows;
    const base = await baseCurrency(tx, ctx.tenantId);
    const missing = new Set<string>();
    const pipe = new Map<string, { n: number; amount: Money; weighted: Money }>();
    for (const r of open) {
      const p = pipe.get(r.owner_id) ?? { n: 0, amount: money(0), weighted: money(0) };
      pipe.set(r.owner_id, p);
      p.n += r.n;
      if (missing.has(r.currency)) continue;
      try {
        p.amount = p.amount.plus(await convert(tx, r.amount, r.currency, base, today));
        p.weighted = p.weighted.plus(await convert(tx, r.weighted, r.currency, base, today));
      } catch (err) {
        if (!(err instanceof AppError && err.messageKey === "pricing.no_rate")) throw err;
        missing.add(r.currency);
      }
    }
    const people = await visiblePeople(tx, ctx);
    const actuals = await actualsByOwner(tx, "order_amount", period, await workspaceZone(tx, ctx.tenantId));
    const targets = await personalTargets(tx, "order_amount", period);
    const ids = [...new Set([...pipe.keys(), ...actuals.byOwner.keys(), ...targets.keys()])].filter((id) => !people || people.has(id));
    const names = await scopeNames(tx, ids.map((scopeId) => ({ scope: "user" as const, scopeId })));
    const figures = (n: number, pipeline: Money, weighted: Money, actual: Money, target: string | null): ForecastFigures => {
      const projected = actual.plus(weighted);
      return {
        openCount: n,
        pipeline: cents(pipeline),
        weighted: cents(weighted),
        actual: cents(actual),
        projected: cents(projected),
        target,
        projectedAttainment: target === null ? null : attainment(projected, target),
      };
    };
    const items = ids
      .map((ownerId) => {
        const p = pipe.get(ownerId);
        return { ownerId, name: names.get(ownerId) ?? "", ...figures(p?.n ?? 0, p?.amount ?? money(0), p?.weighted ?? money(0), actuals.byOwner.get(ownerId) ?? money(0), targets.get(ownerId) ?? null) };
      })
      .sort((a, b) => money(b.projected).comparedTo(a.projected) || a.name.localeCompare(b.name));
    const targetSum = items.some((i) => i.target !== null) ? cents(sum(items.flatMap((i) => (i.target === null ? [] : [i.target])))) : null;
    const totals = figures(
      items.reduce((n, i) => n + i.openCount, 0),
      sum(items.map((i) => i.pipeline)),
      sum(items.map((i) => i.weighted)),
      sum(items.map((i) => i.actual)),
      targetSum,
    );
    return { period: shown(period), currency: base, missingRates: [...missing].sort(), items, totals };
  });
}
