import { and, asc, eq, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { sqlMidnightAfter, sqlMidnightOf } from "../../lib/calendar.js";
import type { Ctx } from "../../lib/context.js";
import { AppError } from "../../lib/errors.js";
import { cents, money, sum, type Money } from "../../lib/money.js";
import { customers } from "../customers/index.js";
import { baseCurrency, convert } from "../products/index.js";
import { workspaceToday, workspaceZone } from "../workspaces/calendar.js";
import { opportunityAccess } from "./policy.js";
import { opportunities, pipelineStages } from "./schema.js";

/** Count, amount and weighted amount of one currency in one group (stage), exact decimal strings. */
interface CurrencySums {
  key: string;
  currency: string;
  count: number;
  amount: string;
  weighted: string;
}

export interface Totals {
  count: number;
  amount: string;
  weighted: string;
}

/**
 * Adds up sums kept per currency in the base currency at today's rates,
 * exactly, rounded to cents once at the end. A currency without a rate is
 * counted but left out of the amounts and named in `missingRates`.
 */
async function inBase(tx: Tx, ctx: Ctx, rows: CurrencySums[]): Promise<{ currency: string; missingRates: string[]; totals: Map<string, Totals> }> {
  const base = await baseCurrency(tx, ctx.tenantId);
  const on = await workspaceToday(tx, ctx.tenantId);
  const missing = new Set<string>();
  const acc = new Map<string, { count: number; amount: Money[]; weighted: Money[] }>();
  for (const r of rows) {
    const a = acc.get(r.key) ?? { count: 0, amount: [], weighted: [] };
    acc.set(r.key, a);
    a.count += r.count;
    if (missing.has(r.currency)) continue;
    try {
      a.amount.push(money(await convert(tx, r.amount, r.currency, base, on)));
      a.weighted.push(money(await convert(tx, r.weighted, r.currency, base, on)));
    } catch (err) {
      if (!(err instanceof AppError && err.messageKey === "pricing.no_rate")) throw err;
      missing.add(r.currency);
    }
  }
  const totals = new Map([...acc].map(([key, a]) => [key, { count: a.count, amount: cents(sum(a.amount)), weighted: cents(sum(a.weighted)) }]));
  return { currency: base, missingRates: [...missing].sort(), totals };
}

const EFFECTIVE_PROBABILITY = sql`coalesce(${opportunities.probability}, ${pipelineStages.probability})`;
const stageJoin = and(eq(pipelineStages.tenantId, opportunities.tenantId), eq(pipelineStages.id, opportunities.stageId));

/** Per stage of a pipeline: count, amount and weighted amount of the opportunities the actor sees, in the base currency. */
export async function boardSums(tx: Tx, ctx: Ctx, pipelineId: string) {
  const rows = await tx
    .select({
      key: opportunities.stageId,
      currency: opportunities.currency,
      count: sql<number>`count(*)::int`,
      amount: sql<string>`sum(${opportunities.amount})::text`,
      weighted: sql<string>`(sum(${opportunities.amount} * ${EFFECTIVE_PROBABILITY}) / 100)::text`,
    })
    .from(opportunities)
    .innerJoin(pipelineStages, stageJoin)
    .where(and(eq(opportunities.pipelineId, pipelineId), isNull(opportunities.deletedAt), opportunityAccess.visible(ctx)))
    .groupBy(opportunities.stageId, opportunities.currency);
  return inBase(tx, ctx, rows);
}

/** The first `perColumn` cards of every column (by rank) the actor sees. */
export async function boardCards(tx: Tx, ctx: Ctx, pipelineId: string, perColumn: number) {
  const ranked = tx
    .select({
      id: opportunities.id,
      name: opportunities.name,
      stageId: opportunities.stageId,
      customerId: opportunities.customerId,
      ownerId: opportunities.ownerId,
      amount: opportunities.amount,
      currency: opportunities.currency,
      expectedClose: opportunities.expectedClose,
      probability: sql<number>`${EFFECTIVE_PROBABILITY}`.as("effective_probability"),
      status: opportunities.status,
      rank: opportunities.rank,
      stageEnteredAt: opportunities.stageEnteredAt,
      version: opportunities.version,
      n: sql<number>`row_number() over (partition by ${opportunities.stageId} order by ${opportunities.rank}, ${opportunities.id})`.as("n"),
    })
    .from(opportunities)
    .innerJoin(pipelineStages, stageJoin)
    .where(and(eq(opportunities.pipelineId, pipelineId), isNull(opportunities.deletedAt), opportunityAccess.visible(ctx)))
    .as("ranked");
  return tx
    .select({
      id: ranked.id,
      name: ranked.name,
      stageId: ranked.stageId,
      customerId: ranked.customerId,
      customerName: customers.name,
      ownerId: ranked.ownerId,
      amount: ranked.amount,
      currency: ranked.currency,
      expectedClose: ranked.expectedClose,
      probability: ranked.probability,
      status: ranked.status,
      rank: ranked.rank,
      stageEnteredAt: ranked.stageEnteredAt,
      version: ranked.version,
    })
    .from(ranked)
    .innerJoin(customers, eq(customers.id, ranked.customerId))
    .where(lte(ranked.n, perColumn))
    .orderBy(asc(ranked.rank), asc(ranked.id));
}

export interface SummaryOptions {
  /** Only this pipeline; all pipelines when left out. */
  pipelineId?: string;
  /** YYYY-MM-DD, inclusive: open opportunities by expected close, closed ones by their closing day. */
  from?: string;
  to?: string;
}

export interface StageSummary extends Totals {
  pipelineId: string;
  stageId: string;
  name: string;
  kind: "open" | "won" | "lost";
  probability: number;
}

export interface PipelineSummary {
  /** The base currency: every amount is in it. */
  currency: string;
  missingRates: string[];
  stages: StageSummary[];
  won: Totals;
  lost: Totals;
  /** won / (won + lost) of the opportunities closed in the range, 4 decimals; null when none closed. */
  winRate: number | null;
  /** Days from creation to closing of the won ones, 1 decimal; null when none was won. */
  averageCycleDays: number | null;
}

/**
 * The sales dashboard's figures for the opportunities the actor sees: per
 * stage count, amount and weighted amount (amount × the opportunity's own
 * probability, else the stage's) — the weighted pipeline forecast — plus the
 * win rate and the average sales cycle of those closed in the range. Open
 * opportunities fall in the range by expected close (without one they count
 * only when no range is given), closed ones by the day they closed.
 */
export async function pipelineSummary(tx: Tx, ctx: Ctx, options: SummaryOptions = {}): Promise<PipelineSummary> {
  requireAccess(ctx, "opportunity:read");
  // Closing is an instant: the range's days start at midnight on the workspace's clocks.
  const zone = await workspaceZone(tx, ctx.tenantId);
  const closedIn: SQL[] = [];
  if (options.from) closedIn.push(sql`${opportunities.closedAt} >= ${sqlMidnightOf(options.from, zone)}`);
  if (options.to) closedIn.push(sql`${opportunities.closedAt} < ${sqlMidnightAfter(options.to, zone)}`);
  const expectedIn: SQL[] = [];
  if (options.from) expectedIn.push(sql`${opportunities.expectedClose} >= ${options.from}::date`);
  if (options.to) expectedIn.push(sql`${opportunities.expectedClose} <= ${options.to}::date`);
  const inRange = sql`case when ${opportunities.status} = 'open' then ${and(sql`true`, ...expectedIn)} else ${and(sql`true`, ...closedIn)} end`;
  const pipelineOf = (column: typeof opportunities.pipelineId | typeof pipelineStages.pipelineId) => (options.pipelineId ? eq(column, options.pipelineId) : undefined);
  const live = and(isNull(opportunities.deletedAt), opportunityAccess.visible(ctx));

  const stages = await tx.select().from(pipelineStages).where(pipelineOf(pipelineStages.pipelineId)).orderBy(asc(pipelineStages.pipelineId), asc(pipelineStages.position));
  const sums = stages.length
    ? await tx
        .select({
          key: opportunities.stageId,
          currency: opportunities.currency,
          count: sql<number>`count(*)::int`,
          amount: sql<string>`sum(${opportunities.amount})::text`,
          weighted: sql<string>`(sum(${opportunities.amount} * ${EFFECTIVE_PROBABILITY}) / 100)::text`,
        })
        .from(opportunities)
        .innerJoin(pipelineStages, stageJoin)
        .where(and(live, pipelineOf(opportunities.pipelineId), inArray(opportunities.stageId, stages.map((s) => s.id)), inRange))
        .groupBy(opportunities.stageId, opportunities.currency)
    : [];
  const closed = await tx
    .select({
      key: opportunities.status,
      currency: opportunities.currency,
      count: sql<number>`count(*)::int`,
      amount: sql<string>`sum(${opportunities.amount})::text`,
      weighted: sql<string>`sum(${opportunities.amount})::text`,
    })
    .from(opportunities)
    .where(and(live, pipelineOf(opportunities.pipelineId), inArray(opportunities.status, ["won", "lost"]), ...closedIn))
    .groupBy(opportunities.status, opportunities.currency);
  const [cycle] = await tx
    .select({ days: sql<string | null>`round(avg(extract(epoch from ${opportunities.closedAt} - ${opportunities.createdAt}) / 86400), 1)::text` })
    .from(opportunities)
    .where(and(live, pipelineOf(opportunities.pipelineId), eq(opportunities.status, "won"), ...closedIn));

  const converted = await inBase(tx, ctx, [...sums, ...closed]);
  const none: Totals = { count: 0, amount: "0.00", weighted: "0.00" };
  const won = converted.totals.get("won") ?? none;
  const lost = converted.totals.get("lost") ?? none;
  const decided = won.count + lost.count;
  return {
    currency: converted.currency,
    missingRates: converted.missingRates,
    stages: stages.map((s) => ({ pipelineId: s.pipelineId, stageId: s.id, name: s.name, kind: s.kind, probability: s.probability, ...(converted.totals.get(s.id) ?? none) })),
    won: { ...won, weighted: won.amount },
    lost: { ...lost, weighted: "0.00" },
    winRate: decided ? Number(money(won.count).dividedBy(decided).toDecimalPlaces(4).toString()) : null,
    averageCycleDays: cycle?.days == null ? null : Number(cycle.days),
  };
}
