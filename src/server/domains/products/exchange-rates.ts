import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { money } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import type { ExchangeRateInput } from "./contracts.js";
import "./messages.js";
import { exchangeRates, pricingSettings } from "./schema.js";

/** Until a workspace chooses, prices and limits are in renminbi (the column's default). */
export const DEFAULT_BASE_CURRENCY = "CNY";

type RateRow = typeof exchangeRates.$inferSelect;
export type ExchangeRateView = Omit<RateRow, "tenantId">;
const presentRate = ({ tenantId: _t, ...rest }: RateRow): ExchangeRateView => rest;

/** The workspace's base currency: exchange rates are quoted against it, credit limits are compared in it. */
export async function baseCurrency(tx: Tx, tenantId: string): Promise<string> {
  const [row] = await tx.select({ baseCurrency: pricingSettings.baseCurrency }).from(pricingSettings).where(eq(pricingSettings.tenantId, tenantId));
  return row?.baseCurrency ?? DEFAULT_BASE_CURRENCY;
}

export async function getPricingSettings(ctx: Ctx): Promise<{ baseCurrency: string; version: number }> {
  requireAccess(ctx, "price_list:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(pricingSettings).where(eq(pricingSettings.tenantId, ctx.tenantId)));
  // The row is created on first change; until then, the defaults.
  return row ? { baseCurrency: row.baseCurrency, version: row.version } : { baseCurrency: DEFAULT_BASE_CURRENCY, version: 1 };
}

/**
 * Changes the base currency. Stored rates say what a currency is worth in
 * the current base, so they would silently mean something else after the
 * change: while any exist, the change is refused.
 */
export async function updatePricingSettings(ctx: Ctx, version: ExpectedVersion, input: { baseCurrency?: string }) {
  requireAccess(ctx, "price_list:manage");
  return inTenant(ctx, async (tx) => {
    await tx.insert(pricingSettings).values({ tenantId: ctx.tenantId }).onConflictDoNothing();
    const [current] = await tx.select().from(pricingSettings).where(eq(pricingSettings.tenantId, ctx.tenantId)).for("update");
    checkVersion(current, version, "pricing_settings");
    const next = input.baseCurrency ?? current!.baseCurrency;
    if (next !== current!.baseCurrency) {
      const [rate] = await tx.select({ currency: exchangeRates.currency }).from(exchangeRates).limit(1);
      if (rate) throw conflict("pricing.base_has_rates", { field: "baseCurrency" });
    }
    const [row] = await tx
      .update(pricingSettings)
      .set({ baseCurrency: next, version: current!.version + 1, updatedAt: new Date() })
      .where(eq(pricingSettings.tenantId, ctx.tenantId))
      .returning();
    const view = (r: typeof row) => ({ baseCurrency: r!.baseCurrency, version: r!.version });
    await recordEvent(tx, ctx, { action: "pricing_settings.updated", objectType: "pricing_settings", objectId: ctx.tenantId, before: view(current), after: view(row) });
    return view(row);
  });
}

/** Sets the rate of a currency from a date on; a rate for the same currency and date is replaced. */
export async function setExchangeRate(ctx: Ctx, input: ExchangeRateInput): Promise<ExchangeRateView> {
  requireAccess(ctx, "price_list:manage");
  return inTenant(ctx, async (tx) => {
    const base = await baseCurrency(tx, ctx.tenantId);
    if (input.currency === base) throw invalid("pricing.rate_for_base", { currency: base }, { field: "currency" });
    const key = and(eq(exchangeRates.currency, input.currency), eq(exchangeRates.validFrom, input.validFrom));
    const [before] = await tx.select().from(exchangeRates).where(key).for("update");
    const [row] = await tx
      .insert(exchangeRates)
      .values({ tenantId: ctx.tenantId, currency: input.currency, validFrom: input.validFrom, rate: input.rate, createdBy: ctx.userId })
      .onConflictDoUpdate({
        target: [exchangeRates.tenantId, exchangeRates.currency, exchangeRates.validFrom],
        set: { rate: input.rate, createdAt: new Date(), createdBy: ctx.userId },
      })
      .returning();
    const after = presentRate(row!);
    await recordEvent(tx, ctx, {
      action: "exchange_rate.set",
      objectType: "exchange_rate",
      objectId: `${input.currency}:${input.validFrom}`,
      before: before ? { rate: before.rate } : null,
      after: { rate: after.rate },
      data: { base },
    });
    return after;
  });
}

export async function deleteExchangeRate(ctx: Ctx, currency: string, validFrom: string): Promise<void> {
  requireAccess(ctx, "price_list:manage");
  await inTenant(ctx, async (tx) => {
    const [row] = await tx
      .delete(exchangeRates)
      .where(and(eq(exchangeRates.currency, currency), eq(exchangeRates.validFrom, validFrom)))
      .returning();
    if (!row) throw notFound("exchange_rate");
    await recordEvent(tx, ctx, { action: "exchange_rate.deleted", objectType: "exchange_rate", objectId: `${currency}:${validFrom}`, before: { rate: row.rate } });
  });
}

/** Rates, latest first (of one currency, or of all). */
export async function findExchangeRates(ctx: Ctx, query: { currency?: string | undefined; limit: number }): Promise<ExchangeRateView[]> {
  requireAccess(ctx, "price_list:read");
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select()
      .from(exchangeRates)
      .where(query.currency ? eq(exchangeRates.currency, query.currency) : undefined)
      .orderBy(desc(exchangeRates.validFrom), exchangeRates.currency)
      .limit(query.limit),
  );
  return rows.map(presentRate);
}

/**
 * `amount` in `from` as an amount in `to` on the day `on` (YYYY-MM-DD):
 * amount × rate(from) ÷ rate(to), where a currency's rate is the latest one
 * valid on that day and the base currency's is 1. Exact decimal arithmetic,
 * not rounded (a cross rate that does not divide evenly keeps 40 significant
 * digits); callers round where the business rounds. Without a rate: a
 * VALIDATION error `pricing.no_rate` naming the currency and date.
 * Runs in the caller's transaction; the tenant is the one set on it.
 */
export async function convert(tx: Tx, amount: string, from: string, to: string, on: string): Promise<string> {
  const value = money(amount);
  if (from === to) return amount;
  // Row-level security leaves only the transaction's workspace's settings row.
  const [settings] = await tx.select({ baseCurrency: pricingSettings.baseCurrency }).from(pricingSettings).limit(1);
  const base = settings?.baseCurrency ?? DEFAULT_BASE_CURRENCY;
  const wanted = [from, to].filter((c) => c !== base);
  const rows = await tx
    .selectDistinctOn([exchangeRates.currency], { currency: exchangeRates.currency, rate: exchangeRates.rate })
    .from(exchangeRates)
    .where(and(inArray(exchangeRates.currency, wanted), lte(exchangeRates.validFrom, on)))
    .orderBy(exchangeRates.currency, sql`${exchangeRates.validFrom} desc`);
  const rates = new Map(rows.map((r) => [r.currency, r.rate]));
  const rateOf = (currency: string) => {
    if (currency === base) return money(1);
    const rate = rates.get(currency);
    if (rate === undefined) throw invalid("pricing.no_rate", { currency, date: on }, { currency });
    return money(rate);
  };
  return value.times(rateOf(from)).dividedBy(rateOf(to)).toFixed();
}
