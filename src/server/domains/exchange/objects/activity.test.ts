import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../../test/harness.js";
import { importDriver } from "./test-support.js";

interface Entry {
  id: string;
  kind: string;
  occurredAt: string;
  subject: string;
  summary: string;
  costAmount: string | null;
  durationMinutes: number | null;
  contactId: string | null;
  ownerId: string | null;
}
interface Timeline {
  items: Entry[];
  totals: { entries: number; cost: string };
}

describe("activity imports", () => {
  let t: TestEnv;
  let owner: Session;
  let rep: Session & { id: string };
  let imports: ReturnType<typeof importDriver>;
  let customerId = "";
  let contactId = "";
  let repCustomerId = "";
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales", { name: "韩销售" });
    imports = importDriver(t, "activity");
    const customer = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "北京元石科技有限公司" });
    expect(customer.statusCode, customer.body).toBe(201);
    customerId = customer.json<{ id: string }>().id;
    const contact = await api(t.app, owner).post("/api/v1/contacts", { name: "赵敏", customers: [{ customerId }] });
    expect(contact.statusCode, contact.body).toBe(201);
    contactId = contact.json<{ id: string }>().id;
    repCustomerId = (await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "杭州西湖贸易有限公司", ownerId: rep.id })).json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  const timeline = async (session: Session, id: string) => (await api(t.app, session).get(`/api/v1/customers/${id}/timeline`)).json<Timeline>();
  const SHANGHAI = { timeZone: "Asia/Shanghai" };

  const CSV = [
    "客户名称,联系人,类型,拜访时间,主题,内容,费用,时长,负责人",
    '北京元石科技有限公司,赵敏,拜访,2024年1月5日 14:30,年度采购,谈了续约,"¥1,280.50",1.5小时,',
    "北京元石科技有限公司,,电话,2024年1月6日,回访,,,30分钟,",
    "不存在的公司,,拜访,2024-01-07,,,,,",
    "北京元石科技有限公司,,拜访,2024年13月1日,,,,,",
    "北京元石科技有限公司,,散步,2024-01-08,,,,,",
    "北京元石科技有限公司,钱多多,拜访,2024-01-09,,,,,",
  ].join("\n");

  it("maps Chinese titles, reads times in the import's time zone and costs with ¥, links customer and contact, reports bad rows, and a second run creates nothing", async () => {
    const uploaded = (await imports.upload(owner, CSV)).json<{ mapping: (string | null)[]; options: { keys: string[] } }>();
    expect(uploaded.mapping).toEqual(["customer", "contact", "kind", "occurredAt", "subject", "summary", "costAmount", "durationMinutes", "owner"]);
    expect(uploaded.options.keys).toEqual(["occurrence"]);

    const done = await imports.run(owner, CSV, SHANGHAI);
    expect(done.counts).toMatchObject({ total: 6, created: 2, failed: 4 });
    const tl = await timeline(owner, customerId);
    expect(tl.totals).toEqual({ entries: 2, cost: "1280.50", discount: "0.00" });
    expect(tl.items.map((e) => [e.kind, e.occurredAt, e.subject, e.summary, e.costAmount, e.durationMinutes, e.contactId, e.ownerId])).toEqual([
      ["call", "2024-01-05T16:00:00.000Z", "回访", "", null, 30, null, owner.userId],
      ["visit", "2024-01-05T06:30:00.000Z", "年度采购", "谈了续约", "1280.50", 90, contactId, owner.userId],
    ]);
    expect(await imports.issues(owner, done.id)).toEqual([
      [4, [["customer", "找不到客户“不存在的公司”"]]],
      [5, [["拜访时间", "“2024年13月1日”不是有效的日期时间（例如 2024-01-05 14:30、2024年1月5日 下午2点）"]]],
      [6, [["类型", "“散步”不是可选值（call, visit, meeting, email, im, note）"]]],
      [7, [["联系人", "找不到（该客户的）联系人“钱多多”"]]],
    ]);
    expect((await imports.issues(owner, done.id, "en-US"))[3]).toEqual([7, [["联系人", "No contact “钱多多” (of this customer)"]]]);

    const again = await imports.run(owner, CSV, SHANGHAI);
    expect(again.counts).toMatchObject({ created: 0, skipped: 2, failed: 4 });
    expect((await timeline(owner, customerId)).totals.entries).toBe(2);
  });

  it("updates the entry a row matches (same customer, kind, time and subject) and undoes: created entries go, updated ones get their values back", async () => {
    const csv = ["客户名称,类型,时间,主题,内容", "北京元石科技有限公司,电话,2024年1月6日,回访,补充了内容", "北京元石科技有限公司,会议,2024-02-01 10:00,新会议,"].join("\n");
    const done = await imports.run(owner, csv, { ...SHANGHAI, duplicatePolicy: "update" });
    expect(done.counts).toMatchObject({ updated: 1, created: 1 });
    expect((await timeline(owner, customerId)).items.find((e) => e.subject === "回访")!.summary).toBe("补充了内容");

    expect(await imports.undo(owner, done.id)).toEqual({ removed: 1, restored: 1, kept: 0 });
    const tl = await timeline(owner, customerId);
    expect(tl.items.map((e) => [e.subject, e.summary, e.occurredAt])).toEqual([
      ["回访", "", "2024-01-05T16:00:00.000Z"],
      ["年度采购", "谈了续约", "2024-01-05T06:30:00.000Z"],
    ]);
  });

  it("lets a rep record their own entries (not a colleague's they cannot see) and undo them without the right to delete others' entries", async () => {
    const csv = ["客户名称,类型,时间,负责人", "杭州西湖贸易有限公司,拜访,2024-03-01,", `杭州西湖贸易有限公司,电话,2024-03-02,${owner.email}`, "北京元石科技有限公司,拜访,2024-03-03,"].join("\n");
    const done = await imports.run(rep, csv);
    expect(done.counts).toMatchObject({ created: 1, failed: 2 });
    expect(await imports.issues(rep, done.id)).toEqual([
      [3, [["负责人", `不能代“${owner.email}”记录：只能记录自己或您可查看其数据的成员的跟进`]]],
      // The import runs with the rep's rights: a customer they cannot see is not found.
      [4, [["customer", "找不到客户“北京元石科技有限公司”"]]],
    ]);
    expect((await timeline(rep, repCustomerId)).items.map((e) => e.ownerId)).toEqual([rep.id]);
    expect(await imports.undo(rep, done.id)).toEqual({ removed: 1, restored: 0, kept: 0 });
    expect((await timeline(rep, repCustomerId)).totals.entries).toBe(0);
  });

  it("refuses the undo of a colleague's entries without activity:delete, and importers without activity:create", async () => {
    // A service user sees their team's records: they may record the rep's visits, but not take them back.
    const service = await addUser(t, owner, "service");
    expect((await api(t.app, owner).post("/api/v1/teams", { name: "华东组", memberIds: [service.id, rep.id] })).statusCode).toBe(201);
    const done = await imports.run(service, `客户名称,类型,时间,负责人\n杭州西湖贸易有限公司,拜访,2024-04-01,${rep.email}\n`);
    expect(done.counts).toMatchObject({ created: 1 });
    const refused = await api(t.app, service, "zh-CN").post(`/api/v1/imports/${done.id}/undo`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { message: string } }>().error.message).toBe("该导入包含其他成员的跟进记录，撤销需要删除他人跟进记录的权限");

    const reader = await addUser(t, owner, "read_only");
    expect((await imports.upload(reader, "客户名称,类型,时间\n杭州西湖贸易有限公司,拜访,2024-04-02\n")).statusCode).toBe(403);
  });
});
