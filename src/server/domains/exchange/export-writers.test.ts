import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { CustomerView } from "../customers/customers.js";
import { exportColumns, type ExportContact, type ExportLookups } from "./export-columns.js";
import { parseTimestamptz } from "./export-pages.js";
import { CONTACT_CARD_READS, contactCard, csvRecord, csvText, escapeVcard, foldLine, neutralise, openWriter, splitName } from "./export-writers.js";

/** A record whose fields outside `reads` throw when read (of its customers, only the names may be read). */
function strict<T extends object>(full: T, reads: readonly string[], label: string): T {
  const kept: Record<string, unknown> = {};
  for (const key of reads) kept[key] = (full as Record<string, unknown>)[key];
  if (Array.isArray(kept.customers)) kept.customers = (kept.customers as object[]).map((link) => strict(link, ["name"], `${label} customers[]`));
  return new Proxy(kept, {
    get(target, key) {
      if (typeof key === "string" && !reads.includes(key)) throw new Error(`${label} reads ${key}, not in its reads`);
      return target[key as string];
    },
  }) as T;
}

const lookups: ExportLookups = {
  owners: new Map([["u1", "销售小王"]]),
  fields: (
    [
      ["level", "select", [{ value: "a", label: "甲级" }]],
      ["areas", "multiselect", [{ value: "n", label: "北区" }, { value: "s", label: "南区" }]],
      ["score", "number", []],
      ["since", "date", []],
      ["vip", "boolean", []],
      ["rep", "user", []],
      ["site", "url", []],
    ] as const
  ).map(([key, type, options], i) => ({ key, type, options: [...options], label: key, archived: false, position: i }) as unknown as ExportLookups["fields"][number]),
};

const contact: ExportContact = {
  id: "8f0c7a8e-6c39-4f5e-9a3b-2f1f4a1c9d01",
  name: "=张三",
  gender: "male",
  title: "采购经理",
  department: "采购部",
  birthday: "1990-05-04",
  wechat: "zhangsan",
  phones: [{ label: "mobile", number: "+8613800138000" }, { label: "work", number: "+861062345678" }],
  emails: [{ label: "work", address: "zhang@example.cn" }],
  notes: "第一行\n第二行, \"引号\"",
  ownerId: "u1",
  tags: ["重要", "a,b"],
  custom: { level: "a", areas: ["n", "s"], score: "12.5", since: "2024-01-05", vip: true, rep: "u1", site: "https://example.cn" },
  isSelf: false,
  mergedInto: null,
  deletedAt: null,
  createdAt: new Date("2026-11-01T01:02:03.004Z"),
  updatedAt: new Date("2026-11-22T10:20:30.400Z"),
  version: 3,
  customers: [{ name: "导出甲公司" }, { name: "导出乙公司" }],
  contactDetailsMasked: false,
};

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

  it("reads dates as PostgreSQL writes timestamptz exactly as Date's parser does, by hand for the ISO style", () => {
    const samples = ["2026-11-23 04:27:14.725+00", "2026-11-23 04:27:14.7+00", "2026-11-23 04:27:14+00", "2026-11-23 04:27:14.725431+00", "2026-02-28 23:59:59.999+08", "1999-12-31 20:00:00.5-05", "2026-06-01 00:00:00+05:30", "2026-06-01 00:00:00-09:30", "1000-01-01 00:00:00+00"];
    // Random instants in every zone offset PostgreSQL writes (whole hours and hh:mm).
    for (let i = 0; i < 500; i++) {
      const ms = Math.floor(Math.random() * 4e12) - 1e12;
      const offset = [0, 480, -300, 330, -570, 345, 60][i % 7]!;
      const local = new Date(ms + offset * 60_000).toISOString();
      const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}${Math.abs(offset) % 60 ? `:${String(Math.abs(offset) % 60).padStart(2, "0")}` : ""}`;
      const fraction = ms % 1000 === 0 ? "" : `.${local.slice(20, 23)}`.replace(/0+$/, "");
      samples.push(`${local.slice(0, 10)} ${local.slice(11, 19)}${fraction}${zone}`);
    }
    for (const text of samples) {
      expect(parseTimestamptz(text).getTime(), text).toBe(new Date(text).getTime());
      expect(Number.isNaN(parseTimestamptz(text).getTime()), text).toBe(false);
    }
    expect(parseTimestamptz("2026-11-23 04:27:14.725+00").toISOString()).toBe("2026-11-23T04:27:14.725Z");
    expect(parseTimestamptz("2026-11-23 12:27:14.725+08").toISOString()).toBe("2026-11-23T04:27:14.725Z");
    // Other forms go to Date's parser, so they read as the ORM reads them.
    for (const text of ["infinity", "2026-11-23 04:27:14+08:05:43", "0099-01-01 00:00:00+00", "2026-11-23 04:27:14.725+00 BC", "12026-11-23 04:27:14+00", "2026-11-23T04:27:14.725Z", "2026-11-23 04:27:14.+00"]) {
      expect(String(parseTimestamptz(text)), text).toBe(String(new Date(text)));
    }
  });

  it("declares every field each column and the contact card read (an export reads nothing else from the database)", () => {
    const contactColumns = exportColumns("contact", "zh-CN", lookups);
    expect(contactColumns.map((c) => c.key)).toContain("custom.areas");
    for (const c of contactColumns) expect(c.value(strict(contact, c.reads, c.key)), c.key).toEqual(c.value(contact));
    // What the columns make of the sample, so a column reading nothing would fail here.
    const cells = Object.fromEntries(contactColumns.map((c) => [c.key, c.value(contact)]));
    expect(cells).toMatchObject({ customers: "导出甲公司; 导出乙公司", phone: "+8613800138000; +861062345678", owner: "销售小王", "custom.areas": "北区; 南区", "custom.score": 12.5, "custom.vip": "是", "custom.rep": "销售小王" });
    expect(contactCard(strict(contact, CONTACT_CARD_READS, "contactCard"))).toBe(contactCard(contact));

    const customer = {
      ...contact,
      code: "C001",
      shortName: "甲",
      kind: "organization",
      status: "active",
      lifecycleStage: "new",
      grade: "A",
      industry: "制造",
      provinceCode: "440000",
      cityCode: "440300",
      districtCode: "440305",
      address: "科技园路1号",
      creditCode: "91440300MA5FXXXX1X",
      website: "https://example.cn",
      currency: "CNY",
      creditLimit: "1000.00",
      salesLimit: null,
      paymentTerms: "月结30天",
      bankName: "招商银行",
      bankAccount: "****1234",
      cooperationSince: "2020-01-01",
      remarks: "备注",
    } as unknown as CustomerView;
    for (const c of exportColumns("customer", "en-US", lookups)) expect(c.value(strict(customer, c.reads, c.key)), c.key).toEqual(c.value(customer));
  });

  it("writes a page of records as csvRecord writes their cells, after the BOM and the header", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gx-export-writer-"));
    try {
      const file = path.join(dir, "out.csv");
      const columns = exportColumns("contact", "zh-CN", lookups);
      const writer = await openWriter("csv", file, { objectType: "contact", columns, lookups });
      const other: ExportContact = { ...contact, name: "李四", phones: [], emails: [], customers: [], ownerId: null, birthday: null, custom: {}, tags: [] };
      writer.add(contact);
      writer.add(other);
      await writer.flush();
      const afterFirst = writer.bytes;
      writer.add(contact);
      await writer.flush();
      await writer.finish();
      const text = fs.readFileSync(file, "utf8");
      const record = (r: ExportContact) => csvRecord(columns.map((c) => csvText(c.kind, c.value(r))));
      expect(text).toBe("\ufeff" + csvRecord(columns.map((c) => neutralise(c.header))) + record(contact) + record(other) + record(contact));
      expect(writer.bytes).toBe(fs.statSync(file).size);
      expect(afterFirst).toBe(Buffer.byteLength(text, "utf8") - Buffer.byteLength(record(contact), "utf8"));
      const [header, first] = parse(text.slice(1)) as string[][];
      expect(first![header!.indexOf("姓名")]).toBe("'=张三");
      expect(first![header!.indexOf("备注")]).toBe(contact.notes);
      expect(first![header!.indexOf("更新时间")]).toBe("2026-11-22T10:20:30.400Z");
      expect(first![header!.indexOf("生日")]).toBe("1990-05-04");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
