import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { translate, type Locale } from "../../lib/i18n.js";
import { loadImport, openSource, storage, type ImportRow } from "./imports.js";
import type { Cell, SourceRow } from "./readers/types.js";
import { importRows } from "./schema.js";
import "./template-messages.js";

/**
 * The error report of an import's run (or dry run): an Excel workbook with the
 * file's header, an error column and a row number, and for each problem row
 * its cells as the file has them, re-read from the stored upload. Fixed in
 * Excel, the report can be uploaded again: the extra columns map to nothing.
 * Written with exceljs's streaming writer, so neither the rows nor the
 * workbook are ever held in memory whole.
 */

const PAGE = 500;

type Issue = { column: string | null; key: string; params?: Record<string, string | number> };

/** A message with its placeholders filled literally (translate() would read a param such as "customer" as an object name). */
function fill(locale: Locale, key: string, params: Record<string, string>): string {
  const text = translate(locale, key, Object.fromEntries(Object.keys(params).map((k) => [k, `\uE000${k}\uE000`])));
  return text.replace(/\uE000(\w+)\uE000/g, (_, k: string) => params[k] ?? "");
}

/** The messages of one row, one per line: 列“手机”：“12345”不是有效的电话号码. */
export function issueText(locale: Locale, issues: readonly Issue[]): string {
  return issues
    .map((i) => {
      const message = translate(locale, i.key, i.params);
      return i.column ? fill(locale, "import_report.column_issue", { column: i.column, message }) : message;
    })
    .join("\n");
}

const cellValue = (c: Cell | undefined): ExcelJS.CellValue => (c === undefined || c === null ? null : Array.isArray(c) ? c.join("; ") : (c as ExcelJS.CellValue));

/** The problem rows of a run, in file order, a page at a time. */
async function* problemRows(ctx: Ctx, importId: string, dryRun: boolean): AsyncGenerator<{ source: number; issues: Issue[] }> {
  let after = 0;
  for (;;) {
    const page = await readTenant(ctx, (tx) =>
      tx
        .select({ source: importRows.source, issues: importRows.issues })
        .from(importRows)
        .where(and(eq(importRows.importId, importId), eq(importRows.dryRun, dryRun), sql`${importRows.issues} <> '[]'::jsonb`, gt(importRows.source, after)))
        .orderBy(asc(importRows.source))
        .limit(PAGE),
    );
    yield* page;
    if (page.length < PAGE) return;
    after = page.at(-1)!.source;
  }
}

/**
 * Waits while the client reads slower than the report is written, so rows wait
 * in the database rather than in memory; fails once the client has gone.
 */
async function drained(out: PassThrough): Promise<void> {
  if (out.destroyed) throw new Error("report stream closed");
  if (!out.writableNeedDrain) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      out.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      out.off("drain", onDrain);
      reject(new Error("report stream closed"));
    };
    out.once("drain", onDrain);
    out.once("close", onClose);
  });
}

async function writeReport(ctx: Ctx, imp: ImportRow, dryRun: boolean, out: PassThrough): Promise<void> {
  const locale = ctx.locale;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(translate(locale, "import_report.sheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  const width = imp.headers.length;
  sheet.columns = [...imp.headers.map(() => ({ width: 18 })), { width: 60 }, { width: 8 }];
  const header = sheet.addRow([...imp.headers, translate(locale, "import_report.errors"), translate(locale, "import_report.row")]);
  header.font = { bold: true };
  header.commit();

  // Problem rows and file rows are both in file order: walk them side by side.
  const source = (await openSource(storage(ctx, imp.id), imp)).rows()[Symbol.asyncIterator]();
  let current: SourceRow | undefined;
  let exhausted = false;
  for await (const problem of problemRows(ctx, imp.id, dryRun)) {
    while (!exhausted && (!current || current.source < problem.source)) {
      const next = await source.next();
      if (next.done) exhausted = true;
      else current = next.value;
    }
    const cells = current?.source === problem.source ? current.cells : [];
    const values = Array.from({ length: width }, (_, i) => cellValue(cells[i]));
    const row = sheet.addRow([...values, issueText(locale, problem.issues), problem.source]);
    row.getCell(width + 1).alignment = { wrapText: true, vertical: "top" };
    row.getCell(width + 1).font = { color: { argb: "FFC00000" } };
    row.commit();
    await drained(out);
  }
  await source.return?.();
  sheet.commit();
  await workbook.commit();
}

/**
 * The report as a stream and its file name. The import is loaded and access
 * checked before anything is sent, so those errors still answer as JSON; a
 * failure while writing ends the stream with that error.
 */
export async function importReport(ctx: Ctx, id: string, dryRun: boolean): Promise<{ fileName: string; stream: Readable }> {
  const imp = await readTenant(ctx, (tx) => loadImport(ctx, tx, id));
  requireAccess(ctx, `${imp.objectType}:create`);
  const out = new PassThrough();
  writeReport(ctx, imp, dryRun, out).catch((err: unknown) => out.destroy(err as Error));
  const base = path.parse(imp.fileName).name || imp.fileName;
  return { fileName: `${base}-${translate(ctx.locale, "import_report.file_suffix")}.xlsx`, stream: out };
}

/** Content-Disposition for any file name: the UTF-8 name (RFC 5987/6266) first, as the web app's download reads the first, then an ASCII fallback. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}; filename="${ascii}"`;
}
