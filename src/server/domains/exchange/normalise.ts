import { serverZone, zonedInstant } from "../../lib/calendar.js";
import { money } from "../../lib/money.js";
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

/** Yes or no; a field may add its own words for each (`values.true`, `values.false`: 在售 / 停售). */
export function normaliseBoolean(cell: Cell, field?: ImportField): Normalised<boolean | null> {
  if (typeof cell === "boolean") return ok(cell);
  if (field?.values) {
    const word = normaliseEnum(cell, field);
    if (word.ok && word.value !== null) return ok(word.value === "true");
  }
  const text = fold(cellText(cell));
  if (!text) return ok(null);
  if (TRUE.has(text)) return ok(true);
  if (FALSE.has(text)) return ok(false);
  return fail("import.value_boolean", { value: cellText(cell) });
}

const TIME = /(上午|下午|晚上|am|pm)?\s*(\d{1,2})\s*[:：时点]\s*(?:(\d{1,2})\s*分?)?\s*(?:[:：]?\s*(\d{1,2})\s*秒?)?\s*(am|pm)?/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A date with an optional time of day (2024-01-05 14:30, 2024年1月5日 下午2点30分, an
 * Excel date-time), read as a wall-clock time in `zone`, as an ISO instant.
 * A date alone is that day's midnight.
 */
export function normaliseDateTime(cell: Cell, order: DateOrder = "mdy", zone?: string): Normalised<string | null> {
  const tz = zone ?? serverZone();
  // Excel dates (read as a Date whose UTC fields are the wall-clock time) and serial numbers keep their time.
  if (cell instanceof Date || (typeof cell === "number" && cell >= 61 && cell < 2958466)) {
    const wall = cell instanceof Date ? cell.getTime() : EXCEL_EPOCH + Math.round(cell * 86_400_000);
    return Number.isNaN(wall) ? fail("import.value_datetime", { value: cellText(cell) }) : ok(zonedInstant(wall, tz).toISOString());
  }
  const text = cellText(cell).normalize("NFKC");
  if (!text) return ok(null);
  if (ISO_INSTANT.test(text)) return Number.isNaN(Date.parse(text)) ? fail("import.value_datetime", { value: text }) : ok(new Date(text).toISOString());
  // The date is what comes before the time: 2024/1/5 14:30, 2024年1月5日14时.
  const dateText = text.replace(/\s*(T|\s|日)\s*(上午|下午|晚上|am|pm)?\s*\d{1,2}\s*[:：时点].*$/i, (_, sep: string) => (sep === "日" ? "日" : ""));
  // normaliseDate lets a time of day follow; anything else after the date is not a date-time.
  const date = /^[\d\s\-/.年月日]+$/.test(dateText) ? normaliseDate(dateText, order) : fail("import.value_datetime", { value: text });
  if (!date.ok || date.value === null) return date.ok ? ok(null) : fail("import.value_datetime", { value: text });
  let [hours, minutes, seconds] = [0, 0, 0];
  const rest = text.slice(dateText.length);
  if (rest.trim()) {
    const m = TIME.exec(rest);
    if (!m || rest.replace(m[0], "").replace(/^[\sT]+/i, "").trim()) return fail("import.value_datetime", { value: text });
    const half = (m[1] ?? m[5] ?? "").toLowerCase();
    hours = +m[2]! + ((half === "下午" || half === "晚上" || half === "pm") && +m[2]! < 12 ? 12 : 0) - (half === "am" && +m[2]! === 12 ? 12 : 0);
    [minutes, seconds] = [+(m[3] ?? 0), +(m[4] ?? 0)];
    if (hours > 23 || minutes > 59 || seconds > 59) return fail("import.value_datetime", { value: text });
  }
  const [y, mo, d] = date.value.split("-").map(Number) as [number, number, number];
  return ok(zonedInstant(Date.UTC(y, mo - 1, d, hours, minutes, seconds), tz).toISOString());
}

/**
 * A rate as a fraction: 13%, 13 %, 0.13 and 13 all give "0.13" (a number above 1
 * is read as a percentage, since no tax or discount rate is over 100 %).
 */
export function normaliseRate(cell: Cell): Normalised<string | null> {
  const text = cellText(cell).normalize("NFKC").replace(/\s+/g, "");
  if (!text) return ok(null);
  const m = /^(\d+(?:\.\d+)?)(%)?$/.exec(text);
  if (!m) return fail("import.value_rate", { value: text });
  const n = money(m[1]!);
  const rate = m[2] || n.gt(1) ? n.dividedBy(100) : n;
  return rate.gt(1) ? fail("import.value_rate", { value: text }) : ok(rate.toFixed());
}

const MINUTE_UNITS: [RegExp, number][] = [
  [/^(小时|钟头|个小时|h|hr|hrs|hour|hours)$/i, 60],
  [/^(分钟|分|m|min|mins|minute|minutes)?$/i, 1],
];

/** A duration in whole minutes: 30, 30分钟, 1.5小时, 1h30m, 1:30. */
export function normaliseMinutes(cell: Cell): Normalised<number | null> {
  if (typeof cell === "number") return Number.isFinite(cell) && cell >= 0 ? ok(Math.round(cell)) : fail("import.value_duration", { value: String(cell) });
  const text = cellText(cell).normalize("NFKC").replace(/\s+/g, "");
  if (!text) return ok(null);
  const clock = /^(\d+):(\d{2})$/.exec(text);
  if (clock) return ok(+clock[1]! * 60 + +clock[2]!);
  let total = 0;
  let rest = text;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)([^\d.]*)/.exec(rest);
    const unit = m && MINUTE_UNITS.find(([re]) => re.test(m[2]!));
    if (!m || !unit) return fail("import.value_duration", { value: text });
    total += Number(m[1]) * unit[1];
    rest = rest.slice(m[0].length);
  }
  return ok(Math.round(total));
}

const CURRENCY_WORDS: Record<string, readonly string[]> = {
  CNY: ["人民币", "rmb", "元", "¥", "cn¥", "人民幣"],
  USD: ["美元", "美金", "$", "us$"],
  EUR: ["欧元", "€"],
  HKD: ["港币", "港元", "hk$"],
  JPY: ["日元", "円", "円"],
  GBP: ["英镑", "£"],
  TWD: ["新台币", "台币", "nt$"],
};

/** A currency as its ISO code: 人民币, RMB and ¥ are CNY; anything else is upper-cased for the services to check. */
export function normaliseCurrency(cell: Cell): Normalised<string | null> {
  const text = cellText(cell).normalize("NFKC").trim();
  if (!text) return ok(null);
  const wanted = fold(text);
  const found = Object.entries(CURRENCY_WORDS).find(([, words]) => words.some((w) => fold(w) === wanted));
  return ok(found ? found[0] : text.toUpperCase());
}
