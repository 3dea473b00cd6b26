import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { openCsv, sniffDelimiter, uniqueHeaders, type CsvOptions } from "./csv.js";
import type { ImportInput } from "./decode.js";
import { allRows, bothLanguages, fixture, rejection, tempDir } from "./test-support.js";
import type { SourceRow } from "./types.js";

const tmp = tempDir("guanxi-csv-");

/** Opens and reads every row. */
async function readAll(input: ImportInput, options?: CsvOptions) {
  const source = await openCsv(input, options);
  return { source, rows: await allRows(source.rows()) };
}

const CUSTOMER_HEADERS = ["客户名称", "联系人", "手机", "邮箱", "地址"];

describe("files as Excel and others save them", () => {
  it("reads Excel's GB18030 CSV with its line numbers", async () => {
    const { source, rows } = await readAll(fixture("gb18030-excel.csv"));
    expect(source).toMatchObject({ format: "csv", encoding: "GB18030", delimiter: ",", headerLine: 1, headers: CUSTOMER_HEADERS });
    expect(rows.map((r) => r.source)).toEqual([2, 3, 4, 5, 6]);
    expect(rows[0]).toEqual({ source: 2, cells: ["北京元石科技有限公司", "张伟", "13800138000", "zhangwei@yuanshi.cn", "北京市海淀区中关村大街1号"] });
    expect(rows[1]!.cells[4]).toBe("上海市浦东新区世纪大道100号,18楼"); // quoted comma, not a sixth cell
    expect(rows[3]!.cells[3]).toBe(""); // empty cell kept as ""
  });

  it("reads the same rows from UTF-8 with and without BOM, and from bytes", async () => {
    const gb = (await readAll(fixture("gb18030-excel.csv"))).rows;
    const bom = await readAll(readFileSync(fixture("utf8-bom.csv")));
    expect(bom.source.headers).toEqual(CUSTOMER_HEADERS); // no "\uFEFF客户名称"
    expect(bom.source.encoding).toBe("UTF-8");
    expect(bom.rows).toEqual(gb);
    expect((await readAll(fixture("utf8.csv"))).rows).toEqual(gb);
  });

  it("reads Excel's Unicode text: UTF-16LE, tabs, a line break inside a cell", async () => {
    const { source, rows } = await readAll(fixture("utf16le-excel.txt"));
    expect(source).toMatchObject({ encoding: "UTF-16LE", delimiter: "\t", headers: ["客户名称", "联系人", "手机", "备注"] });
    expect(rows).toEqual([
      { source: 2, cells: ["北京元石科技有限公司", "张伟", "13800138000", "重点客户"] },
      { source: 3, cells: ["上海喆达贸易有限公司", "李娜", "13912345678", "第一行\n第二行"] },
    ]);
  });

  it("reads Big5", async () => {
    const { source, rows } = await readAll(fixture("big5.csv"));
    expect(source.encoding).toBe("Big5");
    expect(source.headers).toEqual(["客戶名稱", "聯絡人", "手機", "電子郵件", "地址"]);
    expect(rows.map((r) => r.cells[0])).toEqual(["臺灣積體電路製造股份有限公司", "鴻海精密工業股份有限公司", "統一企業股份有限公司"]);
  });

  it("sniffs semicolons in a file with a decimal comma in every row", async () => {
    const { source, rows } = await readAll(fixture("semicolon.csv"));
    expect(source.delimiter).toBe(";");
    expect(source.headers).toEqual(["Name", "Firma", "Ort", "Umsatz", "Notiz"]);
    expect(rows.map((r) => r.cells)).toEqual([
      ["Anna Müller", "Acme GmbH", "Berlin", "1.234,56", "Kunde seit 2019; sehr zufrieden"],
      ["Jörg Schmidt", "Beta AG", "München", "99,90", ""],
      ["Chloé Dubois", "Gamma SARL", "Paris", "10.000,00", 'Rückruf "dringend"'],
    ]);
  });
});

describe("quotes, blank lines and ragged rows", () => {
  it("keeps quoted delimiters, doubled quotes and line breaks, and numbers rows by the line they start on", async () => {
    const { source, rows } = await readAll(fixture("quoted.csv"));
    expect(source.headers).toEqual(["Name", "Notes", "Phone"]);
    expect(rows).toEqual([
      { source: 2, cells: ["Zhang, Wei", 'He said "hello"', "13800138000"] },
      { source: 3, cells: ["Li Na", "Line one\nLine two\nLine three", "13912345678"] },
      { source: 7, cells: ["Wang Fang", "CRLF inside\r\nthe cell", "13698765432"] },
      { source: 9, cells: ["Chen Jing", '12" pipe', "13788889999"] },
    ]);
  });

  it("pads short rows with null, keeps extra cells, skips empty rows, names repeated and blank headers", async () => {
    const { source, rows } = await readAll(fixture("ragged.csv"));
    expect(source.headers).toEqual(["客户名称", "电话", "电话 (2)", "Column 4", "邮箱"]);
    expect(rows).toEqual([
      { source: 2, cells: ["甲公司", "1", "2", "x", "a@example.com"] },
      { source: 3, cells: ["乙公司", "3", null, null, null] },
      { source: 4, cells: ["丙公司", "4", "5", "y", "c@example.com", "多1", "多2"] },
      { source: 6, cells: ["丁公司", "6", "7", "z", "d@example.com"] },
    ]);
  });

  it("makes header names unique without colliding with names the file has", () => {
    expect(uniqueHeaders(["电话", " 电话 ", "电话 (2)", "", " ", "Email"])).toEqual(["电话", "电话 (3)", "电话 (2)", "Column 4", "Column 5", "Email"]);
    expect(uniqueHeaders(["", "Column 1"])).toEqual(["Column 1", "Column 1 (2)"]);
  });

  it("finds the header after a title and blank lines, or takes a given header line", async () => {
    const text = Buffer.from("客户清单 2024年1月\n\n,,\n客户名称,手机\n甲公司,13800138000\n");
    const first = await readAll(text);
    expect(first.source.headers).toEqual(["客户清单 2024年1月"]); // the first non-blank row, as Excel would show it
    const given = await readAll(text, { headerLine: 4 });
    expect(given.source).toMatchObject({ headerLine: 4, headers: ["客户名称", "手机"], delimiter: "," });
    expect(given.rows).toEqual([{ source: 5, cells: ["甲公司", "13800138000"] }]);

    const missing = await rejection(openCsv(text, { headerLine: 9 }));
    expect(missing.messageKey).toBe("import.header_not_found");
    expect(bothLanguages(missing)).toEqual({ zh: "第 9 行及之后没有可作为表头的行", en: "There is no row at or after line 9 to use as the header" });
  });

  it("reads a file without header as Column 1…", async () => {
    const { source, rows } = await readAll(Buffer.from("甲公司,13800138000\n乙公司,13912345678,备注\n"), { header: false });
    expect(source.headers).toEqual(["Column 1", "Column 2", "Column 3"]);
    expect(source.headerLine).toBeNull();
    expect(rows).toEqual([
      { source: 1, cells: ["甲公司", "13800138000", null] },
      { source: 2, cells: ["乙公司", "13912345678", "备注"] },
    ]);
  });

  it("takes a given delimiter over the sniffed one", async () => {
    const { source, rows } = await readAll(fixture("semicolon.csv"), { delimiter: "," });
    expect(source.delimiter).toBe(",");
    expect(source.headers).toEqual(["Name;Firma;Ort;Umsatz;Notiz"]);
    expect(rows[0]!.cells).toEqual(["Anna Müller;Acme GmbH;Berlin;1.234", '56;"Kunde seit 2019; sehr zufrieden"']);
  });
});

describe("delimiter sniffing", () => {
  it.each([
    ["commas", "a,b,c\n1,2,3\n", ","],
    ["tabs with a comma in every address", "名称\t地址\t手机\n甲\t北京市, 海淀区\t1\n乙\t上海市, 浦东\t2\n", "\t"],
    ["pipes", "a|b\n1|2\n", "|"],
    ["semicolons with quoted commas", 'a;b\n"x,y,z";1\n"p,q,r";2\n', ";"],
    ["commas with quoted semicolons", 'a,b\n"x;y;z",1\n"p;q;r",2\n', ","],
    ["a single column", "名称\n甲\n乙\n", ","],
  ])("%s", (_, sample, delimiter) => {
    expect(sniffDelimiter(sample)).toBe(delimiter);
  });

  it("sniffs from whole lines when the sample is cut", () => {
    expect(sniffDelimiter("a;b;c\n1;2;3\n4;5", false)).toBe(";");
  });
});

describe("restartable streaming", () => {
  it("starts again from the first row on every call, also after an early stop", async () => {
    const source = await openCsv(fixture("gb18030-excel.csv"));
    for await (const row of source.rows()) {
      expect(row.source).toBe(2);
      break;
    }
    const first = await allRows(source.rows());
    const second = await allRows(source.rows());
    expect(first).toHaveLength(5);
    expect(second).toEqual(first);
  });

  it("streams a large file from disk with correct line numbers", async () => {
    const file = path.join(tmp, "large.csv");
    const out = createWriteStream(file);
    out.write("客户名称,联系人,手机,备注\r\n");
    for (let i = 0; i < 50_000; i++) out.write(`客户${i},联系人${i},138${String(i).padStart(8, "0")},"多行\n备注"\r\n`);
    out.end();
    await once(out, "finish");
    let count = 0;
    let last: SourceRow | undefined;
    for await (const row of (await openCsv(file)).rows()) {
      count++;
      last = row;
    }
    expect(count).toBe(50_000);
    expect(last).toEqual({ source: 2 + 49_999 * 2, cells: ["客户49999", "联系人49999", "13800049999", "多行\n备注"] });
  });
});

describe("limits and broken files", () => {
  it("refuses 10,000 columns", async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `列${i + 1}`).join(",");
    const err = await rejection(openCsv(Buffer.from(`${header}\n1,2,3\n`)));
    expect(err.code).toBe("VALIDATION");
    expect(err.messageKey).toBe("import.too_many_columns");
    expect(err.params).toEqual({ line: 1, max: 500 });
    expect(bothLanguages(err)).toEqual({ zh: "文件第 1 行超过 500 列，超出了导入上限", en: "Line 1 has more than 500 columns" });
  });

  it("refuses a data row with too many columns, naming its line", async () => {
    const wide = Array.from({ length: 12 }, () => "x").join(",");
    const source = await openCsv(Buffer.from(`a,b\n1,2\n\n"multi\nline",3\n${wide}\n`), { limits: { maxColumns: 10 } });
    const err = await rejection(allRows(source.rows()));
    expect([err.messageKey, err.params.line]).toEqual(["import.too_many_columns", 6]);
  });

  /** A file with a 50 MB cell, written in 1 MB pieces. */
  async function hugeCellFile(name: string, before: string, after: string): Promise<string> {
    const file = path.join(tmp, name);
    const out = createWriteStream(file);
    out.write(before + '"');
    const mb = "x".repeat(1024 * 1024);
    for (let i = 0; i < 50; i++) if (!out.write(mb)) await once(out, "drain");
    out.end('"' + after);
    await once(out, "finish");
    return file;
  }

  it("refuses a 50 MB cell after reading about 1 MB of it", async () => {
    const file = await hugeCellFile("huge-first-cell.csv", "备注,客户名称\n", ",甲公司\n");
    const source = await openCsv(file); // the header is fine
    const before = process.memoryUsage();
    const err = await rejection(allRows(source.rows()));
    const after = process.memoryUsage();
    expect(err.messageKey).toBe("import.cell_too_large");
    expect(err.params).toEqual({ line: 2, column: 1, max: 32_767 });
    expect(bothLanguages(err)).toEqual({
      zh: "文件第 2 行第 1 列的内容超过 32767 个字符，请检查是否有引号未闭合",
      en: "Line 2, column 1: the cell is longer than 32767 characters (is a quote left open?)",
    });
    // Not the 50 MB (plus its copies as Buffer and string) that reading the whole cell would keep.
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(30 * 1024 * 1024);

    // Further into the row, csv-parse only knows that the row is too long.
    const second = await hugeCellFile("huge-second-cell.csv", "客户名称,备注\n甲公司,", "\n");
    const rowErr = await rejection(openCsv(second).then((s) => allRows(s.rows())));
    expect([rowErr.messageKey, rowErr.params]).toEqual(["import.row_too_large", { line: 2, max: 1024 * 1024 }]);
  });

  it("refuses a cell over the limit exactly, and a row over the row limit", async () => {
    const long = "长".repeat(32_768);
    const cell = await rejection(openCsv(Buffer.from(`a,b,c\n1,2,${long}\n`)).then((s) => allRows(s.rows())));
    expect([cell.messageKey, cell.params]).toEqual(["import.cell_too_large", { line: 2, column: 3, max: 32_767 }]);
    expect((await readAll(Buffer.from(`a,b,c\n1,2,${long.slice(1)}\n`))).rows[0]!.cells[2]).toHaveLength(32_767);

    const row = Array.from({ length: 40 }, () => "y".repeat(30_000)).join(",");
    const err = await rejection(openCsv(Buffer.from(`a\n\n${row}\n`)).then((s) => allRows(s.rows())));
    expect([err.messageKey, err.params]).toEqual(["import.row_too_large", { line: 3, max: 1024 * 1024 }]);
    expect(bothLanguages(err)).toEqual({
      zh: "文件第 3 行的内容超过 1048576 个字符，请检查是否有引号未闭合",
      en: "Line 3: the row is longer than 1048576 characters (is a quote left open?)",
    });
  });

  it("refuses a line of millions of delimiters before building its cells", async () => {
    const file = path.join(tmp, "commas.csv");
    writeFileSync(file, "a,b\n1,2\n" + ",".repeat(20 * 1024 * 1024) + "\n");
    const source = await openCsv(file);
    const before = process.memoryUsage().heapUsed;
    const err = await rejection(allRows(source.rows()));
    expect([err.messageKey, err.params]).toEqual(["import.too_many_columns", { line: 3, max: 500 }]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024); // 20 M cells would take 160 MB and more
  });

  it("names the line where an unclosed quote starts", async () => {
    const source = await openCsv(Buffer.from('客户名称,备注\n甲公司,正常\n乙公司,"没有结束\n丙公司,x\n丁公司,y\n'));
    const err = await rejection(allRows(source.rows()));
    expect(err.messageKey).toBe("import.csv_unclosed_quote");
    expect(err.params).toEqual({ line: 3 });
    expect(bothLanguages(err)).toEqual({ zh: "文件第 3 行：引号未闭合", en: "Line 3: a quote is opened but never closed" });
  });

  it("refuses an empty file and one of blank rows only", async () => {
    for (const input of [fixture("empty.csv"), Buffer.from(",,,\r\n\r\n , \r\n")]) {
      const err = await rejection(openCsv(input));
      expect(err.messageKey).toBe("import.file_empty");
    }
  });

  it("refuses binary files and invalid UTF-8 with the reasons from decode", async () => {
    expect((await rejection(openCsv(fixture("excel-renamed.csv")))).messageKey).toBe("import.binary_xlsx");
    expect((await rejection(openCsv(fixture("image-renamed.csv")))).messageKey).toBe("import.binary_file");
    const broken = await rejection(openCsv(fixture("invalid-utf8.csv")));
    expect([broken.messageKey, broken.params.line]).toEqual(["import.invalid_utf8", 4]);
  });

  it("reports invalid UTF-8 far into the file while rows stream, after the first rows came", async () => {
    const good = Buffer.from("客户名称,手机\n" + "北京元石科技有限公司,13800138000\n".repeat(40_000)); // 1.7 MB: the break is in a later chunk
    const file = path.join(tmp, "late.csv");
    writeFileSync(file, Buffer.concat([good, Buffer.from([0xff]), Buffer.from(",1\n")]));
    const source = await openCsv(file);
    let rows = 0;
    const err = await rejection(
      (async () => {
        for await (const _ of source.rows()) rows++;
      })(),
    );
    expect([err.messageKey, err.params.line, err.details.byteOffset]).toEqual(["import.invalid_utf8", 40_002, good.length]);
    expect(rows).toBeGreaterThan(1000);
  });
});
