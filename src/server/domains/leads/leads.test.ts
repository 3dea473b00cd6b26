import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Lead {
  id: string;
  name: string;
  phone: string;
  email: string;
  status: string;
  ownerId: string | null;
  lostReason: string;
  lastFollowUpAt: string | null;
  contactDetailsMasked: boolean;
  version: number;
}
type ErrorBody = { error: { code: string; message: string; details: { issues?: { path: string[]; message: string }[]; reason?: string } } };

let t: TestEnv;
let owner: Session;
beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

async function lead(session: Session, body: Record<string, unknown>): Promise<Lead> {
  const res = await api(t.app, session).post("/api/v1/leads", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Lead>();
}

describe("leads", () => {
  it("creates, reads, lists, changes and deletes a lead, normalising phone and e-mail", async () => {
    const created = await lead(owner, { name: "王小明", company: "星辰贸易有限公司", phone: "138 0013 8000", email: " Wang@Example.COM ", source: "website", campaign: "春季展会", provinceCode: "44", productLine: "ERP", tags: ["hot", "hot"] });
    expect(created).toMatchObject({ phone: "+8613800138000", email: "wang@example.com", status: "new", ownerId: owner.userId, contactDetailsMasked: false });
    const got = await api(t.app, owner).get(`/api/v1/leads/${created.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe(`"${created.version}"`);

    const list = (await api(t.app, owner).get(`/api/v1/leads?filter=source:eq:website&filter=provinceCode:eq:44&filter=tag:eq:hot&sort=name`)).json<{ items: Lead[] }>();
    expect(list.items.map((l) => l.id)).toEqual([created.id]);
    for (const q of ["星辰", "0013800", "wang@exa"]) {
      const found = (await api(t.app, owner).get(`/api/v1/leads?q=${encodeURIComponent(q)}`)).json<{ items: Lead[] }>();
      expect(found.items.map((l) => l.id), q).toContain(created.id);
    }
    expect((await api(t.app, owner).get(`/api/v1/leads?q=nothing-like-it`)).json<{ items: Lead[] }>().items).toEqual([]);
    expect((await api(t.app, owner).get(`/api/v1/leads?sort=phone`)).statusCode).toBe(400);

    const stale = await api(t.app, owner).patch(`/api/v1/leads/${created.id}`, { version: created.version + 5, title: "经理" });
    expect(stale.statusCode).toBe(409);
    const changed = await api(t.app, owner).patch(`/api/v1/leads/${created.id}`, { version: created.version, title: "采购经理", phone: "+1 415 555 2671", email: "" });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<Lead>()).toMatchObject({ phone: "+14155552671", email: "", version: created.version + 1 });

    expect((await api(t.app, owner).del(`/api/v1/leads/${created.id}`)).statusCode).toBe(204);
    expect((await api(t.app, owner).get(`/api/v1/leads/${created.id}`)).statusCode).toBe(404);
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${created.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((e) => e.action).sort()).toEqual(["lead.created", "lead.deleted", "lead.updated"]);
  });

  it("refuses a bad phone, a bad e-mail, an unknown field and a bad region, in the caller's language", async () => {
    const bad = await api(t.app, owner, "zh-CN").post("/api/v1/leads", { name: "错误号码", phone: "12345", email: "not-an-email" });
    expect(bad.statusCode).toBe(400);
    const issues = bad.json<ErrorBody>().error.details.issues!;
    expect(issues.find((i) => i.path[0] === "phone")!.message).toBe("电话号码无效，例如 13800138000 或 +1 415 555 2671");
    expect(issues.find((i) => i.path[0] === "email")!.message).toBe("邮箱地址无效");
    const en = await api(t.app, owner).post("/api/v1/leads", { name: "x", phone: "12345" });
    expect(en.json<ErrorBody>().error.details.issues![0]!.message).toContain("Not a valid phone number");
    const unknown = await api(t.app, owner).post("/api/v1/leads", { name: "多余字段", budget: 100 });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toContain("budget");
    expect((await api(t.app, owner).post("/api/v1/leads", { name: "错误省份", provinceCode: "99" })).statusCode).toBe(400);
    expect((await api(t.app, owner).post("/api/v1/leads", { name: "", phone: "" })).statusCode).toBe(400);
    expect((await api(t.app, owner).post("/api/v1/leads", { name: "既有负责人又交出", ownerId: owner.userId, toPool: true })).statusCode).toBe(400);
  });

  it("follows up (new → contacted), qualifies, loses with a required reason and reopens", async () => {
    const l = await lead(owner, { name: "流程测试" });
    const fu = await api(t.app, owner).post(`/api/v1/leads/${l.id}/follow-up`, { note: "电话沟通，有兴趣" });
    expect(fu.statusCode, fu.body).toBe(200);
    expect(fu.json<Lead>()).toMatchObject({ status: "contacted", lastFollowUpAt: expect.any(String) });
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${l.id}`)).json<{ items: { action: string; data: { note?: string } }[] }>();
    expect(audit.items.find((e) => e.action === "lead.followed_up")!.data.note).toBe("电话沟通，有兴趣");

    expect((await api(t.app, owner).post(`/api/v1/leads/${l.id}/qualify`)).json<Lead>().status).toBe("qualified");
    const again = await api(t.app, owner, "zh-CN").post(`/api/v1/leads/${l.id}/qualify`);
    expect(again.statusCode).toBe(400);
    expect(again.json<ErrorBody>().error.message).toBe("状态为“已确认”的线索不能执行“确认”");

    const noReason = await api(t.app, owner, "zh-CN").post(`/api/v1/leads/${l.id}/lose`, { lostReason: "  " });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json())).toContain("请填写线索无效（丢失）原因");
    const lost = await api(t.app, owner).post(`/api/v1/leads/${l.id}/lose`, { lostReason: "预算不足" });
    expect(lost.json<Lead>()).toMatchObject({ status: "lost", lostReason: "预算不足" });
    expect((await api(t.app, owner).post(`/api/v1/leads/${l.id}/follow-up`, { note: "x" })).statusCode).toBe(400);
    expect((await api(t.app, owner).post(`/api/v1/leads/${l.id}/lose`, { lostReason: "again" })).statusCode).toBe(400);
    const reopened = await api(t.app, owner).post(`/api/v1/leads/${l.id}/reopen`, {});
    expect(reopened.json<Lead>()).toMatchObject({ status: "contacted", lostReason: "" });
    // A stale version is refused when given.
    expect((await api(t.app, owner).post(`/api/v1/leads/${l.id}/qualify`, { version: 1 })).statusCode).toBe(409);
  });

  it("shows a rep their own leads and the pool, a manager their department's, never a colleague's", async () => {
    const ws = await createWorkspace(t);
    const dept = (await api(t.app, ws).post("/api/v1/departments", { name: "华南销售部" })).json<{ id: string }>();
    const other = (await api(t.app, ws).post("/api/v1/departments", { name: "华北销售部" })).json<{ id: string }>();
    const manager = await addUser(t, ws, "manager", { departmentId: dept.id });
    const repA = await addUser(t, ws, "sales", { departmentId: dept.id });
    const repB = await addUser(t, ws, "sales", { departmentId: dept.id });
    const repC = await addUser(t, ws, "sales", { departmentId: other.id });
    const a = await lead(repA, { name: "A 的线索", phone: "13900001111" });
    const c = await lead(repC, { name: "C 的线索" });
    const pooled = await lead(ws, { name: "公海线索", phone: "13900002222", email: "pool@example.com", toPool: true });
    expect(pooled.ownerId).toBeNull();

    const ids = async (s: Session) => (await api(t.app, s).get("/api/v1/leads?limit=200")).json<{ items: Lead[] }>().items.map((l) => l.id).sort();
    expect(await ids(repA)).toEqual([a.id, pooled.id].sort());
    expect(await ids(repB)).toEqual([pooled.id]);
    expect(await ids(manager)).toEqual([a.id, pooled.id].sort());
    expect((await ids(ws)).sort()).toEqual([a.id, c.id, pooled.id].sort());
    expect((await api(t.app, repB).get(`/api/v1/leads/${a.id}`)).statusCode).toBe(404);
    expect((await api(t.app, repB).patch(`/api/v1/leads/${a.id}`, { version: 1, name: "x" })).statusCode).toBe(404);
    expect((await api(t.app, repB).post(`/api/v1/leads/${a.id}/lose`, { lostReason: "x" })).statusCode).toBe(404);
    expect((await api(t.app, manager).get(`/api/v1/leads/${c.id}`)).statusCode).toBe(404);

    // The pool: masked for reps, clear for whoever may manage leads; a rep must claim before working it.
    const seen = (await api(t.app, repB).get(`/api/v1/leads/${pooled.id}`)).json<Lead>();
    expect(seen).toMatchObject({ contactDetailsMasked: true, phone: "+86139****2222", email: "p***@example.com" });
    const poolList = (await api(t.app, repB).get("/api/v1/leads?filter=ownerId:null:true")).json<{ items: Lead[] }>();
    expect(poolList.items.map((l) => l.id)).toEqual([pooled.id]);
    expect(JSON.stringify(poolList)).not.toContain("13900002222");
    expect((await api(t.app, manager).get(`/api/v1/leads/${pooled.id}`)).json<Lead>()).toMatchObject({ contactDetailsMasked: false, phone: "+8613900002222" });
    const work = await api(t.app, repB).post(`/api/v1/leads/${pooled.id}/follow-up`, { note: "x" });
    expect(work.statusCode).toBe(409);
    expect(work.json<ErrorBody>().error.details.reason).toBe("in_pool");

    // Sales may not delete nor give a lead to someone else; a manager may.
    expect((await api(t.app, repA).del(`/api/v1/leads/${a.id}`)).statusCode).toBe(403);
    expect((await api(t.app, repA).post("/api/v1/leads", { name: "给别人", ownerId: repB.id })).statusCode).toBe(403);
    const given = await api(t.app, manager).post(`/api/v1/leads/${a.id}/assign`, { userId: repB.id });
    expect(given.statusCode, given.body).toBe(200);
    expect(await ids(repB)).toEqual([a.id, pooled.id].sort());
    const notes = (await api(t.app, repB, "zh-CN").get("/api/v1/notifications")).json<{ items: { kind: string; message: string }[] }>();
    expect(notes.items.map((n) => n.message)).toContain("您有一条新线索：A 的线索");
  });
});
