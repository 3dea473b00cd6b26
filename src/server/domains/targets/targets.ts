import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, forbidden, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { money, type Money } from "../../lib/money.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { workspaceToday, workspaceZone } from "../workspaces/calendar.js";
import { actualOf, actualsByOwner, attainment, dayBefore, isCount, loadOrganisation, membersOf, periodOf, present, type Actuals, type Organisation, type Period, type PeriodType, type TargetMetric, type TargetScope } from "./actuals.js";
import { targetVisible } from "./policy.js";
import { salesTargets } from "./schema.js";

type Row = typeof salesTargets.$inferSelect;

export type TargetView = {
  id: string;
  metric: TargetMetric;
  periodType: PeriodType;
  periodStart: string;
  period: { type: PeriodType; start: string; end: string };
  scope: TargetScope;
  scopeId: string;
  scopeName: string;
  amount: string;
  parentId: string | null;
  notes: string;
  actual: string;
  attainment: number | null;
  childrenTotal: string;
  childCount: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

export interface TargetInput {
  metric: TargetMetric;
  periodType: PeriodType;
  periodStart: string;
  scope: TargetScope;
  scopeId?: string;
  amount: string;
  parentId?: string | null;
  notes?: string;
}

export interface TargetQuery {
  metric?: TargetMetric;
  periodType?: PeriodType;
  on?: string;
  scope?: TargetScope;
  parentId?: string;
}

/** Company above departments above teams above people; a department may also break down to a department below it. */
const RANK: Record<TargetScope, number> = { company: 0, department: 1, team: 2, user: 3 };

/** Names of the people, teams, departments and the workspace targets are for. */
export async function scopeNames(tx: Tx, items: { scope: TargetScope; scopeId: string }[]): Promise<Map<string, string>> {
  const ids = (scope: TargetScope) => [...new Set(items.filter((i) => i.scope === scope).map((i) => i.scopeId))];
  const out = new Map<string, string>();
  const load = async (scope: TargetScope, query: (list: SQL) => SQL) => {
    const list = ids(scope);
    if (!list.length) return;
    const rows = await tx.execute<{ id: string; name: string }>(query(sql`array[${sql.join(list.map((id) => sql`${id}::uuid`), sql`, `)}]`));
    for (const r of rows.rows) out.set(r.id, r.name);
  };
  await load("company", (list) => sql`select id, name from workspaces where id = any(${list})`);
  await load("department", (list) => sql`select id, name from departments where id = any(${list})`);
  await load("team", (list) => sql`select id, name from teams where id = any(${list})`);
  await load("user", (list) => sql`select id, name from users where id = any(${list})`);
  return out;
}

/**
 * Targets with their progress: the actual of each target's scope, metric and
 * period (people's figures added up for teams and departments), and what the
 * targets broken down from it add up to.
 */
export async function withProgress(tx: Tx, rows: Row[]): Promise<TargetView[]> {
  if (!rows.length) return [];
  const org: Organisation = rows.some((r) => r.scope === "team" || r.scope === "department") ? await loadOrganisation(tx) : { teams: new Map(), departmentPaths: new Map(), memberPaths: new Map() };
  const actuals = new Map<string, Actuals>();
  const children = new Map(
    (
      await tx
        .select({ parentId: salesTargets.parentId, total: sql<string>`sum(${salesTargets.amount})::text`, count: sql<number>`count(*)::int` })
        .from(salesTargets)
        .where(inArray(salesTargets.parentId, rows.map((r) => r.id)))
        .groupBy(salesTargets.parentId)
    ).map((c) => [c.parentId!, c]),
  );
  const names = await scopeNames(tx, rows);
  const out: TargetView[] = [];
  const zone = await workspaceZone(tx, rows[0]!.tenantId);
  for (const r of rows) {
    const period = periodOf(r.periodType, r.periodStart);
    const key = `${r.metric}|${period.start}|${period.end}`;
    let figures = actuals.get(key);
    if (!figures) actuals.set(key, (figures = await actualsByOwner(tx, r.metric, period, zone)));
    const actual = actualOf(figures, membersOf(org, r.scope, r.scopeId));
    const child = children.get(r.id);
    out.push({
      id: r.id,
      metric: r.metric,
      periodType: r.periodType,
      periodStart: r.periodStart,
      period: { type: r.periodType, start: period.start, end: dayBefore(period.end) },
      scope: r.scope,
      scopeId: r.scopeId,
      scopeName: names.get(r.scopeId) ?? "",
      amount: r.amount,
      parentId: r.parentId,
      notes: r.notes,
      actual: present(r.metric, actual),
      attainment: attainment(actual, r.amount),
      childrenTotal: money(child?.total ?? 0).toFixed(2),
      childCount: child?.count ?? 0,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      version: r.version,
    });
  }
  return out;
}

function checkAmount(metric: TargetMetric, amount: string): void {
  if (isCount(metric) && !money(amount).isInteger()) throw invalid("targets.count_whole", {}, { field: "amount" });
}

/** The scope exists, and the actor may set targets for it (a manager: inside their department). */
async function requireScope(tx: Tx, ctx: Ctx, scope: TargetScope, scopeId: string, field = "scopeId"): Promise<{ path: string | null }> {
  const found = {
    company: sql`select null::text as path where ${scopeId}::uuid = ${ctx.tenantId}::uuid`,
    department: sql`select path from departments where id = ${scopeId}`,
    team: sql`select null::text as path from teams where id = ${scopeId}`,
    user: sql`select null::text as path from memberships where user_id = ${scopeId} and status = 'active'`,
  }[scope];
  const [row] = (await tx.execute<{ path: string | null }>(found)).rows;
  if (!row) throw invalid("errors.not_found", { object: scope === "company" ? "workspace" : scope }, { field });
  const [allowed] = (await tx.execute<{ ok: boolean }>(sql`select ${targetVisible(ctx, sql`${scope}::text`, sql`${scopeId}::uuid`)} as ok`)).rows;
  if (!allowed?.ok) throw forbidden("target:manage");
  return row;
}

/**
 * A child may be placed under this parent: same metric and period, a scope
 * below it (a department under a department only when it lies below it).
 */
function checkPlacement(parent: Row, child: { metric: TargetMetric; periodType: PeriodType; periodStart: string; scope: TargetScope; path: string | null }, parentPath: string | null): void {
  if (parent.metric !== child.metric || parent.periodType !== child.periodType || parent.periodStart !== child.periodStart) {
    throw invalid("targets.parent_mismatch", {}, { field: "parentId" });
  }
  const below = RANK[child.scope] > RANK[parent.scope] || (parent.scope === "department" && child.scope === "department" && !!parentPath && !!child.path && child.path !== parentPath && child.path.startsWith(parentPath));
  if (!below) throw invalid("targets.parent_scope", { parent: `target_scope_${parent.scope}`, child: `target_scope_${child.scope}` }, { field: "parentId" });
}

/**
 * A person's target under a team's is for one of its members; under a
 * department's, for someone in it or in a department below it (departments
 * under departments are checked by checkPlacement). Teams belong to no
 * department in this model, so a team under a department is not checked.
 */
async function checkMembership(tx: Tx, parent: Row, child: { scope: TargetScope; scopeId: string }, parentPath: string | null, field: string): Promise<void> {
  if (child.scope !== "user" || (parent.scope !== "team" && parent.scope !== "department")) return;
  const member =
    parent.scope === "team"
      ? sql`select 1 from team_members where team_id = ${parent.scopeId} and user_id = ${child.scopeId}`
      : parentPath === null
        ? null
        : sql`select 1 from memberships m join departments d on d.tenant_id = m.tenant_id and d.id = m.department_id
              where m.user_id = ${child.scopeId} and starts_with(d.path, ${parentPath})`;
  if (member && (await tx.execute(member)).rows.length) return;
  const names = await scopeNames(tx, [parent, child]);
  throw invalid(
    "targets.not_member",
    { child: names.get(child.scopeId) ?? "", parent: names.get(parent.scopeId) ?? "", scope: `target_scope_${parent.scope}` },
    { field, parentScope: parent.scope, parentScopeId: parent.scopeId },
  );
}

/** The parent, visible to the actor, locked: breakdowns of one parent are checked one after the other. */
async function lockParent(tx: Tx, ctx: Ctx, id: string): Promise<{ parent: Row; path: string | null }> {
  const [parent] = await tx
    .select()
    .from(salesTargets)
    .where(and(eq(salesTargets.id, id), targetVisible(ctx)))
    .for("update");
  if (!parent) throw invalid("errors.not_found", { object: "target" }, { field: "parentId" });
  const path = parent.scope === "department" ? ((await tx.execute<{ path: string }>(sql`select path from departments where id = ${parent.scopeId}`)).rows[0]?.path ?? null) : null;
  return { parent, path };
}

/** The children of a parent never add up to more than the parent. */
async function checkChildrenFit(tx: Tx, parent: Row): Promise<void> {
  const [row] = await tx
    .select({ sum: sql<string>`coalesce(sum(${salesTargets.amount}), 0)::text` })
    .from(salesTargets)
    .where(eq(salesTargets.parentId, parent.id));
  const sum: Money = money(row!.sum);
  if (sum.gt(parent.amount)) {
    const [name] = (await scopeNames(tx, [parent])).values();
    throw invalid(
      "targets.breakdown_exceeds",
      { parent: name ?? "", sum: sum.toFixed(2), amount: money(parent.amount).toFixed(2) },
      { field: "amount", parentAmount: money(parent.amount).toFixed(2), childrenTotal: sum.toFixed(2) },
    );
  }
}

const view = async (tx: Tx, row: Row) => (await withProgress(tx, [row]))[0]!;

async function insertTarget(tx: Tx, ctx: Ctx, values: typeof salesTargets.$inferInsert): Promise<Row> {
  try {
    const [row] = await tx.insert(salesTargets).values(values).returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, "sales_targets_key")) throw conflict("targets.duplicate", { field: "scopeId" });
    throw err;
  }
}

/** Sets a target for a person, team, department or the company; under a parent it must fit in what the parent leaves. */
export async function createTarget(ctx: Ctx, input: TargetInput): Promise<TargetView> {
  requireAccess(ctx, "target:manage");
  checkAmount(input.metric, input.amount);
  const scopeId = input.scope === "company" ? ctx.tenantId : input.scopeId;
  if (!scopeId) throw invalid("targets.scope_missing", {}, { field: "scopeId" });
  const period = periodOf(input.periodType, input.periodStart);
  return inTenant(ctx, async (tx) => {
    const { path } = await requireScope(tx, ctx, input.scope, scopeId);
    const locked = input.parentId ? await lockParent(tx, ctx, input.parentId) : null;
    if (locked) {
      checkPlacement(locked.parent, { ...input, periodStart: period.start, path }, locked.path);
      await checkMembership(tx, locked.parent, { scope: input.scope, scopeId }, locked.path, "scopeId");
    }
    const row = await insertTarget(tx, ctx, {
      tenantId: ctx.tenantId,
      metric: input.metric,
      periodType: input.periodType,
      periodStart: period.start,
      scope: input.scope,
      scopeId,
      amount: money(input.amount).toFixed(2),
      parentId: input.parentId ?? null,
      notes: input.notes ?? "",
      createdBy: ctx.userId,
    });
    if (locked) await checkChildrenFit(tx, locked.parent);
    const after = await view(tx, row);
    await recordEvent(tx, ctx, { action: "target.created", objectType: "target", objectId: row.id, after });
    return after;
  });
}

async function lockTarget(tx: Tx, ctx: Ctx, id: string, version: ExpectedVersion): Promise<Row> {
  const [row] = await tx
    .select()
    .from(salesTargets)
    .where(and(eq(salesTargets.id, id), targetVisible(ctx)))
    .for("update");
  return checkVersion(row, version, "target");
}

/** Changes a target's amount, notes or parent; never below what its own breakdown adds up to, never beyond what its parent leaves. */
export async function updateTarget(ctx: Ctx, id: string, version: ExpectedVersion, input: { amount?: string; parentId?: string | null; notes?: string }): Promise<TargetView> {
  requireAccess(ctx, "target:manage");
  return inTenant(ctx, async (tx) => {
    // Parent first, then the target: the order every breakdown locks in.
    const [peek] = await tx.select({ parentId: salesTargets.parentId }).from(salesTargets).where(and(eq(salesTargets.id, id), targetVisible(ctx)));
    if (!peek) throw notFound("target");
    const parentId = input.parentId === undefined ? peek.parentId : input.parentId;
    if (parentId === id) throw invalid("targets.parent_scope", { parent: "target_scope_user", child: "target_scope_user" }, { field: "parentId" });
    const locked = parentId ? await lockParent(tx, ctx, parentId) : null;
    const current = await lockTarget(tx, ctx, id, version);
    if (input.amount !== undefined) checkAmount(current.metric, input.amount);
    const amount = input.amount === undefined ? current.amount : money(input.amount).toFixed(2);
    const [children] = await tx
      .select({ sum: sql<string>`coalesce(sum(${salesTargets.amount}), 0)::text` })
      .from(salesTargets)
      .where(eq(salesTargets.parentId, id));
    if (money(children!.sum).gt(amount)) throw invalid("targets.below_children", { sum: money(children!.sum).toFixed(2) }, { field: "amount", childrenTotal: money(children!.sum).toFixed(2) });
    if (locked && parentId !== current.parentId) {
      const path = current.scope === "department" ? ((await tx.execute<{ path: string }>(sql`select path from departments where id = ${current.scopeId}`)).rows[0]?.path ?? null) : null;
      checkPlacement(locked.parent, { ...current, path }, locked.path);
      await checkMembership(tx, locked.parent, current, locked.path, "parentId");
    }
    const before = await view(tx, current);
    const [row] = await tx
      .update(salesTargets)
      .set({ amount, parentId, notes: input.notes ?? current.notes, version: current.version + 1, updatedAt: new Date() })
      .where(eq(salesTargets.id, id))
      .returning();
    if (locked) await checkChildrenFit(tx, locked.parent);
    const after = await view(tx, row!);
    await recordEvent(tx, ctx, { action: "target.updated", objectType: "target", objectId: id, before, after });
    return after;
  });
}

/** Deletes a target that is not broken down (its children go first). */
export async function deleteTarget(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "target:manage");
  await inTenant(ctx, async (tx) => {
    const current = await lockTarget(tx, ctx, id, "any");
    const [children] = await tx.select({ count: sql<number>`count(*)::int` }).from(salesTargets).where(eq(salesTargets.parentId, id));
    if (children!.count > 0) throw invalid("targets.has_children", { count: children!.count }, { childCount: children!.count });
    const before = await view(tx, current);
    await tx.delete(salesTargets).where(eq(salesTargets.id, id));
    await recordEvent(tx, ctx, { action: "target.deleted", objectType: "target", objectId: id, before });
  });
}

export interface BreakdownChild {
  scope: Exclude<TargetScope, "company">;
  scopeId: string;
  amount: string;
  notes?: string;
}

/**
 * Breaks a target down in one go (the table on the targets page): each child
 * scope gets its target for the same metric and period under this one,
 * created or changed; together with the children already there they may not
 * add up to more than the parent — else nothing is written.
 */
export async function breakDownTarget(ctx: Ctx, id: string, children: BreakdownChild[]): Promise<TargetView & { children: TargetView[] }> {
  requireAccess(ctx, "target:manage");
  const keys = children.map((c) => `${c.scope}:${c.scopeId}`);
  if (new Set(keys).size !== keys.length) throw invalid("targets.breakdown_twice", {}, { field: "children" });
  return inTenant(ctx, async (tx) => {
    const [exists] = await tx.select({ id: salesTargets.id }).from(salesTargets).where(and(eq(salesTargets.id, id), targetVisible(ctx)));
    if (!exists) throw notFound("target");
    const { parent, path: parentPath } = await lockParent(tx, ctx, id);
    for (const [k, child] of children.entries()) {
      const field = (name: string) => `children.${k}.${name}`;
      checkAmount(parent.metric, child.amount);
      const { path } = await requireScope(tx, ctx, child.scope, child.scopeId, field("scopeId"));
      checkPlacement(parent, { metric: parent.metric, periodType: parent.periodType, periodStart: parent.periodStart, scope: child.scope, path }, parentPath);
      await checkMembership(tx, parent, child, parentPath, field("scopeId"));
      const [existing] = await tx
        .select()
        .from(salesTargets)
        .where(
          and(
            eq(salesTargets.metric, parent.metric),
            eq(salesTargets.periodType, parent.periodType),
            eq(salesTargets.periodStart, parent.periodStart),
            eq(salesTargets.scope, child.scope),
            eq(salesTargets.scopeId, child.scopeId),
          ),
        )
        .for("update");
      const amount = money(child.amount).toFixed(2);
      if (!existing) {
        const row = await insertTarget(tx, ctx, { tenantId: ctx.tenantId, metric: parent.metric, periodType: parent.periodType, periodStart: parent.periodStart, scope: child.scope, scopeId: child.scopeId, amount, parentId: id, notes: child.notes ?? "", createdBy: ctx.userId });
        await recordEvent(tx, ctx, { action: "target.created", objectType: "target", objectId: row.id, after: { amount, parentId: id, scope: child.scope, scopeId: child.scopeId } });
        continue;
      }
      if (existing.parentId && existing.parentId !== id) throw conflict("targets.duplicate", { field: field("scopeId"), targetId: existing.id });
      const [grand] = await tx.select({ sum: sql<string>`coalesce(sum(${salesTargets.amount}), 0)::text` }).from(salesTargets).where(eq(salesTargets.parentId, existing.id));
      if (money(grand!.sum).gt(amount)) throw invalid("targets.below_children", { sum: money(grand!.sum).toFixed(2) }, { field: field("amount") });
      await tx
        .update(salesTargets)
        .set({ amount, parentId: id, notes: child.notes ?? existing.notes, version: existing.version + 1, updatedAt: new Date() })
        .where(eq(salesTargets.id, existing.id));
      await recordEvent(tx, ctx, { action: "target.updated", objectType: "target", objectId: existing.id, before: { amount: existing.amount, parentId: existing.parentId }, after: { amount, parentId: id } });
    }
    await checkChildrenFit(tx, parent);
    return detail(tx, ctx, parent);
  });
}

async function detail(tx: Tx, ctx: Ctx, row: Row): Promise<TargetView & { children: TargetView[] }> {
  const kids = await tx
    .select()
    .from(salesTargets)
    .where(and(eq(salesTargets.parentId, row.id), targetVisible(ctx)))
    .orderBy(asc(salesTargets.scope), asc(salesTargets.createdAt));
  const [self, ...children] = await withProgress(tx, [row, ...kids]);
  return { ...self!, children };
}

/** One target with its progress and the targets broken down from it. */
export async function getTarget(ctx: Ctx, id: string): Promise<TargetView & { children: TargetView[] }> {
  requireAccess(ctx, "target:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(salesTargets).where(and(eq(salesTargets.id, id), targetVisible(ctx)));
    if (!row) throw notFound("target");
    return detail(tx, ctx, row);
  });
}

/** The periods containing `on`, as a condition on targets (a month's, its quarter's and its year's targets). */
function periodsContaining(on: string, type?: PeriodType): SQL {
  const types: PeriodType[] = type ? [type] : ["month", "quarter", "year"];
  return or(...types.map((t) => and(eq(salesTargets.periodType, t), eq(salesTargets.periodStart, periodOf(t, on).start))))!;
}

/** Targets I may see for the periods containing a day (default today), with their progress: company first, then departments, teams, people. */
export async function findTargets(ctx: Ctx, query: TargetQuery): Promise<TargetView[]> {
  requireAccess(ctx, "target:read");
  return readTenant(ctx, (tx) => listTargets(tx, ctx, query));
}

/** findTargets in the caller's connection (the sales dashboard reads them beside its other figures). */
export async function listTargets(tx: Tx, ctx: Ctx, query: TargetQuery): Promise<TargetView[]> {
  const on = query.on ?? (await workspaceToday(tx, ctx.tenantId));
  const rows = await tx
    .select()
    .from(salesTargets)
    .where(
      and(
        targetVisible(ctx),
        periodsContaining(on, query.periodType),
        query.metric ? eq(salesTargets.metric, query.metric) : undefined,
        query.scope ? eq(salesTargets.scope, query.scope) : undefined,
        query.parentId ? eq(salesTargets.parentId, query.parentId) : undefined,
      ),
    )
    .orderBy(sql`array_position(array['year','quarter','month'], ${salesTargets.periodType}::text)`, asc(salesTargets.metric), sql`array_position(array['company','department','team','user'], ${salesTargets.scope}::text)`, sql`${salesTargets.amount} desc`)
    .limit(1000);
  return withProgress(tx, rows);
}

/** Targets of people for one metric and period, by user (for leaderboards and forecasts). */
export async function personalTargets(tx: Tx, metric: TargetMetric, period: Period): Promise<Map<string, string>> {
  const rows = await tx
    .select({ userId: salesTargets.scopeId, amount: salesTargets.amount })
    .from(salesTargets)
    .where(and(eq(salesTargets.metric, metric), eq(salesTargets.periodType, period.type), eq(salesTargets.periodStart, period.start), eq(salesTargets.scope, "user")));
  return new Map(rows.map((r) => [r.userId, r.amount]));
}
