import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Imp {
  id: string;
  status: string;
  version: number;
  mapping: (string | null)[];
  counts: { total: number; created: number; updated: number; skipped: number; failed: number } | null;
  jobId: string | null;
}
interface Contact {
  id: string;
  name: string;
  title: string;
  version: number;
  phones: { number: string }[];
  custom: Record<string, unknown>;
  tags: string[];
}

/** Contacts go through the batch path (apply.ts applyContactBatch): its checks must be the services' checks. */
describe("contact imports in bulk", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    for (const field of [
      { objectType: "contact", key: "level", label: "等级", type: "select", options: [{ value: "vip", label: "VIP" }, { value: "normal", label: "普通" }] },
      { objectType: "contact", key: "assistant", label: "助理", type: "user" },
    ]) {
      const res = await api(t.app, owner).post("/api/v1/custom-fields", field);
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  const upload = (csv: string) =>
    api(t.app, owner).post(`/api/v1/imports?objectType=contact&fileName=c.csv`, Buffer.from(csv, "utf8"), { "content-type": "application/octet-stream" });
  const settle = async (id: string, until: string[]): Promise<Imp> => {
    for (let i = 0; i < 200; i++) {
      const imp = (await api(t.app, owner).get(`/api/v1/imports/${id}`)).json<Imp>();
      if (until.includes(imp.status)) return imp;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`import ${id} did not reach ${until.join("/")}`);
  };
  const run = async (csv: string, options?: Record<string, unknown>): Promise<Imp> => {
    const imp = (await upload(csv)).json<Imp>();
    if (options) expect((await api(t.app, owner).patch(`/api/v1/imports/${imp.id}`, { version: imp.version, options })).statusCode).toBe(200);
    expect((await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`)).statusCode).toBe(202);
    return settle(imp.id, ["completed", "failed"]);
  };
  const find = async (q: string) => (await api(t.app, owner).get(`/api/v1/contacts?q=${encodeURIComponent(q)}`)).json<{ items: Contact[] }>().items;

  it("checks rows as the services do, finds duplicates in the workspace and within the file, and writes search terms, contact points and events", async () => {
    const existing = await api(t.app, owner).post("/api/v1/contacts", { name: "李雷", phones: [{ label: "mobile", number: "13900000001" }] });
    expect(existing.statusCode, existing.body).toBe(201);
    const csv = [
      "姓名,手机,邮箱,等级,助理,标签",
      "李雷,139 0000 0001,,VIP,,",
      `韩梅梅,13900000002,han@example.com,普通,${owner.email},老客户`,
      "韩梅,13900000003,HAN@example.com,,,",
      "王五,13900000004,,金牌,,",
      "赵六,13900000005,,,nobody@example.com,",
      "钱七,13900000002,,,,",
    ].join("\n");
    const done = await run(csv);
    expect(done.counts).toMatchObject({ total: 6, created: 1, skipped: 3, failed: 2 });

    const issues = (await api(t.app, owner, "zh-CN").get(`/api/v1/imports/${done.id}/issues`)).json<{ items: { source: number; issues: { column: string; message: string }[] }[] }>().items;
    expect(issues.map((r) => [r.source, r.issues.map((i) => i.column)])).toEqual([
      [5, ["等级"]],
      [6, ["助理"]],
    ]);
    expect(issues[1]!.issues[0]!.message).toBe("工作区中没有成员“nobody@example.com”（请填写邮箱或姓名）");

    // Found by name, by pinyin and by phone digits: the search document was written with the row.
    const [han] = await find("韩梅梅");
    expect(han).toMatchObject({ name: "韩梅梅", custom: { level: "normal", assistant: owner.userId }, tags: ["老客户"] });
    expect((await find("hanmeimei")).map((c) => c.id)).toEqual([han!.id]);
    expect((await find("00000002")).map((c) => c.id)).toEqual([han!.id]);
    // Its contact points: entering the phone again is a duplicate.
    const dup = await api(t.app, owner).post("/api/v1/contacts", { name: "某人", phones: [{ label: "mobile", number: "+8613900000002" }] });
    expect(dup.statusCode).toBe(409);
    // And its event, which names the import.
    const events = (await api(t.app, owner).get(`/api/v1/audit-events?filter=action:eq:contact.created&filter=objectId:eq:${han!.id}`)).json<{ items: { data: { importId?: string }; changes: Record<string, unknown> }[] }>().items;
    expect(events).toHaveLength(1);
    expect(events[0]!.data.importId).toBe(done.id);
    expect(Object.keys(events[0]!.changes)).toEqual(expect.arrayContaining(["name", "phones", "emails", "custom"]));
  });

  it("merges a row into the record it matches: empty fields filled, phones, e-mails and tags added, the rest kept; undone exactly", async () => {
    const existing = (await api(t.app, owner).post("/api/v1/contacts", { name: "冯一", title: "经理", phones: [{ label: "mobile", number: "13922220000" }], tags: ["老客户"] })).json<Contact>();
    const csv = ["姓名,手机,邮箱,职位,部门,标签", "冯一,13922220000,feng@example.cn,总监,采购部,展会"].join("\n");
    const done = await run(csv, { duplicatePolicy: "merge", keys: ["phone"] });
    expect(done.counts).toMatchObject({ updated: 1, created: 0 });
    const merged = (await api(t.app, owner).get(`/api/v1/contacts/${existing.id}`)).json<Contact & { emails: { address: string }[]; department: string }>();
    expect([merged.title, merged.department, merged.emails.map((e) => e.address), merged.tags]).toEqual(["经理", "采购部", ["feng@example.cn"], ["老客户", "展会"]]);
    // The same row again changes nothing: skipped.
    expect((await run(csv, { duplicatePolicy: "merge", keys: ["phone"] })).counts).toMatchObject({ updated: 0, skipped: 1 });
    await api(t.app, owner).post(`/api/v1/imports/${done.id}/undo`);
    expect((await settle(done.id, ["undone", "failed"])).status).toBe("undone");
    const back = (await api(t.app, owner).get(`/api/v1/contacts/${existing.id}`)).json<Contact & { emails: unknown[]; department: string }>();
    expect([back.title, back.department, back.emails, back.tags]).toEqual(["经理", "", [], ["老客户"]]);
  });

  it("adds the company a row names to a contact it updates, keeping the contact's other companies", async () => {
    const ids: string[] = [];
    for (const name of ["甲乙科技有限公司", "丙丁贸易有限公司"]) ids.push((await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name, allowDuplicate: true })).json<{ id: string }>().id);
    const person = (await api(t.app, owner).post("/api/v1/contacts", { name: "褚二", phones: [{ label: "mobile", number: "13933330000" }], customers: [{ customerId: ids[0] }] })).json<Contact>();
    const done = await run(["姓名,手机,公司,职位", "褚二,13933330000,丙丁贸易有限公司,采购"].join("\n"), { duplicatePolicy: "update", keys: ["phone"] });
    expect(done.counts).toMatchObject({ updated: 1 });
    const after = (await api(t.app, owner).get(`/api/v1/contacts/${person.id}`)).json<{ title: string; customers: { customerId: string }[] }>();
    expect([after.title, after.customers.map((c) => c.customerId).sort()]).toEqual(["采购", [...ids].sort()]);
  });

  it("undoes an import: created records go to the trash, updated ones get their values back, records changed since stay", async () => {
    const base = (await api(t.app, owner).post("/api/v1/contacts", { name: "周八", title: "经理", phones: [{ label: "mobile", number: "13911110000" }] })).json<Contact>();
    const csv = ["姓名,手机,职位", "周八,13911110000,总监", "吴九,13911110001,", "郑十,13911110002,"].join("\n");
    const done = await run(csv, { duplicatePolicy: "update", keys: ["phone"] });
    expect(done.counts).toMatchObject({ created: 2, updated: 1 });
    expect((await find("周八"))[0]!.title).toBe("总监");
    // Someone works on 郑十 after the import: the undo leaves it alone.
    const zheng = (await find("郑十"))[0]!;
    expect((await api(t.app, owner).patch(`/api/v1/contacts/${zheng.id}`, { version: zheng.version, title: "采购" })).statusCode).toBe(200);

    const res = await api(t.app, owner).post(`/api/v1/imports/${done.id}/undo`);
    expect(res.statusCode, res.body).toBe(202);
    const undone = await settle(done.id, ["undone", "failed"]);
    expect(undone.status).toBe("undone");
    // The import says "undone" in the job's last transaction; the job records its result just after.
    let job = { state: "", result: {} as Record<string, number> };
    for (let i = 0; i < 100 && job.state !== "completed"; i++) {
      job = (await api(t.app, owner).get(`/api/v1/jobs/${undone.jobId}`)).json<typeof job>();
      if (job.state !== "completed") await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.result).toEqual({ removed: 1, restored: 1, kept: 1 });
    expect(await find("吴九")).toEqual([]);
    expect((await find("郑十")).map((c) => c.title)).toEqual(["采购"]);
    const zhou = (await api(t.app, owner).get(`/api/v1/contacts/${base.id}`)).json<Contact>();
    expect(zhou.title).toBe("经理");
    // The trashed record can be restored from the trash like any other.
    const trash = (await api(t.app, owner).get("/api/v1/contacts/trash")).json<{ items: Contact[] }>().items;
    expect(trash.map((c) => c.name)).toContain("吴九");
    expect((await api(t.app, owner, "zh-CN").post(`/api/v1/imports/${done.id}/undo`)).json<{ error: { message: string } }>().error.message).toBe("该导入已撤销");
  });
});
