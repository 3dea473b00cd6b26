import { eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { recordEvent } from "../../lib/events.js";
import { formatCode, periodOf } from "../../lib/numbering.js";
import { workspaceToday } from "../workspaces/calendar.js";
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
export async function nextNumber(tx: Tx, tenantId: string, kind: keyof typeof COUNTERS, at = new Date()): Promise<string> {
  const settings = await orderSettingsOf(tx, tenantId);
  const day = await workspaceToday(tx, tenantId, at);
  const c = COUNTERS[kind];
  const [patternKey, periodKey, nextKey] = c.keys;
  const pattern = settings[patternKey];
  const period = periodOf(pattern, day);
  const [row] = await tx
    .update(orderSettings)
    .set({ [nextKey]: sql`case when ${c.period} = ${period} then ${c.next} + 1 else 2 end`, [periodKey]: period })
    .where(eq(orderSettings.tenantId, tenantId))
    .returning({ next: c.next });
  return formatCode(pattern, row!.next - 1, day);
}

export const nextOrderNumber = (tx: Tx, tenantId: string, at = new Date()) => nextNumber(tx, tenantId, "order", at);

/**
 * The period and count of a number written with `pattern` (SO{YYYY}{MM}{SEQ:5}:
 * SO20240100012 → 202401, 12), or null when the number does not have that pattern.
 */
function readNumber(pattern: string, number: string): { period: string; seq: number } | null {
  const parts: string[] = [];
  const source = pattern.replace(/\{(YYYY|YY|MM|DD|SEQ:\d)\}|([^{]+|\{)/g, (_, token: string | undefined, text: string | undefined) => {
    if (!token) return text!.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    parts.push(token);
    return token === "YYYY" ? "(\\d{4})" : token.startsWith("SEQ") ? `(\\d{${token.slice(4)},})` : "(\\d{2})";
  });
  const m = new RegExp(`^${source}$`).exec(number);
  if (!m) return null;
  const got = Object.fromEntries(parts.map((p, i) => [p, m[i + 1]!]));
  const year = got.YYYY ?? (got.YY ? `20${got.YY}` : "");
  const seq = Number(got[parts.find((p) => p.startsWith("SEQ"))!]);
  const period = pattern.includes("{DD}") ? `${year}${got.MM ?? ""}${got.DD}` : pattern.includes("{MM}") ? `${year}${got.MM}` : year;
  return { period, seq };
}

/**
 * Keeps the order counter ahead of a number that came from elsewhere (an
 * imported historical order), so that no generated number ever equals it.
 * Numbers are generated for the current period only (the date is the day of
 * creation), so only a number of the workspace's pattern in the current
 * period can collide: the counter then moves past it, under its row lock.
 * Numbers of past periods or of another pattern leave the counter alone.
 */
export async function advanceOrderCounter(tx: Tx, tenantId: string, number: string, at = new Date()): Promise<void> {
  const settings = await orderSettingsOf(tx, tenantId);
  const read = readNumber(settings.numberPattern, number);
  const period = periodOf(settings.numberPattern, await workspaceToday(tx, tenantId, at));
  if (!read || read.period !== period) return;
  await tx
    .update(orderSettings)
    .set({
      numberNext: sql`case when ${orderSettings.numberPeriod} = ${period} then greatest(${orderSettings.numberNext}, ${read.seq + 1}) else ${read.seq + 1} end`,
      numberPeriod: period,
    })
    .where(eq(orderSettings.tenantId, tenantId));
}
export const nextPaymentNumber = (tx: Tx, tenantId: string, at = new Date()) => nextNumber(tx, tenantId, "payment", at);
export const nextQuoteNumber = (tx: Tx, tenantId: string, at = new Date()) => nextNumber(tx, tenantId, "quote", at);

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
