import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.js";
import { decodeText, detectEncoding, openText, SNIFF_BYTES } from "./decode.js";
import { bothLanguages, fixture, rejection, tempDir } from "./test-support.js";

const tmp = tempDir("guanxi-decode-");

function rejectionSync(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected a throw");
}


const CUSTOMERS_CRLF = readFileSync(fixture("utf8.csv"), "utf8").replaceAll("\n", "\r\n");

describe("encoding detection", () => {
  it("reads Excel's GB18030 CSV, from a path and from bytes, as exactly the text of the UTF-8 file", async () => {
    const fromPath = await openText(fixture("gb18030-excel.csv"));
    expect(fromPath).toMatchObject({ encoding: "GB18030", via: "chardet", bomLength: 0, complete: true });
    expect(fromPath.head).toBe(CUSTOMERS_CRLF);
    expect(fromPath.head).toContain("上海喆达贸易有限公司"); // 喆 is in GBK, not in GB2312
    const fromBytes = await decodeText(readFileSync(fixture("gb18030-excel.csv")));
    expect(fromBytes).toEqual({ text: CUSTOMERS_CRLF, encoding: "GB18030" });
  });

  it("recognises GB18030 from a header row alone", async () => {
    const header = iconv.encode("客户名称,联系人,手机,邮箱,地址\r\n", "gb18030");
    expect(detectEncoding(header, true).encoding).toBe("GB18030");
    expect((await decodeText(header)).text).toBe("客户名称,联系人,手机,邮箱,地址\r\n");
  });

  it("strips a UTF-8 BOM and reads UTF-8 without one", async () => {
    const bom = await decodeText(fixture("utf8-bom.csv"));
    expect(bom).toEqual({ text: CUSTOMERS_CRLF, encoding: "UTF-8" });
    expect((await openText(fixture("utf8-bom.csv"))).via).toBe("bom");
    const plain = await openText(fixture("utf8.csv"));
    expect(plain).toMatchObject({ encoding: "UTF-8", via: "utf8", bomLength: 0 });
    expect(plain.head.charCodeAt(0)).not.toBe(0xfeff);
  });

  it("reads Excel's Unicode text (UTF-16LE with BOM) and UTF-16 without BOM", async () => {
    const excel = await openText(fixture("utf16le-excel.txt"));
    expect(excel).toMatchObject({ encoding: "UTF-16LE", via: "bom", bomLength: 2 });
    expect(excel.head.startsWith("客户名称\t联系人\t手机\t备注\r\n")).toBe(true);

    const text = "客户名称\t手机\r\n北京元石科技有限公司\t13800138000\r\n";
    for (const encoding of ["UTF-16LE", "UTF-16BE"]) {
      const bytes = iconv.encode(text, encoding);
      expect(detectEncoding(bytes, true)).toEqual({ encoding, via: "utf16-nul", bomLength: 0 });
      expect(await decodeText(bytes)).toEqual({ text, encoding });
    }
  });

  it("looks past an ASCII start for the encoding, and counts lines from the start of the file", async () => {
    const ascii = "Name,Phone\r\n" + "ACME Trading Ltd,13800138000\r\n".repeat(4000); // 120 KB of ASCII
    const text = ascii + "北京元石科技有限公司,13912345678\r\n上海喆达贸易有限公司,13698765432\r\n";
    const file = path.join(tmp, "ascii-then-gbk.csv");
    writeFileSync(file, iconv.encode(text, "gb18030"));
    expect((await openText(file)).via).toBe("chardet");
    expect(await decodeText(file)).toEqual({ text, encoding: "GB18030" });

    const damaged = Buffer.concat([Buffer.from(ascii + "北京元石科技有限公司,13912345678\r\n".repeat(20)), Buffer.from([0xe5, 0x9d]), Buffer.from(",1\r\n")]);
    const err = await rejection(openText(damaged));
    expect(err.messageKey).toBe("import.invalid_utf8");
    expect(err.params).toEqual({ line: 4002 + 20, byte: damaged.length - 4 + 1 - 2 });
  });

  it("reads Big5", async () => {
    const big5 = await decodeText(fixture("big5.csv"));
    expect(big5.encoding).toBe("Big5");
    expect(big5.text.split("\r\n")[0]).toBe("客戶名稱,聯絡人,手機,電子郵件,地址");
    expect(big5.text).toContain("臺灣積體電路製造股份有限公司");
  });

  it("refuses other encodings unless the caller names one", async () => {
    const latin1 = iconv.encode("Name;Firma\nChloé Dubois;Gamma SARL\nJörg Schmidt;Beta AG\n", "windows-1252");
    const err = rejectionSync(() => detectEncoding(latin1, true));
    expect(err.code).toBe("VALIDATION");
    expect(err.messageKey).toBe("import.encoding_unknown");
    expect(err.params).toEqual({ line: 2 });
    expect(bothLanguages(err)).toEqual({
      zh: "无法识别文件的文字编码（从第 2 行开始），请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或手动选择文件编码",
      en: "The file's text encoding is not recognised (from line 2): save it as CSV UTF-8, or choose the encoding",
    });

    const chosen = await decodeText(latin1, { encoding: "windows-1252" });
    expect(chosen.encoding).toBe("windows-1252");
    expect(chosen.text).toContain("Chloé Dubois");
    // A named encoding replaces detection: GB18030 bytes read as GBK give the same text.
    expect(await decodeText(fixture("gb18030-excel.csv"), { encoding: "GBK" })).toEqual({ text: CUSTOMERS_CRLF, encoding: "GBK" });

    const unknown = await rejection(openText(latin1, { encoding: "klingon" }));
    expect(unknown.messageKey).toBe("import.encoding_unsupported");
    expect(bothLanguages(unknown).zh).toBe("不支持的文字编码：klingon");
  });
});

describe("binary files", () => {
  it("says an .xlsx renamed .csv is an Excel workbook", async () => {
    const err = await rejection(openText(fixture("excel-renamed.csv")));
    expect(err.messageKey).toBe("import.binary_xlsx");
    expect(bothLanguages(err)).toEqual({
      zh: "这是 Excel 工作簿（.xlsx），不是 CSV 文件，请选择按 Excel 格式导入",
      en: "This is an Excel workbook (.xlsx), not a CSV file: choose Excel as the file type",
    });
    // From memory as from disk.
    expect((await rejection(openText(readFileSync(fixture("excel-renamed.csv"))))).messageKey).toBe("import.binary_xlsx");
  });

  it("names images, PDFs and old .xls files", async () => {
    const png = await rejection(openText(fixture("image-renamed.csv")));
    expect(png.messageKey).toBe("import.binary_file");
    expect(png.params).toEqual({ type: "PNG" });
    expect(bothLanguages(png).zh).toBe("该文件的实际内容是 PNG，不是表格，请上传 CSV、Excel（.xlsx）或 vCard（.vcf）文件");
    expect(bothLanguages(png).en).toBe("The file's content is PNG, not a table: upload a CSV, Excel (.xlsx) or vCard (.vcf) file");

    const pdf = await rejection(openText(Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1")));
    expect([pdf.messageKey, pdf.params.type]).toEqual(["import.binary_file", "PDF"]);

    const ole2 = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole2);
    const xls = await rejection(openText(ole2));
    expect(xls.messageKey).toBe("import.binary_xls");
    expect(bothLanguages(xls).zh).toContain("Excel 97-2003 工作簿（.xls）");
  });

  it("refuses unknown data with NUL bytes, but not text that starts like a signature", async () => {
    const data = Buffer.from([0x47, 0x58, 0x01, 0x00, 0x00, 0x7f, 0x10, 0x00, 0x00, 0x00, 0x33, 0x00, 0x00, 0x00]);
    const err = await rejection(openText(data));
    expect(err.messageKey).toBe("import.binary_data");
    expect(bothLanguages(err).zh).toBe("文件中含有二进制数据，不是文本文件，请上传 CSV、Excel（.xlsx）或 vCard（.vcf）文件");
    // "BM" is a bitmap's signature, and the start of BMW.
    expect(await decodeText(Buffer.from("BMW,X5\nBMW,i3\n"))).toEqual({ text: "BMW,X5\nBMW,i3\n", encoding: "UTF-8" });
  });
});

describe("invalid UTF-8", () => {
  it("names the line and byte of a broken character", async () => {
    const bytes = readFileSync(fixture("invalid-utf8.csv"));
    const err = await rejection(openText(bytes));
    const offset = readFileSync(fixture("utf8.csv")).indexOf("深圳"); // the same bytes up to there
    expect(err.messageKey).toBe("import.invalid_utf8");
    expect(err.params).toEqual({ line: 4, byte: offset + 1 });
    expect(err.details).toEqual({ byteOffset: offset });
    expect(bothLanguages(err)).toEqual({
      zh: `文件第 4 行（第 ${offset + 1} 字节处）不是有效的 UTF-8 文本，文件可能已损坏或混用了多种编码，请重新另存为“CSV UTF-8”后再上传`,
      en: `Line 4 (byte ${offset + 1}) is not valid UTF-8 text: the file is damaged or mixes encodings. Save it again as CSV UTF-8 and upload it again`,
    });
  });

  it("finds a broken byte past the sniffed start while streaming, counting lines and skipping a genuine U+FFFD", async () => {
    const line = "北京元石科技有限公司,张伟,13800138000\n"; // 49 bytes
    const good = Buffer.from("名称\uFFFD,联系人,手机\n" + line.repeat(4000)); // ~190 KB, past SNIFF_BYTES
    expect(good.length).toBeGreaterThan(3 * SNIFF_BYTES);
    const file = path.join(tmp, "late-break.csv");
    writeFileSync(file, Buffer.concat([good, Buffer.from("坏"), Buffer.from([0xe5, 0x9d]), Buffer.from(",x\n" + line)]));

    const source = await openText(file); // the first 64 KB are fine
    expect(source.encoding).toBe("UTF-8");
    const err = await rejection(
      (async () => {
        for await (const _ of source.chunks()) {
          // drain
        }
      })(),
    );
    expect(err.messageKey).toBe("import.invalid_utf8");
    expect(err.params).toEqual({ line: 4002, byte: good.length + 3 + 1 });
  });

  it("decodes UTF-8 and GB18030 across chunk boundaries exactly", async () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `第${i}行,客户${i},𠀀喆\r\n`).join(""); // > 1 MB, 4-byte characters too
    for (const encoding of ["UTF-8", "GB18030"]) {
      const file = path.join(tmp, `big-${encoding}.csv`);
      writeFileSync(file, iconv.encode(text, encoding));
      const source = await openText(file);
      expect(source.encoding).toBe(encoding);
      const parts: string[] = [];
      for await (const part of source.chunks()) parts.push(part);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.join("")).toBe(text);
    }
  });
});

describe("empty and oversized files", () => {
  it.each([
    ["0 bytes", readFileSync(fixture("empty.csv"))],
    ["a BOM only", Buffer.from([0xef, 0xbb, 0xbf])],
    ["blank lines", Buffer.from("\r\n \r\n\t\n")],
  ])("refuses %s as empty", async (_, bytes) => {
    expect(bytes.length).toBeLessThan(10);
    const err = await rejection(openText(bytes));
    expect(err.messageKey).toBe("import.file_empty");
    expect(bothLanguages(err)).toEqual({ zh: "文件是空的，没有可导入的内容", en: "The file is empty" });
  });

  it("refuses a file over the size limit before reading it", async () => {
    const limits = { maxBytes: 2 * 1024 * 1024 };
    const file = path.join(tmp, "big.csv");
    writeFileSync(file, Buffer.alloc(limits.maxBytes + 1, 0x41));
    const err = await rejection(openText(file, { limits }));
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.messageKey).toBe("import.file_too_large");
    expect(bothLanguages(err)).toEqual({ zh: "文件超过 2 MB 的大小上限", en: "The file is larger than the 2 MB limit" });
    expect((await rejection(openText(Buffer.alloc(limits.maxBytes + 1, 0x41), { limits }))).messageKey).toBe("import.file_too_large");
    expect((await openText(Buffer.alloc(limits.maxBytes, 0x41), { limits })).encoding).toBe("UTF-8");
  });
});
