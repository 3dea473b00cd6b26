/**
 * Excel (.xlsx) import reader: one sheet of a workbook as a TableSource,
 * streamed with exceljs's WorkbookReader so a million-row sheet never sits in
 * memory. The zip is checked and fed to exceljs by xlsx-archive.ts.
 *
 * Opening costs one inflate of the chosen sheet (merged cells are listed at the
 * end of its XML, and the header needs them) and a parse of its first rows;
 * each `rows()` call then streams the sheet once more.
 */
import path from "node:path";
import ExcelJS from "exceljs";
import type yauzl from "yauzl";
import { AppError, invalid } from "../../../lib/errors.js";
import { registerMessages } from "../../../lib/i18n.js";
import { DEFAULT_LIMITS, type Cell, type ReadLimits, type SourceRow, type TableSource } from "./types.js";
import { asArchiveError, checkXlsxFile, openXlsxArchive, readSmallPart, scanEntry, storedZip, type XlsxArchive } from "./xlsx-archive.js";

registerMessages({
  "import.xlsx_no_sheets": { "en-US": "The workbook has no worksheet", "zh-CN": "工作簿中没有工作表" },
  "import.xlsx_sheet_not_found": { "en-US": "The workbook has no sheet “{{sheet}}”", "zh-CN": "工作簿中没有工作表「{{sheet}}」" },
  "import.xlsx_empty": { "en-US": "The sheet “{{sheet}}” has no data", "zh-CN": "工作表「{{sheet}}」中没有数据" },
  "import.xlsx_header_empty": {
    "en-US": "Row {{row}} is empty and cannot be the header row",
    "zh-CN": "第 {{row}} 行是空行，不能作为表头",
  },
  "import.xlsx_too_many_columns": {
    "en-US": "Row {{row}} has {{columns}} columns, more than the {{limit}} allowed: delete the unused columns and import again",
    "zh-CN": "第 {{row}} 行有 {{columns}} 列，超过 {{limit}} 列的上限：请删除多余的列后再导入",
  },
  "import.xlsx_cell_too_long": {
    "en-US": "Cell {{cell}} holds more than {{limit}} characters",
    "zh-CN": "单元格 {{cell}} 的内容超过 {{limit}} 个字符的上限",
  },
  "import.xlsx_too_many_merges": {
    "en-US": "The sheet has more than {{limit}} merged cells: unmerge them and import again",
    "zh-CN": "工作表中的合并单元格超过 {{limit}} 个：请取消合并后再导入",
  },
});

export interface XlsxReadOptions {
  /** A sheet name, or its 0-based position in `sheets`; by default the first visible sheet. */
  sheet?: string | number;
  /** 1-based sheet row of the (first) header row; by default the first non-empty row, passing over merged title rows above it. */
  headerRow?: number;
  /** How many rows the header spans; by default detected from its merged cells (1 to 4). */
  headerRows?: number;
  limits?: Partial<ReadLimits>;
}

/**
 * Opens one sheet of an .xlsx file. Refuses (AppError VALIDATION, `import.xlsx_*`)
 * what is not a readable workbook and what breaks a limit, before parsing rows.
 *
 * Cells: text as strings (digits stored as text stay text: phone numbers,
 * credit codes), numbers, booleans, dates as Date (date-formatted numbers and
 * formula results, UTC wall-clock: Excel has no time zone), rich text flattened,
 * hyperlinks as their text, formulas as their cached result, errors (#N/A) as
 * null. A merged range's value fills every cell of the range. Columns right of
 * the last titled header column are not read: they could not be mapped anyway.
 */
export async function readXlsx(file: string, options: XlsxReadOptions = {}): Promise<TableSource> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  await checkXlsxFile(file, limits);
  const plan = await planWorkbook(file, options, limits);
  const header = await readHeader(file, plan, options, limits);
  return {
    format: "xlsx",
    sheet: plan.sheet.name,
    sheets: plan.sheets.map((s) => s.name),
    headers: header.names,
    rows: () => dataRows(file, plan, header, limits),
  };
}

// ---------------------------------------------------------------------------
// Workbook structure: which parts hold the sheets, styles and shared strings

interface SheetInfo {
  name: string;
  state: string;
  /** Zip path of the sheet's XML. */
  part: string;
}

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

interface WorkbookPlan {
  sheets: SheetInfo[];
  sheet: SheetInfo;
  rels: string;
  styles?: string;
  sharedStrings?: string;
  merges: Merge[];
}

const WORKBOOK = "xl/workbook.xml";
const WORKBOOK_RELS = "xl/_rels/workbook.xml.rels";
/** A cap on merged ranges kept in memory (about 40 bytes each). */
const MAX_MERGES = 1_000_000;

async function planWorkbook(file: string, options: XlsxReadOptions, limits: ReadLimits): Promise<WorkbookPlan> {
  const archive = await openXlsxArchive(file, limits);
  try {
    if (!archive.entries.has(WORKBOOK)) {
      if (archive.entries.has("xl/workbook.bin")) throw invalid("import.xlsx_xlsb");
      throw invalid("import.xlsx_not_xlsx", {}, { reason: "no_workbook_part" });
    }
    const rels = new Map<string, { type: string; target: string }>();
    for (const tag of (await readSmallPart(archive, WORKBOOK_RELS))?.match(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g) ?? []) {
      const a = attributes(tag);
      if (a.Id && a.Target && a.TargetMode !== "External") rels.set(a.Id, { type: a.Type ?? "", target: partPath(a.Target) });
    }
    const workbookXml = (await readSmallPart(archive, WORKBOOK)) ?? "";
    const sheets: SheetInfo[] = [];
    for (const tag of workbookXml.match(/<(?:[\w.-]+:)?sheet\b[^>]*>/g) ?? []) {
      const a = attributes(tag);
      const rid = Object.entries(a).find(([key]) => key.endsWith(":id"))?.[1];
      const rel = rid ? rels.get(rid) : undefined;
      if (a.name === undefined || !rel || !rel.type.endsWith("/worksheet") || !archive.entries.has(rel.target.toLowerCase())) continue;
      sheets.push({ name: a.name, state: a.state ?? "visible", part: rel.target });
    }
    if (sheets.length === 0) throw invalid("import.xlsx_no_sheets");
    const sheet = chooseSheet(sheets, options.sheet);
    const partOf = (type: string) => [...rels.values()].find((r) => r.type.endsWith(type) && archive.entries.has(r.target.toLowerCase()))?.target;
    const merges = await scanMerges(archive, archive.entries.get(sheet.part.toLowerCase())!);
    return { sheets, sheet, rels: WORKBOOK_RELS, styles: partOf("/styles"), sharedStrings: partOf("/sharedStrings"), merges };
  } finally {
    archive.close();
  }
}

function chooseSheet(sheets: SheetInfo[], wanted: string | number | undefined): SheetInfo {
  let sheet: SheetInfo | undefined;
  if (wanted === undefined) sheet = sheets.find((s) => s.state === "visible") ?? sheets[0];
  else if (typeof wanted === "number") sheet = Number.isInteger(wanted) ? sheets[wanted] : undefined;
  else {
    const folded = wanted.trim().toLowerCase();
    sheet = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => s.name.trim().toLowerCase() === folded);
  }
  if (!sheet) throw invalid("import.xlsx_sheet_not_found", { sheet: String(wanted) }, { sheets: sheets.map((s) => s.name) });
  return sheet;
}

/** A relationship target is relative to the workbook's folder, or absolute within the package. */
function partPath(target: string): string {
  return target.startsWith("/") ? path.posix.normalize(target.slice(1)) : path.posix.normalize(path.posix.join("xl", target));
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = decodeXml(m[2] ?? m[3] ?? "");
  return out;
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!;
  });
}

/**
 * exceljs's streaming reader ignores merged cells, and they come after all rows
 * in the sheet's XML: one pass over the inflated bytes collects them. Only
 * chunks that mention "mergeCell" are decoded.
 */
async function scanMerges(archive: XlsxArchive, entry: yauzl.Entry): Promise<Merge[]> {
  const merges: Merge[] = [];
  const tag = /<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?["']/g;
  let carry = Buffer.alloc(0);
  await scanEntry(archive, entry, (chunk) => {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let end = 0;
    if (data.includes("mergeCell")) {
      const text = data.toString("latin1");
      tag.lastIndex = 0;
      for (let m = tag.exec(text); m; m = tag.exec(text)) {
        end = tag.lastIndex;
        if (merges.length >= MAX_MERGES) throw invalid("import.xlsx_too_many_merges", { limit: MAX_MERGES });
        const [r1, c1] = [Number(m[2]), columnNumber(m[1]!)];
        const [r2, c2] = m[3] ? [Number(m[4]), columnNumber(m[3])] : [r1, c1];
        merges.push({ top: Math.min(r1, r2), bottom: Math.max(r1, r2), left: Math.min(c1, c2), right: Math.max(c1, c2) });
      }
    }
    // Keep enough of the tail for a tag cut in two by the chunk boundary.
    carry = Buffer.from(data.subarray(Math.max(end, data.length - 256)));
  });
  return merges;
}

// ---------------------------------------------------------------------------
// Rows through exceljs

interface ExcelRow {
  /** 1-based sheet row. */
  number: number;
  /** Index = column - 1; holes for empty cells. */
  cells: Cell[];
}

const READER_OPTIONS = {
  worksheets: "emit",
  sharedStrings: "cache",
  styles: "cache", // number formats tell dates from numbers
  hyperlinks: "ignore", // the cell keeps its display text
  entries: "ignore",
} as const;

/**
 * Excel's built-in formats 27–36 and 50–58 are dates and times whose pattern
 * depends on the locale (zh-CN: 2024年1月5日 …). exceljs knows them only by
 * locale and so reads such cells as numbers; any pattern of the family makes
 * them dates again.
 */
const LOCALE_DATE_FORMATS: Record<number, string> = {
  27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: 'h"时"mm"分"', 35: 'h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
  55: 'h"时"mm"分"', 56: 'h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

interface ExcelInternals {
  styles?: { index?: { numFmt?: Record<number, string> } };
  properties?: { model?: { date1904?: boolean } };
}

/** The chosen sheet's rows, each typed; restartable (every call re-opens the file). */
async function* sheetRows(file: string, plan: WorkbookPlan, limits: ReadLimits): AsyncGenerator<ExcelRow> {
  const archive = await openXlsxArchive(file, limits);
  const entry = (name: string) => {
    const found = archive.entries.get(name.toLowerCase());
    if (!found) throw invalid("import.xlsx_corrupt", {}, { reason: "missing_part", part: name });
    return found;
  };
  let source: ReturnType<typeof storedZip> | undefined;
  try {
    source = storedZip(archive, [
      { name: WORKBOOK_RELS, entry: entry(plan.rels) },
      { name: WORKBOOK, entry: entry(WORKBOOK) },
      ...(plan.styles ? [{ name: "xl/styles.xml", entry: entry(plan.styles) }] : []),
      ...(plan.sharedStrings ? [{ name: "xl/sharedStrings.xml", entry: entry(plan.sharedStrings) }] : []),
      { name: "xl/worksheets/sheet1.xml", entry: entry(plan.sheet.part) },
    ]);
    // unzipper is fed by pipe(), which does not pass errors on: a failure of the source (a size
    // check) would leave exceljs waiting for ever, so every wait also ends on it. (Not with
    // Promise.race against one pending promise: that keeps every row alive until the end.)
    let failure: unknown;
    let rejectWait: ((err: unknown) => void) | undefined;
    source.once("error", (err) => {
      failure = err;
      rejectWait?.(err);
    });
    const wait = <T>(step: Promise<T>): Promise<T> =>
      failure !== undefined
        ? Promise.reject(failure)
        : new Promise<T>((resolve, reject) => {
            rejectWait = reject;
            step.then(resolve, reject);
          });
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, READER_OPTIONS);
    const sheets = reader[Symbol.asyncIterator]();
    const first = await wait(sheets.next());
    if (first.done) throw invalid("import.xlsx_corrupt", {}, { reason: "sheet_unreadable" });
    const internals = reader as unknown as ExcelInternals;
    const numFmts = internals.styles?.index?.numFmt;
    if (numFmts) for (const [id, code] of Object.entries(LOCALE_DATE_FORMATS)) numFmts[Number(id)] ??= code;
    const date1904 = internals.properties?.model?.date1904 === true;
    const rows = first.value[Symbol.asyncIterator]();
    for (;;) {
      const next = await wait(rows.next());
      if (next.done) return;
      yield typedRow(next.value, date1904, limits);
    }
  } catch (err) {
    throw err instanceof AppError ? err : asArchiveError(err);
  } finally {
    source?.destroy();
    archive.close();
  }
}

function typedRow(row: ExcelJS.Row, date1904: boolean, limits: ReadLimits): ExcelRow {
  const cells: Cell[] = [];
  let last = 0;
  row.eachCell((_, col) => (last = Math.max(last, col)));
  if (last > limits.maxColumns) {
    throw invalid("import.xlsx_too_many_columns", { row: row.number, columns: last, limit: limits.maxColumns });
  }
  row.eachCell((cell, col) => {
    const value = typedValue(cell.value, cell.numFmt, date1904);
    if (typeof value === "string" && value.length > limits.maxCellChars) {
      throw invalid("import.xlsx_cell_too_long", { cell: `${columnLetter(col)}${row.number}`, limit: limits.maxCellChars });
    }
    if (value !== null) cells[col - 1] = value;
  });
  return { number: row.number, cells };
}

function typedValue(value: unknown, numFmt: string | undefined, date1904: boolean): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null; // a formula's cached #N/A reaches exceljs as NaN
    return isDateFormat(numFmt) ? excelDate(value, date1904) : value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return typedValue((v.richText as { text?: string }[]).map((run) => run.text ?? "").join(""), undefined, date1904);
    if ("error" in v) return null;
    if ("formula" in v || "sharedFormula" in v) return typedValue(v.result, numFmt, date1904);
    if ("text" in v) return typedValue(v.text, undefined, date1904); // a hyperlink
  }
  return null;
}

/** Excel's test for a date format: a date or time letter outside quotes, brackets and escapes. */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhsb]/i.test(format.replace(/\[[^\]]*]|"[^"]*"|\\./g, "").replace(/General/gi, ""));
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

// ---------------------------------------------------------------------------
// Header

interface Header {
  names: string[];
  /** First sheet row after the header. */
  dataStart: number;
}

/** Non-empty rows read to find and name the header. */
const HEADER_LOOKAHEAD = 8;
const MAX_HEADER_ROWS = 4;

async function readHeader(file: string, plan: WorkbookPlan, options: XlsxReadOptions, limits: ReadLimits): Promise<Header> {
  const rows: ExcelRow[] = [];
  const merges = plan.merges;
  const from = options.headerRow ?? 1;
  // Rows above a given header row are kept only where a merged range starts that may reach into the header.
  const tops = new Set(merges.map((m) => m.top));
  const byNumber = new Map<number, ExcelRow>();
  for await (const row of sheetRows(file, plan, limits)) {
    if (isEmpty(row.cells)) continue;
    if (row.number < from) {
      if (tops.has(row.number)) byNumber.set(row.number, row);
      continue;
    }
    rows.push(row);
    byNumber.set(row.number, row);
    if (rows.length >= HEADER_LOOKAHEAD) break;
  }
  if (rows.length === 0) {
    if (options.headerRow !== undefined) throw invalid("import.xlsx_header_empty", { row: options.headerRow });
    throw invalid("import.xlsx_empty", { sheet: plan.sheet.name });
  }
  const cellAt = (r: number, c: number): Cell => byNumber.get(r)?.cells[c - 1] ?? null;
  const mergeAt = (r: number, c: number) => merges.find((m) => r >= m.top && r <= m.bottom && c >= m.left && c <= m.right);
  const valueAt = (r: number, c: number): Cell => {
    const m = mergeAt(r, c);
    return m ? cellAt(m.top, m.left) : cellAt(r, c);
  };

  let start = options.headerRow ?? rows[0]!.number;
  if (options.headerRow === undefined) {
    // A title over the whole table ("客户名单 2024", one merged cell) is not the header.
    for (let i = 0; i + 1 < rows.length && i < 3 && isTitleRow(rows[i]!, rows[i + 1]!, merges); i++) start = rows[i + 1]!.number;
  } else if (!byNumber.has(start)) {
    throw invalid("import.xlsx_header_empty", { row: start });
  }

  let depth = Math.max(1, Math.min(options.headerRows ?? 1, MAX_HEADER_ROWS));
  if (options.headerRows === undefined) {
    while (depth < MAX_HEADER_ROWS) {
      const last = start + depth - 1;
      const next = start + depth;
      const inHeader = merges.filter((m) => m.top >= start && m.top <= last);
      // 姓名 merged over two rows: the header goes on.
      const reachesDown = inHeader.some((m) => m.bottom >= next);
      // 联系方式 merged over two columns, with 手机 and 邮箱 under it and nothing but text, and only there, in the next row.
      const groups = inHeader.filter((m) => m.bottom === last && m.right > m.left && valueAt(m.top, m.left) !== null);
      const below = byNumber.get(next)?.cells;
      const subHeaders =
        groups.length > 0 &&
        below !== undefined &&
        !isEmpty(below) &&
        below.every((v, i) => v === undefined || v === null || (typeof v === "string" && groups.some((m) => i + 1 >= m.left && i + 1 <= m.right)));
      if (!reachesDown && !subHeaders) break;
      depth++;
    }
  }
  const end = start + depth - 1;

  let width = 0;
  for (let r = start; r <= end; r++) width = Math.max(width, byNumber.get(r)?.cells.length ?? 0);
  for (const m of merges) if (m.top <= end && m.bottom >= start && cellAt(m.top, m.left) !== null) width = Math.max(width, m.right);
  if (width > limits.maxColumns) throw invalid("import.xlsx_too_many_columns", { row: start, columns: width, limit: limits.maxColumns });

  const used = new Set<string>();
  const names: string[] = [];
  for (let c = 1; c <= width; c++) {
    const parts: string[] = [];
    for (let r = start; r <= end; r++) {
      const text = headerText(valueAt(r, c));
      if (text && text !== parts[parts.length - 1]) parts.push(text);
    }
    const base = parts.join(" ") || columnLetter(c);
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    used.add(name.toLowerCase());
    names.push(name);
  }
  return { names, dataStart: end + 1 };
}

/** One value in a merged cell across the table, and a fuller row below it. */
function isTitleRow(row: ExcelRow, next: ExcelRow, merges: Merge[]): boolean {
  const filled = row.cells.flatMap((v, i) => (v === null || v === undefined ? [] : [i + 1]));
  if (filled.length !== 1) return false;
  const col = filled[0]!;
  const merge = merges.find((m) => m.top === row.number && m.left === col);
  return merge !== undefined && merge.right > merge.left && merge.bottom < next.number && next.cells.filter((v) => v !== null && v !== undefined).length >= 2;
}

function headerText(value: Cell): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.join(" ");
  return String(value).replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------
// Data rows

async function* dataRows(file: string, plan: WorkbookPlan, header: Header, limits: ReadLimits): AsyncGenerator<SourceRow> {
  const width = header.names.length;
  // Merged ranges below the header, by first row: a customer name merged over its three contacts belongs to each.
  const merges = plan.merges.filter((m) => m.top >= header.dataStart && m.left <= width).sort((a, b) => a.top - b.top);
  let next = 0;
  let active: { merge: Merge; value: Cell }[] = [];
  for await (const row of sheetRows(file, plan, limits)) {
    if (row.number < header.dataStart) continue;
    const cells: Cell[] = Array.from({ length: width }, (_, i) => row.cells[i] ?? null);
    while (next < merges.length && merges[next]!.top <= row.number) {
      const merge = merges[next++]!;
      active.push({ merge, value: merge.top === row.number ? (cells[merge.left - 1] ?? null) : null });
    }
    if (active.length) {
      active = active.filter((a) => a.merge.bottom >= row.number);
      for (const { merge, value } of active) {
        if (value === null) continue;
        for (let c = merge.left; c <= Math.min(merge.right, width); c++) if (cells[c - 1] === null) cells[c - 1] = value;
      }
    }
    if (isEmpty(cells)) continue;
    yield { source: row.number, cells };
  }
}

function isEmpty(cells: Cell[]): boolean {
  return cells.every((v) => v === null || v === undefined);
}

/** 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
