import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { withTenant } from "../../db/client.js";
import { allPermissions } from "../../lib/access.js";
import { systemCtx, type Ctx } from "../../lib/context.js";
import { money } from "../../lib/money.js";
import { workspaceToday } from "../workspaces/calendar.js";
import type { TestEnv } from "../../test/harness.js";
import { duesDirect, duesFromRollup, monthsDirect, monthsFromRollup } from "./queries.js";

const norm = (v: string) => money(v).toString();

/**
 * The sales roll-up of a workspace is exact: it equals the direct queries on
 * orders and payments, for everyone and for each of `owners` on their own,
 * and a rebuild from scratch (`sales_rollup_rebuild`) gives the same rows.
 * For tests of anything that writes orders, payments or instalments.
 */
export async function expectRollupConsistent(t: TestEnv, tenantId: string, owners: string[] = []): Promise<void> {
  const ctxFor = (userId: string | null, visibility: Ctx["visibility"]): Ctx => ({ ...systemCtx(t.database, t.services, tenantId, allPermissions(), userId), visibility });
  await withTenant(t.database, { tenantId, userId: null }, async (tx) => {
    for (const ctx of [ctxFor(null, "all"), ...owners.map((id) => ctxFor(id, "own"))]) {
      const rolled = (await monthsFromRollup(tx, ctx, "2000-01-01", "2100-12-31")).filter((m) => m.orders !== 0 || !money(m.amount).isZero() || !money(m.payments).isZero());
      const direct = await monthsDirect(tx, ctx, "2000-01-01", "2100-12-31");
      expect(rolled.map((m) => [m.month, m.orders, norm(m.amount), norm(m.payments)])).toEqual(direct.map((m) => [m.month, m.orders, norm(m.amount), norm(m.payments)]));
      for (const asOf of ["2026-01-01", await workspaceToday(tx, tenantId), "2100-01-01"]) {
        const a = await duesFromRollup(tx, ctx, asOf);
        const b = await duesDirect(tx, ctx, asOf);
        expect(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, norm(v)]))).toEqual(Object.fromEntries(Object.entries(b).map(([k, v]) => [k, norm(v)])));
      }
    }
    const snapshot = async () => ({
      daily: (
        await tx.execute<{ r: string }>(
          sql`select owner_id || ' ' || day || ' ' || orders_count || ' ' || orders_amount || ' ' || payments_amount as r from sales_daily where orders_count <> 0 or orders_amount <> 0 or payments_amount <> 0 order by owner_id, day`,
        )
      ).rows.map((x) => x.r),
      dues: (await tx.execute<{ r: string }>(sql`select order_id || ' ' || seq || ' ' || owner_id || ' ' || due_date || ' ' || unpaid as r from sales_open_dues order by order_id, seq`)).rows.map((x) => x.r),
    });
    const kept = await snapshot();
    await tx.execute(sql`select sales_rollup_rebuild(${tenantId}::uuid)`);
    const rebuilt = await snapshot();
    expect(rebuilt.dues).toEqual(kept.dues);
    expect(rebuilt.daily.length).toBe(kept.daily.length);
    // numeric sums may differ in trailing zeros only: compare values.
    const value = (rows: string[]) => rows.map((r) => r.split(" ").map((p, i) => (i >= 3 && /^-?[\d.]+$/.test(p) ? money(p).toString() : p)).join(" "));
    expect(value(rebuilt.daily)).toEqual(value(kept.daily));
  });
}
