import fs from "node:fs/promises";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { androidVcards, iphoneVcards, outlookGoogleVcards } from "../../../../../test/fixtures/import/xlsx-fixtures.js";
import { allRows, FIXTURES as fixtures, message, rejection, tempDir } from "./test-support.js";
import type { Cell, TableSource } from "./types.js";
import { readVcard, VCARD_HEADERS } from "./vcard.js";

const tmp = tempDir("guanxi-vcard-");

const all = (source: TableSource) => allRows(source.rows());

/** Rows as objects keyed by header, with the card number. */
async function cards(file: string): Promise<Record<string, Cell>[]> {
  const source = await readVcard(path.isAbsolute(file) ? file : path.join(fixtures, file));
  return (await all(source)).map((row) => ({ card: row.source, ...Object.fromEntries(source.headers.map((h, i) => [h, row.cells[i] ?? null])) }));
}

const failure = (promise: Promise<unknown>) => rejection(promise, "VALIDATION");


async function file(name: string, data: Buffer | string): Promise<string> {
  const p = path.join(tmp, name);
  await fs.writeFile(p, data);
  return p;
}

const card = (...lines: string[]) => ["BEGIN:VCARD", "VERSION:3.0", ...lines, "END:VCARD"].join("\r\n") + "\r\n";

describe("iPhone (vCard 3.0: item groups, type=pref, inline photo)", () => {
  it("reads names, company, phones and e-mails (preferred first), address, birthday without year, note, URL and WeChat", async () => {
    const source = await readVcard(path.join(fixtures, "vcard-iphone.vcf"));
    expect(source.format).toBe("vcard");
    expect(source.encoding).toBe("UTF-8");
    expect(source.headers).toEqual([...VCARD_HEADERS]);
    const [zhang] = await cards("vcard-iphone.vcf");
    expect(zhang).toEqual({
      card: 1,
      name: "张三",
      familyName: "张",
      givenName: "三",
      organization: "北京星河科技有限公司",
      department: "销售部",
      title: "销售经理",
      phones: ["138 0013 8000", "010-6234 5678"],
      emails: ["zhangsan@xinghe.cn", "zs@example.com"],
      address: "广东省深圳市南山区科技园路1号",
      birthday: "--04-12",
      note: "第一次见面：2024 展会\n需要报价, 尽快",
      url: "https://www.xinghe.cn",
      wechat: "zhangsan_wx",
    });
  });

  it("composes Latin names and addresses, and keeps a company card", async () => {
    const [, john, company] = await cards("vcard-iphone.vcf");
    expect(john).toMatchObject({
      card: 2,
      name: "John Smith",
      familyName: "Smith",
      givenName: "John",
      phones: ["+1 (650) 253-0000"],
      emails: ["john@acme.com"],
      address: "1 Infinite Loop Apt 4, Cupertino, CA 95014, USA",
      birthday: "1980-02-29",
      wechat: null,
      department: null,
    });
    expect(company).toMatchObject({ card: 3, name: "上海云杉贸易有限公司", familyName: null, organization: "上海云杉贸易有限公司", phones: ["021-5555 6666"] });
  });

  it("skips the photo without keeping it in any cell", async () => {
    const vcf = await fs.readFile(path.join(fixtures, "vcard-iphone.vcf"), "utf8");
    const photo = vcf.slice(vcf.indexOf("PHOTO;ENCODING=b;TYPE=JPEG:") + 27).slice(0, 40);
    expect(vcf.length).toBeGreaterThan(60_000); // the photo is really there
    const text = JSON.stringify(await all(await readVcard(path.join(fixtures, "vcard-iphone.vcf"))));
    expect(text).not.toContain(photo);
    expect(text.length).toBeLessThan(2000);
  });
});

describe("Android (vCard 2.1: QUOTED-PRINTABLE, CHARSET=UTF-8, soft line breaks)", () => {
  it("decodes Chinese names, organisations and a long note broken over lines", async () => {
    const [li, ouyang, nameless] = await cards("vcard-android.vcf");
    expect(li).toEqual({
      card: 1,
      name: "李四",
      familyName: "李",
      givenName: "四",
      organization: "深圳前海数据服务有限公司",
      department: null,
      title: null,
      phones: ["13912345678", "0755-86001234"], // the repeated number once
      emails: ["lisi@example.com"],
      address: null,
      birthday: null,
      note: "备注：这位客户在 2024 年的展会上认识，对我们的数据服务很感兴趣，下个月需要上门拜访并带上报价单。",
      url: null,
      wechat: null,
    });
    expect(ouyang).toMatchObject({ card: 2, name: "欧阳娜娜", familyName: "欧阳", givenName: "娜娜", phones: ["+86 186 0000 1111"], wechat: "ouyang_nana", birthday: "1990-01-15" });
    // No FN and no N: kept, so the import's row check reports card 3 by number.
    expect(nameless).toMatchObject({ card: 3, name: null, phones: ["10086"] });
  });

  it("the fixture really has soft line breaks without leading space", () => {
    expect(androidVcards()).toMatch(/=\r\n=[0-9A-F]{2}/);
  });
});

describe("Outlook / Google (vCard 4.0: PREF, TYPE lists, tel: URIs, LF line ends)", () => {
  it("orders by PREF, strips URI schemes, reads --MMDD birthdays and escaped text", async () => {
    const [wang, maria] = await cards("vcard-outlook-google.vcf");
    expect(wang).toMatchObject({
      name: "王五",
      organization: "上海云杉贸易有限公司",
      department: "采购部",
      title: "采购总监",
      phones: ["+86-137-0000-2222", "+86-21-5555-6666"],
      emails: ["wangwu@gmail.com", "wangwu@yunshan.com"],
      address: "上海市浦东新区世纪大道100号",
      birthday: "--03-15",
      url: "https://yunshan.com",
      wechat: "wangwu_2024",
      note: "Line one\nLine two; with semicolon, and comma",
    });
    expect(maria).toMatchObject({
      name: "Maria Garcia",
      emails: ["maria@example.com"], // the same address twice, in other case
      phones: ["+34 600 000 000"],
      birthday: "1985-04-12",
      wechat: null,
      note: "A long note written by Outlook that is folded over more than one line because it is longer than seventy-five characters.",
    });
  });

  it("the fixture uses LF only", () => {
    expect(outlookGoogleVcards()).not.toContain("\r");
  });
});

describe("text encodings", () => {
  it("reads a GB18030 file (not valid UTF-8)", async () => {
    const source = await readVcard(path.join(fixtures, "vcard-gb18030.vcf"));
    expect(source.encoding).toBe("GB18030");
    expect((await cards(path.join(fixtures, "vcard-gb18030.vcf")))[0]).toMatchObject({ name: "赵六", organization: "广州白云物流有限公司", phones: ["13500001111"] });
  });

  it("strips a UTF-8 BOM, and reads UTF-16 with a BOM", async () => {
    const text = card("FN:钱七", "TEL:13600000000");
    const bom = await file("bom.vcf", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    expect((await cards(bom))[0]).toMatchObject({ name: "钱七" });
    const utf16 = await file("utf16.vcf", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    expect((await readVcard(utf16)).encoding).toBe("UTF-16LE");
    expect((await cards(utf16))[0]).toMatchObject({ name: "钱七", phones: ["13600000000"] });
  });

  it("decodes quoted-printable GBK as its CHARSET says", async () => {
    const qp = [...iconv.encode("孙八", "gbk")].map((b) => `=${b.toString(16).toUpperCase()}`).join("");
    const p = await file("qp-gbk.vcf", ["BEGIN:VCARD", "VERSION:2.1", `FN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:${qp}`, "END:VCARD", ""].join("\r\n"));
    expect((await cards(p))[0]).toMatchObject({ name: "孙八" });
  });

  it("a card joined to another file keeps reading after the second BOM", async () => {
    const p = await file("joined.vcf", `${card("FN:甲")}\uFEFF${card("FN:乙")}`);
    expect((await cards(p)).map((c) => c.name)).toEqual(["甲", "乙"]);
  });
});

describe("names", () => {
  it("composes a Chinese name without space and a Latin one with spaces when FN is missing", async () => {
    const p = await file("n-only.vcf", card("N:张;三;;;") + card("N:Smith;John;;Dr.;") + card("N:王;小明;;;", "FN:小明 王"));
    expect((await cards(p)).map((c) => c.name)).toEqual(["张三", "Dr. John Smith", "王小明"]);
  });
});

describe("malformed files", () => {
  it("a file cut off inside a card: refused with the card and the line it starts on", async () => {
    const err = await failure(readVcard(path.join(fixtures, "vcard-truncated.vcf")));
    expect(err.messageKey).toBe("import.vcard_unterminated");
    const lines = (await fs.readFile(path.join(fixtures, "vcard-truncated.vcf"), "utf8")).split("\r\n");
    const secondBegin = lines.indexOf("BEGIN:VCARD", 1) + 1;
    expect(err.params).toEqual({ card: 2, line: secondBegin });
    expect(message(err, "zh-CN")).toBe(`第 2 张名片（第 ${secondBegin} 行起）缺少 END:VCARD，文件可能不完整：请重新导出联系人后再导入`);
    expect(message(err, "en-US")).toBe(`Card 2 (from line ${secondBegin}) has no END:VCARD: the file may be incomplete; export the contacts again`);
  });

  it("a BEGIN inside a card", async () => {
    const p = await file("nested.vcf", ["BEGIN:VCARD", "FN:甲", "BEGIN:VCARD", "FN:乙", "END:VCARD", ""].join("\n"));
    const err = await failure(readVcard(p));
    expect(err.messageKey).toBe("import.vcard_unterminated");
    expect(err.params).toEqual({ card: 1, line: 1 });
  });

  it("an END without BEGIN", async () => {
    const p = await file("stray.vcf", `${card("FN:甲")}END:VCARD\r\n`);
    const err = await failure(readVcard(p));
    expect(err.messageKey).toBe("import.vcard_stray_end");
    expect(message(err, "zh-CN")).toBe("第 5 行的 END:VCARD 之前没有 BEGIN:VCARD，文件已损坏");
  });

  it("text and binary files that are no vCards", async () => {
    for (const [name, data] of [
      ["notes.vcf", "客户名称,手机\n北京星河科技有限公司,13800138000\n"],
      ["image.vcf", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
      ["blank.vcf", "\r\n\r\n"],
    ] as const) {
      const err = await failure(readVcard(await file(name, data)));
      expect(err.messageKey).toBe("import.vcard_not_vcard");
      expect(message(err, "zh-CN")).toBe("这不是 vCard 名片文件（.vcf）：文件开头没有 BEGIN:VCARD");
    }
  });

  it("skips lines that are no properties inside a card, and cards with nothing to read", async () => {
    const p = await file("noise.vcf", card("FN:周九", "this line is noise", "TEL:13900000000") + card("X-CUSTOM:1"));
    expect(await cards(p)).toEqual([expect.objectContaining({ card: 1, name: "周九", phones: ["13900000000"] })]);
  });

  it("skips a vCard 2.1 photo whose base64 lines are not indented", async () => {
    const base64 = Buffer.alloc(3000, 7).toString("base64");
    const lines = base64.match(/.{1,76}/g)!;
    const p = await file("nokia.vcf", ["BEGIN:VCARD", "VERSION:2.1", "N:郑;十一", `PHOTO;ENCODING=BASE64;TYPE=JPEG:${lines[0]}`, ...lines.slice(1), "", "TEL;CELL:13700000000", "END:VCARD", ""].join("\r\n"));
    const rows = await all(await readVcard(p));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells.slice(0, 3)).toEqual(["郑十一", "郑", "十一"]);
    expect(rows[0]!.cells[6]).toEqual(["13700000000"]);
    expect(JSON.stringify(rows)).not.toContain(lines[1]!);
  });

  it("a value longer than maxCellChars", async () => {
    const p = await file("long.vcf", card("FN:吴十", `NOTE:${"很长的备注".repeat(10)}`));
    const err = await failure(readVcard(p, { limits: { maxCellChars: 20 } }));
    expect(err.messageKey).toBe("import.vcard_value_too_long");
    expect(err.params).toMatchObject({ card: 1, limit: 20 });
    expect(message(err, "en-US")).toBe(`Card 1 (line ${err.params.line}) holds a value longer than 20 characters`);
  });

  it("a file over maxBytes", async () => {
    const err = await failure(readVcard(path.join(fixtures, "vcard-iphone.vcf"), { limits: { maxBytes: 8192 } }));
    expect(err.messageKey).toBe("import.vcard_too_large");
    expect(message(err, "zh-CN")).toBe("文件超过 8 KB 的上限，请拆分成多个文件后再导入");
  });
});

it("restarts rows() from the first card", async () => {
  const source = await readVcard(path.join(fixtures, "vcard-android.vcf"));
  for await (const row of source.rows()) {
    expect(row.source).toBe(1);
    break;
  }
  expect((await all(source)).map((r) => r.source)).toEqual([1, 2, 3]);
  expect((await all(source)).map((r) => r.source)).toEqual([1, 2, 3]);
});

it("the committed vCard fixtures are what the script writes", async () => {
  expect(await fs.readFile(path.join(fixtures, "vcard-iphone.vcf"), "utf8")).toBe(iphoneVcards());
  expect(await fs.readFile(path.join(fixtures, "vcard-android.vcf"), "utf8")).toBe(androidVcards());
  expect(await fs.readFile(path.join(fixtures, "vcard-outlook-google.vcf"), "utf8")).toBe(outlookGoogleVcards());
});
