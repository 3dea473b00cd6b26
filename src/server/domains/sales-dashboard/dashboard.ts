import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { invalid } from "../../lib/errors.js";
import { cents, money } from "../../lib/money.js";
import { pipelineSummary, type StageSummary } from "../opportunities/index.js";
import { workspaceToday } from "../workspaces/calendar.js";
import { baseCurrency } from "../products/index.js";
import { listTargets, type PeriodType } from "../targets/index.js";
import { duesFromRollup, leadConversion, monthsFromRollup, type DuesRow } from "./queries.js";

export interface DashboardQuery {
  /** YYYY-MM-DD, inclusive; default the first day of `to`'s year. */
  from?: string;
  /** YYYY-MM-DD, inclusive; default today. */
  to?: string;
  /** The period of the targets shown (the one containing `to`). */
  periodType?: PeriodType;
  pipelineId?: string;
}

const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** Every month of [from, to] as YYYY-MM, so months without orders show as 0. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (let guard = 0; guard < 600; guard++) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    out.push(key);
    if (key >= last) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

const ageing = (r: DuesRow, asOf: string) => ({
  asOf,
  total: cents(r.total),
  overdue: cents(money(r.total).minus(r.current)),
  buckets: { current: cents(r.current), d1_30: cents(r.d1_30), d31_60: cents(r.d31_60), d61_90: cents(r.d61_90), d90_plus: cents(r.d90_plus) },
});

/**
 * The sales dashboard over the records the actor sees (a rep: their own; a
 * manager: their department's; admins: all) for a date range: lead → customer
 * conversion, win rate and average cycle, pipeline by stage, receivables
 * ageing today, target attainment of the period containing `to`, and orders
 * and money received by month. Orders, payments and receivables come from the
 * roll-up the triggers of migration 0017 keep, so the answer does not grow
 * with the number of orders; sections the actor has no right to are null.
 */
export async function getSalesDashboard(ctx: Ctx, query: DashboardQuery) {
  requireAccess(ctx, "sales_dashboard:read");
  const today = await readTenant(ctx, (tx) => workspaceToday(tx, ctx.tenantId));
  const to = query.to ?? today;
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw invalid("errors.validation", {}, { field: "from", reason: "from_after_to" });
  // The sections are independent reads: each on its own tenant connection, at the same time, so a
  // large workspace's dashboard costs its slowest section rather than their sum.
  const read = <T>(allowed: boolean, fn: (tx: Tx) => Promise<T>): Promise<T | null> => (allowed ? readTenant(ctx, fn) : Promise.resolve(null));
  const seeOrders = can(ctx, "order:read");
  const [currency, rows, dues, leads, summary, targets] = await Promise.all([
    readTenant(ctx, (tx) => baseCurrency(tx, ctx.tenantId)),
    read(seeOrders, (tx) => monthsFromRollup(tx, ctx, from, to)),
    read(seeOrders, (tx) => duesFromRollup(tx, ctx, today)),
    read(can(ctx, "lead:read"), (tx) => leadConversion(tx, ctx, from, to)),
    read(can(ctx, "opportunity:read"), (tx) => pipelineSummary(tx, ctx, { from, to, ...(query.pipelineId ? { pipelineId: query.pipelineId } : {}) })),
    read(can(ctx, "target:read"), (tx) => listTargets(tx, ctx, { on: to, periodType: query.periodType ?? "month" })),
  ]);
  const byMonth = new Map((rows ?? []).map((r) => [r.month, r]));
  const months = rows
    ? monthsOf(from, to).map((month) => {
        const r = byMonth.get(month);
        return { month, orders: r?.orders ?? 0, amount: cents(r?.amount ?? 0), payments: cents(r?.payments ?? 0) };
      })
    : null;
  const totals = rows && {
    orders: rows.reduce((n, r) => n + r.orders, 0),
    amount: cents(rows.reduce((s, r) => s.plus(r.amount), money(0))),
    payments: cents(rows.reduce((s, r) => s.plus(r.payments), money(0))),
  };
  const pipeline = summary && {
    stages: summary.stages.map((st: StageSummary) => ({ ...st })),
    won: summary.won,
    lost: summary.lost,
    winRate: summary.winRate,
    averageCycleDays: summary.averageCycleDays,
    missingRates: summary.missingRates,
  };
  return {
    range: { from, to },
    currency,
    totals,
    months,
    receivables: dues && ageing(dues, today),
    conversion: leads && { ...leads, rate: ratio(leads.converted, leads.leads) },
    pipeline,
    targets,
  };
}
