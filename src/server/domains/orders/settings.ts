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

/**
 * The next order number. The counter row is updated in the creating
 * transaction: concurrent creates queue on its row lock and a rolled-back
 * create gives its number back, so numbers have neither gaps nor duplicates.
 */
export async function nextOrderNumber(tx: Tx, tenantId: string, now = new Date()): Promise<string> {
  const settings = await orderSettingsOf(tx, tenantId);
  const period = periodOf(settings.numberPattern, now);
  const [row] = await tx
    .update(orderSettings)
    .set({ numberNext: sql`case when ${orderSettings.numberPeriod} = ${period} then ${orderSettings.numberNext} + 1 else 2 end`, numberPeriod: period })
    .where(eq(orderSettings.tenantId, tenantId))
    .returning({ next: orderSettings.numberNext });
  return formatCode(settings.numberPattern, row!.next - 1, now);
}

/** The next payment number (回款单号), counted like order numbers. */
export async function nextPaymentNumber(tx: Tx, tenantId: string, now = new Date()): Promise<string> {
  const settings = await orderSettingsOf(tx, tenantId);
  const period = periodOf(settings.paymentPattern, now);
  const [row] = await tx
    .update(orderSettings)
    .set({ paymentNext: sql`case when ${orderSettings.paymentPeriod} = ${period} then ${orderSettings.paymentNext} + 1 else 2 end`, paymentPeriod: period })
    .where(eq(orderSettings.tenantId, tenantId))
    .returning({ next: orderSettings.paymentNext });
  return formatCode(settings.paymentPattern, row!.next - 1, now);
}

const view = (s: Pick<Settings, "numberPattern" | "creditMode" | "salesLimitPeriod" | "version">) => ({
  numberPattern: s.numberPattern,
  creditMode: s.creditMode,
  salesLimitPeriod: s.salesLimitPeriod,
  version: s.version,
});
export type OrderSettingsView = ReturnType<typeof view>;

export async function getOrderSettings(ctx: Ctx): Promise<OrderSettingsView> {
  requireAccess(ctx, "order:read");
  const [row] = await readTenant(ctx, (tx) => tx.select().from(orderSettings).where(eq(orderSettings.tenantId, ctx.tenantId)));
  return view(row ?? { numberPattern: "SO{YYYY}{MM}{SEQ:5}", creditMode: "approval", salesLimitPeriod: "month", version: 1 });
}

export interface OrderSettingsInput {
  numberPattern?: string;
  creditMode?: Settings["creditMode"];
  salesLimitPeriod?: Settings["salesLimitPeriod"];
}

export async function updateOrderSettings(ctx: Ctx, version: ExpectedVersion, input: OrderSettingsInput): Promise<OrderSettingsView> {
  requireAccess(ctx, "workspace:update");
  return inTenant(ctx, async (tx) => {
    await orderSettingsOf(tx, ctx.tenantId);
    const [current] = await tx.select().from(orderSettings).where(eq(orderSettings.tenantId, ctx.tenantId)).for("update");
    checkVersion(current, version, "order_settings");
    const patternChanged = input.numberPattern !== undefined && input.numberPattern !== current!.numberPattern;
    const [row] = await tx
      .update(orderSettings)
      .set({ ...input, ...(patternChanged ? { numberPeriod: "", numberNext: 1 } : {}), version: current!.version + 1, updatedAt: new Date() })
      .where(eq(orderSettings.tenantId, ctx.tenantId))
      .returning();
    await recordEvent(tx, ctx, { action: "order_settings.updated", objectType: "order_settings", objectId: ctx.tenantId, before: view(current!), after: view(row!) });
    return view(row!);
  });
}
