/**
 * Export file writers: CSV (UTF-8 with BOM), Excel .xlsx
 * (exceljs' streaming WorkbookWriter) and vCard (4.0 or 3.0, written here:
 * RFC 6350 escaping and folding need a few lines, and what we write must read
 * back with our own reader, readers/vcard.ts).
 *
 * Writers take records one by one and are flushed after each page; nothing
 * holds more than one page (the text formats: a chunk of text). The text
 * formats (CSV, vCard) report the bytes written, so a job interrupted
 * between pages can truncate its unfinished file to the last page and append
 * (exports.ts); an .xlsx is a zip whose central directory comes last, so an
 * interrupted one is written again from the start.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import type { CustomerView } from "../customers/customers.js";
import { regionName } from "../customers/regions.js";
import type { Cell, ExportColumn, ExportContact, ExportLookups, ExportObject } from "./export-columns.js";

export type ExportFormat = "csv" | "xlsx" | "vcard";
export type VcardVersion = "4.0" | "3.0";

export const EXTENSIONS: Record<ExportFormat, string> = { csv: "csv", xlsx: "xlsx", vcard: "vcf" };
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  vcard: "text/vcard; charset=utf-8",
};

// ---------------------------------------------------------------------------
// Formula injection

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or tab / CR, which
 * some strip before looking) as a formula (`=HYPERLINK(…)`, `@SUM(…)`, DDE):
 * such a text cell gets a leading apostrophe, as OWASP advises.
 *
 * Phone numbers are no exception, by choice. We store them in E.164
 * (+8613800138000), and Excel takes "+8613800138000" in a CSV for the formula
 * =+8613800138000: it shows 8.6138E+12 and drops the plus, so the apostrophe
 * also keeps the number readable; a number with an extension ("…;ext=8") would
 * otherwise be a formula error. Exempting "pure E.164" would save an
 * apostrophe but leave the mangling, and one rule for every text cell is one
 * rule to trust. Only cells of number columns holding a plain decimal (-12.5)
 * stay as they are: a number cannot call anything.
 */
export function neutralise(value: string): string {
  // = + - @ tab CR, by code (every text cell of a million-row export passes here)
  const c = value.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${value}` : value;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** A cell as CSV text: days yyyy-mm-dd, times ISO 8601 (UTC), text neutralised. */
export function csvText(kind: ExportColumn<unknown>["kind"], cell: Cell): string {
  if (typeof cell === "string") return kind === "number" && PLAIN_NUMBER.test(cell) ? cell : neutralise(cell);
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  return kind === "date" ? cell.toISOString().slice(0, 10) : cell.toISOString();
}

/** A cell as an .xlsx value: numbers and dates typed (the sheet can sum and sort them), text neutralised. */
function xlsxValue(kind: ExportColumn<unknown>["kind"], cell: Cell): string | number | Date | null {
  if (cell === null || typeof cell === "number" || cell instanceof Date) return cell;
  if (kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(cell)) return new Date(`${cell}T00:00:00Z`);
  return neutralise(cell);
}

// ---------------------------------------------------------------------------
// Writers

export interface RecordWriter<T> {
  /** Adds one record to the page being written (held in memory until flush). */
  add(record: T): void;
  /** Writes the records added since the last flush; resolves once their bytes are handed to the file (back-pressure). */
  flush(): Promise<void>;
  /** Bytes in the file so far (text formats: after a flush, where a resumed job continues). */
  readonly bytes: number;
  /** Can a later attempt append to what this one left (text formats) or must it start over (.xlsx)? */
  readonly appendable: boolean;
  finish(): Promise<void>;
  /** Stops writing after a failure, leaving the file as it is. */
  abort(): Promise<void>;
}

export interface WriterOptions<T> {
  objectType: ExportObject;
  columns: ExportColumn<T>[];
  lookups: ExportLookups;
  vcardVersion?: VcardVersion;
  /** Continue a text file at this byte (it is cut there first); undefined: a new file. */
  resumeAt?: number;
}

/** Characters of text handed to the file stream at a time. */
const CHUNK = 64 * 1024;

/**
 * A text file fed piece by piece. Text goes to the file stream in chunks of
 * ~64K characters as it comes, so it dies young: a page's text held until the
 * page ends outlives the young generation's collections and piles up in the
 * old one (the heap then grew by the file's size between full collections).
 * flush() waits until everything added is written; `bytes` counts what is.
 */
async function textFile(file: string, resumeAt: number | undefined) {
  if (resumeAt !== undefined) await fs.promises.truncate(file, resumeAt);
  const stream = fs.createWriteStream(file, resumeAt !== undefined ? { flags: "r+", start: resumeAt } : { flags: "w" });
  await new Promise<void>((resolve, reject) => stream.once("open", () => resolve()).once("error", reject));
  let bytes = resumeAt ?? 0;
  let text = "";
  let failure: Error | null = null;
  // A failed write is reported by the next flush (without a listener the stream would throw it).
  stream.on("error", (err) => (failure ??= err));
  // The stream calls back in order: when the last write is done, so are those before it.
  let last = Promise.resolve();
  const send = () => {
    const chunk = Buffer.from(text, "utf8");
    text = "";
    last = new Promise<void>((resolve) =>
      stream.write(chunk, (err) => {
        if (err) failure ??= err;
        else bytes += chunk.length;
        resolve();
      }),
    );
  };
  return {
    /** Bytes written to the file so far. */
    get bytes() {
      return bytes;
    },
    add(piece: string) {
      text += piece;
      if (text.length >= CHUNK) send();
    },
    async flush() {
      if (text) send();
      await last;
      if (failure) throw failure;
    },
    async end() {
      await this.flush();
      await new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
    },
    destroy: () => new Promise<void>((resolve) => (stream.closed ? resolve() : stream.destroy().once("close", () => resolve()))),
  };
}

export async function openWriter<T extends CustomerView | ExportContact>(format: ExportFormat, file: string, opts: WriterOptions<T>): Promise<RecordWriter<T>> {
  switch (format) {
    case "csv":
      return csvWriter(file, opts);
    case "vcard":
      return vcardWriter(file, opts);
    case "xlsx":
      return xlsxWriter(file, opts);
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: quoted, its quotes doubled, when it holds a comma, a quote or any line break. */
const csvField = (text: string) => (NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * One CSV record (CRLF-terminated): a cell with a comma, quote or any line
 * break quoted, its quotes doubled. By hand: on a million rows csv-stringify's
 * per-cell option handling cost more than the rest of the writing, and with
 * CRLF records it leaves a lone \n unquoted, which Excel reads as a new row.
 */
export function csvRecord(cells: readonly string[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += i ? `,${csvField(cells[i]!)}` : csvField(cells[i]!);
  return `${line}\r\n`;
}

/**
 * Excel opens UTF-8 CSV correctly (Chinese included) only with a BOM; CRLF as
 * Excel writes it. A record is the csvRecord of its cells, built straight into
 * the page's text (no array of cells per row).
 */
async function csvWriter<T>(file: string, opts: WriterOptions<T>): Promise<RecordWriter<T>> {
  const out = await textFile(file, opts.resumeAt);
  if (opts.resumeAt === undefined) {
    out.add("\ufeff" + csvRecord(opts.columns.map((c) => neutralise(c.header))));
    await out.flush();
  }
  const columns = opts.columns;
  return {
    appendable: true,
    get bytes() {
      return out.bytes;
    },
    add(record) {
      let line = "";
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        const field = csvField(csvText(c.kind, c.value(record)));
        line += i ? `,${field}` : field;
      }
      out.add(`${line}\r\n`);
    },
    flush: () => out.flush(),
    finish: () => out.end(),
    abort: () => out.destroy(),
  };
}

async function vcardWriter<T extends CustomerView | ExportContact>(file: string, opts: WriterOptions<T>): Promise<RecordWriter<T>> {
  const out = await textFile(file, opts.resumeAt);
  const version = opts.vcardVersion ?? "4.0";
  const card = (r: T) => (opts.objectType === "customer" ? customerCard(r as CustomerView, version) : contactCard(r as ExportContact, version));
  return {
    appendable: true,
    get bytes() {
      return out.bytes;
    },
    add(record) {
      out.add(card(record));
    },
    flush: () => out.flush(),
    finish: () => out.end(),
    abort: () => out.destroy(),
  };
}

/**
 * exceljs' streaming writer: each row is committed (serialised into the
 * sheet's zip entry) as it is added, and shared strings are off so the
 * string table does not grow with the file. Between pages the event loop
 * runs, so the zip stream drains to disk.
 */
async function xlsxWriter<T>(file: string, opts: WriterOptions<T>): Promise<RecordWriter<T>> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(opts.objectType === "customer" ? "Customers" : "Contacts", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = opts.columns.map((c) => ({
    key: c.key,
    width: Math.min(40, Math.max(10, [...c.header].length * 2 + 2)),
    style: c.kind === "datetime" ? { numFmt: "yyyy-mm-dd hh:mm:ss" } : c.kind === "date" ? { numFmt: "yyyy-mm-dd" } : {},
  }));
  const header = sheet.addRow(opts.columns.map((c) => neutralise(c.header)));
  header.font = { bold: true };
  header.commit();
  let rows = 0;
  return {
    appendable: false,
    get bytes() {
      return rows;
    },
    add(record) {
      sheet.addRow(opts.columns.map((c) => xlsxValue(c.kind, c.value(record)))).commit();
      rows++;
    },
    async flush() {
      await new Promise((resolve) => setImmediate(resolve));
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
    async abort() {
      // The half-written workbook is deleted by the caller; let the zip stream end quietly.
      await workbook.commit().catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------
// vCard

/** RFC 6350 3.4: backslash, comma, semicolon and newline escaped in a text value. */
export function escapeVcard(value: string): string {
  return value.replace(/[\\,;]/g, (c) => "\\" + c).replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * RFC 6350 3.2: lines longer than 75 octets are folded (CRLF and one space),
 * never inside a UTF-8 character (the continuation's space counts).
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, "utf8") <= 75) return line + "\r\n";
  let out = "";
  let size = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, "utf8");
    if (size + n > limit) {
      out += "\r\n ";
      size = 1;
      limit = 75;
    }
    out += ch;
    size += n;
  }
  return out + "\r\n";
}

/** Compound Chinese family names; any other Chinese name has a one-character family name. */
const COMPOUND_FAMILY = new Set(
  "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 西门 百里 呼延 澹台 申屠 太史 闻人 濮阳 万俟 司空 第五 淳于 单于 赫连 拓跋 完颜".split(" "),
);
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A person's name as [family, given]: 张三 → 张 / 三, 欧阳修 → 欧阳 / 修, "Anna Li" → Li / Anna. */
export function splitName(name: string): [string, string] {
  const n = name.trim();
  if (CJK.test(n) && !/\s/.test(n)) {
    const chars = [...n];
    if (chars.length <= 1) return [n, ""];
    const two = chars.slice(0, 2).join("");
    if (chars.length > 2 && COMPOUND_FAMILY.has(two)) return [two, chars.slice(2).join("")];
    return [chars[0]!, chars.slice(1).join("")];
  }
  const words = n.split(/\s+/).filter(Boolean);
  if (words.length < 2) return ["", n];
  return [words[words.length - 1]!, words.slice(0, -1).join(" ")];
}

const TEL_TYPES: Record<string, [string, string]> = {
  // label: [4.0, 3.0]
  mobile: ["cell", "CELL"],
  work: ["work,voice", "WORK,VOICE"],
  home: ["home,voice", "HOME,VOICE"],
  fax: ["fax", "FAX"],
  other: ["voice", "VOICE"],
};
const EMAIL_TYPES: Record<string, [string, string]> = { work: ["work", "WORK"], personal: ["home", "HOME"], other: ["", ""] };

interface CardParts {
  id: string;
  name: string;
  person: boolean;
  org?: string[];
  title?: string;
  phones: { label: string; number: string }[];
  emails: { label: string; address: string }[];
  adr?: { street: string; city: string; region: string; country: string };
  note?: string;
  tags: string[];
  url?: string;
  birthday?: string | null;
  wechat?: string;
  rev: Date;
}

function card(p: CardParts, version: VcardVersion): string {
  const v4 = version === "4.0";
  const lines: string[] = ["BEGIN:VCARD", `VERSION:${version}`];
  if (v4 && !p.person) lines.push("KIND:org");
  lines.push(`FN:${escapeVcard(p.name)}`);
  const [family, given] = p.person ? splitName(p.name) : ["", ""];
  // N is required in 3.0; an organisation's is empty.
  lines.push(`N:${escapeVcard(family)};${escapeVcard(given)};;;`);
  if (p.org?.some(Boolean)) lines.push(`ORG:${p.org.map(escapeVcard).join(";")}`);
  if (p.title) lines.push(`TITLE:${escapeVcard(p.title)}`);
  p.phones.forEach((t, i) => {
    const [t4, t3] = TEL_TYPES[t.label] ?? TEL_TYPES.other!;
    if (v4) lines.push(`TEL;VALUE=uri;TYPE="${t4}"${i === 0 ? ";PREF=1" : ""}:tel:${t.number}`);
    else lines.push(`TEL;TYPE=${t3}${i === 0 ? ",PREF" : ""}:${escapeVcard(t.number)}`);
  });
  p.emails.forEach((e, i) => {
    const [t4, t3] = EMAIL_TYPES[e.label] ?? EMAIL_TYPES.other!;
    if (v4) lines.push(`EMAIL${t4 ? `;TYPE=${t4}` : ""}${i === 0 ? ";PREF=1" : ""}:${escapeVcard(e.address)}`);
    else lines.push(`EMAIL;TYPE=INTERNET${t3 ? `,${t3}` : ""}${i === 0 ? ",PREF" : ""}:${escapeVcard(e.address)}`);
  });
  if (p.adr && (p.adr.street || p.adr.city || p.adr.region)) {
    const a = p.adr;
    lines.push(`ADR;TYPE=${v4 ? "work" : "WORK"}:;;${[a.street, a.city, a.region, "", a.country].map(escapeVcard).join(";")}`);
  }
  if (p.birthday) lines.push(`BDAY:${v4 ? p.birthday.replace(/-/g, "") : p.birthday}`);
  if (p.url) lines.push(`URL:${escapeVcard(p.url)}`);
  if (p.wechat) lines.push(`X-WECHAT:${escapeVcard(p.wechat)}`);
  if (p.note) lines.push(`NOTE:${escapeVcard(p.note)}`);
  if (p.tags.length) lines.push(`CATEGORIES:${p.tags.map(escapeVcard).join(",")}`);
  lines.push(v4 ? `UID:urn:uuid:${p.id}` : `UID:${p.id}`);
  lines.push(`REV:${p.rev.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);
  lines.push("END:VCARD");
  return lines.map(foldLine).join("");
}

/** The fields of a contact that contactCard reads (what an export of cards reads from the database). */
export const CONTACT_CARD_READS = ["id", "name", "customers", "department", "title", "phones", "emails", "notes", "tags", "birthday", "wechat", "updatedAt"] as const;

/** A contact as a card: its first customer as ORG (with the department as unit). */
export function contactCard(c: ExportContact, version: VcardVersion = "4.0"): string {
  return card(
    {
      id: c.id,
      name: c.name,
      person: true,
      org: c.customers[0] ? [c.customers[0].name, ...(c.department ? [c.department] : [])] : c.department ? ["", c.department] : undefined,
      title: c.title,
      phones: c.phones,
      emails: c.emails,
      note: c.notes,
      tags: c.tags,
      birthday: c.birthday,
      wechat: c.wechat,
      rev: c.updatedAt,
    },
    version,
  );
}

/** A customer as a card: an organisation (KIND:org) or, for an individual customer, a person. */
export function customerCard(c: CustomerView, version: VcardVersion = "4.0"): string {
  const person = c.kind === "individual";
  // Chinese addresses read largest unit first; the reader puts them back together that way.
  const region = regionName(c.provinceCode) ?? "";
  const city = [regionName(c.cityCode), regionName(c.districtCode)].filter(Boolean).join("");
  return card(
    {
      id: c.id,
      name: c.name,
      person,
      org: person ? undefined : [c.name],
      phones: c.phones,
      emails: c.emails,
      adr: c.address || region ? { street: c.address, city, region, country: "" } : undefined,
      note: c.remarks,
      tags: c.tags,
      url: c.website,
      birthday: person ? c.birthday : null,
      rev: c.updatedAt,
    },
    version,
  );
}
