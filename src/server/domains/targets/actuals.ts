import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { sqlMidnightOf } from "../../lib/calendar.js";
import { cents, money, type Money } from "../../lib/money.js";
import type { TARGET_METRICS, TARGET_PERIODS, TARGET_SCOPES } from "./schema.js";

export type TargetMetric = (typeof TARGET_METRICS)[number];
export type PeriodType = (typeof TARGET_PERIODS)[number];
export type TargetScope = (typeof TARGET_SCOPES)[number];

/** A period: its first day and the first day after it (YYYY-MM-DD, `end` exclusive). */
export interface Period {
  type: PeriodType;
  start: string;
  end: string;
}

const iso = (year: number, month: number) => `${year + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, "0")}-01`;

/** The month, quarter or year containing a day. */
export function periodOf(type: PeriodType, on: string): Period {
  const [y, m] = on.split("-").map(Number) as [number, number];
  const first = type === "month" ? m : type === "quarter" ? Math.floor((m - 1) / 3) * 3 + 1 : 1;
  const months = type === "month" ? 1 : type === "quarter" ? 3 : 12;
  return { type, start: iso(y, first), end: iso(y, first + months) };
}

/** The day before a YYYY-MM-DD date (a period's last day, for display). */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Counts are whole numbers; the rest are money in the base currency. */
export const isCount = (metric: TargetMetric) => metric === "new_customers" || metric === "won_deals";
export const present = (metric: TargetMetric, value: Money) => (isCount(metric) ? value.toFixed(0) : cents(value));

export interface Actuals {
  /** Per owner (people without a figure are absent). */
  byOwner: Map<string, Money>;
  /** The whole workspace: owners who have left and unowned records (pool customers) included. */
  total: Money;
}

/**
 * What was achieved in a period, per owner, for one metric: accepted orders by
 * order date and money received by received date from the sales roll-up (base
 * currency); new customers by creation; won opportunities by closing date.
 * Not narrowed by visibility: callers show it only for targets the actor sees.
 */
export async function actualsByOwner(tx: Tx, metric: TargetMetric, period: Pick<Period, "start" | "end">, zone: string): Promise<Actuals> {
  const { start, end } = period;
  // Creation and closing are instants: the period's days start at midnight on the workspace's clocks.
  const [from, until] = [sqlMidnightOf(start, zone), sqlMidnightOf(end, zone)];
  const query = {
    order_amount: sql`select owner_id, sum(orders_amount)::text as v from sales_daily where day >= ${start}::date and day < ${end}::date group by owner_id`,
    payment_amount: sql`select owner_id, sum(payments_amount)::text as v from sales_daily where day >= ${start}::date and day < ${end}::date group by owner_id`,
    new_customers: sql`select owner_id, count(*)::text as v from customers
                        where deleted_at is null and created_at >= ${from} and created_at < ${until} group by owner_id`,
    won_deals: sql`select owner_id, count(*)::text as v from opportunities
                    where status = 'won' and deleted_at is null and closed_at >= ${from} and closed_at < ${until} group by owner_id`,
  }[metric];
  const rows = (await tx.execute<{ owner_id: string | null; v: string }>(query)).rows;
  const byOwner = new Map<string, Money>();
  let total = money(0);
  for (const r of rows) {
    const v = money(r.v);
    total = total.plus(v);
    if (r.owner_id) byOwner.set(r.owner_id, v);
  }
  return { byOwner, total };
}

/** Who belongs to which team and department (by materialised path), to add people's figures up. */
export interface Organisation {
  teams: Map<string, string[]>;
  departmentPaths: Map<string, string>;
  /** Each member's department path. */
  memberPaths: Map<string, string>;
}

export async function loadOrganisation(tx: Tx): Promise<Organisation> {
  // One connection: the three statements run one after the other anyway.
  const teamRows = await tx.execute<{ team_id: string; user_id: string }>(sql`select team_id, user_id from team_members`);
  const deptRows = await tx.execute<{ id: string; path: string }>(sql`select id, path from departments`);
  const memberRows = await tx.execute<{ user_id: string; path: string }>(
    sql`select m.user_id, d.path from memberships m join departments d on d.tenant_id = m.tenant_id and d.id = m.department_id`,
  );
  const teams = new Map<string, string[]>();
  for (const r of teamRows.rows) teams.set(r.team_id, [...(teams.get(r.team_id) ?? []), r.user_id]);
  return {
    teams,
    departmentPaths: new Map(deptRows.rows.map((r) => [r.id, r.path])),
    memberPaths: new Map(memberRows.rows.map((r) => [r.user_id, r.path])),
  };
}

/** The people a scope adds up: one person, a team's members, a department's members and those of the departments below it; null for the company (everything). */
export function membersOf(org: Organisation, scope: TargetScope, scopeId: string): string[] | null {
  switch (scope) {
    case "company":
      return null;
    case "user":
      return [scopeId];
    case "team":
      return org.teams.get(scopeId) ?? [];
    case "department": {
      const path = org.departmentPaths.get(scopeId);
      if (!path) return [];
      return [...org.memberPaths].filter(([, p]) => p.startsWith(path)).map(([user]) => user);
    }
  }
}

export function actualOf(actuals: Actuals, members: string[] | null): Money {
  if (members === null) return actuals.total;
  let sum = money(0);
  for (const m of members) sum = sum.plus(actuals.byOwner.get(m) ?? 0);
  return sum;
}

/** actual ÷ target, 4 decimals; null for a target of 0. */
export function attainment(actual: Money, target: string): number | null {
  const t = money(target);
  return t.isZero() ? null : Number(actual.dividedBy(t).toDecimalPlaces(4).toString());
}
