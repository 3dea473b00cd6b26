import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvRecord, csvText, escapeVcard, foldLine, neutralise, splitName } from "./export-writers.js";

describe("export writers", () => {
  it("neutralises every text cell a spreadsheet would run as a formula, phones included, but not plain numbers", () => {
    for (const v of ["=1+1", "+8613800138000", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]) expect(neutralise(v)).toBe(`'${v}`);
    for (const v of ["张三", "a=b", "", "13800138000"]) expect(neutralise(v)).toBe(v);
    expect(csvText("phone", "+8613800138000; +861062345678")).toBe("'+8613800138000; +861062345678");
    expect(csvText("number", -12.5)).toBe("-12.5");
    expect(csvText("number", "-12.5")).toBe("-12.5");
    expect(csvText("number", "-1+2")).toBe("'-1+2");
    expect(csvText("datetime", new Date("2026-11-23T01:02:03.000Z"))).toBe("2026-11-23T01:02:03.000Z");
    expect(csvText("text", null)).toBe("");
  });

  it("writes CSV records that read back cell for cell, quoting every line break, otherwise as csv-stringify does", () => {
    const rows = [
      ["张三", "a,b", 'say "hi"', "line\nbreak", "cr\rlf\r\n", "", " spaced ", "'+86138", "逗号，全角"],
      ["", "", ""],
      ['"', ",", "\n"],
    ];
    for (const row of rows) expect(parse(csvRecord(row), { relax_column_count: true })).toEqual([row]);
    expect(csvRecord(["line\nbreak"])).toBe('"line\nbreak"\r\n');
    const plain = ["张三", "a,b", 'say "hi"', "", " spaced ", "逗号，全角"];
    expect(csvRecord(plain)).toBe(stringify([plain], { record_delimiter: "windows" }));
  });

  it("escapes vCard text and folds at 75 octets without cutting a UTF-8 character", () => {
    expect(escapeVcard("a,b;c\\d\r\ne")).toBe("a\\,b\\;c\\\\d\\ne");
    const line = `NOTE:${"很长的备注".repeat(20)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n").filter(Boolean);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
    expect(foldLine("FN:张三")).toBe("FN:张三\r\n");
  });

  it("splits names into family and given names", () => {
    expect(splitName("张三")).toEqual(["张", "三"]);
    expect(splitName("欧阳娜娜")).toEqual(["欧阳", "娜娜"]);
    expect(splitName("司马光")).toEqual(["司马", "光"]);
    expect(splitName("Anna Maria Li")).toEqual(["Li", "Anna Maria"]);
    expect(splitName("Madonna")).toEqual(["", "Madonna"]);
  });
});
