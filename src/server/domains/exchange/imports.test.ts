import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../../../test/fixtures/import");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

interface Imp {
  id: string;
  status: string;
  format: string;
  encoding: string | null;
  headers: string[];
  mapping: (string | null)[];
  counts: { total: number; created: number; updated: number; skipped: number; failed: number } | null;
  checkCounts: { total: number; created: number; skipped: number; failed: number } | null;
  preview?: { source: number; cells: unknown[] }[];
  version: number;
}

describe("imports", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  const upload = (session: Session, objectType: string, fileName: string, body: Buffer, lang = "en-US") =>
    api(t.app, session, lang).post(`/api/v1/imports?objectType=${objectType}&fileName=${encodeURIComponent(fileName)}`, body, { "content-type": "application/octet-stream" });
  const settle = async (session: Session, id: string, until: string[]): Promise<Imp> => {
    for (let i = 0; i < 150; i++) {
      const imp = (await api(t.app, session).get(`/api/v1/imports/${id}`)).json<Imp>();
      if (until.includes(imp.status)) return imp;
      await new Promise((r) => setTimeout(r, 100));
    }
    const last = (await api(t.app, session).get(`/api/v1/imports/${id}`)).json<{ jobId: string; status: string }>();
    throw new Error(`import ${id} did not reach ${until.join("/")}: ${last.status} ${(await api(t.app, session).get(`/api/v1/jobs/${last.jobId}`)).body}`);
  };
  const customerCount = async () => (await api(t.app, owner).get("/api/v1/customers/counts?groupBy=kind")).json<{ groups: { count: number }[] }>().groups.reduce((a, b) => a + b.count, 0);

  it("imports a GB18030 CSV as Excel saves it: detected, mapped, dry run writes nothing, run creates, a second run of the same file creates nothing", async () => {
    const res = await upload(owner, "customer", "客户名单.csv", fixture("gb18030-excel.csv"));
    expect(res.statusCode, res.body).toBe(201);
    const imp = res.json<Imp>();
    expect([imp.format, imp.encoding, imp.status]).toEqual(["csv", "GB18030", "uploaded"]);
    expect(imp.headers).toEqual(["客户名称", "联系人", "手机", "邮箱", "地址"]);
    expect(imp.mapping).toEqual(["name", null, "phones:mobile", "emails", "address"]);
    expect(imp.preview?.[0]?.cells[0]).toBe("北京元石科技有限公司");
    const rows = imp.preview!.length;

    expect((await api(t.app, owner).post(`/api/v1/imports/${imp.id}/check`)).statusCode).toBe(202);
    const checked = await settle(owner, imp.id, ["checked", "failed"]);
    expect(checked.checkCounts).toMatchObject({ total: rows, created: rows, failed: 0 });
    expect(await customerCount()).toBe(0);

    expect((await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`)).statusCode).toBe(202);
    const done = await settle(owner, imp.id, ["completed", "failed"]);
    expect(done.counts).toMatchObject({ total: rows, created: rows, skipped: 0, failed: 0 });
    expect(await customerCount()).toBe(rows);
    const found = (await api(t.app, owner).get(`/api/v1/customers?q=${encodeURIComponent("元石")}`)).json<{ items: { name: string; phones: { number: string }[]; provinceCode: string | null }[] }>().items;
    expect(found.map((c) => [c.name, c.phones[0]?.number, c.provinceCode])).toEqual([["北京元石科技有限公司", "+8613800138000", "11"]]);
    // A run cannot be started twice; the same file uploaded again finds every row by its phone.
    expect((await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`)).statusCode).toBe(409);
    const again = (await upload(owner, "customer", "客户名单.csv", fixture("gb18030-excel.csv"))).json<Imp>();
    await api(t.app, owner).post(`/api/v1/imports/${again.id}/run`);
    expect((await settle(owner, again.id, ["completed", "failed"])).counts).toMatchObject({ created: 0, skipped: rows });
    expect(await customerCount()).toBe(rows);
  });

  it("reports bad rows by line and column in the reader's language, imports the good ones, and links contacts to customers by name", async () => {
    const csv = [
      "姓名,公司,手机,邮箱,生日,角色",
      "赵敏,北京元石科技有限公司,13700001111,zhao@example.cn,1990/5/6,决策人",
      "钱多,北京元石科技有限公司,12345,qian@,1990-02-30,",
      ",北京元石科技有限公司,13700002222,,,",
      "孙悟,不存在的公司,13700003333,,,",
      "",
    ].join("\r\n");
    const imp = (await upload(owner, "contact", "联系人.csv", Buffer.from(csv, "utf8"))).json<Imp>();
    expect(imp.mapping).toEqual(["name", "customer", "phones:mobile", "emails", "birthday", "role"]);
    await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`);
    const done = await settle(owner, imp.id, ["completed", "failed"]);
    expect(done.counts).toMatchObject({ total: 4, created: 1, failed: 3 }); // the blank line is no row
    const issues = (await api(t.app, owner, "zh-CN").get(`/api/v1/imports/${imp.id}/issues`)).json<{ items: { source: number; issues: { column: string | null; message: string }[] }[] }>().items;
    expect(issues.map((r) => r.source)).toEqual([3, 4, 5]);
    expect(issues[0]!.issues.map((i) => [i.column, i.message])).toEqual([
      ["手机", "“12345”不是有效的电话号码"],
      ["邮箱", "“qian@”不是有效的邮箱地址"],
      ["生日", "“1990-02-30”不是有效日期（例如 2024-01-05、2024/1/5、2024年1月5日）"],
    ]);
    expect(issues[1]!.issues.map((i) => i.message)).toEqual(["缺少必填项：name"]);
    expect(issues[2]!.issues.map((i) => [i.column, i.message])).toEqual([["customer", "找不到客户“不存在的公司”"]]);
    const zhao = (await api(t.app, owner).get(`/api/v1/contacts?q=${encodeURIComponent("赵敏")}`)).json<{ items: { birthday: string; customers: { name: string; role: string }[] }[] }>().items;
    expect(zhao.map((c) => [c.birthday, c.customers.map((l) => [l.name, l.role])])).toEqual([["1990-05-06", [["北京元石科技有限公司", "decision_maker"]]]]);
  });

  it("updates existing records by the chosen key when asked, keeping what the file leaves empty", async () => {
    const csv = "客户名称,手机,所属行业\r\n北京元石科技有限公司,13800138000,软件\r\n";
    const imp = (await upload(owner, "customer", "更新.csv", Buffer.from(csv))).json<Imp>();
    const patched = await api(t.app, owner).patch(`/api/v1/imports/${imp.id}`, { version: imp.version, options: { duplicatePolicy: "update", keys: ["phone"] } });
    expect(patched.statusCode, patched.body).toBe(200);
    await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`);
    expect((await settle(owner, imp.id, ["completed", "failed"])).counts).toMatchObject({ updated: 1, created: 0 });
    const c = (await api(t.app, owner).get(`/api/v1/customers?q=${encodeURIComponent("元石")}`)).json<{ items: { industry: string; address: string }[] }>().items[0]!;
    expect(c.industry).toBe("软件");
    expect(c.address).toContain("中关村大街1号");
  });

  it("refuses files no reader accepts, leaving nothing behind, and checks mappings and permissions", async () => {
    const before = (await api(t.app, owner).get("/api/v1/imports")).json<{ items: unknown[] }>().items.length;
    const png = await upload(owner, "customer", "客户.csv", fixture("image-renamed.csv"), "zh-CN");
    expect(png.statusCode).toBe(400);
    expect(png.json<{ error: { message: string } }>().error.message).toMatch(/PNG/);
    expect((await upload(owner, "customer", "empty.csv", Buffer.alloc(0))).statusCode).toBe(400);
    const xls = await upload(owner, "customer", "old.xlsx", fixture("xlsx-old-format.xls"), "zh-CN");
    expect(xls.statusCode).toBe(400);
    expect((await api(t.app, owner).get("/api/v1/imports")).json<{ items: unknown[] }>().items.length).toBe(before);
    expect(fs.readdirSync(path.join(t.config.dataDir, "imports", owner.workspaceId)).length).toBe(before);

    const imp = (await upload(owner, "customer", "a.csv", Buffer.from("客户名称\r\n甲公司\r\n"))).json<Imp>();
    const bad = await api(t.app, owner, "zh-CN").patch(`/api/v1/imports/${imp.id}`, { version: imp.version, mapping: ["no_such_field"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toBe("列“客户名称”：不存在字段“no_such_field”");
    expect((await api(t.app, owner).patch(`/api/v1/imports/${imp.id}`, { version: imp.version, mapping: [null] })).statusCode).toBe(200);
    expect((await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`)).statusCode).toBe(400); // nothing mapped

    const reader = await addUser(t, owner, "read_only");
    expect((await upload(reader, "customer", "a.csv", Buffer.from("客户名称\r\n乙公司\r\n"))).statusCode).toBe(403);
    const other = await createWorkspace(t);
    expect((await api(t.app, other).get(`/api/v1/imports/${imp.id}`)).statusCode).toBe(404);
    expect((await api(t.app, other).post(`/api/v1/imports/${imp.id}/run`)).statusCode).toBe(404);
  });
});
