import { eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { recordEvent } from "../../lib/events.js";
import { formatCode, periodOf } from "../../lib/numbering.js";
import { workspaceToday } from "../workspaces/calendar.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { customerSettings } from "./schema.js";
import { gradeExpression } from "./grading.js";
import { REGRADE_JOB } from "./jobs.js";

export { formatCode, periodOf };

type Settings = typeof customerSettings.$inferSelect;

/** The workspace's customer settings, created with defaults on first use. */
export async function settingsOf(tx: Tx, tenantId: string): Promise<Settings> {
  const [row] = await tx.select().from(customerSettings).where(eq(customerSettings.tenantId, tenantId));
  if (row) return row;
  await tx.insert(customerSettings).values({ tenantId }).onConflictDoNothing();
  const [created] = await tx.select().from(customerSettings).where(eq(customerSettings.tenantId, tenantId));
  return created!;
}

/**
 * The next customer code. The counter row is updated in the caller's
 * transaction: concurrent creates queue on its row lock, and a rolled-back
 * create gives its number back, so codes have neither gaps nor duplicates.
 * Dates are the workspace's calendar (its time zone).
 */
export async function nextCustomerCode(tx: Tx, tenantId: string, at = new Date()): Promise<string> {
  const settings = await settingsOf(tx, tenantId);
  const day = await workspaceToday(tx, tenantId, at);
  const period = periodOf(settings.codePattern, day);
  const [row] = await tx
    .update(customerSettings)
    .set({
      codeNext: sql`case when ${customerSettings.codePeriod} = ${period} then ${customerSettings.codeNext} + 1 else 2 end`,
      codePeriod: period,
    })
    .where(eq(customerSettings.tenantId, tenantId))
    .returning({ next: customerSettings.codeNext });
  return formatCode(settings.codePattern, row!.next - 1, day);
}

const view = (s: Settings) => ({ codePattern: s.codePattern, duplicateMode: s.duplicateMode, gradeRules: s.gradeRules, defaultGrade: s.defaultGrade, version: s.version });

export async function getCustomerSettings(ctx: Ctx) {
  requireAccess(ctx, "customer:read");
  // Created on first write; until then the defaults.
  const row = await readTenant(ctx, (tx) => tx.select().from(customerSettings).where(eq(customerSettings.tenantId, ctx.tenantId)));
  return row[0] ? view(row[0]) : { codePattern: "C{YYYY}{SEQ:5}", duplicateMode: "warn" as const, gradeRules: [], defaultGrade: null, version: 1 };
}

export interface SettingsInput {
  codePattern?: string;
  duplicateMode?: "warn" | "block";
  gradeRules?: Settings["gradeRules"];
  defaultGrade?: Settings["defaultGrade"];
}

/** Changing the grade rules re-grades every customer without a manual grade, as a job (its id is returned). */
export async function updateCustomerSettings(ctx: Ctx, version: ExpectedVersion, input: SettingsInput) {
  requireAccess(ctx, "workspace:update");
  const saved = await inTenant(ctx, async (tx) => {
    await settingsOf(tx, ctx.tenantId);
    const [current] = await tx.select().from(customerSettings).where(eq(customerSettings.tenantId, ctx.tenantId)).for("update");
    checkVersion(current, version, "customer_settings");
    const patternChanged = input.codePattern !== undefined && input.codePattern !== current!.codePattern;
    const [row] = await tx
      .update(customerSettings)
      .set({
        ...input,
        // A new pattern starts its own count.
        ...(patternChanged ? { codePeriod: "", codeNext: 1 } : {}),
        version: current!.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(customerSettings.tenantId, ctx.tenantId))
      .returning();
    // Refuses rules the list would refuse (unknown fields, bad values) before anything is saved.
    if (input.gradeRules !== undefined || input.defaultGrade !== undefined) await gradeExpression(tx, row!.gradeRules, row!.defaultGrade);
    await recordEvent(tx, ctx, { action: "customer_settings.updated", objectType: "customer_settings", objectId: ctx.tenantId, before: view(current!), after: view(row!) });
    return view(row!);
  });
  const regrading = input.gradeRules !== undefined || input.defaultGrade !== undefined;
  const jobId = regrading ? await ctx.services.jobs.enqueue(ctx, REGRADE_JOB, {}) : null;
  return { ...saved, regradeJobId: jobId };
}
