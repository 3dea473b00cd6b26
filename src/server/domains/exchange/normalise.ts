import { fold } from "../customers/text.js";
import { normalisePhone } from "../customers/validation.js";
import type { ImportField } from "./mapping.js";
import "./messages.js";
import type { Cell } from "./readers/types.js";

/**
 * Turning one imported cell into a field's value, the way people write it in
 * spreadsheets: dates as 2024/1/5, 2024年1月5日, 20240105 or Excel serial
 * numbers; amounts with ¥, 元, thousands separators or 万; phones in any
 * national or international form (libphonenumber-js, default region CN);
 * select values by their Chinese or English label.
 */

/** Why a cell was refused: a message key of lib/i18n.ts and its parameters. */
export interface CellIssue {
  key: string;
  params?: Record<string, string | number>;
}

export type Normalised<T> = { ok: true; value: T } | { ok: false; issue: CellIssue };

const ok = <T>(value: T): Normalised<T> => ({ ok: true, value });
const fail = (key: string, params?: Record<string, string | number>): Normalised<never> => ({ ok: false, issue: { key, params } });

/** Order of day and month in a date like 3/4/2024 (a date starting with the year is always year-month-day). */
export type DateOrder = "mdy" | "dmy";

/** The text of a cell; several values (a vCard's TELs) joined by "; ". */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return isoDate(cell);
  if (Array.isArray(cell)) return cell.join("; ");
  return String(cell as string | number | boolean).trim();
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Excel's day 0 is 1899-12-30 (it counts 1900-02-29, which never was, so this holds from 1900-03-01 on). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function validDate(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null; // 2月30日
  return isoDate(date);
}

/** A date as yyyy-mm-dd. */
export function normaliseDate(cell: Cell, order: DateOrder = "mdy"): Normalised<string | null> {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? fail("import.value_date") : ok(isoDate(cell));
  if (typeof cell === "number") {
    // Excel serial days (1900-03-01 … 9999-12-31); a time of day is dropped.
    if (cell >= 61 && cell < 2958466) return ok(isoDate(new Date(EXCEL_EPOCH + Math.floor(cell) * 86_400_000)));
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 99991231) return normaliseDate(String(cell), order);
    return fail("import.value_date", { value: String(cell) });
  }
  const text = cellText(cell).normalize("NFKC");
  if (!text) return ok(null);
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(text);
  if (m) return orFail(validDate(+m[1]!, +m[2]!, +m[3]!), text);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return orFail(validDate(+m[1]!, +m[2]!, +m[3]!), text);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$/.exec(text);
  if (m) {
    const [a, b, y] = [+m[1]!, +m[2]!, +m[3]!];
    // A part above 12 can only be the day, whatever the order.
    const [month, day] = a > 12 ? [b, a] : b > 12 ? [a, b] : order === "mdy" ? [a, b] : [b, a];
    return orFail(validDate(y, month, day), text);
  }
  if (/^--\d{2}-?\d{2}$/.test(text)) return fail("import.value_date_no_year", { value: text });
  if (/^\d+(\.\d+)?$/.test(text)) return normaliseDate(Number(text), order);
  return fail("import.value_date", { value: text });
}

const orFail = (date: string | null, text: string): Normalised<string | null> => (date ? ok(date) : fail("import.value_date", { value: text }));

/**
 * An exact decimal amount as a string ("1234.50"): ¥ ￥ $ RMB CNY 元 and
 * thousands separators removed, 万 / 亿 multiplied out, (1,234) negative as
 * accountants write it.
 */
export function normaliseAmount(cell: Cell): Normalised<string | null> {
  if (typeof cell === "number") return Number.isFinite(cell) ? ok(decimalString(cell)) : fail("import.value_number", { value: String(cell) });
  const text = cellText(cell).normalize("NFKC").replace(/\s+/g, "");
  if (!text) return ok(null);
  let t = text.replace(/^(rmb|cny|usd|eur|hkd)/i, "").replace(/(rmb|cny|usd|eur|hkd)$/i, "").replace(/^[¥$€£]|[¥$€£]$/g, "").replace(/元$/, "");
  let negative = false;
  const paren = /^\((.*)\)$/.exec(t);
  if (paren) {
    negative = true;
    t = paren[1]!;
  }
  if (t.startsWith("-")) {
    negative = !negative;
    t = t.slice(1);
  }
  const unit = /(万|亿)$/.exec(t)?.[1];
  if (unit) t = t.slice(0, -1);
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(t)) return fail("import.value_number", { value: text });
  const plain = t.replace(/,/g, "");
  const value = unit ? shiftDecimal(plain, unit === "万" ? 4 : 8) : plain;
  return ok((negative && !/^0+(\.0+)?$/.test(value) ? "-" : "") + stripZeros(value));
}

/** Moves the decimal point right by `places`, exactly (no floating point). */
function shiftDecimal(value: string, places: number): string {
  const [int = "", frac = ""] = value.split(".");
  const padded = frac.padEnd(places, "0");
  return `${int}${padded.slice(0, places)}${padded.length > places ? `.${padded.slice(places)}` : ""}`;
}

const stripZeros = (v: string) => v.replace(/^0+(?=\d)/, "").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
const decimalString = (n: number) => stripZeros(n.toFixed(6));

/** A select value by its key or any of its words (folded: case, full-width, 繁简). */
export function normaliseEnum(cell: Cell, field: ImportField): Normalised<string | null> {
  const text = cellText(cell);
  if (!text) return ok(null);
  const wanted = fold(text);
  for (const [value, words] of Object.entries(field.values ?? {})) {
    if (words.some((w) => fold(w) === wanted)) return ok(value);
  }
  return fail("import.value_option", { value: text, options: Object.keys(field.values ?? {}).join(", ") });
}

const SPLIT = /\s*[;；,，、|\n]\s*/;

/** Several values in one cell, split on ; , 、 | or new lines (or given as a list). */
export function splitValues(cell: Cell): string[] {
  const parts = Array.isArray(cell) ? cell.flatMap((c: string) => c.split(SPLIT)) : cellText(cell).split(SPLIT);
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

/** Phones in E.164; a cell may hold several. */
export function normalisePhones(cell: Cell): Normalised<string[]> {
  // A number typed into Excel as a number: 13800138000 (a float for Excel, so never with a leading 0 or +).
  const values = typeof cell === "number" ? [String(cell)] : splitValues(cell);
  const out: string[] = [];
  for (const raw of values) {
    const e164 = normalisePhone(raw);
    if (!e164) return fail("import.value_phone", { value: raw });
    if (!out.includes(e164)) out.push(e164);
  }
  return ok(out);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E-mail addresses, lower case; a cell may hold several. A display name ("张三 <z@x.cn>") is dropped. */
export function normaliseEmails(cell: Cell): Normalised<string[]> {
  const out: string[] = [];
  for (const raw of splitValues(cell)) {
    const address = (/<([^>]+)>$/.exec(raw)?.[1] ?? raw).normalize("NFKC").trim().toLowerCase();
    if (!EMAIL.test(address) || address.length > 254) return fail("import.value_email", { value: raw });
    if (!out.includes(address)) out.push(address);
  }
  return ok(out);
}

const TRUE = new Set(["1", "y", "yes", "true", "t", "是", "对", "有", "√", "✓", "x"]);
const FALSE = new Set(["0", "n", "no", "false", "f", "否", "不", "无", "×", "✗", "-"]);

export function normaliseBoolean(cell: Cell): Normalised<boolean | null> {
  if (typeof cell === "boolean") return ok(cell);
  const text = fold(cellText(cell));
  if (!text) return ok(null);
  if (TRUE.has(text)) return ok(true);
  if (FALSE.has(text)) return ok(false);
  return fail("import.value_boolean", { value: cellText(cell) });
}
