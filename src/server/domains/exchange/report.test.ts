import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { attachment } from "./report.js";

interface Imp {
  id: string;
  status: string;
  version: number;
}

const CSV = [
  "姓名,公司,手机,邮箱,生日",
  "赵敏,,13700001111,zhao@example.cn,1990/5/6",
  "钱多,,12345,qian@,1990-02-30",
  ",,13700002222,,",
  "孙悟,不存在的公司,13700003333,,",
  "周芷若,,13700004444,zhou@example.cn,",
].join("\r\n");

async function readReport(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe("import error report", () => {
  let t: TestEnv;
  let owner: Session;
  let imp: Imp;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    imp = (
      await api(t.app, owner).post(`/api/v1/imports?objectType=contact&fileName=${encodeURIComponent("联系人名单.csv")}`, Buffer.from(CSV, "utf8"), { "content-type": "application/octet-stream" })
    ).json<Imp>();
  });
  afterAll(async () => t?.close());

  const settle = async (until: string) => {
    for (let i = 0; i < 150; i++) {
      const cur = (await api(t.app, owner).get(`/api/v1/imports/${imp.id}`)).json<Imp>();
      if (cur.status === until) return cur;
      if (cur.status === "failed") throw new Error("import failed");
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`import did not reach ${until}`);
  };
  const report = (lang: string, dryRun: boolean) => api(t.app, owner, lang).get(`/api/v1/imports/${imp.id}/report.xlsx?dryRun=${dryRun}`);

  it("has only the header before any run", async () => {
    const res = await report("zh-CN", true);
    expect(res.statusCode).toBe(200);
    expect(await readReport(res.rawPayload)).toEqual([["姓名", "公司", "手机", "邮箱", "生日", "错误", "行号"]]);
  });

  it("lists the dry run's problem rows with their original cells and the messages in the request's language", async () => {
    expect((await api(t.app, owner).post(`/api/v1/imports/${imp.id}/check`)).statusCode).toBe(202);
    await settle("checked");

    const zh = await report("zh-CN", true);
    expect(zh.statusCode, zh.body).toBe(200);
    expect(zh.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(zh.headers["content-disposition"]).toBe(attachment("联系人名单-错误报告.xlsx"));
    expect(zh.headers["content-disposition"]).toContain(`filename*=UTF-8''${encodeURIComponent("联系人名单-错误报告.xlsx")}`);
    expect(await readReport(zh.rawPayload)).toEqual([
      ["姓名", "公司", "手机", "邮箱", "生日", "错误", "行号"],
      [
        "钱多",
        null,
        "12345",
        "qian@",
        "1990-02-30",
        "列“手机”：“12345”不是有效的电话号码\n列“邮箱”：“qian@”不是有效的邮箱地址\n列“生日”：“1990-02-30”不是有效日期（例如 2024-01-05、2024/1/5、2024年1月5日）",
        3,
      ],
      [null, null, "13700002222", null, null, "缺少必填项：name", 4],
      ["孙悟", "不存在的公司", "13700003333", null, null, "列“customer”：找不到客户“不存在的公司”", 5],
    ].map((r) => r.map((c) => c ?? undefined)));

    const en = await readReport((await report("en-US", true)).rawPayload);
    expect(en[0]).toEqual(["姓名", "公司", "手机", "邮箱", "生日", "Errors", "Row"]);
    expect(en[1]![5]).toBe(
      "Column “手机”: “12345” is not a valid phone number\nColumn “邮箱”: “qian@” is not a valid e-mail address\nColumn “生日”: “1990-02-30” is not a date (e.g. 2024-01-05, 2024/1/5, 2024年1月5日)",
    );
    expect(en.slice(1).map((r) => r[6])).toEqual([3, 4, 5]);
    // The run has not happened: its report is empty.
    expect(await readReport((await report("en-US", false)).rawPayload)).toHaveLength(1);
  });

  it("reports the run's failed rows, and only to those who may see the import", async () => {
    await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`);
    await settle("completed");
    const rows = await readReport((await report("en-US", false)).rawPayload);
    expect(rows.slice(1).map((r) => [r[0], r[6]])).toEqual([
      ["钱多", 3],
      [undefined, 4],
      ["孙悟", 5],
    ]);
    const other = await createWorkspace(t);
    const denied = await api(t.app, other, "zh-CN").get(`/api/v1/imports/${imp.id}/report.xlsx`);
    expect(denied.statusCode).toBe(404);
    expect(denied.json<{ error: { message: string } }>().error.message).toBe("未找到导入");
  });

  it("walks the file and the problem rows page by page: every bad row of a long file, with its own cells", async () => {
    const lines = ["客户名称,手机"];
    for (let i = 1; i <= 1100; i++) lines.push(i % 100 === 0 ? `好公司${i},1380000${String(i).padStart(4, "0")}` : `坏公司${i},${i}`);
    const big = (
      await api(t.app, owner).post(`/api/v1/imports?objectType=customer&fileName=big.csv`, Buffer.from(lines.join("\r\n"), "utf8"), { "content-type": "application/octet-stream" })
    ).json<Imp>();
    await api(t.app, owner).post(`/api/v1/imports/${big.id}/check`);
    for (let i = 0; i < 300; i++) {
      if ((await api(t.app, owner).get(`/api/v1/imports/${big.id}`)).json<Imp>().status === "checked") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows = await readReport((await api(t.app, owner, "en-US").get(`/api/v1/imports/${big.id}/report.xlsx?dryRun=true`)).rawPayload);
    expect(rows).toHaveLength(1 + 1089);
    // Data row i is file row i + 1 (after the header); its own cells come back.
    expect(rows.slice(1).every((r) => r[0] === `坏公司${Number(r[3]) - 1}` && r[1] === String(Number(r[3]) - 1))).toBe(true);
    expect(rows.at(-1)).toEqual(["坏公司1099", "1099", "Column “手机”: “1099” is not a valid phone number", 1100]);
  });

  it("names any file safely", () => {
    expect(attachment('a"b\\c 名单.xlsx')).toBe(`attachment; filename*=UTF-8''a%22b%5Cc%20%E5%90%8D%E5%8D%95.xlsx; filename="a_b_c __.xlsx"`);
  });
});
