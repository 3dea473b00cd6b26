import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import type { Locale } from "../../lib/i18n.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { workspaces } from "../workspaces/schema.js";
import type { StageInput } from "./contracts.js";
import "./messages.js";
import { opportunities, pipelines, pipelineStages } from "./schema.js";

type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;
export type StageView = Pick<StageRow, "id" | "name" | "position" | "probability" | "kind" | "requiredFields">;
export type PipelineView = Omit<PipelineRow, "tenantId"> & { stages: StageView[] };

export const presentStage = (s: StageRow): StageView => ({ id: s.id, name: s.name, position: s.position, probability: s.probability, kind: s.kind, requiredFields: s.requiredFields });
const present = ({ tenantId: _t, ...rest }: PipelineRow, stages: StageRow[]): PipelineView => ({ ...rest, stages: stages.map(presentStage) });

/** The stages of a new workspace's pipeline, named in the workspace's language. */
const DEFAULT_STAGES: Record<Locale, { name: string; stages: [string, number, StageRow["kind"]][] }> = {
  "zh-CN": {
    name: "销售流程",
    stages: [["初步接洽", 10, "open"], ["需求确认", 30, "open"], ["方案报价", 60, "open"], ["谈判审核", 80, "open"], ["赢单", 100, "won"], ["输单", 0, "lost"]],
  },
  "en-US": {
    name: "Sales pipeline",
    stages: [["Qualification", 10, "open"], ["Needs analysis", 30, "open"], ["Proposal", 60, "open"], ["Negotiation", 80, "open"], ["Won", 100, "won"], ["Lost", 0, "lost"]],
  },
};

// Serialises the creation of a workspace's first pipeline (with the tenant as the second key).
const DEFAULT_PIPELINE_LOCK = 7_361_051;

export const stagesOf = (tx: Tx, pipelineIds: string[]) =>
  pipelineIds.length === 0
    ? Promise.resolve([] as StageRow[])
    : tx.select().from(pipelineStages).where(inArray(pipelineStages.pipelineId, pipelineIds)).orderBy(asc(pipelineStages.position), asc(pipelineStages.id));

/**
 * The default pipeline, created with the default stages (in the workspace's
 * language) when the workspace has no pipeline at all. Concurrent first uses
 * queue on an advisory lock, so exactly one is created. Runs in the caller's
 * (read-write) transaction.
 */
export async function ensureDefaultPipeline(tx: Tx, ctx: Ctx): Promise<PipelineRow> {
  const find = async () => (await tx.select().from(pipelines).orderBy(sql`${pipelines.isDefault} desc`, asc(pipelines.position), asc(pipelines.createdAt)).limit(1))[0];
  const found = await find();
  if (found) return found;
  await tx.execute(sql`select pg_advisory_xact_lock(${DEFAULT_PIPELINE_LOCK}, hashtext(${ctx.tenantId}))`);
  // Read committed: this statement sees a pipeline committed while we waited.
  const raced = await find();
  if (raced) return raced;
  const [ws] = await tx.select({ defaultLocale: workspaces.defaultLocale }).from(workspaces).where(eq(workspaces.id, ctx.tenantId));
  const defaults = DEFAULT_STAGES[ws?.defaultLocale === "en-US" ? "en-US" : "zh-CN"];
  const [row] = await tx.insert(pipelines).values({ tenantId: ctx.tenantId, name: defaults.name, isDefault: true }).returning();
  const stages = await tx
    .insert(pipelineStages)
    .values(defaults.stages.map(([name, probability, kind], position) => ({ tenantId: ctx.tenantId, pipelineId: row!.id, name, probability, kind, position })))
    .returning();
  await recordEvent(tx, ctx, { action: "pipeline.created", objectType: "pipeline", objectId: row!.id, after: present(row!, stages), data: { reason: "default" } });
  return row!;
}

/** Pipelines with their stages in board order; the default one is created on first use. */
export async function findPipelines(ctx: Ctx): Promise<PipelineView[]> {
  requireAccess(ctx, "pipeline:read");
  const list = () => readTenant(ctx, (tx) => tx.select().from(pipelines).orderBy(sql`${pipelines.isDefault} desc`, asc(pipelines.position), asc(pipelines.name)));
  let rows = await list();
  if (rows.length === 0) {
    await inTenant(ctx, (tx) => ensureDefaultPipeline(tx, ctx));
    rows = await list();
  }
  return readTenant(ctx, async (tx) => {
    const stages = await stagesOf(tx, rows.map((r) => r.id));
    return rows.map((r) => present(r, stages.filter((s) => s.pipelineId === r.id)));
  });
}

export async function getPipeline(ctx: Ctx, id: string): Promise<PipelineView> {
  requireAccess(ctx, "pipeline:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(pipelines).where(eq(pipelines.id, id));
    if (!row) throw notFound("pipeline");
    return present(row, await stagesOf(tx, [id]));
  });
}

/** Checks a pipeline's whole stage list: distinct names, each kind present, closed stages at 100 % / 0 %. */
function checkStages(stages: StageInput[]): void {
  const names = new Set<string>();
  for (const [i, s] of stages.entries()) {
    const key = s.name.toLowerCase();
    if (names.has(key)) throw invalid("pipelines.stage_name_duplicate", { name: s.name }, { field: `stages.${i}.name` });
    names.add(key);
    if ((s.kind === "won" && s.probability !== 100) || (s.kind === "lost" && s.probability !== 0)) {
      throw invalid("pipelines.closed_probability", { name: s.name }, { field: `stages.${i}.probability` });
    }
  }
  for (const kind of ["open", "won", "lost"] as const) {
    if (!stages.some((s) => s.kind === kind)) throw invalid("pipelines.stage_kinds_required", {}, { field: "stages" });
  }
}

const stageValues = (s: StageInput, position: number) => ({ name: s.name, probability: s.probability, kind: s.kind, requiredFields: [...new Set(s.requiredFields)], position });

/** Live opportunities per stage (deleted ones keep their stage but block nothing). */
async function countsByStage(tx: Tx, stageIds: string[]): Promise<Map<string, number>> {
  if (stageIds.length === 0) return new Map();
  const rows = await tx
    .select({ stageId: opportunities.stageId, n: sql<number>`count(*)::int` })
    .from(opportunities)
    .where(and(inArray(opportunities.stageId, stageIds), isNull(opportunities.deletedAt)))
    .groupBy(opportunities.stageId);
  return new Map(rows.map((r) => [r.stageId, r.n]));
}

async function unsetDefault(tx: Tx, except: string): Promise<void> {
  await tx.update(pipelines).set({ isDefault: false, updatedAt: new Date(), version: sql`${pipelines.version} + 1` }).where(and(eq(pipelines.isDefault, true), ne(pipelines.id, except)));
}

const nameTaken = (err: unknown) => (isUniqueViolation(err, "pipelines_name_key") ? conflict("errors.name_taken", { field: "name" }) : err);

export interface PipelineInput {
  name: string;
  isDefault?: boolean;
  position?: number;
  stages: StageInput[];
}

/** Creates a pipeline with its stages; the workspace's first pipeline is its default. */
export async function createPipeline(ctx: Ctx, input: PipelineInput): Promise<PipelineView> {
  requireAccess(ctx, "pipeline:manage");
  checkStages(input.stages);
  return inTenant(ctx, async (tx) => {
    const [any] = await tx.select({ id: pipelines.id }).from(pipelines).limit(1);
    const isDefault = !any || input.isDefault === true;
    const [row] = await tx
      .insert(pipelines)
      .values({ tenantId: ctx.tenantId, name: input.name, isDefault: false, position: input.position ?? 0 })
      .returning()
      .catch((err: unknown) => Promise.reject(nameTaken(err)));
    if (isDefault) {
      await unsetDefault(tx, row!.id);
      await tx.update(pipelines).set({ isDefault: true }).where(eq(pipelines.id, row!.id));
      row!.isDefault = true;
    }
    const stages = await tx
      .insert(pipelineStages)
      .values(input.stages.map((s, i) => ({ tenantId: ctx.tenantId, pipelineId: row!.id, ...stageValues(s, i) })))
      .returning();
    const view = present(row!, stages);
    await recordEvent(tx, ctx, { action: "pipeline.created", objectType: "pipeline", objectId: row!.id, after: view });
    return view;
  });
}

/**
 * Renames a pipeline, makes it the default, or replaces its stage list:
 * stages with an id are changed (name, place, probability, kind, required
 * fields), stages without one are added, stages left out are deleted. A stage
 * holding opportunities can be neither deleted nor change its kind (their
 * status follows the kind).
 */
export async function updatePipeline(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<PipelineInput>): Promise<PipelineView> {
  requireAccess(ctx, "pipeline:manage");
  if (input.stages) checkStages(input.stages);
  return inTenant(ctx, async (tx) => {
    const [locked] = await tx.select().from(pipelines).where(eq(pipelines.id, id)).for("update");
    const current = checkVersion(locked, version, "pipeline");
    if (input.isDefault === false && current.isDefault) throw invalid("pipelines.default_required", {}, { field: "isDefault" });
    const currentStages = await stagesOf(tx, [id]);
    const before = present(current, currentStages);
    if (input.stages) {
      const byId = new Map(currentStages.map((s) => [s.id, s]));
      const kept = new Set<string>();
      for (const [i, s] of input.stages.entries()) {
        if (s.id && !byId.has(s.id)) throw invalid("pipelines.unknown_stage", {}, { field: `stages.${i}.id` });
        if (s.id && kept.has(s.id)) throw invalid("pipelines.unknown_stage", {}, { field: `stages.${i}.id` });
        if (s.id) kept.add(s.id);
      }
      const counts = await countsByStage(tx, currentStages.map((s) => s.id));
      for (const s of currentStages) {
        const n = counts.get(s.id) ?? 0;
        if (!kept.has(s.id) && n > 0) throw invalid("pipelines.stage_in_use", { name: s.name, count: n }, { stageId: s.id, count: n });
      }
      for (const [i, s] of input.stages.entries()) {
        const old = s.id ? byId.get(s.id) : undefined;
        const n = old ? (counts.get(old.id) ?? 0) : 0;
        if (old && old.kind !== s.kind && n > 0) throw invalid("pipelines.stage_kind_in_use", { name: old.name, count: n }, { field: `stages.${i}.kind`, count: n });
      }
      const removed = currentStages.filter((s) => !kept.has(s.id)).map((s) => s.id);
      if (removed.length) await tx.delete(pipelineStages).where(inArray(pipelineStages.id, removed));
      for (const [i, s] of input.stages.entries()) {
        if (s.id) await tx.update(pipelineStages).set({ ...stageValues(s, i), updatedAt: new Date(), version: sql`${pipelineStages.version} + 1` }).where(eq(pipelineStages.id, s.id));
        else await tx.insert(pipelineStages).values({ tenantId: ctx.tenantId, pipelineId: id, ...stageValues(s, i) });
      }
    }
    if (input.isDefault && !current.isDefault) await unsetDefault(tx, id);
    const [row] = await tx
      .update(pipelines)
      .set({
        name: input.name ?? current.name,
        position: input.position ?? current.position,
        isDefault: current.isDefault || input.isDefault === true,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(pipelines.id, id))
      .returning()
      .catch((err: unknown) => Promise.reject(nameTaken(err)));
    const after = present(row!, await stagesOf(tx, [id]));
    await recordEvent(tx, ctx, { action: "pipeline.updated", objectType: "pipeline", objectId: id, before, after });
    return after;
  });
}

/** Deletes a pipeline without opportunities that is not the default. */
export async function deletePipeline(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "pipeline:manage");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(pipelines).where(eq(pipelines.id, id)).for("update");
    if (!current) throw notFound("pipeline");
    if (current.isDefault) throw invalid("pipelines.default_delete");
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(opportunities)
      .where(and(eq(opportunities.pipelineId, id), isNull(opportunities.deletedAt)));
    if (count!.n > 0) throw invalid("pipelines.not_empty", { count: count!.n }, { count: count!.n });
    const before = present(current, await stagesOf(tx, [id]));
    await tx.delete(pipelines).where(eq(pipelines.id, id));
    await recordEvent(tx, ctx, { action: "pipeline.deleted", objectType: "pipeline", objectId: id, before });
  });
}
