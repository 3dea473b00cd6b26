import { eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { recordEvent } from "../../lib/events.js";
import { formatCode, periodOf } from "../../lib/numbering.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { orderSettings } from "./schema.js";

type Settings = typeof orderSettings.$inferSelect;

/** The workspace's order settings, created with defaults on first use. */
export async function orderSettingsOf(tx: Tx, tenantId: string): Promise<Settings> {
  const [row] = await tx.select().from(orderSettings).where(eq(orderSettings.tenantId, tenantId));
  if (row) return row;
  await tx.insert(orderSettings).values({ tenantId }).onConflictDoNothing();
  const [created] = await tx.select().from(orderSettings).where(eq(orderSettings.tenantId, tenantId));
  return created!;
}

const COUNTERS = {
  order: { pattern: orderSettings.numberPattern, period: orderSettings.numberPeriod, next: orderSettings.numberNext, keys: ["numberPattern", "numberPeriod", "numberNext"] },
  payment: { pattern: orderSettings.paymentPattern, period: orderSettings.paymentPeriod, next: orderSettings.paymentNext, keys: ["paymentPattern", "paymentPeriod", "paymentNext"] },
  quote: { pattern: orderSettings.quotePattern, period: orderSettings.quotePeriod, next: orderSettings.quoteNext, keys: ["quotePattern", "quotePeriod", "quoteNext"] },
} as const;

/**
 * The next number of a sales document (order, payment, quote). The counter
 * row is updated in the creating transaction: concurrent creates queue on its
 * row lock and a rolled-back create gives its number back, so numbers have
 * neither gaps nor duplicates.
 */
export async function nextNumber(tx: Tx, tenantId: string, kind: keyof typeof COUNTERS, now = new Date()): Promise<string> {
  const settings = await orderSettingsOf(tx, tenantId);
  const c = COUNTERS[kind];
  const [patternKey, periodKey, nextKey] = c.keys;
  const pattern = settings[patternKey];
  const period = periodOf(pattern, now);
  const [row] = await tx
    .update(orderSettings)
    .set({ [nextKey]: sql`case when ${c.period} = ${period} then ${c.next} + 1 else 2 end`, [periodKey]: period })
    .where(eq(orderSettings.tenantId, tenantId))
    .returning({ next: c.next });
  return formatCode(pattern, row!.next - 1, now);
}

export const nextOrderNumber = (tx: Tx, tenantId: string, now = new Date()) => nextNumber(tx, tenantId, "order", now);
export const nextPaymentNumber = (tx: Tx, tenantId: string, now = new Date()) => nextNumber(tx, tenantId, "payment", now);
export const nextQuoteNumber = (tx: Tx, tenantId: string, now = new Date()) => nextNumber(tx, tenantId, "quote", now);

type Viewed = "numberPattern" | "paymentPattern" | "quotePattern" | "creditMode" | "salesLimitPeriod" | "discountApprovalAbove" | "letterhead" | "version";
const view = (s: Pick<Settings, Viewed>) => ({
  numberPattern: s.numberPattern,
  paymentPattern: s.paymentPattern,
  quotePattern: s.quotePattern,
  creditMode: s.creditMode,
  salesLimitPeriod: s.salesLimitPeriod,
  discountApprovalAbove: s.discountApprovalAbove,
  letterhead: s.letterhead,
  version: s.version,
});
const DEFAULTS: Pick<Settings, Viewed> = {
  numberPattern: "SO{YYYY}{MM}{SEQ:5}",
  paymentPattern: "HK{YYYY}{MM}{SEQ:5}",
  quotePattern: "QT{YYYY}{MM}{SEQ:5}",
  creditMode: "approval",
  salesLimitPeriod: "month",
  discountApprovalAbove: null,
  letterhead: {},
  version: 1,
};
export type OrderSettingsView = ReturnType<typeof view>;

export async function getOrderSettings(ctx: Ctx): Promise<OrderSettingsView> {
  requireAccess(ctx, "order:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(orderSettings).where(eq(orderSettings.tenantId, ctx.tenantId)));
  return view(row ?? DEFAULTS);
}

export interface OrderSettingsInput {
  numberPattern?: string;
  paymentPattern?: string;
  quotePattern?: string;
  discountApprovalAbove?: string | null;
  letterhead?: Settings["letterhead"];
  creditMode?: Settings["creditMode"];
  salesLimitPeriod?: Settings["salesLimitPeriod"];
}

export async function updateOrderSettings(ctx: Ctx, version: ExpectedVersion, input: OrderSettingsInput): Promise<OrderSettingsView> {
  requireAccess(ctx, "workspace:update");
  return inTenant(ctx, async (tx) => {
    await orderSettingsOf(tx, ctx.tenantId);
    const [current] = await tx.select().from(orderSettings).where(eq(orderSettings.tenantId, ctx.tenantId)).for("update");
    checkVersion(current, version, "order_settings");
    // A new pattern starts its own count.
    const restart = (key: "numberPattern" | "paymentPattern" | "quotePattern", period: string, next: string) =>
      input[key] !== undefined && input[key] !== current![key] ? { [period]: "", [next]: 1 } : {};
    const [row] = await tx
      .update(orderSettings)
      .set({
        ...input,
        ...restart("numberPattern", "numberPeriod", "numberNext"),
        ...restart("paymentPattern", "paymentPeriod", "paymentNext"),
        ...restart("quotePattern", "quotePeriod", "quoteNext"),
        version: current!.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(orderSettings.tenantId, ctx.tenantId))
      .returning();
    await recordEvent(tx, ctx, { action: "order_settings.updated", objectType: "order_settings", objectId: ctx.tenantId, before: view(current!), after: view(row!) });
    return view(row!);
  });
}
