import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Stage {
  id: string;
  name: string;
  kind: string;
}
interface Pipeline {
  id: string;
  version: number;
  stages: Stage[];
}
interface Opportunity {
  id: string;
  name: string;
  pipelineId: string;
  stageId: string;
  status: string;
  amount: string;
  currency: string;
  version: number;
  closedAt: string | null;
  winReason: string;
  lossReason: string;
  lines?: { sku: string; name: string; quantity: string; unitPrice: string; discountRate: string; amount: string }[];
}
interface HistoryItem {
  seq: number;
  stageId: string;
  stageName: string;
  leftAt: string | null;
  days: number;
}
type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

let t: TestEnv;
let owner: Session;
let n = 0;

async function customer(session: Session, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await api(t.app, session).post("/api/v1/customers", { kind: "organization", name: `商机测试客户${++n}有限公司`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function contactOf(session: Session, customerId: string): Promise<{ id: string }> {
  const res = await api(t.app, session).post("/api/v1/contacts", { name: `联系人${++n}`, customers: [{ customerId }] });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function pipeline(session: Session, openStages: Record<string, unknown>[]): Promise<Pipeline> {
  const res = await api(t.app, session).post("/api/v1/pipelines", {
    name: `商机流程${++n}`,
    stages: [...openStages, { name: "赢单", probability: 100, kind: "won" }, { name: "输单", probability: 0, kind: "lost" }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function create(session: Session, body: Record<string, unknown>): Promise<Opportunity> {
  const res = await api(t.app, session).post("/api/v1/opportunities", { name: `商机${++n}`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const stage = (p: Pipeline, name: string) => p.stages.find((s) => s.name === name)!;

beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

describe("opportunities", () => {
  it("prices the products on the deal from the catalogue and the customer's terms; the amount is their sum", async () => {
    const p = await api(t.app, owner).post("/api/v1/products", { sku: `OPP-${++n}`, name: "工业传感器", unit: "台", listPrice: "1200.5", taxRate: "0.13" });
    expect(p.statusCode, p.body).toBe(201);
    const product = p.json<{ id: string; sku: string }>();
    const c = await customer(owner, { discountTerms: "95折" });
    const o = await create(owner, {
      customerId: c.id,
      lines: [
        { productId: product.id, quantity: "2" },
        { productId: product.id, quantity: "3", unitPrice: "0.1", discountRate: "0" },
      ],
    });
    // 2 × 1200.50 = 2401.00, less 5 % (120.05) = 2280.95; 3 × 0.10 = 0.30.
    expect(o.lines).toEqual([
      { lineNo: 1, productId: product.id, sku: product.sku, name: "工业传感器", quantity: "2.0000", unitPrice: "1200.5000", discountRate: "0.0500", amount: "2280.95" },
      { lineNo: 2, productId: product.id, sku: product.sku, name: "工业传感器", quantity: "3.0000", unitPrice: "0.1000", discountRate: "0.0000", amount: "0.30" },
    ]);
    expect(o).toMatchObject({ amount: "2281.25", currency: "CNY", status: "open" });
    const again = await api(t.app, owner).get(`/api/v1/opportunities/${o.id}`);
    expect(again.headers.etag).toBe(`"${o.version}"`);
    expect(again.json<Opportunity>().lines).toHaveLength(2);
    // A typed amount contradicts the products.
    const typed = await api(t.app, owner, "zh-CN").patch(`/api/v1/opportunities/${o.id}`, { version: o.version, amount: "10" });
    expect(typed.statusCode).toBe(400);
    expect(typed.json<ErrorBody>().error.message).toBe("商机金额由产品明细汇总得出，请修改产品明细");
    // Removing the products lets the amount be typed again.
    const cleared = await api(t.app, owner).patch(`/api/v1/opportunities/${o.id}`, { version: o.version, lines: [] });
    expect(cleared.json<Opportunity>()).toMatchObject({ amount: "2281.25", lines: [] });
    const retyped = await api(t.app, owner).patch(`/api/v1/opportunities/${o.id}`, { version: o.version + 1, amount: "99.9" });
    expect(retyped.json<Opportunity>().amount).toBe("99.90");
  });

  it("refuses a stage's move until its required fields are filled, then moves and records the history", async () => {
    const p = await pipeline(owner, [
      { name: "接洽", probability: 10 },
      { name: "报价", probability: 60, requiredFields: ["amount", "expectedClose", "contactId", "competitors"] },
    ]);
    const c = await customer(owner);
    const o = await create(owner, { customerId: c.id, pipelineId: p.id });
    expect(o.stageId).toBe(stage(p, "接洽").id);
    const zh = api(t.app, owner, "zh-CN");
    const refused = await zh.post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId: stage(p, "报价").id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error).toMatchObject({ message: "阶段“报价”要求填写：金额、预计成交日期、联系人、竞争对手", details: { missing: ["amount", "expectedClose", "contactId", "competitors"] } });
    const en = await api(t.app, owner).post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId: stage(p, "报价").id });
    expect(en.json<ErrorBody>().error.message).toBe("The stage “报价” requires: amount, expected close date, contact, competitors");
    expect((await api(t.app, owner).get(`/api/v1/opportunities/${o.id}`)).json<Opportunity>()).toMatchObject({ stageId: o.stageId, version: o.version });
    const contact = await contactOf(owner, c.id);
    const filled = await api(t.app, owner).patch(`/api/v1/opportunities/${o.id}`, { version: o.version, amount: "50000", expectedClose: "2031-06-30", contactId: contact.id, competitors: ["金蝶", "用友"] });
    expect(filled.statusCode, filled.body).toBe(200);
    const moved = await api(t.app, owner).post(`/api/v1/opportunities/${o.id}/move`, { stageId: stage(p, "报价").id }, { "if-match": `"${filled.json<Opportunity>().version}"` });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Opportunity>()).toMatchObject({ stageId: stage(p, "报价").id, status: "open" });
    // The stage now requires the contact: it cannot be emptied.
    const emptied = await zh.patch(`/api/v1/opportunities/${o.id}`, { version: moved.json<Opportunity>().version, contactId: null });
    expect(emptied.statusCode).toBe(400);
    expect(emptied.json<ErrorBody>().error.message).toBe("阶段“报价”要求填写：联系人");
    const history = (await api(t.app, owner).get(`/api/v1/opportunities/${o.id}/history`)).json<{ items: HistoryItem[] }>().items;
    expect(history.map((h) => [h.seq, h.stageName, h.leftAt === null])).toEqual([
      [1, "接洽", false],
      [2, "报价", true],
    ]);
    const events = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${o.id}`)).json<{ items: { action: string; data: Record<string, unknown> }[] }>().items;
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["opportunity.created", "opportunity.updated", "opportunity.stage_changed"]));
    expect(events.find((e) => e.action === "opportunity.stage_changed")!.data).toMatchObject({ from: stage(p, "接洽").id, to: stage(p, "报价").id });
  });

  it("closes as lost only with a reason, reopens, then wins; days in stage come from the history", async () => {
    const p = await pipeline(owner, [{ name: "接洽", probability: 10 }]);
    const c = await customer(owner);
    let o = await create(owner, { customerId: c.id, pipelineId: p.id, amount: "1000" });
    const a = api(t.app, owner, "zh-CN");
    const noReason = await a.post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId: stage(p, "输单").id });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<ErrorBody>().error.message).toBe("请填写输单原因");
    const lost = await a.post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId: stage(p, "输单").id, lossReason: "价格太高" });
    expect(lost.statusCode, lost.body).toBe(200);
    o = lost.json<Opportunity>();
    expect(o).toMatchObject({ status: "lost", lossReason: "价格太高" });
    expect(o.closedAt).not.toBeNull();
    const reopened = (await a.post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId: stage(p, "接洽").id })).json<Opportunity>();
    expect(reopened).toMatchObject({ status: "open", closedAt: null, lossReason: "" });
    // Pretend the opportunity entered this stage three days ago.
    await withTenant(t.database, { tenantId: owner.workspaceId }, (tx) =>
      tx.execute(`update opportunity_stage_history set entered_at = now() - interval '3 days' where opportunity_id = '${o.id}' and left_at is null`),
    );
    const won = (await a.post(`/api/v1/opportunities/${o.id}/move`, { version: reopened.version, stageId: stage(p, "赢单").id, winReason: "方案最优" })).json<Opportunity>();
    expect(won).toMatchObject({ status: "won", winReason: "方案最优" });
    const history = (await api(t.app, owner).get(`/api/v1/opportunities/${o.id}/history`)).json<{ items: HistoryItem[] }>().items;
    expect(history.map((h) => h.stageName)).toEqual(["接洽", "输单", "接洽", "赢单"]);
    expect(history.filter((h) => h.leftAt === null)).toHaveLength(1);
    expect(history[2]!.days).toBeGreaterThanOrEqual(2.99);
    expect(history[2]!.days).toBeLessThanOrEqual(3.01);
    expect(history[3]!.days).toBeLessThan(0.01);
  });

  it("answers 409 to a stale version and changes nothing", async () => {
    const c = await customer(owner);
    const o = await create(owner, { customerId: c.id, amount: "10" });
    const a = api(t.app, owner);
    const first = await a.patch(`/api/v1/opportunities/${o.id}`, { name: "第一次修改" }, { "if-match": `"${o.version}"` });
    expect(first.statusCode).toBe(200);
    const second = await a.patch(`/api/v1/opportunities/${o.id}`, { name: "第二次修改" }, { "if-match": `"${o.version}"` });
    expect(second.statusCode).toBe(409);
    expect(second.json<ErrorBody>().error.details).toMatchObject({ currentVersion: o.version + 1 });
    const [, next] = (await a.get("/api/v1/pipelines")).json<{ items: Pipeline[] }>().items[0]!.stages;
    const move = await a.post(`/api/v1/opportunities/${o.id}/move`, { stageId: next!.id, version: o.version });
    expect(move.statusCode).toBe(409);
    expect((await a.post(`/api/v1/opportunities/${o.id}/move`, { stageId: next!.id })).statusCode).toBe(400);
    expect((await a.get(`/api/v1/opportunities/${o.id}`)).json<Opportunity>()).toMatchObject({ name: "第一次修改", stageId: o.stageId, version: o.version + 1 });
  });

  it("refuses bad input with clear errors and creates or changes nothing", async () => {
    const c = await customer(owner);
    const other = await createWorkspace(t);
    const foreign = await customer(other);
    const otherPipeline = await pipeline(owner, [{ name: "别的流程阶段", probability: 5 }]);
    const stranger = await contactOf(owner, (await customer(owner)).id);
    const zh = api(t.app, owner, "zh-CN");
    const count = async () => (await api(t.app, owner).get(`/api/v1/opportunities?filter=customerId:eq:${c.id}`)).json<{ items: unknown[] }>().items.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ customerId: c.id, amount: "-1" }, "金额不能为负数"],
      [{ customerId: c.id, amount: "1.234" }, "最多 2 位小数"],
      [{ customerId: c.id, currency: "rmb" }, "币种代码"],
      [{ customerId: foreign.id }, "未找到客户"],
      [{ customerId: c.id, contactId: stranger.id }, "该联系人不属于商机的客户"],
      [{ customerId: c.id, budget: "100" }, ""],
      [{ customerId: c.id, stageId: stage(otherPipeline, "赢单").id }, "新商机只能创建在进行中的阶段"],
      [{ customerId: c.id, lines: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: "1" }] }, "未找到产品"],
      [{ customerId: c.id, ownerId: other.userId }, "未找到用户"],
    ];
    for (const [body, message] of cases) {
      const res = await zh.post("/api/v1/opportunities", { name: "坏商机", ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toContain(message);
    }
    expect(await count()).toBe(0);
    const o = await create(owner, { customerId: c.id, amount: "5" });
    const wrongStage = await zh.post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId: stage(otherPipeline, "别的流程阶段").id });
    expect(wrongStage.statusCode).toBe(400);
    expect(wrongStage.json<ErrorBody>().error.message).toBe("该阶段不属于商机所在的销售流程");
    const negative = await zh.patch(`/api/v1/opportunities/${o.id}`, { version: o.version, amount: "-5" });
    expect(negative.json<ErrorBody>().error.message).toBe("金额不能为负数");
    expect((await api(t.app, owner).get(`/api/v1/opportunities/${o.id}`)).json<Opportunity>()).toMatchObject({ amount: "5.00", version: o.version, stageId: o.stageId });
  });

  it("lists with filters, sorts and q; shows a sales rep only their own; deletes softly", async () => {
    const rep = await addUser(t, owner, "sales");
    const other = await addUser(t, owner, "sales");
    const c = await customer(owner, { ownerId: rep.id });
    const mine = await create(rep, { customerId: c.id, name: "华东区年度框架协议", amount: "300", expectedClose: "2030-03-01" });
    const mine2 = await create(rep, { customerId: c.id, name: "华东区试点项目", amount: "20", expectedClose: "2030-01-01" });
    const theirs = await create(owner, { customerId: c.id, name: "华东区经理的商机", ownerId: other.id, amount: "1" });
    const ids = async (session: Session, query: string) => (await api(t.app, session).get(`/api/v1/opportunities?${query}`)).json<{ items: { id: string }[] }>().items.map((o) => o.id);
    expect(await ids(rep, `filter=customerId:eq:${c.id}&sort=amount`)).toEqual([mine2.id, mine.id]);
    expect(await ids(owner, `filter=customerId:eq:${c.id}&sort=-amount`)).toEqual([mine.id, mine2.id, theirs.id]);
    expect(await ids(owner, `filter=customerId:eq:${c.id}&sort=expectedClose`)).toEqual([mine2.id, mine.id, theirs.id]);
    expect(await ids(owner, `q=${encodeURIComponent("框架")}`)).toEqual([mine.id]);
    expect(await ids(owner, `filter=customerId:eq:${c.id}&filter=amount:gte:20`)).toHaveLength(2);
    expect((await api(t.app, rep).get(`/api/v1/opportunities/${theirs.id}`)).statusCode).toBe(404);
    expect((await api(t.app, rep).post(`/api/v1/opportunities/${theirs.id}/move`, { version: 1, stageId: theirs.stageId })).statusCode).toBe(404);
    // Reps may not delete; owners may, and the opportunity leaves every list.
    expect((await api(t.app, rep).del(`/api/v1/opportunities/${mine.id}`)).statusCode).toBe(403);
    expect((await api(t.app, owner).del(`/api/v1/opportunities/${mine.id}`)).statusCode).toBe(204);
    expect(await ids(rep, `filter=customerId:eq:${c.id}`)).toEqual([mine2.id]);
    expect((await api(t.app, owner).get(`/api/v1/opportunities/${mine.id}`)).statusCode).toBe(404);
  });
});
