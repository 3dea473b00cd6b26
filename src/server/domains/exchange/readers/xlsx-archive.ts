/**
 * The zip layer of the Excel reader: what we check before any XML is parsed,
 * and how the parts of the workbook reach exceljs.
 *
 * exceljs unzips with unzipper, which follows the local file headers and
 * inflates whatever it finds, without limits. So exceljs never sees the user's
 * file: yauzl reads the central directory first (declared sizes, ratios,
 * encryption), and the parts exceljs needs are then inflated by yauzl — which
 * fails an entry at the first byte past its declared size — and handed to
 * exceljs as a new stream of STORED entries in the order its streaming reader
 * wants (relationships, workbook, styles, shared strings, then the one sheet).
 * That order also keeps exceljs from spooling sheets to temporary files, which
 * it does when a sheet precedes the shared strings (Excel's own order), and
 * lets styles (date formats) be known before the first cell.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import yauzl from "yauzl";
import { AppError, invalid } from "../../../lib/errors.js";
import { registerMessages } from "../../../lib/i18n.js";
import type { ReadLimits } from "./types.js";

registerMessages({
  "import.xlsx_too_large": {
    "en-US": "The file is larger than {{limit}}: split it into smaller files",
    "zh-CN": "文件超过 {{limit}} 的上限，请拆分成多个文件后再导入",
  },
  "import.xlsx_not_xlsx": {
    "en-US": "This is not an .xlsx file: open it in Excel, save it as .xlsx and import it again",
    "zh-CN": "这不是 .xlsx 文件：请在 Excel 中另存为 .xlsx 后再导入",
  },
  "import.xlsx_old_xls": {
    "en-US": "This is an old Excel file (.xls): open it in Excel, save it as .xlsx and import it again",
    "zh-CN": "这是旧版 Excel 文件（.xls）：请在 Excel 中另存为 .xlsx 后再导入",
  },
  "import.xlsx_xlsb": {
    "en-US": "This is an Excel binary workbook (.xlsb): save it as .xlsx in Excel and import it again",
    "zh-CN": "这是 Excel 二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 后再导入",
  },
  "import.xlsx_encrypted": {
    "en-US": "The workbook is password-protected: remove the password in Excel, save it and import it again",
    "zh-CN": "工作簿设有密码保护：请在 Excel 中取消密码并保存后再导入",
  },
  "import.xlsx_corrupt": {
    "en-US": "The file is damaged or incomplete: open it in Excel, save it again and retry",
    "zh-CN": "文件已损坏或不完整：请在 Excel 中打开并重新保存后再导入",
  },
  "import.xlsx_unzipped_too_large": {
    "en-US": "Unpacked, the workbook is larger than {{limit}}: split it into smaller files",
    "zh-CN": "工作簿解压后超过 {{limit}} 的上限，请拆分成多个文件后再导入",
  },
  "import.xlsx_zip_bomb": {
    "en-US": "The file unpacks to far more data than it holds (over {{limit}} times its size), as a zip bomb does: import refused",
    "zh-CN": "文件解压后的数据量异常（超过压缩大小的 {{limit}} 倍），疑似恶意构造的压缩包，已拒绝导入",
  },
});

/** Entries below this size cannot hurt anyone, and small runs of XML legitimately compress very well. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** A workbook has parts per sheet, image and chart: tens to a few thousand. */
const MAX_ENTRIES = 20_000;
/** STORED entries without zip64 fields: 4 GiB is far beyond any sheet we import anyway. */
const MAX_ENTRY_BYTES = 0xffff_fffe;
/** workbook.xml and its relationships are read whole. */
const MAX_SMALL_PART_BYTES = 32 * 1024 * 1024;

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The stream name of an encrypted OOXML package inside its OLE2 container (directory names are UTF-16LE). */
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");

/** "200 MB", "1.5 MB", "64 KB": a limit as the user reads it. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Refuses what is not a zip before yauzl sees it: an old .xls, an encrypted workbook (both OLE2 containers), text or anything else. */
export async function checkXlsxFile(path: string, limits: ReadLimits): Promise<void> {
  const stat = await fs.promises.stat(path);
  if (stat.size > limits.maxBytes) throw invalid("import.xlsx_too_large", { limit: formatSize(limits.maxBytes) }, { size: stat.size });
  const head = Buffer.alloc(8);
  const handle = await fs.promises.open(path, "r");
  try {
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return; // PK\3\4, or PK\5\6: an empty zip
  if (head.equals(OLE2)) {
    // Excel saves a password-protected .xlsx as an OLE2 file holding the encrypted package.
    if (await fileContains(path, ENCRYPTED_PACKAGE)) throw invalid("import.xlsx_encrypted", {}, { container: "ole2" });
    throw invalid("import.xlsx_old_xls");
  }
  throw invalid("import.xlsx_not_xlsx");
}

async function fileContains(path: string, needle: Buffer): Promise<boolean> {
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const data = Buffer.concat([carry, chunk as Buffer]);
    if (data.includes(needle)) return true;
    carry = data.subarray(Math.max(0, data.length - needle.length + 1));
  }
  return false;
}

export interface XlsxArchive {
  zip: yauzl.ZipFile;
  /** By lower-cased name: part names in a package are case-insensitive. */
  entries: Map<string, yauzl.Entry>;
  close(): void;
}

/**
 * Opens the zip and checks its central directory: every declared size against
 * the limits, before a single byte is inflated. Call `close()` when done.
 */
export async function openXlsxArchive(path: string, limits: ReadLimits): Promise<XlsxArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (err) {
    throw asArchiveError(err);
  }
  const close = () => zip.close();
  try {
    const entries = new Map<string, yauzl.Entry>();
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      if (entries.size >= MAX_ENTRIES) throw invalid("import.xlsx_corrupt", {}, { reason: "too_many_entries" });
      if (entry.isEncrypted()) throw invalid("import.xlsx_encrypted", {}, { container: "zip", entry: entry.fileName });
      total += entry.uncompressedSize;
      if (total > limits.maxUnzippedBytes || entry.uncompressedSize > MAX_ENTRY_BYTES) {
        throw invalid("import.xlsx_unzipped_too_large", { limit: formatSize(limits.maxUnzippedBytes) }, { entry: entry.fileName, declared: total });
      }
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > limits.maxZipRatio * Math.max(1, entry.compressedSize)) {
        throw invalid(
          "import.xlsx_zip_bomb",
          { limit: limits.maxZipRatio },
          { entry: entry.fileName, compressed: entry.compressedSize, uncompressed: entry.uncompressedSize },
        );
      }
      entries.set(entry.fileName.toLowerCase(), entry);
    }
    return { zip, entries, close };
  } catch (err) {
    close();
    throw asArchiveError(err);
  }
}

/** The inflated bytes of an entry; yauzl errors out as soon as they exceed the declared size. */
export async function openEntry(archive: XlsxArchive, entry: yauzl.Entry): Promise<Readable> {
  try {
    return await archive.zip.openReadStreamPromise(entry);
  } catch (err) {
    throw asArchiveError(err);
  }
}

/** A small part (workbook.xml, relationships) as text. */
export async function readSmallPart(archive: XlsxArchive, name: string): Promise<string | undefined> {
  const entry = archive.entries.get(name.toLowerCase());
  if (!entry) return undefined;
  if (entry.uncompressedSize > MAX_SMALL_PART_BYTES) throw invalid("import.xlsx_corrupt", {}, { reason: "part_too_large", entry: name });
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of await openEntry(archive, entry)) chunks.push(chunk as Buffer);
  } catch (err) {
    throw asArchiveError(err);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Streams an entry's inflated bytes to `visit`, so a whole sheet can be scanned without holding it. */
export async function scanEntry(archive: XlsxArchive, entry: yauzl.Entry, visit: (chunk: Buffer) => void): Promise<void> {
  try {
    for await (const chunk of await openEntry(archive, entry)) visit(chunk as Buffer);
  } catch (err) {
    throw asArchiveError(err);
  }
}

/**
 * A zip of STORED entries, written as it is read: `entries` inflated by yauzl
 * (sizes enforced) under the names given. unzipper needs only the local
 * headers, so no central directory is written; it neither checks CRCs.
 */
export function storedZip(archive: XlsxArchive, entries: { name: string; entry: yauzl.Entry }[]): Readable {
  async function* write(): AsyncGenerator<Buffer> {
    for (const { name, entry } of entries) {
      yield localHeader(name, entry.uncompressedSize);
      const stream = await openEntry(archive, entry);
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (err) {
        throw asArchiveError(err);
      } finally {
        stream.destroy();
      }
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    yield end;
  }
  return Readable.from(write(), { objectMode: false });
}

function localHeader(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed: 2.0
  header.writeUInt16LE(0x0800, 6); // UTF-8 names, sizes in this header (no data descriptor)
  header.writeUInt16LE(0, 8); // STORED
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([header, nameBytes]);
}

/** yauzl's and zlib's errors, told apart by what the user can do about them. */
export function asArchiveError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // An entry that inflates past the size its header declares lies about it (how a bomb would slip past the size checks): yauzl stops it there.
  if (/too many bytes in the stream/i.test(message)) return invalid("import.xlsx_corrupt", {}, { reason: "size_mismatch" });
  if (/encrypted/i.test(message)) return invalid("import.xlsx_encrypted", {}, { container: "zip" });
  return invalid("import.xlsx_corrupt", {}, { reason: message.slice(0, 200) });
}
