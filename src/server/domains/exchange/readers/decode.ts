import { isAscii } from "node:buffer";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { analyse } from "chardet";
import { fileTypeFromBuffer, fileTypeFromFile, type FileTypeResult } from "file-type";
import iconv from "iconv-lite";
import { AppError, invalid } from "../../../lib/errors.js";
import { registerMessages } from "../../../lib/i18n.js";
import { DEFAULT_LIMITS, type ReadLimits } from "./types.js";

/**
 * Uploaded bytes → text. The encoding comes from a byte order mark, else from
 * the bytes being valid UTF-8, else from a NUL pattern (UTF-16 without BOM),
 * else from chardet limited to what Chinese offices produce (GB18030, which
 * covers GBK/GB2312, and Big5). Anything else is refused rather than guessed:
 * a wrong guess imports mojibake that nobody notices until it is in every record.
 */

registerMessages({
  "import.file_empty": { "en-US": "The file is empty", "zh-CN": "文件是空的，没有可导入的内容" },
  "import.file_too_large": { "en-US": "The file is larger than the {{limit}} MB limit", "zh-CN": "文件超过 {{limit}} MB 的大小上限" },
  "import.binary_xlsx": {
    "en-US": "This is an Excel workbook (.xlsx), not a CSV file: choose Excel as the file type",
    "zh-CN": "这是 Excel 工作簿（.xlsx），不是 CSV 文件，请选择按 Excel 格式导入",
  },
  "import.binary_xls": {
    "en-US": "This is an Excel 97–2003 workbook (.xls) or another old Office file: open it in Excel and save it as .xlsx or as CSV UTF-8",
    "zh-CN": "这是 Excel 97-2003 工作簿（.xls）或其他旧版 Office 文件，请用 Excel 打开后另存为 .xlsx 或“CSV UTF-8（逗号分隔）”再导入",
  },
  "import.binary_file": {
    "en-US": "The file's content is {{type}}, not a table: upload a CSV, Excel (.xlsx) or vCard (.vcf) file",
    "zh-CN": "该文件的实际内容是 {{type}}，不是表格，请上传 CSV、Excel（.xlsx）或 vCard（.vcf）文件",
  },
  "import.binary_data": {
    "en-US": "The file contains binary data, not text: upload a CSV, Excel (.xlsx) or vCard (.vcf) file",
    "zh-CN": "文件中含有二进制数据，不是文本文件，请上传 CSV、Excel（.xlsx）或 vCard（.vcf）文件",
  },
  "import.invalid_utf8": {
    "en-US": "Line {{line}} (byte {{byte}}) is not valid UTF-8 text: the file is damaged or mixes encodings. Save it again as CSV UTF-8 and upload it again",
    "zh-CN": "文件第 {{line}} 行（第 {{byte}} 字节处）不是有效的 UTF-8 文本，文件可能已损坏或混用了多种编码，请重新另存为“CSV UTF-8”后再上传",
  },
  "import.encoding_unknown": {
    "en-US": "The file's text encoding is not recognised (from line {{line}}): save it as CSV UTF-8, or choose the encoding",
    "zh-CN": "无法识别文件的文字编码（从第 {{line}} 行开始），请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或手动选择文件编码",
  },
  "import.encoding_unsupported": { "en-US": "Unknown text encoding: {{encoding}}", "zh-CN": "不支持的文字编码：{{encoding}}" },
});

/** A file on disk (read in chunks) or bytes already in memory. */
export type ImportInput = string | Uint8Array;

export interface DecodeOptions {
  /** The caller's encoding (any name iconv-lite knows: "GBK", "Big5", "windows-1252" …) instead of detection; a BOM still wins. */
  encoding?: string;
  limits?: Partial<ReadLimits>;
}

export interface Detection {
  /** Display name: "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5", or the caller's. */
  encoding: string;
  via: "bom" | "utf8" | "utf16-nul" | "chardet" | "caller";
  /** Bytes of the byte order mark to skip. */
  bomLength: number;
}

export interface TextSource extends Detection {
  /** Size of the input in bytes, BOM included. */
  byteLength: number;
  /** The first ~64 KB decoded (BOM removed): for delimiter sniffing and previews. */
  head: string;
  /** Whether `head` is the whole text. */
  complete: boolean;
  /**
   * The whole text from the start in chunks of about 1 MB, BOM removed; each
   * call reads the input again. Throws `import.invalid_utf8` where UTF-8 breaks.
   */
  chunks(): AsyncGenerator<string, void, undefined>;
}

/** Detection looks at this much; chardet needs a few KB, the rest only makes the UTF-8 check stronger. */
export const SNIFF_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: "UTF-8" },
  // UTF-32LE before UTF-16LE: its BOM starts with the same two bytes.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: "UTF-32LE" },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: "UTF-32BE" },
  { bytes: [0xff, 0xfe], encoding: "UTF-16LE" },
  { bytes: [0xfe, 0xff], encoding: "UTF-16BE" },
];

/** Display names for encodings we name ourselves; iconv-lite accepts them too. */
const CANONICAL: Record<string, string> = {
  utf8: "UTF-8",
  utf16le: "UTF-16LE",
  utf16be: "UTF-16BE",
  utf32le: "UTF-32LE",
  utf32be: "UTF-32BE",
  gb18030: "GB18030",
  big5: "Big5",
};
const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** chardet names we accept, and the decoder to use: GB18030 is a superset of GBK and GB2312. */
const CHARDET_ACCEPTED: Record<string, string> = { GB18030: "GB18030", Big5: "Big5" };
/** Below this chardet's verdict is noise (its scale is 0–100; real GB18030/Big5 text scores far higher). */
const MIN_CONFIDENCE = 10;

/**
 * Opens an upload as text: size limit, binary check, encoding detection (or the
 * caller's encoding), and a decoder that streams from the start on every call.
 */
export async function openText(input: ImportInput, options: DecodeOptions = {}): Promise<TextSource> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const bytes = typeof input === "string" ? undefined : asBuffer(input);
  const byteLength = bytes ? bytes.length : (await stat(input as string)).size;
  if (byteLength > limits.maxBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", "import.file_too_large", { limit: Math.floor(limits.maxBytes / 1024 / 1024) }, { maxBytes: limits.maxBytes, byteLength });
  }
  const head = await readRange(bytes ?? input, 0, SNIFF_BYTES);
  const complete = byteLength <= SNIFF_BYTES;
  if (head.length === 0) throw invalid("import.file_empty");

  const bom = bomOf(head);
  if (!bom) await refuseBinary(head, bytes ?? (input as string));
  const detection = bom ?? (options.encoding ? callerEncoding(options.encoding, head) : await detectFromText(input, head, complete));
  if (complete && head.length === detection.bomLength) throw invalid("import.file_empty");

  const decodeHead = makeDecoder(detection.encoding);
  let headText: string;
  try {
    headText = decodeHead.write(head.subarray(detection.bomLength)) + (complete ? decodeHead.end() : "");
  } catch (err) {
    if (err instanceof TypeError) throw await invalidUtf8Error(input, detection.bomLength);
    throw err;
  }
  if (!/\S/.test(headText) && complete) throw invalid("import.file_empty");

  return {
    ...detection,
    byteLength,
    head: headText,
    complete,
    async *chunks() {
      const decoder = makeDecoder(detection.encoding);
      try {
        for await (const raw of rawChunks(input, detection.bomLength)) {
          const text = decoder.write(raw);
          if (text) yield text;
        }
        const rest = decoder.end();
        if (rest) yield rest;
      } catch (err) {
        // TextDecoder (fatal) throws a bare TypeError without a position: find it, off the fast path.
        if (err instanceof TypeError) throw await invalidUtf8Error(input, detection.bomLength);
        throw err;
      }
    },
  };
}

/** The whole text at once, for small files; big ones should use `openText(…).chunks()`. */
export async function decodeText(input: ImportInput, options: DecodeOptions = {}): Promise<{ text: string; encoding: string }> {
  const source = await openText(input, options);
  const parts: string[] = [];
  for await (const part of source.chunks()) parts.push(part);
  return { text: parts.join(""), encoding: source.encoding };
}

/**
 * ASCII reads the same in every encoding we accept, so a file whose first 64 KB
 * are ASCII (English names, numbers) tells nothing yet: detection then looks at
 * the first 64 KB from the first non-ASCII byte, up to ASCII_SCAN_BYTES in.
 */
async function detectFromText(input: ImportInput, head: Buffer, complete: boolean): Promise<Detection> {
  if (complete || !isAscii(head) || head.includes(0)) return detectEncoding(head, complete);
  let offset = head.length;
  let line = 1 + countLf(head);
  for await (const chunk of rawChunks(input, head.length, ASCII_SCAN_BYTES)) {
    if (!isAscii(chunk)) {
      const first = chunk.findIndex((byte) => byte >= 0x80);
      offset += first;
      line += countLf(chunk.subarray(0, first));
      const sample = await readRange(input, offset, SNIFF_BYTES);
      return detectEncoding(sample, sample.length < SNIFF_BYTES, { offset, line });
    }
    offset += chunk.length;
    line += countLf(chunk);
  }
  return { encoding: "UTF-8", via: "utf8", bomLength: 0 };
}
const ASCII_SCAN_BYTES = 32 * 1024 * 1024;

/**
 * The encoding of text without a BOM, from its first bytes (`complete`: they are
 * the whole file, so a sequence cut at the end is an error, not a truncation).
 * Throws `import.binary_data`, `import.invalid_utf8` or `import.encoding_unknown`.
 */
export function detectEncoding(head: Uint8Array, complete: boolean, origin = { offset: 0, line: 1 }): Detection {
  const utf16 = utf16ByNuls(head);
  if (utf16) return { encoding: utf16, via: "utf16-nul", bomLength: 0 };
  if (head.includes(0)) throw invalid("import.binary_data");
  if (isUtf8(head, complete)) return { encoding: "UTF-8", via: "utf8", bomLength: 0 };

  const matches = analyse(head);
  const found = findInvalidUtf8([head], complete);
  // Where `head` starts in the file (detectFromText may sample from further in).
  const bad = found && { offset: origin.offset + found.offset, line: origin.line + found.line - 1 };
  // Valid multi-byte characters outnumbering broken sequences ten to one: a damaged
  // UTF-8 file, not another encoding (GB18030 would decode it, as mojibake). chardet
  // says the same when it lists UTF-8, but stops counting at the sixth bad byte.
  if (matches.some((m) => m.name === "UTF-8") || mostlyUtf8(head, complete)) {
    throw invalid("import.invalid_utf8", { line: bad?.line ?? origin.line, byte: (bad?.offset ?? origin.offset) + 1 }, { byteOffset: bad?.offset });
  }
  for (const match of matches) {
    const encoding = CHARDET_ACCEPTED[match.name];
    if (!encoding || match.confidence < MIN_CONFIDENCE) continue;
    const decoder = makeDecoder(encoding);
    const text = decoder.write(asBuffer(head)) + (complete ? decoder.end() : "");
    if (!text.includes("\uFFFD")) return { encoding, via: "chardet", bomLength: 0 };
  }
  throw invalid(
    "import.encoding_unknown",
    { line: bad?.line ?? origin.line },
    { byteOffset: bad?.offset, guesses: matches.slice(0, 3).map((m) => `${m.name} ${m.confidence}`) },
  );
}

/** The BOM at the start of `head`, if any. */
export function bomOf(head: Uint8Array): Detection | undefined {
  const found = BOMS.find((b) => b.bytes.every((byte, i) => head[i] === byte));
  return found && { encoding: found.encoding, via: "bom", bomLength: found.bytes.length };
}

function callerEncoding(name: string, head: Uint8Array): Detection {
  if (!iconv.encodingExists(name)) throw invalid("import.encoding_unsupported", { encoding: name });
  const encoding = CANONICAL[key(name)] ?? name;
  // NUL bytes are part of UTF-16/32 text; in any other encoding they mean binary data.
  if (!/^utf(16|32)/.test(key(name)) && head.includes(0)) throw invalid("import.binary_data");
  return { encoding, via: "caller", bomLength: 0 };
}

/**
 * Refuses files whose bytes say they are not text, whatever their name: an
 * .xlsx renamed .csv gets "choose Excel". file-type also recognises text
 * formats and short signatures ("BM" of a bitmap is also the start of "BMW,…"),
 * so a match counts only for formats whose header carries NUL bytes or a
 * signature no table starts with.
 */
async function refuseBinary(head: Buffer, whole: Buffer | string): Promise<void> {
  // From the file, file-type reads as far as it needs (the parts list of a zip); from memory it has it all.
  const type: FileTypeResult | undefined = typeof whole === "string" ? await fileTypeFromFile(whole) : await fileTypeFromBuffer(whole);
  if (!type || type.mime.startsWith("text/") || type.ext === "xml") return;
  if (!head.includes(0) && !STRONG_SIGNATURES.has(type.ext)) return;
  if (type.ext === "xlsx" || type.ext === "xlsm" || type.ext === "xltx") throw invalid("import.binary_xlsx", {}, { type: type.ext });
  if (type.ext === "cfb") throw invalid("import.binary_xls", {}, { type: type.ext });
  throw invalid("import.binary_file", { type: type.ext.toUpperCase() }, { type: type.ext, mime: type.mime });
}
const STRONG_SIGNATURES = new Set(["pdf", "png", "jpg", "gif", "zip", "xlsx", "docx", "pptx", "cfb", "webp", "gz", "7z", "rar"]);

/**
 * UTF-16 without a BOM (some "Unicode text" exports): Latin characters, digits,
 * tabs and line breaks carry a NUL byte on one side of each code unit, and almost
 * never on the other (only CJK characters such as 一 U+4E00 do). Binary files
 * have NULs on both sides. chardet only recognises UTF-16 by its BOM.
 */
function utf16ByNuls(head: Uint8Array): "UTF-16LE" | "UTF-16BE" | undefined {
  const units = Math.floor(head.length / 2);
  if (units < 2) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    const even = head[i] === 0;
    const odd = head[i + 1] === 0;
    if (even && odd) return undefined; // U+0000 is no text
    if (even) evenNuls++;
    if (odd) oddNuls++;
  }
  if (oddNuls >= units * 0.1 && evenNuls <= units * 0.02) return "UTF-16LE";
  if (evenNuls >= units * 0.1 && oddNuls <= units * 0.02) return "UTF-16BE";
  return undefined;
}

function mostlyUtf8(bytes: Uint8Array, complete: boolean): boolean {
  const text = new TextDecoder("utf-8").decode(bytes, { stream: !complete });
  let broken = 0;
  let valid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) broken++;
    else if (c >= 0x80) valid++;
  }
  return valid >= 10 * broken;
}

function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    // stream: true when the sample may end inside a character.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

function makeDecoder(encoding: string): ChunkDecoder {
  if (key(encoding) === "utf8") {
    // Node's own decoder: strict (fatal) and much faster than iconv-lite's for UTF-8.
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? "" };
}

/**
 * The first byte that is not UTF-8, with its 1-based line. The non-fatal
 * decoder puts U+FFFD where a broken sequence starts; a U+FFFD written in the
 * file as EF BF BD is genuine and skipped.
 */
function findInvalidUtf8(chunks: Iterable<Uint8Array>, complete: boolean): { offset: number; line: number } | undefined {
  const scan = utf8Scanner();
  for (const chunk of chunks) {
    const found = scan.write(chunk);
    if (found) return found;
  }
  return complete ? scan.end() : undefined;
}

function utf8Scanner() {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let decodedBytes = 0; // bytes behind the text decoded so far: it re-encodes to exactly them
  let lines = 0;
  let rawStart = 0; // offset of the current chunk
  let tail = Buffer.alloc(0); // end of the previous chunk: a held-back sequence starts there
  const inspect = (text: string, raw: Buffer) => {
    for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) {
      const offset = decodedBytes + Buffer.byteLength(text.slice(0, i));
      const at = offset - (rawStart - tail.length);
      const genuine = raw[at] === 0xef && raw[at + 1] === 0xbf && raw[at + 2] === 0xbd;
      if (!genuine) return { offset, line: lines + 1 + countNewlines(text, i) };
    }
    decodedBytes += Buffer.byteLength(text);
    lines += countNewlines(text, text.length);
    return undefined;
  };
  return {
    write(chunk: Uint8Array) {
      const bytes = asBuffer(chunk);
      const raw = Buffer.concat([tail, bytes]);
      const found = inspect(decoder.decode(bytes, { stream: true }), raw);
      rawStart += bytes.length;
      tail = raw.subarray(Math.max(0, raw.length - 3));
      return found;
    },
    end() {
      return inspect(decoder.decode(), tail);
    },
  };
}

async function invalidUtf8Error(input: ImportInput, start: number): Promise<AppError> {
  const scan = utf8Scanner();
  let found: { offset: number; line: number } | undefined;
  for await (const chunk of rawChunks(input, start)) {
    found = scan.write(chunk);
    if (found) break;
  }
  found ??= scan.end();
  const offset = (found?.offset ?? 0) + start;
  return invalid("import.invalid_utf8", { line: found?.line ?? 1, byte: offset + 1 }, { byteOffset: offset });
}

function countLf(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The input from byte `start` (up to `length` bytes) in chunks of CHUNK_BYTES. */
async function* rawChunks(input: ImportInput, start: number, length = Infinity): AsyncGenerator<Buffer, void, undefined> {
  const end = start + length; // exclusive
  if (typeof input === "string") {
    // Breaking out of the loop destroys the stream and closes the file.
    const stream = createReadStream(input, { start, end: Number.isFinite(end) ? end - 1 : undefined, highWaterMark: CHUNK_BYTES });
    for await (const chunk of stream) yield chunk as Buffer;
    return;
  }
  const bytes = asBuffer(input);
  for (let i = start; i < Math.min(bytes.length, end); i += CHUNK_BYTES) yield bytes.subarray(i, Math.min(i + CHUNK_BYTES, end));
}

async function readRange(input: ImportInput, start: number, size: number): Promise<Buffer> {
  if (typeof input !== "string") return asBuffer(input).subarray(start, start + size);
  const file = await open(input, "r");
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await file.read(buffer, 0, size, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
