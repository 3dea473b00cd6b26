import fs from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { customerWorkbook, unzipAll, writeZip } from "../../../../../test/fixtures/import/xlsx-fixtures.js";
import { allRows, FIXTURES as fixtures, message, rejection, tempDir } from "./test-support.js";
import type { TableSource } from "./types.js";
import { readXlsx } from "./xlsx.js";

const customers = path.join(fixtures, "xlsx-customers.xlsx");
const tmp = tempDir("guanxi-xlsx-");

const all = (source: TableSource) => allRows(source.rows());

const failure = (promise: Promise<unknown>) => rejection(promise, "VALIDATION");


async function file(name: string, data: Buffer | string): Promise<string> {
  const p = path.join(tmp, name);
  await fs.writeFile(p, data);
  return p;
}

/** A workbook written by exceljs, its parts optionally changed before zipping again. */
async function workbook(build: (book: ExcelJS.Workbook) => void, name: string): Promise<string> {
  const book = new ExcelJS.Workbook();
  build(book);
  return file(name, Buffer.from(await book.xlsx.writeBuffer()));
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe("customer workbook (two-row merged header, Excel's part order)", () => {
  it("lists the sheets and reads the first by default", async () => {
    const source = await readXlsx(customers);
    expect(source.format).toBe("xlsx");
    expect(source.sheets).toEqual(["客户", "联系人", "分组表头", "地址"]);
    expect(source.sheet).toBe("客户");
  });

  it("names columns from merged header cells", async () => {
    const source = await readXlsx(customers);
    expect(source.headers).toEqual([
      "客户名称",
      "联系方式 手机",
      "联系方式 邮箱",
      "统一社会信用代码",
      "成立日期",
      "签约日期",
      "年营业额（万元）",
      "备注",
      "官网",
    ]);
  });

  it("types cells: text digits stay text, dates become Dates, rich text, links, formulas and errors resolved", async () => {
    const rows = await all(await readXlsx(customers));
    expect(rows.map((r) => r.source)).toEqual([3, 4, 6]); // the empty row 5 is left out
    expect(rows[0]!.cells).toEqual([
      "北京星河科技有限公司",
      "01062345678",
      "info@xinghe.cn",
      "91110000802100433B",
      utc(2015, 3, 9),
      utc(2024, 1, 5), // serial 45296 under a date format
      1250.5,
      "重要客户",
      "www.xinghe.cn",
    ]);
    expect(rows[1]!.cells).toEqual([
      "上海云杉贸易有限公司",
      "13800138000",
      "sales@yunshan.com",
      "91350100M000100Y43",
      utc(2018, 6, 1), // a formula's cached date
      utc(2023, 11, 20), // Excel's built-in format 31 (2023年11月20日)
      980,
      null,
      null,
    ]);
    expect(rows[2]!.cells).toEqual([
      "深圳前海数据服务有限公司",
      "075586001234", // a formula's cached text
      null, // #N/A
      "91440300708461136T",
      45296, // no date format: a number
      null, // a formula whose cached result is #N/A
      true,
      null,
      null,
    ]);
  });

  it("restarts rows() from the first row, also after an early stop", async () => {
    const source = await readXlsx(customers);
    for await (const row of source.rows()) {
      expect(row.source).toBe(3);
      break;
    }
    const first = await all(source);
    const second = await all(source);
    expect(first).toHaveLength(3);
    expect(second).toEqual(first);
  });

  it("chooses a sheet by name: skips a merged title row, keeps duplicate titles apart, fills merged data cells", async () => {
    const source = await readXlsx(customers, { sheet: "联系人" });
    expect(source.sheet).toBe("联系人");
    expect(source.headers).toEqual(["姓名", "手机", "电话", "电话 (2)", "所属客户"]);
    const rows = await all(source);
    expect(rows).toEqual([
      { source: 3, cells: ["张三", "13912345678", "010-62345678", null, "北京星河科技有限公司"] },
      { source: 4, cells: ["李四", "13698765432", null, "021-55556666", "北京星河科技有限公司"] },
      { source: 5, cells: ["王五", "13700002222", null, null, "上海云杉贸易有限公司"] },
    ]);
  });

  it("chooses a sheet by position; a group title without vertical merges still spans two header rows", async () => {
    const source = await readXlsx(customers, { sheet: 2 });
    expect(source.sheet).toBe("分组表头");
    expect(source.headers).toEqual(["姓名", "联系方式 手机", "联系方式 邮箱", "公司"]);
    expect(await all(source)).toEqual([{ source: 3, cells: ["赵六", "13511112222", "zhao@example.com", "深圳前海数据服务有限公司"] }]);
  });

  it("a title merged over two columns in a one-row header names both; the row below stays data", async () => {
    const source = await readXlsx(customers, { sheet: "地址" });
    expect(source.headers).toEqual(["客户", "电话", "地址", "地址 (2)"]);
    expect(await all(source)).toEqual([{ source: 2, cells: ["北京星河科技有限公司", "010-62345678", "北京市海淀区", "中关村大街1号"] }]);
  });

  it("takes a given header row and depth", async () => {
    const source = await readXlsx(customers, { sheet: "联系人", headerRow: 2, headerRows: 1 });
    expect(source.headers[0]).toBe("姓名");
    const forced = await readXlsx(customers, { headerRow: 2, headerRows: 1 });
    // Row 2 alone: the vertically merged titles of row 1 still reach it, the group title over 手机 and 邮箱 does not.
    expect(forced.headers.slice(0, 4)).toEqual(["客户名称", "手机", "邮箱", "统一社会信用代码"]);
    expect((await all(forced))[0]!.source).toBe(3);
  });

  it("refuses an unknown sheet, by name and by position", async () => {
    const err = await failure(readXlsx(customers, { sheet: "订单" }));
    expect(err.messageKey).toBe("import.xlsx_sheet_not_found");
    expect(err.details.sheets).toEqual(["客户", "联系人", "分组表头", "地址"]);
    expect(message(err, "zh-CN")).toBe("工作簿中没有工作表「订单」");
    expect(message(err, "en-US")).toBe("The workbook has no sheet “订单”");
    expect((await failure(readXlsx(customers, { sheet: 4 }))).messageKey).toBe("import.xlsx_sheet_not_found");
  });

  it("does not leave files open", async () => {
    const count = async () => (await fs.readdir("/proc/self/fd")).length;
    const before = await count();
    for (let i = 0; i < 3; i++) {
      const source = await readXlsx(customers);
      await all(source);
      for await (const _ of source.rows()) break;
    }
    await expect.poll(count, { timeout: 2000 }).toBeLessThanOrEqual(before);
  });
});

describe("files that are not workbooks", () => {
  it("an old .xls (OLE2) → save as .xlsx", async () => {
    const err = await failure(readXlsx(path.join(fixtures, "xlsx-old-format.xls")));
    expect(err.messageKey).toBe("import.xlsx_old_xls");
    expect(message(err, "zh-CN")).toBe("这是旧版 Excel 文件（.xls）：请在 Excel 中另存为 .xlsx 后再导入");
    expect(message(err, "en-US")).toBe("This is an old Excel file (.xls): open it in Excel, save it as .xlsx and import it again");
  });

  it("a text file renamed .xlsx", async () => {
    const err = await failure(readXlsx(path.join(fixtures, "xlsx-text-renamed.xlsx")));
    expect(err.messageKey).toBe("import.xlsx_not_xlsx");
    expect(message(err, "zh-CN")).toBe("这不是 .xlsx 文件：请在 Excel 中另存为 .xlsx 后再导入");
    expect(message(err, "en-US")).toContain("This is not an .xlsx file");
  });

  it("an empty file", async () => {
    expect((await failure(readXlsx(await file("empty.xlsx", Buffer.alloc(0))))).messageKey).toBe("import.xlsx_not_xlsx");
  });

  it("a password-protected workbook (an OLE2 container with an EncryptedPackage stream)", async () => {
    const ole2 = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole2);
    Buffer.from("EncryptionInfo", "utf16le").copy(ole2, 1024);
    Buffer.from("EncryptedPackage", "utf16le").copy(ole2, 1152);
    const err = await failure(readXlsx(await file("protected.xlsx", ole2)));
    expect(err.messageKey).toBe("import.xlsx_encrypted");
    expect(message(err, "zh-CN")).toBe("工作簿设有密码保护：请在 Excel 中取消密码并保存后再导入");
  });

  it("a zip with encrypted entries", async () => {
    const zip = writeZip([{ name: "xl/workbook.xml", data: Buffer.from("<workbook/>"), encrypted: true }]);
    expect((await failure(readXlsx(await file("zip-encrypted.xlsx", zip)))).messageKey).toBe("import.xlsx_encrypted");
  });

  it("a zip that is no workbook (a .docx), and an .xlsb", async () => {
    const docx = writeZip([{ name: "word/document.xml", data: Buffer.from("<w:document/>") }]);
    expect((await failure(readXlsx(await file("letter.xlsx", docx)))).messageKey).toBe("import.xlsx_not_xlsx");
    const xlsb = writeZip([{ name: "xl/workbook.bin", data: Buffer.from([1, 2, 3]) }]);
    const err = await failure(readXlsx(await file("binary.xlsx", xlsb)));
    expect(err.messageKey).toBe("import.xlsx_xlsb");
    expect(message(err, "zh-CN")).toContain("另存为 .xlsx");
  });

  it("a truncated workbook", async () => {
    const bytes = await fs.readFile(customers);
    const err = await failure(readXlsx(await file("cut.xlsx", bytes.subarray(0, Math.floor(bytes.length / 2)))));
    expect(err.messageKey).toBe("import.xlsx_corrupt");
    expect(message(err, "zh-CN")).toBe("文件已损坏或不完整：请在 Excel 中打开并重新保存后再导入");
  });

  it("a file over maxBytes", async () => {
    const err = await failure(readXlsx(customers, { limits: { maxBytes: 4096 } }));
    expect(err.messageKey).toBe("import.xlsx_too_large");
    expect(message(err, "en-US")).toBe("The file is larger than 4 KB: split it into smaller files");
    expect(message(err, "zh-CN")).toBe("文件超过 4 KB 的上限，请拆分成多个文件后再导入");
  });
});

describe("zip bombs", () => {
  /** The customer workbook with a part (by default its first sheet) replaced by `data`, declared as `declaredSize`. */
  async function bomb(name: string, data: Buffer | undefined, declaredSize?: number, part = "xl/worksheets/sheet1.xml"): Promise<string> {
    const parts = await unzipAll(await fs.readFile(customers));
    const entries = [...parts].map(([n, original]) => (n === part ? { name: n, data: data ?? original, declaredSize } : { name: n, data: original }));
    return file(name, writeZip(entries));
  }
  const zeros = Buffer.alloc(16 * 1024 * 1024); // deflates to ~16 KB: a ratio of about 1000

  it("refuses an entry whose compression ratio is beyond maxZipRatio, before inflating it", async () => {
    const p = await bomb("ratio.xlsx", zeros);
    expect((await fs.stat(p)).size).toBeLessThan(200 * 1024);
    const err = await failure(readXlsx(p));
    expect(err.messageKey).toBe("import.xlsx_zip_bomb");
    expect(err.details).toMatchObject({ entry: "xl/worksheets/sheet1.xml", uncompressed: zeros.length });
    expect(message(err, "zh-CN")).toBe("文件解压后的数据量异常（超过压缩大小的 200 倍），疑似恶意构造的压缩包，已拒绝导入");
    expect(message(err, "en-US")).toContain("zip bomb");
  });

  it("refuses a workbook that unpacks to more than maxUnzippedBytes", async () => {
    const p = await bomb("total.xlsx", zeros);
    const err = await failure(readXlsx(p, { limits: { maxZipRatio: 100_000, maxUnzippedBytes: 8 * 1024 * 1024 } }));
    expect(err.messageKey).toBe("import.xlsx_unzipped_too_large");
    expect(message(err, "zh-CN")).toBe("工作簿解压后超过 8 MB 的上限，请拆分成多个文件后再导入");
  });

  it("refuses a declared 2 GB sheet from the central directory alone", async () => {
    const p = await bomb("declared.xlsx", Buffer.from("<worksheet/>"), 2 * 1024 * 1024 * 1024);
    expect((await failure(readXlsx(p))).messageKey).toBe("import.xlsx_unzipped_too_large");
  });

  it("stops an entry that inflates past the size it declares", async () => {
    const p = await bomb("liar.xlsx", zeros, 4096);
    const err = await failure(readXlsx(p));
    expect(err.messageKey).toBe("import.xlsx_corrupt");
    expect(err.details.reason).toBe("size_mismatch");
  });

  it("also while exceljs reads: shared strings longer than declared fail instead of hanging", async () => {
    const p = await bomb("liar-strings.xlsx", undefined, 100, "xl/sharedStrings.xml");
    const err = await failure(readXlsx(p));
    expect(err.messageKey).toBe("import.xlsx_corrupt");
    expect(err.details.reason).toBe("size_mismatch");
  });
});

describe("limits and odd sheets", () => {
  it("10,000 columns", async () => {
    const p = await workbook((book) => {
      book.addWorksheet("宽表").addRow(Array.from({ length: 10_000 }, (_, i) => `列${i + 1}`));
    }, "wide.xlsx");
    const err = await failure(readXlsx(p));
    expect(err.messageKey).toBe("import.xlsx_too_many_columns");
    expect(err.params).toEqual({ row: 1, columns: 10_000, limit: 500 });
    expect(message(err, "zh-CN")).toBe("第 1 行有 10000 列，超过 500 列的上限：请删除多余的列后再导入");
    expect(message(err, "en-US")).toBe("Row 1 has 10000 columns, more than the 500 allowed: delete the unused columns and import again");
  });

  it("a data row wider than maxColumns fails while streaming", async () => {
    const p = await workbook((book) => {
      const sheet = book.addWorksheet("表");
      sheet.addRow(["姓名", "手机"]);
      for (let i = 0; i < 20; i++) sheet.addRow([`客户${i}`, "13800138000"]);
      sheet.getRow(20).getCell(9).value = "多余";
    }, "wide-row.xlsx");
    const source = await readXlsx(p, { limits: { maxColumns: 8 } });
    const err = await failure(all(source));
    expect(err.params).toEqual({ row: 20, columns: 9, limit: 8 });
  });

  it("a cell longer than maxCellChars", async () => {
    const err = await failure(readXlsx(customers, { limits: { maxCellChars: 10 } }));
    expect(err.messageKey).toBe("import.xlsx_cell_too_long");
    expect(message(err, "zh-CN")).toBe("单元格 B3 的内容超过 10 个字符的上限");
  });

  it("an empty sheet, and an empty header row", async () => {
    const p = await workbook((book) => {
      book.addWorksheet("空表");
      book.addWorksheet("有数据").addRow(["姓名"]);
    }, "blank.xlsx");
    const err = await failure(readXlsx(p));
    expect(err.messageKey).toBe("import.xlsx_empty");
    expect(message(err, "zh-CN")).toBe("工作表「空表」中没有数据");
    const header = await failure(readXlsx(p, { sheet: "有数据", headerRow: 3 }));
    expect(header.messageKey).toBe("import.xlsx_header_empty");
    expect(message(header, "en-US")).toBe("Row 3 is empty and cannot be the header row");
  });

  it("passes over hidden sheets by default, and names untitled columns by their letter", async () => {
    const p = await workbook((book) => {
      book.addWorksheet("隐藏", { state: "hidden" }).addRow(["x"]);
      const sheet = book.addWorksheet("可见");
      sheet.addRow(["姓名", null, "手机"]);
      sheet.addRow(["张三", "备注", "13800138000"]);
    }, "hidden.xlsx");
    const source = await readXlsx(p);
    expect(source.sheet).toBe("可见");
    expect(source.headers).toEqual(["姓名", "B", "手机"]);
  });

  it("reads a sheet of 1904-based dates", async () => {
    const p = await workbook((book) => {
      book.properties.date1904 = true;
      const sheet = book.addWorksheet("表");
      sheet.addRow(["日期"]);
      sheet.addRow([new Date(Date.UTC(2024, 0, 5))]).getCell(1).numFmt = "yyyy-mm-dd";
    }, "1904.xlsx");
    expect((await all(await readXlsx(p)))[0]!.cells).toEqual([utc(2024, 1, 5)]);
  });
});

it("builds the same customer workbook as the committed fixture", async () => {
  // The fixture is generated (test/fixtures/import/xlsx-fixtures.ts); a changed script must be run again.
  const fresh = await file("fresh.xlsx", await customerWorkbook());
  const [a, b] = await Promise.all([readXlsx(fresh), readXlsx(customers)]);
  expect(a.headers).toEqual(b.headers);
  expect(await all(a)).toEqual(await all(b));
});
