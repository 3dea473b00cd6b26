import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, conflict, forbidden, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { defineJob, type JobRun, type JobTools } from "../../lib/jobs.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { customFieldsOf } from "../customers/custom-fields.js";
import { cachedSearchTerms } from "../customers/records.js";
import { Columns, insertBatch } from "../../db/bulk.js";
import { suggestMapping, fieldOf, type ImportObject } from "./mapping.js";
import "./messages.js";
import { openCsv } from "./readers/csv.js";
import type { SourceRow, TableSource } from "./readers/types.js";
import { readVcard } from "./readers/vcard.js";
import { readXlsx } from "./readers/xlsx.js";
import { applyGroup, applyRow, prepareContactBatch, resolvers, restoreUpdated, writeContactBatch, type ContactBatchEnv, type Outcome, type PreparedContacts } from "./apply.js";
import { workspaceZone } from "../workspaces/calendar.js";
import { loadAccess } from "../workspaces/index.js";
import { OBJECTS } from "./objects/index.js";
import { planRow, type CustomFieldDef, type RowPlan } from "./rows.js";
import { importRows, imports, type ImportCounts, type ImportOptions } from "./schema.js";
import { WriteOrder } from "./write-order.js";

export const IMPORT_JOB = "import";
export const IMPORT_UNDO_JOB = "import_undo";
/** Rows an undo handles per transaction. */
const UNDO_BATCH = 1000;
/** Rows written per transaction: a crash loses at most this much work, which the next attempt redoes. */
const BATCH = 200;
/** Contacts are created a batch per statement (apply.ts): larger batches, fewer round trips. */
const CONTACT_BATCH = 1000;
/** Contact batches being written at once (see write-order.ts). */
const WRITERS = 2;
/** Names and words whose search terms an import keeps (Chinese names repeat a lot; memory stays bounded). */
const TERMS_CACHE = 10_000;
const PREVIEW_ROWS = 20;

export type ImportRow = typeof imports.$inferSelect;
type Row = ImportRow;

export type PreviewCell = string | number | boolean | null | string[];

export interface ImportView extends Omit<Row, "tenantId" | "sha256"> {
  preview?: { source: number; cells: PreviewCell[] }[];
}

const present = ({ tenantId: _t, sha256: _s, ...rest }: Row): ImportView => rest;

/** Where an import's file is kept. */
export const storage = (ctx: Ctx, id: string) => path.join(ctx.services.config.dataDir, "imports", ctx.tenantId, id);

/** A new import's options: skip duplicates by the object's usual keys; its default owner (objects/). */
function defaultOptions(ctx: Ctx, objectType: ImportObject): ImportOptions {
  const def = OBJECTS[objectType];
  return { duplicatePolicy: "skip", keys: [...def.defaultKeys], dateOrder: "mdy", ownerId: def.ownerDefault === "importer" ? ctx.userId : null, tags: [] };
}

/** The workspace's custom fields of an object that has them (customers, contacts), else none. */
export async function customFieldsFor(tx: Tx, objectType: ImportObject) {
  const def = OBJECTS[objectType];
  return def.customFields ? customFieldsOf(tx, objectType as "customer" | "contact") : [];
}

/** Keys that cannot match a record of this object are refused, naming those that can; so are policies the object does not allow. */
function checkOptions(objectType: ImportObject, options: Partial<ImportOptions>): void {
  const allowed: readonly string[] = OBJECTS[objectType].keys;
  const wrong = options.keys?.find((k) => !allowed.includes(k));
  if (wrong) throw invalid("import.key_unknown", { key: wrong, keys: allowed.join(", ") }, { field: "options.keys" });
  const policies = OBJECTS[objectType].policies;
  if (options.duplicatePolicy && policies && !policies.includes(options.duplicatePolicy)) {
    throw invalid("import.policy_unsupported", { policy: options.duplicatePolicy, policies: policies.join(", ") }, { field: "options.duplicatePolicy" });
  }
}

function formatOf(fileName: string, head: Buffer): Row["format"] {
  if (head.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1")) || /\.xlsx$/i.test(fileName)) return "xlsx";
  if (/\.vcf$/i.test(fileName) || /^(\xef\xbb\xbf)?\s*BEGIN:VCARD/i.test(head.toString("latin1"))) return "vcard";
  return "csv";
}

/** The stored file as rows, read with the import's format, encoding and sheet. */
export async function openSource(file: string, row: Pick<Row, "format" | "encoding" | "sheet">): Promise<TableSource> {
  switch (row.format) {
    case "xlsx":
      return readXlsx(file, row.sheet ? { sheet: row.sheet } : {});
    case "vcard":
      return readVcard(file);
    case "csv":
      return openCsv(file, row.encoding ? { encoding: row.encoding } : {});
  }
}

async function firstRows(source: TableSource, n: number): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const row of source.rows()) {
    out.push(row);
    if (out.length >= n) break;
  }
  return out;
}

const jsonCell = (c: SourceRow["cells"][number]): PreviewCell => (c instanceof Date ? c.toISOString().slice(0, 10) : Array.isArray(c) ? [...(c as string[])] : (c as PreviewCell));

async function withPreview(source: TableSource, row: Row): Promise<ImportView> {
  return { ...present(row), preview: (await firstRows(source, PREVIEW_ROWS)).map((r) => ({ source: r.source, cells: r.cells.map(jsonCell) })) };
}

/**
 * Stores an upload (streamed to disk, at most `limit` bytes), reads its header
 * and first rows, and proposes a mapping. A file no reader accepts is refused
 * with the reader's message and leaves nothing behind.
 */
export async function createImport(ctx: Ctx, input: { objectType: ImportObject; fileName: string; body: Readable; encoding?: string; sheet?: string }): Promise<ImportView> {
  requireAccess(ctx, `${input.objectType}:create`);
  const id = crypto.randomUUID();
  const file = storage(ctx, id);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const limit = ctx.services.config.importLimit;
  const hash = crypto.createHash("sha256");
  let size = 0;
  try {
    await pipeline(
      input.body,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limit) throw new AppError("PAYLOAD_TOO_LARGE", "import.file_too_large", { limit: Math.round(limit / 1048576) }, { limit });
          hash.update(chunk);
          yield chunk;
        }
      },
      fs.createWriteStream(file, { mode: 0o600 }),
    );
    if (size === 0) throw invalid("import.file_empty");
    const head = Buffer.alloc(512);
    const fd = await fs.promises.open(file, "r");
    await fd.read(head, 0, 512, 0).finally(() => fd.close());
    const format = formatOf(input.fileName, head);
    const source = await openSource(file, { format, encoding: input.encoding ?? null, sheet: input.sheet ?? null });
    const defs = await readTenant(ctx, (tx) => customFieldsFor(tx, input.objectType));
    const mapping = suggestMapping(input.objectType, source.headers, defs.filter((d) => !d.archived).map((d) => ({ key: d.key, label: d.label })));
    const [row] = await inTenant(ctx, async (tx) => {
      const inserted = await tx
        .insert(imports)
        .values({
          tenantId: ctx.tenantId,
          id,
          objectType: input.objectType,
          fileName: input.fileName.slice(0, 255),
          fileSize: size,
          sha256: hash.digest("hex"),
          format,
          encoding: source.encoding ?? null,
          sheet: source.sheet ?? null,
          sheets: source.sheets ?? [],
          headers: source.headers,
          mapping,
          options: defaultOptions(ctx, input.objectType),
          createdBy: ctx.userId,
        })
        .returning();
      await recordEvent(tx, ctx, { action: "import.created", objectType: "import", objectId: id, after: { fileName: input.fileName, objectType: input.objectType, format, size } });
      return inserted;
    });
    return await withPreview(source, row!);
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
}

/** An import the caller may see (its creator, or visibility of all records); `lock` takes it FOR UPDATE. */
export async function loadImport(ctx: Ctx, tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(imports).where(eq(imports.id, id));
  const [row] = lock ? await q.for("update") : await q;
  // An import is its creator's, or visible to whoever may see all records.
  if (!row || (row.createdBy !== ctx.userId && ctx.visibility !== "all")) throw notFound("import");
  return row;
}

export async function getImport(ctx: Ctx, id: string, opts: { preview?: boolean } = {}): Promise<ImportView> {
  const row = await readTenant(ctx, (tx) => loadImport(ctx, tx, id));
  requireAccess(ctx, `${row.objectType}:create`);
  return opts.preview ? withPreview(await openSource(storage(ctx, id), row), row) : present(row);
}

export async function listImports(ctx: Ctx): Promise<ImportView[]> {
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select()
      .from(imports)
      .where(ctx.visibility === "all" ? undefined : eq(imports.createdBy, ctx.userId ?? ""))
      .orderBy(desc(imports.createdAt))
      .limit(100),
  );
  return rows.map(present);
}

export interface ImportChange {
  mapping?: (string | null)[];
  options?: Partial<ImportOptions>;
  sheet?: string;
}

/** Changes the mapping or options (not while a run is going); a different sheet reads the header again. */
export async function updateImport(ctx: Ctx, id: string, version: ExpectedVersion, change: ImportChange): Promise<ImportView> {
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await loadImport(ctx, tx, id, true), version, "import");
    requireAccess(ctx, `${current.objectType}:create`);
    if (current.status === "running" || current.status === "checking") throw conflict("import.busy");
    const values: Partial<Row> = {};
    let headers = current.headers;
    if (change.sheet !== undefined && change.sheet !== current.sheet) {
      if (!current.sheets.includes(change.sheet)) throw invalid("import.sheet_unknown", { sheet: change.sheet }, { field: "sheet" });
      const source = await openSource(storage(ctx, id), { ...current, sheet: change.sheet });
      headers = source.headers;
      const defs = await customFieldsFor(tx, current.objectType);
      Object.assign(values, { sheet: change.sheet, headers, mapping: suggestMapping(current.objectType, headers, defs.map((d) => ({ key: d.key, label: d.label }))) });
    }
    if (change.mapping) {
      if (change.mapping.length !== headers.length) throw invalid("import.mapping_length", { columns: headers.length }, { field: "mapping" });
      const defs = new Set((await customFieldsFor(tx, current.objectType)).filter((d) => !d.archived).map((d) => `custom.${d.key}`));
      change.mapping.forEach((target, i) => {
        if (target !== null && (!fieldOf(current.objectType, target) || (target.startsWith("custom.") && !defs.has(target)))) {
          throw invalid("import.mapping_unknown", { target, column: headers[i] ?? "" }, { field: `mapping.${i}` });
        }
      });
      values.mapping = change.mapping;
    }
    if (change.options) {
      checkOptions(current.objectType, change.options);
      values.options = { ...current.options, ...change.options };
    }
    const [row] = await tx
      .update(imports)
      .set({ ...values, status: current.status === "uploaded" || current.status === "checked" ? "uploaded" : current.status, version: current.version + 1, updatedAt: new Date() })
      .where(eq(imports.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "import.updated", objectType: "import", objectId: id, before: { mapping: current.mapping, options: current.options, sheet: current.sheet }, after: { mapping: row!.mapping, options: row!.options, sheet: row!.sheet } });
    return present(row!);
  });
}

/** Starts a dry run (`check`: every row validated, duplicates looked up, nothing kept) or the run itself, as a job. */
export async function startImport(ctx: Ctx, id: string, mode: "check" | "run"): Promise<ImportView> {
  const current = await readTenant(ctx, (tx) => loadImport(ctx, tx, id));
  requireAccess(ctx, `${current.objectType}:create`);
  if (current.status === "running" || current.status === "checking") throw conflict("import.busy");
  if (mode === "run" && current.status === "completed") throw conflict("import.already_run");
  if (!current.mapping.some(Boolean)) throw invalid("import.mapping_empty", {}, { field: "mapping" });
  if (mode === "run" && (current.options.duplicatePolicy === "update" || current.options.duplicatePolicy === "merge")) requireAccess(ctx, `${current.objectType}:update`);
  const jobId = await ctx.services.jobs.enqueue(ctx, IMPORT_JOB, { importId: id, dryRun: mode === "check" });
  const [row] = await inTenant(ctx, async (tx) => {
    const updated = await tx
      .update(imports)
      .set({ status: mode === "check" ? "checking" : "running", jobId, version: sql`${imports.version} + 1`, updatedAt: new Date() })
      .where(eq(imports.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: mode === "run" ? "import.started" : "import.checked", objectType: "import", objectId: id, after: { mapping: current.mapping, options: current.options, jobId } });
    return updated;
  });
  return present(row!);
}

/**
 * Undoes a completed import as a job: records it created go to the trash,
 * records it updated get back the values it replaced — except records
 * changed since the import finished, which stay as they are (counted as kept).
 */
export async function undoImport(ctx: Ctx, id: string): Promise<ImportView> {
  const current = await readTenant(ctx, (tx) => loadImport(ctx, tx, id));
  // Each object says what taking back its records takes (products are archived, own timeline entries are one's to delete).
  await OBJECTS[current.objectType].checkUndo(ctx, current);
  if (current.status === "undoing" || current.status === "running" || current.status === "checking") throw conflict("import.busy");
  if (current.status === "undone") throw conflict("import.already_undone");
  if (current.status !== "completed" || !current.finishedAt) throw conflict("import.undo_not_run");
  const jobId = await ctx.services.jobs.enqueue(ctx, IMPORT_UNDO_JOB, { importId: id });
  const [row] = await inTenant(ctx, async (tx) => {
    const updated = await tx
      .update(imports)
      .set({ status: "undoing", jobId, version: sql`${imports.version} + 1`, updatedAt: new Date() })
      .where(eq(imports.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "import.undo_started", objectType: "import", objectId: id, after: { jobId } });
    return updated;
  });
  return present(row!);
}

/** The problem rows of the last run (or dry run), in file order. */
export async function importIssues(ctx: Ctx, id: string, query: { dryRun: boolean; after?: number; limit: number }) {
  const current = await readTenant(ctx, (tx) => loadImport(ctx, tx, id));
  requireAccess(ctx, `${current.objectType}:create`);
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select({ source: importRows.source, outcome: importRows.outcome, objectId: importRows.objectId, issues: importRows.issues })
      .from(importRows)
      .where(and(eq(importRows.importId, id), eq(importRows.dryRun, query.dryRun), sql`${importRows.issues} <> '[]'::jsonb`, query.after ? gt(importRows.source, query.after) : undefined))
      .orderBy(asc(importRows.source))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  return { items: page, nextAfter: rows.length > query.limit ? (page.at(-1)?.source ?? null) : null };
}

// ---------------------------------------------------------------------------------------------
// The job

/**
 * Settings of an import batch's transaction. Commits need not wait for the
 * disk: a batch lost in a crash loses its records and its import_rows
 * together, and the resumed run writes both again. A larger GIN pending list
 * lets the search index take a batch's terms in one sorted merge.
 */
const IMPORT_SETTINGS = sql`select set_config('synchronous_commit', 'off', true), set_config('gin_pending_list_limit', '65536', true)`;

/** The outcome of each row of a batch, in one statement. */
async function recordOutcomes(tx: Tx, importId: string, dryRun: boolean, outcomes: Outcome[]): Promise<void> {
  const rows = new Columns("import_rows", [["import_id", "uuid"], ["dry_run", "boolean"], ["source", "integer"], ["outcome", "text"], ["object_id", "uuid"], ["issues", "jsonb"], ["before", "jsonb"]]);
  for (const o of outcomes) rows.push(importId, dryRun, o.source, o.outcome, o.objectId, JSON.stringify(o.issues), o.before ? JSON.stringify(o.before) : null);
  await insertBatch(tx, [rows]);
}

/** Thrown to roll a dry run's batch back after its outcomes are known. */
class DryRunRollback extends Error {}

defineJob(IMPORT_JOB, async (run, tools) => {
  const importId = String(run.input.importId);
  const dryRun = run.input.dryRun === true;
  const setStatus = (status: Row["status"]) => inTenant(run.ctx, (tx) => tx.update(imports).set({ status, updatedAt: new Date() }).where(eq(imports.id, importId)));
  // A retried attempt shows as running again; a failed one as failed (the job says why), so the import can be run again.
  await setStatus(dryRun ? "checking" : "running");
  try {
    return await importJob(run, tools, importId, dryRun);
  } catch (err) {
    await setStatus("failed");
    throw err;
  }
});

/**
 * The job's context with the rights of the member who started it (jobs run
 * with every permission): each row is then written as they would write it —
 * whom they may give records to, which customers they may link, whose
 * timeline they may write. A member no longer active may not go on.
 */
async function asStarter(ctx: Ctx): Promise<Ctx> {
  if (!ctx.userId) return ctx;
  const access = await loadAccess(ctx.database, ctx.tenantId, ctx.userId);
  if (!access) throw forbidden();
  return { ...ctx, roleKey: access.roleKey, permissions: new Set(access.permissions), visibility: access.visibility, departmentId: access.departmentId };
}

async function importJob(run: JobRun, tools: JobTools, importId: string, dryRun: boolean): Promise<Record<string, unknown>> {
  const { checkpoint } = run;
  const ctx = await asStarter(run.ctx);
  const imp = await readTenant(ctx, (tx) => loadImport(ctx, tx, importId));
  const source = await openSource(storage(ctx, importId), imp);
  const customFields = (await readTenant(ctx, (tx) => customFieldsFor(tx, imp.objectType))).filter((d) => !d.archived) as CustomFieldDef[];
  const resolve = await resolvers(ctx, customFields.filter((d) => d.type === "user").map((d) => d.key));
  // A dry run starts over; a run resumes after the rows already recorded (in the same transactions as their records).
  if (dryRun && !checkpoint) await inTenant(ctx, (tx) => tx.delete(importRows).where(and(eq(importRows.importId, importId), eq(importRows.dryRun, true))));
  const recorded = new Set(
    (await readTenant(ctx, (tx) => tx.select({ source: importRows.source }).from(importRows).where(and(eq(importRows.importId, importId), eq(importRows.dryRun, dryRun))))).map((r) => r.source),
  );
  let total = 0;
  for await (const _ of source.rows()) total++;
  await tools.progress(recorded.size, total, true);

  // Times without a zone are read on the workspace's clocks unless the import names a zone.
  const timeZone = imp.options.timeZone ?? (await readTenant(ctx, (tx) => workspaceZone(tx, ctx.tenantId)));
  const context = { object: imp.objectType, headers: imp.headers, mapping: imp.mapping, dateOrder: imp.options.dateOrder, timeZone, customFields };
  const size = imp.objectType === "contact" ? CONTACT_BATCH : BATCH;
  const env = { ctx, imp, resolve, customFields: customFields as unknown as ContactBatchEnv["customFields"], terms: cachedSearchTerms(TERMS_CACHE) };
  // Rows that make one record together (an order's lines) are written in one batch, never split.
  const grouped = Boolean(OBJECTS[imp.objectType].groupBy);
  let done = recorded.size;
  type Ready = RowPlan[] | PreparedContacts;
  const order = new WriteOrder();
  const write = async (batch: Ready) => {
    let outcomes: Outcome[] = [];
    const record = (tx: Tx) => recordOutcomes(tx, importId, dryRun, outcomes);
    const turn = order.begin();
    try {
      await inTenant(ctx, async (tx) => {
        await tx.execute(IMPORT_SETTINGS);
        if (Array.isArray(batch) && grouped) for (const group of groupsOf(batch)) outcomes.push(...(await applyGroup(ctx, tx, imp, group, resolve)));
        else if (Array.isArray(batch)) for (const plan of batch) outcomes.push(await applyRow(ctx, tx, imp, plan, resolve));
        else outcomes = await writeContactBatch(tx, env, batch, turn);
        if (dryRun) throw new DryRunRollback();
        await record(tx);
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
      await inTenant(ctx, record);
    } finally {
      turn.ended();
    }
    done += outcomes.length;
    await tools.progress(done, total);
  };
  // While a batch is being written, the next one is read, planned and (contacts) prepared: the file's
  // parsing, normalisation and the rows' derived values overlap with the database's work. Contacts
  // being created go two batches at a time (two transactions: the database's work on one overlaps
  // the other's waits); updating or merging into existing records goes one batch at a time.
  const writers = imp.objectType === "contact" && imp.options.duplicatePolicy !== "update" && imp.options.duplicatePolicy !== "merge" ? WRITERS : 1;
  let batch: RowPlan[] = [];
  const inflight = new Set<Promise<void>>();
  const flush = async () => {
    const plans = batch;
    batch = [];
    if (!plans.length) return;
    const ready: Ready = imp.objectType === "contact" ? await prepareContactBatch(env, plans) : plans;
    // The first batch to finish frees its slot (a batch the search index's pending-list cleanup holds up does not hold the others).
    while (inflight.size >= writers) await Promise.race(inflight);
    const written = write(ready).finally(() => inflight.delete(written));
    // Awaited later (a full slot, or the end); until then a failure must not count as unhandled.
    written.catch(() => undefined);
    inflight.add(written);
  };
  const groups = new GroupWatch(OBJECTS[imp.objectType].groupBy ?? "");
  for await (const row of source.rows()) {
    if (recorded.has(row.source)) {
      // A group written by an earlier attempt: its number is taken for the rest of the file.
      if (grouped) groups.recorded(planRow(row, context));
      continue;
    }
    const plan = planRow(row, context);
    if (plan.blank) continue;
    // A batch ends at the end of a group: an order's rows are written together, once.
    if (grouped && groups.starts(plan) && batch.length >= size) await flush();
    batch.push(plan);
    if (!grouped && batch.length >= size) await flush();
  }
  await flush();
  await Promise.all(inflight);

  const counts = await readTenant(ctx, (tx) =>
    tx
      .select({ outcome: importRows.outcome, n: sql<number>`count(*)::int` })
      .from(importRows)
      .where(and(eq(importRows.importId, importId), eq(importRows.dryRun, dryRun)))
      .groupBy(importRows.outcome),
  );
  const by = Object.fromEntries(counts.map((c) => [c.outcome, c.n])) as Partial<Record<Outcome["outcome"], number>>;
  const result: ImportCounts = { total, done: Object.values(by).reduce((a, b) => a + b, 0), created: by.created ?? 0, updated: by.updated ?? 0, skipped: by.skipped ?? 0, failed: by.failed ?? 0 };
  await inTenant(ctx, async (tx) => {
    await tx
      .update(imports)
      .set(dryRun ? { status: "checked", checkCounts: result, updatedAt: new Date() } : { status: "completed", counts: result, finishedAt: new Date(), updatedAt: new Date() })
      .where(eq(imports.id, importId));
    if (!dryRun) await recordEvent(tx, ctx, { action: "import.completed", objectType: "import", objectId: importId, after: { ...result } });
  });
  return { ...result };
}

/** Consecutive rows of the same group (rows without a group value each alone). */
function groupsOf(plans: RowPlan[]): RowPlan[][] {
  const out: RowPlan[][] = [];
  for (const p of plans) {
    const last = out.at(-1);
    if (last && p.group !== undefined && last[0]!.group === p.group) last.push(p);
    else out.push([p]);
  }
  return out;
}

/**
 * Where the groups of a file start (rows of one order are next to each
 * other), and the group values met so far: a group value that comes back
 * after other rows is refused on each of its rows rather than being skipped
 * as the duplicate of its earlier part (the order would lose those lines).
 */
class GroupWatch {
  constructor(private readonly field: string) {}
  private last: string | undefined;
  private apart: { group: string; row: number } | null = null;
  private readonly seen = new Map<string, number>();

  recorded(plan: RowPlan): void {
    if (plan.group !== undefined && !this.seen.has(plan.group)) this.seen.set(plan.group, plan.source);
    this.last = plan.group;
  }

  /** Whether the plan starts a new group; marks the rows of a group met earlier. */
  starts(plan: RowPlan): boolean {
    const key = plan.group;
    const starts = key === undefined || key !== this.last;
    this.last = key;
    if (starts) {
      const first = key === undefined ? undefined : this.seen.get(key);
      this.apart = key !== undefined && first !== undefined ? { group: key, row: first } : null;
      if (key !== undefined && first === undefined) this.seen.set(key, plan.source);
    }
    if (this.apart) {
      plan.input = null;
      plan.issues = [...plan.issues, { column: plan.columns[this.field] ?? null, key: "import.order_rows_apart", params: { value: this.apart.group, row: this.apart.row } }];
    }
    return starts;
  }
}

export interface UndoCounts {
  /** Created records moved to the trash. */
  removed: number;
  /** Updated records given back their previous values. */
  restored: number;
  /** Records left as they are: changed or deleted since the import. */
  kept: number;
}

defineJob(IMPORT_UNDO_JOB, async (run, tools) => {
  const { input, checkpoint } = run;
  const ctx = await asStarter(run.ctx);
  const importId = String(input.importId);
  const imp = await readTenant(ctx, (tx) => loadImport(ctx, tx, importId));
  const since = imp.finishedAt!;
  const mine = and(eq(importRows.importId, importId), eq(importRows.dryRun, false), inArray(importRows.outcome, ["created", "updated"]));
  const [{ total } = { total: 0 }] = await readTenant(ctx, (tx) => tx.select({ total: sql<number>`count(*)::int` }).from(importRows).where(mine));
  // Resumes after the last batch a previous attempt finished (trashing is idempotent; a restore is skipped once done).
  let after = Number(checkpoint?.after ?? 0);
  // The rows of one order share its id: it is taken back once, also when its rows straddle two batches.
  let lastCreated = (checkpoint?.lastCreated as string | undefined) ?? null;
  const counts: UndoCounts = { removed: 0, restored: 0, kept: 0, ...(checkpoint?.counts as UndoCounts | undefined) };
  let done = Number(checkpoint?.done ?? 0);
  await tools.progress(done, total, true);
  for (;;) {
    const rows = await readTenant(ctx, (tx) =>
      tx
        .select({ source: importRows.source, outcome: importRows.outcome, objectId: importRows.objectId, before: importRows.before })
        .from(importRows)
        .where(and(mine, gt(importRows.source, after)))
        .orderBy(asc(importRows.source))
        .limit(UNDO_BATCH),
    );
    if (!rows.length) break;
    const created = [...new Set(rows.filter((r) => r.outcome === "created" && r.objectId && r.objectId !== lastCreated).map((r) => r.objectId!))];
    lastCreated = rows.findLast((r) => r.outcome === "created")?.objectId ?? lastCreated;
    const removed = await inTenant(ctx, (tx) => OBJECTS[imp.objectType].removeCreated(ctx, tx, created, since, importId));
    counts.removed += removed.length;
    counts.kept += created.length - removed.length;
    for (const r of rows) {
      if (r.outcome !== "updated" || !r.objectId) continue;
      if (r.before && (await restoreUpdated(ctx, imp.objectType, r.objectId, r.before, since))) counts.restored++;
      else counts.kept++;
    }
    after = rows.at(-1)!.source;
    done += rows.length;
    await tools.checkpoint({ after, counts, done, lastCreated });
    await tools.progress(done, total);
  }
  await inTenant(ctx, async (tx) => {
    await tx.update(imports).set({ status: "undone", undoneAt: new Date(), updatedAt: new Date(), version: sql`${imports.version} + 1` }).where(eq(imports.id, importId));
    await recordEvent(tx, ctx, { action: "import.undone", objectType: "import", objectId: importId, after: { ...counts } });
  });
  return { ...counts };
});
