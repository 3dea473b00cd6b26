/**
 * vCard (.vcf) import reader: one row per card, with fixed columns.
 *
 * Hand-written rather than a library: ical.js (the best-kept JavaScript
 * parser) reads vCard 3.0/4.0 only and has no QUOTED-PRINTABLE or CHARSET
 * (kewisch/ical.js#187, open; Thunderbird decodes QP around it), and `vcf`
 * neither decodes QP nor unescapes values, and takes Android's soft line breaks
 * (a line ending in "=" continued on a line without leading space) for new
 * properties. Those are exactly the files Chinese phones export (vCard 2.1,
 * CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE names). The format needs little code:
 * unfold lines, split name/parameters/value, decode, unescape.
 *
 * Bad input: a file that does not start with BEGIN:VCARD is refused, and so is
 * one whose structure is broken (a card without END:VCARD, an END without
 * BEGIN): card boundaries can no longer be trusted, typically the export was
 * cut off, and the user should export again rather than import part of it.
 * Within a card, lines that are not properties (vendor noise) are skipped; a
 * card without FN and N still becomes a row with an empty name, so the import's
 * per-row validation reports it by card number while the other cards go in.
 * Cards with nothing we read (no name, phone, e-mail …) are left out.
 *
 * The whole file is parsed once when opened, so these errors come before any
 * row is imported; each `rows()` call parses it again as a stream. PHOTO,
 * LOGO, SOUND and KEY are skipped as they are read, never held (vCard 2.1
 * base64 lines without folding whitespace have no colon: skipped as noise).
 */
import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import iconv from "iconv-lite";
import { invalid } from "../../../lib/errors.js";
import { registerMessages } from "../../../lib/i18n.js";
import { DEFAULT_LIMITS, type Cell, type ReadLimits, type SourceRow, type TableSource } from "./types.js";
import { formatSize } from "./xlsx-archive.js";

registerMessages({
  "import.vcard_too_large": {
    "en-US": "The file is larger than {{limit}}: split it into smaller files",
    "zh-CN": "文件超过 {{limit}} 的上限，请拆分成多个文件后再导入",
  },
  "import.vcard_not_vcard": {
    "en-US": "This is not a vCard (.vcf) file: it does not start with BEGIN:VCARD",
    "zh-CN": "这不是 vCard 名片文件（.vcf）：文件开头没有 BEGIN:VCARD",
  },
  "import.vcard_unterminated": {
    "en-US": "Card {{card}} (from line {{line}}) has no END:VCARD: the file may be incomplete; export the contacts again",
    "zh-CN": "第 {{card}} 张名片（第 {{line}} 行起）缺少 END:VCARD，文件可能不完整：请重新导出联系人后再导入",
  },
  "import.vcard_stray_end": {
    "en-US": "Line {{line}} has END:VCARD without a BEGIN:VCARD before it: the file is damaged",
    "zh-CN": "第 {{line}} 行的 END:VCARD 之前没有 BEGIN:VCARD，文件已损坏",
  },
  "import.vcard_value_too_long": {
    "en-US": "Card {{card}} (line {{line}}) holds a value longer than {{limit}} characters",
    "zh-CN": "第 {{card}} 张名片（第 {{line}} 行）中的内容超过 {{limit}} 个字符的上限",
  },
});

/** The columns of every vCard source; `phones` and `emails` are lists (preferred first). */
export const VCARD_HEADERS = [
  "name",
  "familyName",
  "givenName",
  "organization",
  "department",
  "title",
  "phones",
  "emails",
  "address",
  "birthday",
  "note",
  "url",
  "wechat",
] as const;

export type VcardEncoding = "UTF-8" | "GB18030" | "UTF-16LE" | "UTF-16BE";

export interface VcardReadOptions {
  limits?: Partial<ReadLimits>;
}

/**
 * Opens a .vcf file of any number of cards (vCard 2.1, 3.0, 4.0). The text
 * encoding is UTF-8 unless a BOM says UTF-16 or the bytes are not valid UTF-8,
 * then GB18030 (what older Chinese phones and Windows tools write).
 * `birthday` is "YYYY-MM-DD", or "--MM-DD" without a year.
 */
export async function readVcard(file: string, options: VcardReadOptions = {}): Promise<TableSource> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const size = (await fs.promises.stat(file)).size;
  if (size > limits.maxBytes) throw invalid("import.vcard_too_large", { limit: formatSize(limits.maxBytes) }, { size });
  const encoding = await detectEncoding(file);
  // Parse it all now: a broken file fails here, before anything is imported.
  for await (const _ of cardRows(file, encoding, limits)) {
    // nothing to keep
  }
  return {
    format: "vcard",
    encoding,
    headers: [...VCARD_HEADERS],
    rows: () => cardRows(file, encoding, limits),
  };
}

// ---------------------------------------------------------------------------
// Bytes to lines

/** BOM, else UTF-16 by its zero bytes, else UTF-8 if every byte sequence is valid, else GB18030. */
async function detectEncoding(file: string): Promise<VcardEncoding> {
  const handle = await fs.promises.open(file, "r");
  const head = Buffer.alloc(4096);
  let n: number;
  try {
    ({ bytesRead: n } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  if (head[0] === 0xff && head[1] === 0xfe) return "UTF-16LE";
  if (head[0] === 0xfe && head[1] === 0xff) return "UTF-16BE";
  if (n >= 2 && head[0] !== 0 && head[1] === 0) return "UTF-16LE";
  if (n >= 2 && head[0] === 0 && head[1] !== 0) return "UTF-16BE";
  if (head.subarray(0, n).includes(0)) throw invalid("import.vcard_not_vcard", {}, { reason: "binary" });
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const data = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const cut = completeUtf8Length(data);
    if (!isUtf8(data.subarray(0, cut))) return "GB18030";
    carry = Buffer.from(data.subarray(cut));
  }
  return carry.length ? "GB18030" : "UTF-8";
}

/** The length of `data` without a multi-byte character cut off at its end. */
function completeUtf8Length(data: Buffer): number {
  let i = data.length - 1;
  while (i >= 0 && data.length - i <= 3 && (data[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return data.length;
  const lead = data[i]!;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + size > data.length ? i : data.length;
}

const ICONV_NAMES: Record<VcardEncoding, string> = { "UTF-8": "utf8", GB18030: "gb18030", "UTF-16LE": "utf16le", "UTF-16BE": "utf16be" };
/** A physical line longer than this is no vCard (an inline photo of a few hundred KB is the longest real one). */
const MAX_LINE_CHARS = 32 * 1024 * 1024;

async function* physicalLines(file: string, encoding: VcardEncoding): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(ICONV_NAMES[encoding]); // strips the BOM
  let parts: string[] = [];
  let partChars = 0;
  const take = (tail: string) => {
    const line = parts.length ? parts.join("") + tail : tail;
    parts = [];
    partChars = 0;
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
    const text = decoder.write(chunk as Buffer);
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      yield take(text.slice(from, nl));
      from = nl + 1;
    }
    if (from < text.length) {
      parts.push(text.slice(from));
      partChars += text.length - from;
      if (partChars > MAX_LINE_CHARS) throw invalid("import.vcard_not_vcard", {}, { reason: "line_too_long" });
    }
  }
  const rest = take(decoder.end() ?? "");
  if (rest) yield rest;
}

// ---------------------------------------------------------------------------
// Lines to properties and cards

interface Property {
  group?: string;
  /** Upper case. */
  name: string;
  /** Upper-case keys; TYPE values lower case. A 2.1 bare parameter (TEL;CELL) is a TYPE, a bare QUOTED-PRINTABLE an ENCODING. */
  params: Record<string, string[]>;
  /** Still encoded and escaped. */
  value: string;
  line: number;
}

interface RawCard {
  number: number;
  line: number;
  props: Property[];
}

/** Binary properties: megabytes of base64 we never keep. */
const BINARY = new Set(["PHOTO", "LOGO", "SOUND", "KEY"]);
const CARD_EDGE = /^(BEGIN|END):VCARD\s*$/i;

async function* rawCards(file: string, encoding: VcardEncoding, limits: ReadLimits): AsyncGenerator<RawCard> {
  let lineNo = 0;
  let count = 0;
  let card: RawCard | undefined;
  let seenContent = false;
  // QP triples every byte; the value limit applies after decoding.
  const maxLogical = limits.maxCellChars * 3 + 1024;
  let cur: { text: string; line: number; qp: boolean; skip: boolean } | undefined;

  const tooLong = (line: number) => invalid("import.vcard_value_too_long", { card: card?.number ?? count + 1, line, limit: limits.maxCellChars });
  function* complete(): Generator<RawCard> {
    if (!cur) return;
    const prop = cur.skip ? undefined : parseProperty(cur.text, cur.line);
    cur = undefined;
    if (!prop) return;
    const edge = prop.name === "BEGIN" || prop.name === "END" ? prop.value.trim().toUpperCase() === "VCARD" : false;
    if (edge && prop.name === "BEGIN") {
      if (card) throw invalid("import.vcard_unterminated", { card: card.number, line: card.line });
      card = { number: ++count, line: prop.line, props: [] };
    } else if (edge) {
      if (!card) throw invalid("import.vcard_stray_end", { line: prop.line });
      yield card;
      card = undefined;
    } else if (card) {
      card.props.push(prop);
    } // between cards: noise, left out
  }

  for await (const raw of physicalLines(file, encoding)) {
    lineNo++;
    let line = raw;
    if (cur) {
      if (cur.qp && cur.text.endsWith("=") && !CARD_EDGE.test(line)) {
        // A quoted-printable soft line break: Android starts the next line without a space, others fold with one.
        cur.text = cur.text.slice(0, -1) + line.replace(/^[ \t]/, "");
        if (cur.text.length > maxLogical) throw tooLong(cur.line);
        continue;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (!cur.skip) {
          cur.text += line.slice(1);
          if (cur.text.length > maxLogical) throw tooLong(cur.line);
        }
        continue;
      }
      yield* complete();
    }
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1); // files joined together keep their BOMs
    if (line.trim() === "") continue;
    if (!seenContent) {
      seenContent = true;
      if (!/^BEGIN:VCARD\s*$/i.test(line)) throw invalid("import.vcard_not_vcard", {}, { line: lineNo });
    }
    const head = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)([;:])?/.exec(line);
    const skip = head !== null && BINARY.has(head[1]!.toUpperCase()) && head[2] !== undefined;
    const colon = line.indexOf(":");
    const qp = !skip && /QUOTED-PRINTABLE/i.test(colon < 0 ? line : line.slice(0, colon));
    if (!skip && line.length > maxLogical) throw tooLong(lineNo);
    cur = { text: skip ? "" : line, line: lineNo, qp, skip };
  }
  yield* complete();
  if (card) throw invalid("import.vcard_unterminated", { card: card.number, line: card.line });
  if (!seenContent) throw invalid("import.vcard_not_vcard", {}, { reason: "empty" });
}

/** `[group.]NAME[;PARAM…]:value`; undefined for a line that is no property. */
function parseProperty(text: string, line: number): Property | undefined {
  let colon = -1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ":" && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  const [nameWithGroup = "", ...rawParams] = splitOutsideQuotes(text.slice(0, colon), ";");
  const dot = nameWithGroup.indexOf(".");
  const group = dot >= 0 ? nameWithGroup.slice(0, dot) : undefined;
  const name = (dot >= 0 ? nameWithGroup.slice(dot + 1) : nameWithGroup).trim().toUpperCase();
  if (!/^[A-Z0-9-]+$/.test(name)) return undefined;
  const params: Record<string, string[]> = {};
  for (const raw of rawParams) {
    const eq = raw.indexOf("=");
    let key = eq >= 0 ? raw.slice(0, eq).trim().toUpperCase() : "";
    let values = splitOutsideQuotes(eq >= 0 ? raw.slice(eq + 1) : raw, ",").map((v) => v.trim().replace(/^"(.*)"$/, "$1"));
    if (!key) key = /^(QUOTED-PRINTABLE|BASE64|B|8BIT|7BIT)$/i.test(values[0] ?? "") ? "ENCODING" : "TYPE";
    if (key === "TYPE") values = values.flatMap((v) => v.split(",")); // TYPE="cell,voice"
    const list = (params[key] ??= []);
    for (const v of values) if (v) list.push(key === "TYPE" ? v.toLowerCase() : v);
  }
  return { group, name, params, value: text.slice(colon + 1), line };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === separator && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

// ---------------------------------------------------------------------------
// Values

/** A property's value split into its `;` components (N, ADR, ORG), each decoded and unescaped. */
function components(prop: Property, fileEncoding: VcardEncoding): string[] {
  const parts: string[] = [];
  let start = 0;
  const v = prop.value;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === "\\") i++;
    else if (v[i] === ";") {
      parts.push(v.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(v.slice(start));
  return parts.map((p) => decodeText(p, prop, fileEncoding));
}

/** The whole value as text (`;` and `,` kept). */
function text(prop: Property | undefined, fileEncoding: VcardEncoding): string {
  return prop ? decodeText(prop.value, prop, fileEncoding).trim() : "";
}

function decodeText(raw: string, prop: Property, fileEncoding: VcardEncoding): string {
  const encoding = (prop.params.ENCODING?.[0] ?? "").toUpperCase();
  let value = raw;
  if (encoding === "QUOTED-PRINTABLE" || encoding === "B" || encoding === "BASE64") {
    const bytes = encoding === "QUOTED-PRINTABLE" ? quotedPrintableBytes(raw) : Buffer.from(raw.replace(/\s+/g, ""), "base64");
    value = iconv.decode(bytes, charsetOf(prop, fileEncoding));
  }
  return unescapeText(value);
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch !== "=") {
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

/** CHARSET names the encoding of QP/base64 bytes; without it they are UTF-8 (or the file's own legacy encoding). */
function charsetOf(prop: Property, fileEncoding: VcardEncoding): string {
  const declared = (prop.params.CHARSET?.[0] ?? "").toLowerCase();
  // GB2312 labels routinely carry GBK characters; GB18030 is the superset of both.
  if (/^(gb2312|gbk|gb18030|cp936)$/.test(declared)) return "gb18030";
  if (declared && iconv.encodingExists(declared)) return declared;
  return fileEncoding === "GB18030" ? "gb18030" : "utf8";
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\,;:nN])/g, (_, ch: string) => (ch === "n" || ch === "N" ? "\n" : ch));
}

// ---------------------------------------------------------------------------
// Cards to rows

async function* cardRows(file: string, encoding: VcardEncoding, limits: ReadLimits): AsyncGenerator<SourceRow> {
  for await (const card of rawCards(file, encoding, limits)) {
    const cells = cardCells(card, encoding);
    for (const cell of cells) {
      const long = typeof cell === "string" ? cell.length > limits.maxCellChars : Array.isArray(cell) && cell.some((v) => v.length > limits.maxCellChars);
      if (long) throw invalid("import.vcard_value_too_long", { card: card.number, line: card.line, limit: limits.maxCellChars });
    }
    if (cells.every((c) => c === null)) continue;
    yield { source: card.number, cells };
  }
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
const HOME_COUNTRY = /^(中国|中华人民共和国|中国大陆|china|cn|prc|people's republic of china)$/i;

function cardCells(card: RawCard, enc: VcardEncoding): Cell[] {
  const props = card.props;
  const all = (name: string) => byPreference(props.filter((p) => p.name === name));
  const first = (name: string) => all(name)[0];
  const orNull = (s: string | undefined) => (s ? s : null);

  const [family = "", given = "", additional = "", prefix = "", suffix = ""] = first("N") ? components(first("N")!, enc).map((s) => s.trim()) : [];
  const fn = text(first("FN"), enc);
  let name = fn;
  const cjk = CJK.test(family + given);
  if (!name) name = cjk ? family + additional + given : [prefix, given, additional, family, suffix].filter(Boolean).join(" ");
  // Some exporters write FN in Western order for Chinese names ("三 张"): family name first is what the user typed.
  else if (cjk && family && given && fn.replace(/\s+/g, "") === given + family) name = family + given;

  const [organization = "", ...units] = first("ORG") ? components(first("ORG")!, enc).map((s) => s.trim()) : [];
  const phones = unique(all("TEL").map((p) => text(p, enc).replace(/^tel:/i, "")));
  const emails = unique(all("EMAIL").map((p) => text(p, enc).replace(/^mailto:/i, "")));
  const adr = first("ADR");
  const address = adr ? composeAddress(components(adr, enc), adr) || (adr.params.LABEL?.[0] ?? "") : text(first("LABEL"), enc);
  const notes = all("NOTE").map((p) => text(p, enc)).filter(Boolean);

  return [
    orNull(name),
    orNull(family),
    orNull(given),
    orNull(organization),
    orNull(units.filter(Boolean).join(" ")),
    orNull(text(first("TITLE"), enc)),
    phones.length ? phones : null,
    emails.length ? emails : null,
    orNull(address.replace(/\s*\n\s*/g, " ").trim()),
    birthday(first("BDAY"), enc),
    orNull(notes.join("\n")),
    orNull(text(first("URL"), enc)),
    orNull(wechat(props, enc)),
  ];
}

/** PREF=1 (4.0) before TYPE=pref (2.1/3.0) before the rest, otherwise in file order. */
function byPreference(props: Property[]): Property[] {
  const rank = (p: Property) => {
    const pref = Number(p.params.PREF?.[0]);
    if (Number.isFinite(pref) && pref > 0) return pref;
    return p.params.TYPE?.includes("pref") ? 1 : 101;
  };
  return props.map((p, i) => ({ p, i, r: rank(p) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.p);
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.map((v) => v.trim()).filter((v) => v && !seen.has(v.toLowerCase()) && seen.add(v.toLowerCase()));
}

/**
 * ADR is post-box;extended;street;city;region;postal code;country. Chinese
 * addresses read from the largest unit down with no separators
 * (广东省深圳市南山区科技园路1号), which is also what the address parser of the
 * customers domain expects, so the postal code is left out there; parts that
 * the street already repeats are not added twice.
 */
function composeAddress(parts: string[], adr: Property): string {
  const [pobox = "", extended = "", street = "", city = "", region = "", postal = "", country = ""] = parts.map((s) => s.replace(/\s*\n\s*/g, " ").trim());
  const subLocality = adr.params["X-APPLE-SUBLOCALITY"]?.[0] ?? "";
  const subAdministrative = adr.params["X-APPLE-SUBADMINISTRATIVEAREA"]?.[0] ?? "";
  if (CJK.test(parts.join(""))) {
    const detail = [street, extended, pobox].filter(Boolean).join(" ");
    let out = "";
    for (const unit of [HOME_COUNTRY.test(country) ? "" : country, region, subAdministrative, city, subLocality]) {
      if (unit && !out.includes(unit) && !detail.includes(unit)) out += unit;
    }
    return out + detail;
  }
  const locality = [city, [region, postal].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [[street, extended].filter(Boolean).join(" "), pobox, locality, country].filter(Boolean).join(", ");
}

/** "YYYY-MM-DD" or "--MM-DD"; what it cannot read is returned as written. */
function birthday(prop: Property | undefined, enc: VcardEncoding): string | null {
  const raw = text(prop, enc);
  if (!raw) return null;
  const pad = (n: number) => String(n).padStart(2, "0");
  const ok = (m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= 31;
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|T)/.exec(raw);
  if (full) {
    const [year, month, day] = [full[1]!, Number(full[2]), Number(full[3])];
    if (!ok(month, day)) return raw;
    // iOS keeps a birthday without year as 1604-MM-DD and says so in X-APPLE-OMIT-YEAR.
    const omitted = prop?.params["X-APPLE-OMIT-YEAR"]?.[0] === year;
    return `${omitted ? "-" : year}-${pad(month)}-${pad(day)}`;
  }
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(raw);
  if (noYear && ok(Number(noYear[1]), Number(noYear[2]))) return `--${noYear[1]}-${noYear[2]}`;
  return raw;
}

const WECHAT = /^(wechat|weixin|微信)$/i;

/** X-WECHAT / X-WEIXIN, or an IMPP / X-SOCIALPROFILE whose service, scheme or item label says WeChat (iPhone: item2.IMPP;X-SERVICE-TYPE=WeChat:x-apple:wxid_…). */
function wechat(props: Property[], enc: VcardEncoding): string {
  const direct = props.find((p) => p.name === "X-WECHAT" || p.name === "X-WEIXIN");
  if (direct) return text(direct, enc);
  const labels = new Map(props.filter((p) => p.name === "X-ABLABEL" && p.group).map((p) => [p.group!, text(p, enc)]));
  for (const p of byPreference(props.filter((p) => p.name === "IMPP" || p.name === "X-SOCIALPROFILE"))) {
    const value = text(p, enc);
    const service = [...(p.params["X-SERVICE-TYPE"] ?? []), ...(p.params.TYPE ?? []), p.group ? (labels.get(p.group) ?? "") : ""];
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1] ?? "";
    if (!service.some((s) => WECHAT.test(s)) && !WECHAT.test(scheme)) continue;
    const id = p.params["X-USER"]?.[0] ?? value.replace(/^([a-z][a-z0-9+.-]*:)+/i, "");
    try {
      return decodeURIComponent(id);
    } catch {
      return id;
    }
  }
  return "";
}
