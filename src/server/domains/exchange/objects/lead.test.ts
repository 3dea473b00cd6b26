import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../../test/harness.js";
import { importDriver } from "./test-support.js";

interface Lead {
  id: string;
  name: string;
  company: string;
  phone: string;
  email: string;
  source: string;
  provinceCode: string | null;
  cityCode: string | null;
  address: string;
  notes: string;
  status: string;
  ownerId: string | null;
  version: number;
}

describe("lead imports", () => {
  let t: TestEnv;
  let owner: Session;
  let rep: Session & { id: string };
  let imports: ReturnType<typeof importDriver>;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales", { name: "韩销售" });
    imports = importDriver(t, "lead");
  });
  afterAll(async () => t?.close());

  const find = async (q: string) => (await api(t.app, owner).get(`/api/v1/leads?q=${encodeURIComponent(q)}`)).json<{ items: Lead[] }>().items;

  it("maps Chinese titles, normalises phones and regions, follows the lead rules for owners, reports bad rows, and a second run creates nothing", async () => {
    const csv = [
      "姓名,公司,手机,邮箱,线索来源,省份,城市,地址,负责人",
      `王小明,深圳星河电子有限公司,138 0013 8001,Wang@Example.cn,展会,广东省,深圳市,南山区科技园,${rep.email}`,
      "李雷,,13800138002,,官网,,,,",
      "韩梅,,12345,,,,,,",
      "赵六,,13800138004,,,,,,nobody@example.com",
      ",某公司,13800138005,,,,,,",
    ].join("\n");
    const uploaded = (await imports.upload(owner, csv)).json<{ mapping: (string | null)[]; options: { keys: string[]; ownerId: string | null } }>();
    expect(uploaded.mapping).toEqual(["name", "company", "phones:mobile", "emails", "source", "province", "city", "address", "owner"]);
    // Rows without an owner go where the lead domain sends them (rules, else the pool), not to the importer.
    expect(uploaded.options).toMatchObject({ keys: ["phone", "email"], ownerId: null });

    const done = await imports.run(owner, csv);
    expect(done.counts).toMatchObject({ total: 5, created: 2, failed: 3 });
    const [wang] = await find("王小明");
    expect(wang).toMatchObject({
      company: "深圳星河电子有限公司",
      phone: "+8613800138001",
      email: "wang@example.cn",
      source: "展会",
      provinceCode: "44",
      cityCode: "4403",
      address: "南山区科技园",
      status: "new",
      ownerId: rep.id,
    });
    expect((await find("李雷"))[0]).toMatchObject({ ownerId: null, status: "new" });
    expect(await imports.issues(owner, done.id)).toEqual([
      [4, [["手机", "“12345”不是有效的电话号码"]]],
      [5, [["负责人", "工作区中没有成员“nobody@example.com”（请填写邮箱或姓名）"]]],
      [6, [[null, "缺少必填项：name"]]],
    ]);

    const again = await imports.run(owner, csv);
    expect(again.counts).toMatchObject({ created: 0, skipped: 2, failed: 3 });
    expect(await find("王小明")).toHaveLength(1);
  });

  it("keeps a lead's one phone and puts other numbers in its notes; a rep may not give leads to others", async () => {
    const done = await imports.run(rep, ["姓名,手机,电话,负责人", "周杰,13800138011,010-62345678,", `吴用,13800138012,,${owner.email}`].join("\n"));
    expect(done.counts).toMatchObject({ created: 1, failed: 1 });
    expect((await find("周杰"))[0]).toMatchObject({ phone: "+8613800138011", notes: "+861062345678" });
    expect((await imports.issues(rep, done.id))[0]![1]).toEqual([[null, "您没有执行此操作的权限"]]);
  });

  it("updates leads by phone and undoes: created leads go to the trash, updated ones get their values back", async () => {
    const base = await api(t.app, owner).post("/api/v1/leads", { name: "张三", phone: "13900000001", notes: "老备注" });
    expect(base.statusCode, base.body).toBe(201);
    const done = await imports.run(owner, ["姓名,手机,备注", "张三,13900000001,新备注", "新线索,13900000002,"].join("\n"), { duplicatePolicy: "update", keys: ["phone"] });
    expect(done.counts).toMatchObject({ updated: 1, created: 1 });
    expect((await find("张三"))[0]!.notes).toBe("新备注");
    const created = (await find("新线索"))[0]!;
    const searchIds = async () => (await api(t.app, owner).get("/api/v1/search?q=13900000002")).json<{ items: { id: string }[] }>().items.map((i) => i.id);
    expect(await searchIds()).toContain(created.id);

    expect(await imports.undo(owner, done.id)).toEqual({ removed: 1, restored: 1, kept: 0 });
    expect((await find("张三"))[0]!.notes).toBe("老备注");
    expect((await api(t.app, owner).get(`/api/v1/leads/${created.id}`)).statusCode).toBe(404);
    // Trashed by the undo: gone from the search at once, not at the next index sync.
    expect(await searchIds()).not.toContain(created.id);
  });

  it("refuses keys that cannot match a lead, and importers without lead:create", async () => {
    const imp = (await imports.upload(owner, "姓名\n某人\n")).json<{ id: string; version: number }>();
    const bad = await api(t.app, owner, "zh-CN").patch(`/api/v1/imports/${imp.id}`, { version: imp.version, options: { keys: ["sku"] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toBe("不能按“sku”判断此类记录是否重复（可选：phone, email, name）");

    const service = await addUser(t, owner, "service");
    expect((await imports.upload(service, "姓名\n某人\n")).statusCode).toBe(403);
    // A rep may not undo a lead import: deleting leads is not theirs (lead:delete).
    const mine = await imports.run(rep, "姓名,手机\n郑十,13800138099\n");
    expect((await api(t.app, rep).post(`/api/v1/imports/${mine.id}/undo`)).statusCode).toBe(403);
  });
});
