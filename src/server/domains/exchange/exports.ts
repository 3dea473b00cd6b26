/**
 * Exports: a list view (filters, sort, search, columns, saved view) written to
 * a CSV, .xlsx or vCard file by a job, then downloaded by the user who asked.
 *
 * The job reads the records as the user who asked, with the rights they have
 * when it runs, as their list does (customers through findCustomers itself,
 * contacts by export-pages.ts with findContacts' listing, conditions and
 * masking): the file holds exactly what their list shows, masking included.
 * Pages of 5,000 follow the list's keyset cursor (sort value + id, never
 * OFFSET); a page is written and awaited before the next one is written, so
 * memory stays flat however many rows. The file is written under a temporary
 * name and renamed when complete, so a half file is never served; a text file
 * (CSV, vCard) records after each page where it stands, and a retried job cuts
 * it there and continues. Files are kept 7 days.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { allPermissions, requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, systemCtx, type Ctx } from "../../lib/context.js";
import { AppError, conflict, forbidden, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { translate } from "../../lib/i18n.js";
import { defineJob, defineSchedule, type JobTools } from "../../lib/jobs.js";
import { findContacts } from "../customers/contacts.js";
import { findCustomers, type CustomerView } from "../customers/customers.js";
import { jobs } from "../jobs/schema.js";
import { savedViews } from "../views/schema.js";
import { loadAccess } from "../workspaces/access.js";
import { workspaces } from "../workspaces/schema.js";
import "./export-messages.js";
import { exportColumns, loadLookups, type ExportColumn, type ExportContact, type ExportObject } from "./export-columns.js";
import { contactPages, countMatches, customerPages, listQuery, type PageReader } from "./export-pages.js";
import { CONTACT_CARD_READS, EXTENSIONS, openWriter, type ExportFormat, type RecordWriter, type VcardVersion } from "./export-writers.js";
import { exports } from "./schema.js";

export const EXPORT_JOB = "export";
/** Records read and written per step: big enough to keep round trips few, small enough to keep memory flat. */
export const EXPORT_PAGE = 5000;
/** How long a finished file is kept. */
export const EXPORT_TTL_MS = 7 * 24 * 3600 * 1000;

type Row = typeof exports.$inferSelect;

/** The list query of an export, as the list endpoints take it, plus the visible columns. */
export interface ExportQuery {
  filter: string[];
  sort?: string;
  q?: string;
  columns?: string[];
  viewId?: string;
  vcardVersion?: VcardVersion;
}

export interface ExportCreateInput {
  objectType: ExportObject;
  format: ExportFormat;
  query: ExportQuery;
}

export interface ExportView extends Omit<Row, "tenantId" | "query"> {
  query: ExportQuery;
  error: string | null;
  progressDone: number | null;
  progressTotal: number | null;
}

/** Where an export's file is kept (and, while written, its temporary twin). */
export function exportFile(ctx: Pick<Ctx, "services" | "tenantId">, row: Pick<Row, "id" | "format">): string {
  return path.join(ctx.services.config.dataDir, "exports", ctx.tenantId, `${row.id}.${EXTENSIONS[row.format]}`);
}
const partFile = (file: string) => `${file}.part`;

/** 客户-2026-11-23.csv / Contacts-2026-11-23.vcf, in the export's language. */
export function exportFileName(objectType: ExportObject, format: ExportFormat, locale: Ctx["locale"], at = new Date()): string {
  return `${translate(locale, `export.file_${objectType}`)}-${at.toISOString().slice(0, 10)}.${EXTENSIONS[format]}`;
}

const present = (row: Row, job?: { state: string; error: string | null; progressDone: number; progressTotal: number | null } | null): ExportView => {
  const { tenantId: _t, query, ...rest } = row;
  // The job gave up (after its retries) before the export could say so.
  const failed = job?.state === "failed" && (row.status === "queued" || row.status === "running");
  return {
    ...rest,
    query: query as unknown as ExportQuery,
    status: failed ? "failed" : row.status,
    error: job?.state === "failed" || job?.state === "queued" ? (job.error ?? null) : null,
    progressDone: job?.progressDone ?? null,
    progressTotal: job?.progressTotal ?? null,
  };
};

/** A saved view as the base of the query; what the request names itself wins. */
async function resolveQuery(ctx: Ctx, objectType: ExportObject, query: ExportQuery): Promise<ExportQuery> {
  if (!query.viewId) return query;
  const [view] = await readTenant(ctx, (tx) =>
    tx
      .select({ query: savedViews.query })
      .from(savedViews)
      .where(and(eq(savedViews.id, query.viewId!), eq(savedViews.objectType, objectType), sql`(${savedViews.ownerId} = ${ctx.userId} or ${savedViews.shared})`)),
  );
  if (!view) throw notFound("view");
  return {
    ...query,
    filter: query.filter.length ? query.filter : view.query.filter,
    sort: query.sort ?? view.query.sort,
    q: query.q ?? view.query.q,
    columns: query.columns ?? (view.query.columns.length ? view.query.columns : undefined),
  };
}

/** Rights of the asker that the job keeps (an API token's narrower scopes included); checked again when it runs. */
const snapshot = (ctx: Ctx) => [...ctx.permissions];

/**
 * Queues an export of what the user's list shows. The query is checked now
 * (a bad filter or sort is a 400 here, not a failed job).
 */
export async function createExport(ctx: Ctx, input: ExportCreateInput): Promise<ExportView> {
  requireAccess(ctx, `${input.objectType}:export`);
  const query = await resolveQuery(ctx, input.objectType, input.query);
  await (input.objectType === "customer" ? findCustomers(ctx, listQuery(query, 1)) : findContacts(ctx, listQuery(query, 1)));
  const id = crypto.randomUUID();
  const fileName = exportFileName(input.objectType, input.format, ctx.locale);
  await inTenant(ctx, async (tx) => {
    await tx.insert(exports).values({ tenantId: ctx.tenantId, id, objectType: input.objectType, format: input.format, query: { ...query }, locale: ctx.locale, fileName, createdBy: ctx.userId });
    await recordEvent(tx, ctx, { action: "export.created", objectType: "export", objectId: id, after: { objectType: input.objectType, format: input.format, query, fileName } });
  });
  let jobId: string;
  try {
    jobId = await ctx.services.jobs.enqueue(ctx, EXPORT_JOB, { exportId: id, permissions: snapshot(ctx) });
  } catch (err) {
    await inTenant(ctx, (tx) => tx.update(exports).set({ status: "failed", finishedAt: new Date() }).where(eq(exports.id, id)));
    throw err;
  }
  const [row] = await inTenant(ctx, (tx) => tx.update(exports).set({ jobId }).where(eq(exports.id, id)).returning());
  return present(row!);
}

async function loadOwn(ctx: Ctx, id: string) {
  const [found] = await readTenant(ctx, (tx) =>
    tx
      .select({ row: exports, job: { state: jobs.state, error: jobs.error, progressDone: jobs.progressDone, progressTotal: jobs.progressTotal } })
      .from(exports)
      .leftJoin(jobs, and(eq(jobs.tenantId, exports.tenantId), eq(jobs.id, exports.jobId)))
      .where(and(eq(exports.id, id), eq(exports.createdBy, ctx.userId ?? sql`null`))),
  );
  // Someone else's export does not exist for this user.
  if (!found) throw notFound("export");
  return found;
}

/** The user's own recent exports (files are theirs alone: others' do not show). */
export async function listExports(ctx: Ctx, limit = 20): Promise<ExportView[]> {
  await expireExports(ctx);
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select({ row: exports, job: { state: jobs.state, error: jobs.error, progressDone: jobs.progressDone, progressTotal: jobs.progressTotal } })
      .from(exports)
      .leftJoin(jobs, and(eq(jobs.tenantId, exports.tenantId), eq(jobs.id, exports.jobId)))
      .where(eq(exports.createdBy, ctx.userId ?? sql`null`))
      .orderBy(desc(exports.createdAt))
      .limit(limit),
  );
  return rows.map((r) => present(r.row, r.job));
}

export async function getExport(ctx: Ctx, id: string): Promise<ExportView> {
  await expireExports(ctx);
  const { row, job } = await loadOwn(ctx, id);
  return present(row, job);
}

/** The finished file of one's own export, to stream. */
export async function openExportFile(ctx: Ctx, id: string): Promise<{ file: string; fileName: string; asciiName: string; format: ExportFormat; size: number }> {
  await expireExports(ctx);
  const { row, job } = await loadOwn(ctx, id);
  const view = present(row, job);
  if (view.status === "expired") throw new AppError("NOT_FOUND", "export.expired");
  if (view.status === "failed") throw conflict("export.failed");
  if (view.status !== "completed") throw conflict("export.not_ready", { status: view.status });
  const file = exportFile(ctx, row);
  const size = (await fs.promises.stat(file).catch(() => null))?.size;
  if (size === undefined) throw new AppError("NOT_FOUND", "export.expired");
  const asciiName = `${row.objectType === "customer" ? "customers" : "contacts"}-${row.createdAt.toISOString().slice(0, 10)}.${EXTENSIONS[row.format]}`;
  return { file, fileName: row.fileName, asciiName, format: row.format, size };
}

/** Deletes files past their time in this workspace and marks their exports expired (on access, and hourly). */
export async function expireExports(ctx: Ctx, now = new Date()): Promise<number> {
  const due = await readTenant(ctx, (tx) =>
    tx.select({ id: exports.id, format: exports.format }).from(exports).where(and(eq(exports.status, "completed"), lt(exports.expiresAt, now))),
  );
  for (const row of due) {
    await fs.promises.rm(exportFile(ctx, row), { force: true });
    await inTenant(ctx, (tx) => tx.update(exports).set({ status: "expired" }).where(and(eq(exports.id, row.id), eq(exports.status, "completed"))));
  }
  return due.length;
}

/**
 * The asker's context as it is now: their current role and visibility, their
 * permissions narrowed to what they had when asking (an API token's scopes).
 */
async function askerContext(jobCtx: Ctx, row: Row, asked: string[] | undefined): Promise<Ctx> {
  if (!row.createdBy) throw forbidden(`${row.objectType}:export`);
  const access = await loadAccess(jobCtx.database, jobCtx.tenantId, row.createdBy);
  if (!access) throw forbidden(`${row.objectType}:export`);
  const kept = asked ? new Set(asked) : null;
  const ctx: Ctx = {
    ...jobCtx,
    userId: row.createdBy,
    actorType: "user",
    permissions: new Set(access.permissions.filter((p) => !kept || kept.has(p))),
    roleKey: access.roleKey,
    visibility: access.visibility,
    departmentId: access.departmentId,
    locale: row.locale === "en-US" ? "en-US" : "zh-CN",
  };
  requireAccess(ctx, `${row.objectType}:export`);
  return ctx;
}

export interface ExportCheckpoint {
  cursor: string | null;
  rows: number;
  bytes: number;
}

export interface RunExportOptions {
  pageSize?: number;
  /** The permissions the asker had when asking (job input). */
  permissions?: string[];
  checkpoint?: ExportCheckpoint | null;
}

/**
 * Writes one export's file: the job's body, also called by the benchmark.
 * `jobCtx` is the job's (system) context; the records are read as the asker.
 */
export async function runExport(jobCtx: Ctx, exportId: string, tools: JobTools, opts: RunExportOptions = {}): Promise<{ rows: number; fileSize: number }> {
  const [row] = await readTenant(jobCtx, (tx) => tx.select().from(exports).where(eq(exports.id, exportId)));
  if (!row) throw notFound("export");
  if (row.status === "completed") return { rows: row.rows ?? 0, fileSize: row.fileSize ?? 0 };
  const query = row.query as unknown as ExportQuery;
  const pageSize = opts.pageSize ?? EXPORT_PAGE;
  const file = exportFile(jobCtx, row);
  const part = partFile(file);
  try {
    const ctx = await askerContext(jobCtx, row, opts.permissions);
    await inTenant(jobCtx, (tx) => tx.update(exports).set({ status: "running" }).where(eq(exports.id, exportId)));
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const lookups = await readTenant(ctx, (tx) => loadLookups(tx, row.objectType));
    // One file holds one kind of record: the columns read the records the pages bring.
    const columns = exportColumns(row.objectType, ctx.locale, lookups, query.columns) as ExportColumn<CustomerView | ExportContact>[];
    const total = await countMatches(ctx, row.objectType, query);

    // Continue where an interrupted attempt stopped, if its file still holds what it recorded.
    let from = opts.checkpoint ?? null;
    const partSize = from ? (await fs.promises.stat(part).catch(() => null))?.size : undefined;
    if (from && (row.format === "xlsx" || partSize === undefined || partSize < from.bytes)) from = null;
    const writer: RecordWriter<CustomerView | ExportContact> = await openWriter(row.format, part, { objectType: row.objectType, columns, lookups, vcardVersion: query.vcardVersion, resumeAt: from?.bytes });
    let cursor = from?.cursor ?? undefined;
    let rows = from?.rows ?? 0;
    await tools.progress(rows, total, true);
    // Contacts are read with only the fields the columns (or the cards) read, and written as they arrive.
    const reads = row.format === "vcard" ? CONTACT_CARD_READS : [...new Set(columns.flatMap((c) => c.reads))];
    const read = (
      row.objectType === "customer" ? customerPages(ctx, query, pageSize) : contactPages(ctx, query, pageSize, reads)
    ) as PageReader<CustomerView | ExportContact>;
    try {
      do {
        const page = await read(cursor, (record) => writer.add(record));
        await writer.flush();
        cursor = page.nextCursor ?? undefined;
        rows += page.count;
        if (cursor && writer.appendable) await tools.checkpoint({ cursor, rows, bytes: writer.bytes });
        await tools.progress(rows, Math.max(total, rows));
      } while (cursor);
      await writer.finish();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    await fs.promises.rename(part, file);
    const fileSize = (await fs.promises.stat(file)).size;
    const finishedAt = new Date();
    await inTenant(jobCtx, (tx) =>
      tx.update(exports).set({ status: "completed", rows, fileSize, finishedAt, expiresAt: new Date(finishedAt.getTime() + EXPORT_TTL_MS) }).where(eq(exports.id, exportId)),
    );
    await tools.progress(rows, rows, true);
    return { rows, fileSize };
  } catch (err) {
    // A refusal (rights gone, a filter on a deleted field) will not heal by retrying: say so at once.
    if (err instanceof AppError) {
      await inTenant(jobCtx, (tx) => tx.update(exports).set({ status: "failed", finishedAt: new Date() }).where(eq(exports.id, exportId)));
      await fs.promises.rm(part, { force: true });
    }
    throw err;
  }
}

defineJob(EXPORT_JOB, async ({ ctx, input, checkpoint }, tools) => {
  const result = await runExport(ctx, String(input.exportId), tools, {
    permissions: Array.isArray(input.permissions) ? (input.permissions as string[]) : undefined,
    checkpoint: (checkpoint as ExportCheckpoint | null) ?? null,
  });
  return { ...result };
});

/** Every hour: files past their 7 days are deleted, workspace by workspace. */
defineSchedule("exports_expire", "41 * * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await expireExports(systemCtx(database, services, ws.id, allPermissions()));
});
