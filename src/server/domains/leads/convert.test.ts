import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Lead {
  id: string;
  status: string;
  customerId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  convertedAt: string | null;
  version: number;
}
interface Conversion {
  lead: Lead;
  customerId: string;
  contactId: string | null;
  opportunityId: string | null;
}
type ErrorBody = { error: { code: string; message: string; details: { reason?: string; part?: string; duplicates?: { id: string; objectType: string; reasons: string[] }[] } } };

let t: TestEnv;
let ws: Session;
let rep: Session & { id: string };
beforeAll(async () => {
  t = await startTestEnv();
  ws = await createWorkspace(t);
  rep = await addUser(t, ws, "sales");
});
afterAll(async () => t?.close());

let n = 0;
async function lead(body: Record<string, unknown> = {}): Promise<Lead> {
  const res = await api(t.app, rep).post("/api/v1/leads", { name: `张${++n}`, company: `转化测试${n}号科技有限公司`, title: "总经理", phone: `1370000${String(1000 + n)}`, email: `boss${n}@lead.example.com`, source: "展会", provinceCode: "44", ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Lead>();
}
const counts = () =>
  withTenant(t.database, { tenantId: ws.workspaceId }, async (tx) =>
    (await tx.execute<{ customers: number; contacts: number; opportunities: number }>("select (select count(*)::int from customers) as customers, (select count(*)::int from contacts) as contacts, (select count(*)::int from opportunities) as opportunities")).rows[0]!,
  );

describe("lead conversion", () => {
  it("creates customer, contact and opportunity in one go, prefilled from the lead and linked", async () => {
    const l = await lead({ notes: "对 ERP 有兴趣" });
    const res = await api(t.app, rep).post(`/api/v1/leads/${l.id}/convert`, { customer: {}, opportunity: { name: "ERP 一期", amount: "50000.00", expectedClose: "2030-06-30" } });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<Conversion>();
    expect(out.lead).toMatchObject({ status: "converted", customerId: out.customerId, contactId: out.contactId, opportunityId: out.opportunityId, convertedAt: expect.any(String) });

    const customer = (await api(t.app, rep).get(`/api/v1/customers/${out.customerId}`)).json<{ kind: string; name: string; ownerId: string; source: string; provinceCode: string; remarks: string; contacts: { contactId: string; isPrimary: boolean }[] }>();
    expect(customer).toMatchObject({ kind: "organization", name: `转化测试${n}号科技有限公司`, ownerId: rep.id, source: "展会", provinceCode: "44", remarks: "对 ERP 有兴趣" });
    expect(customer.contacts).toEqual([expect.objectContaining({ contactId: out.contactId, isPrimary: true })]);
    const contact = (await api(t.app, rep).get(`/api/v1/contacts/${out.contactId}`)).json<{ name: string; title: string; ownerId: string; phones: { number: string }[]; emails: { address: string }[] }>();
    expect(contact).toMatchObject({ name: `张${n}`, title: "总经理", ownerId: rep.id, phones: [expect.objectContaining({ number: `+861370000${1000 + n}` })], emails: [expect.objectContaining({ address: `boss${n}@lead.example.com` })] });
    const opp = (await api(t.app, rep).get(`/api/v1/opportunities/${out.opportunityId}`)).json<{ name: string; customerId: string; contactId: string; ownerId: string; amount: string; leadId: string; source: string }>();
    expect(opp).toMatchObject({ name: "ERP 一期", customerId: out.customerId, contactId: out.contactId, ownerId: rep.id, leadId: l.id, source: "展会" });
    expect(Number(opp.amount)).toBe(50000);

    const audit = (await api(t.app, ws).get(`/api/v1/audit-events?filter=objectId:eq:${l.id}&filter=action:eq:lead.converted`)).json<{ items: { data: Record<string, unknown> }[] }>();
    expect(audit.items[0]!.data).toMatchObject({ customerId: out.customerId, contactId: out.contactId, opportunityId: out.opportunityId });

    const twice = await api(t.app, rep, "zh-CN").post(`/api/v1/leads/${l.id}/convert`, { customer: {} });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.message).toBe("该线索已转化，不能重复转化");
    expect((await api(t.app, rep).patch(`/api/v1/leads/${l.id}`, { version: out.lead.version, name: "x" })).statusCode).toBe(400);
  });

  it("converts once under two concurrent conversions", async () => {
    const l = await lead();
    const before = await counts();
    const results = await Promise.all([0, 1].map(() => api(t.app, rep).post(`/api/v1/leads/${l.id}/convert`, { customer: {}, contact: null })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const after = await counts();
    expect(after.customers - before.customers).toBe(1);
    expect(after.contacts).toBe(before.contacts);
  });

  it("answers 409 with the existing customer and creates nothing, then converts onto it", async () => {
    const existing = (await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name: "星河动力科技有限公司" })).json<{ id: string }>();
    const l = await lead({ company: "星河动力科技（北京）有限公司" });
    const before = await counts();
    const dup = await api(t.app, rep, "zh-CN").post(`/api/v1/leads/${l.id}/convert`, { customer: {}, opportunity: { name: "不会创建" } });
    expect(dup.statusCode, dup.body).toBe(409);
    const body = dup.json<ErrorBody>();
    expect(body.error.message).toContain("发现疑似重复的客户");
    expect(body.error.details.part).toBe("customer");
    expect(body.error.details.duplicates!.map((d) => d.id)).toContain(existing.id);
    expect(await counts()).toEqual(before);
    expect((await api(t.app, rep).get(`/api/v1/leads/${l.id}`)).json<Lead>()).toMatchObject({ status: "new", customerId: null });

    const onto = await api(t.app, rep).post(`/api/v1/leads/${l.id}/convert`, { customer: { existingId: existing.id } });
    expect(onto.statusCode, onto.body).toBe(200);
    const out = onto.json<Conversion>();
    expect(out).toMatchObject({ customerId: existing.id, opportunityId: null });
    const after = await counts();
    expect(after).toEqual({ ...before, contacts: before.contacts + 1 });
    const customer = (await api(t.app, rep).get(`/api/v1/customers/${existing.id}`)).json<{ contacts: { contactId: string }[] }>();
    expect(customer.contacts.map((c) => c.contactId)).toEqual([out.contactId]);
  });

  it("reports a duplicate contact, and saves anyway when confirmed", async () => {
    const l1 = await lead({ phone: "13611112222" });
    expect((await api(t.app, rep).post(`/api/v1/leads/${l1.id}/convert`, { customer: {} })).statusCode).toBe(200);
    const l2 = await lead({ phone: "136 1111 2222" });
    const dup = await api(t.app, rep).post(`/api/v1/leads/${l2.id}/convert`, { customer: {} });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<ErrorBody>().error.details).toMatchObject({ part: "contact", duplicates: [expect.objectContaining({ objectType: "contact", reasons: ["phone"] })] });
    expect((await api(t.app, rep).post(`/api/v1/leads/${l2.id}/convert`, { customer: {}, allowDuplicate: true })).statusCode).toBe(200);
  });

  it("rolls back the customer and contact when the opportunity fails", async () => {
    const l = await lead();
    const before = await counts();
    const res = await api(t.app, rep).post(`/api/v1/leads/${l.id}/convert`, { customer: {}, opportunity: { name: "坏管道", pipelineId: "00000000-0000-4000-8000-000000000000" } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(await counts()).toEqual(before);
    expect((await api(t.app, rep).get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe("new");
  });

  it("makes a lead without a company an individual customer whose own contact is the contact", async () => {
    const l = await lead({ company: "", name: "李个人", phone: "13522223333" });
    const out = (await api(t.app, rep).post(`/api/v1/leads/${l.id}/convert`, { customer: {} })).json<Conversion>();
    const customer = (await api(t.app, rep).get(`/api/v1/customers/${out.customerId}`)).json<{ kind: string; name: string; phones: { number: string }[]; contacts: { contactId: string }[] }>();
    expect(customer).toMatchObject({ kind: "individual", name: "李个人", phones: [expect.objectContaining({ number: "+8613522223333" })] });
    expect(customer.contacts.map((c) => c.contactId)).toEqual([out.contactId]);
  });

  it("refuses converting a pool lead before claiming it, a lost lead, and a customer one cannot see", async () => {
    const pooled = (await api(t.app, ws).post("/api/v1/leads", { name: "公海待转化", toPool: true })).json<Lead>();
    const res = await api(t.app, rep).post(`/api/v1/leads/${pooled.id}/convert`, { customer: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.details.reason).toBe("in_pool");
    const l = await lead();
    await api(t.app, rep).post(`/api/v1/leads/${l.id}/lose`, { lostReason: "无预算" });
    expect((await api(t.app, rep).post(`/api/v1/leads/${l.id}/convert`, { customer: {} })).statusCode).toBe(400);
    const other = await addUser(t, ws, "sales");
    const hidden = (await api(t.app, other).post("/api/v1/customers", { kind: "organization", name: "别人的客户有限公司" })).json<{ id: string }>();
    const open = await lead();
    const refused = await api(t.app, rep).post(`/api/v1/leads/${open.id}/convert`, { customer: { existingId: hidden.id } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error.code).toBe("VALIDATION");
  });
});
