import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate, serverZone } from "../../lib/calendar.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Target {
  id: string;
  scope: string;
  scopeId: string;
  scopeName: string;
  metric: string;
  amount: string;
  actual: string;
  attainment: number | null;
  childrenTotal: string;
  childCount: number;
  parentId: string | null;
  version: number;
  period: { start: string; end: string };
  children?: Target[];
}
interface Leaderboard {
  items: { rank: number; userId: string; actual: string; target: string | null; attainment: number | null }[];
}
interface Forecast {
  items: { ownerId: string; openCount: number; pipeline: string; weighted: string; actual: string; projected: string; target: string | null }[];
  totals: { weighted: string; actual: string };
}

let t: TestEnv;
let admin: Session;
let manager: Session & { id: string };
let rep1: Session & { id: string };
let rep2: Session & { id: string };
let rep3: Session & { id: string };
let sales: string;
let north: string;
let south: string;
let team: string;
let n = 0;

const MARCH = "2026-03-10";

async function customer(ownerId: string): Promise<string> {
  const res = await api(t.app, admin).post("/api/v1/customers", { kind: "organization", name: `目标测试客户${++n}有限公司`, ownerId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** An order of `total` for `ownerId`, submitted (approved: no limits) unless `draft`. */
async function order(ownerId: string, total: string, orderDate: string, draft = false): Promise<{ id: string; version: number; customerId: string }> {
  const customerId = await customer(ownerId);
  const created = await api(t.app, admin).post("/api/v1/orders", { customerId, ownerId, orderDate, lines: [{ name: "设备", quantity: "1", unitPrice: total, taxRate: "0", discountRate: "0" }] });
  expect(created.statusCode, created.body).toBe(201);
  const o = created.json<{ id: string; version: number }>();
  if (draft) return { ...o, customerId };
  const submitted = await api(t.app, admin).post(`/api/v1/orders/${o.id}/submit`, { version: o.version });
  expect(submitted.json<{ status: string }>().status, submitted.body).toBe("approved");
  return { ...submitted.json<{ id: string; version: number }>(), customerId };
}

const create = (session: Session, body: Record<string, unknown>, lang = "en-US") =>
  api(t.app, session, lang).post("/api/v1/targets", { metric: "order_amount", periodType: "month", periodStart: MARCH, ...body });
const list = async (session: Session, query = `?on=${MARCH}&metric=order_amount`) => {
  const res = await api(t.app, session).get(`/api/v1/targets${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Target[] }>().items;
};

beforeAll(async () => {
  t = await startTestEnv();
  admin = await createWorkspace(t);
  const as = api(t.app, admin);
  sales = (await as.post("/api/v1/departments", { name: "销售部" })).json<{ id: string }>().id;
  north = (await as.post("/api/v1/departments", { name: "华北组", parentId: sales })).json<{ id: string }>().id;
  south = (await as.post("/api/v1/departments", { name: "华南事业部" })).json<{ id: string }>().id;
  team = (await as.post("/api/v1/teams", { name: "大客户团队" })).json<{ id: string }>().id;
  manager = await addUser(t, admin, "manager", { departmentId: sales, name: "经理" });
  rep1 = await addUser(t, admin, "sales", { departmentId: sales, teamIds: [team], name: "张三" });
  rep2 = await addUser(t, admin, "sales", { departmentId: north, name: "李四" });
  rep3 = await addUser(t, admin, "sales", { departmentId: south, name: "王五" });

  // March 2026: rep1 1000 (+ a cancelled 500 and a draft 300), rep2 2000, rep3 700; rep1 also 50 in February.
  const o1 = await order(rep1.id, "1000", "2026-03-02");
  const cancelled = await order(rep1.id, "500", "2026-03-03");
  await api(t.app, admin).post(`/api/v1/orders/${cancelled.id}/cancel`, { version: cancelled.version, reason: "客户取消" });
  await order(rep1.id, "300", "2026-03-04", true);
  const o2 = await order(rep2.id, "2000", "2026-03-20");
  await order(rep3.id, "700", "2026-03-05");
  await order(rep1.id, "50", "2026-02-28");
  // Money received: 400 for rep1 in March, 2000 for rep2 in April.
  expect((await api(t.app, admin).post("/api/v1/payments", { customerId: o1.customerId, amount: "400", currency: "CNY", receivedOn: "2026-03-15" })).statusCode).toBe(201);
  expect((await api(t.app, admin).post("/api/v1/payments", { customerId: o2.customerId, amount: "2000", currency: "CNY", receivedOn: "2026-04-02" })).statusCode).toBe(201);
});
afterAll(async () => t?.close());

describe("targets: setting and breaking down", () => {
  let company: Target;
  let salesTarget: Target;

  it("sets a company target and breaks it down to departments, refusing children above the parent (localized 400)", async () => {
    const res = await create(admin, { scope: "company", amount: "5000" });
    expect(res.statusCode, res.body).toBe(201);
    company = res.json<Target>();
    expect(company).toMatchObject({ scope: "company", scopeId: admin.workspaceId, amount: "5000.00", period: { start: "2026-03-01", end: "2026-03-31" } });

    const child = await create(admin, { scope: "department", scopeId: sales, amount: "3000", parentId: company.id });
    expect(child.statusCode, child.body).toBe(201);
    salesTarget = child.json<Target>();

    const over = await create(admin, { scope: "department", scopeId: south, amount: "2500.01", parentId: company.id }, "zh-CN");
    expect(over.statusCode).toBe(400);
    const error = over.json<{ error: { code: string; message: string; details: Record<string, string> } }>().error;
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toBe(`从“${company.scopeName}”分解出的目标合计 5500.01，超过了上级目标 5000.00`);
    expect(error.details).toMatchObject({ parentAmount: "5000.00", childrenTotal: "5500.01" });
    expect((await create(admin, { scope: "department", scopeId: south, amount: "2000", parentId: company.id })).statusCode).toBe(201);

    const detail = (await api(t.app, admin).get(`/api/v1/targets/${company.id}`)).json<Target>();
    expect(detail.childrenTotal).toBe("5000.00");
    expect(detail.children!.map((c) => c.scopeName).sort()).toEqual(["华南事业部", "销售部"]);
  });

  it("breaks a department down to people and sub-departments in one go, all or nothing", async () => {
    const ok = await api(t.app, admin).post(`/api/v1/targets/${salesTarget.id}/breakdown`, {
      children: [
        { scope: "user", scopeId: rep1.id, amount: "1200" },
        { scope: "department", scopeId: north, amount: "1500" },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Target>().childrenTotal).toBe("2700.00");

    const tooMuch = await api(t.app, admin).post(`/api/v1/targets/${salesTarget.id}/breakdown`, { children: [{ scope: "user", scopeId: rep1.id, amount: "1600" }] });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json<{ error: { message: string } }>().error.message).toContain("more than its 3000.00");
    const after = (await api(t.app, admin).get(`/api/v1/targets/${salesTarget.id}`)).json<Target>();
    expect(after.children!.find((c) => c.scopeId === rep1.id)?.amount).toBe("1200.00");

    // A department's target cannot go below what it was broken into; one with children cannot be deleted.
    const lower = await api(t.app, admin).patch(`/api/v1/targets/${salesTarget.id}`, { version: after.version, amount: "2000" });
    expect(lower.statusCode).toBe(400);
    expect(lower.json<{ error: { message: string } }>().error.message).toContain("2700.00");
    expect((await api(t.app, admin).del(`/api/v1/targets/${salesTarget.id}`)).statusCode).toBe(400);
    const stale = await api(t.app, admin).patch(`/api/v1/targets/${salesTarget.id}`, { version: after.version + 5, amount: "3000" });
    expect(stale.statusCode).toBe(409);
  });

  it("breaks down only downwards and within one metric and period; one target per scope, metric and period", async () => {
    const rep1Target = (await list(admin)).find((x) => x.scope === "user" && x.scopeId === rep1.id)!;
    const upwards = await create(admin, { scope: "department", scopeId: north, metric: "order_amount", amount: "1", parentId: rep1Target.id });
    expect(upwards.statusCode).toBe(400);
    const otherMonth = await create(admin, { scope: "user", scopeId: rep2.id, periodStart: "2026-04-01", amount: "1", parentId: salesTarget.id });
    expect(otherMonth.statusCode).toBe(400);
    const dup = await create(admin, { scope: "user", scopeId: rep1.id, amount: "1" });
    expect(dup.statusCode).toBe(409);
    const fraction = await create(admin, { scope: "user", scopeId: rep1.id, metric: "won_deals", amount: "1.5" });
    expect(fraction.statusCode).toBe(400);
    // A sibling department is not below 销售部.
    const sideways = await create(admin, { scope: "department", scopeId: south, metric: "order_amount", periodStart: "2026-03-01", amount: "1", parentId: salesTarget.id });
    expect(sideways.statusCode).toBe(400);
  });

  it("breaks a team's or department's target down only to its members (a department's also to people of departments below it)", async () => {
    type ErrorBody = { error: { code: string; message: string; details: Record<string, string> } };
    const wonDeals = { metric: "won_deals" };
    const teamTarget = (await create(admin, { ...wonDeals, scope: "team", scopeId: team, amount: "10" })).json<Target>();
    const breakdown = (id: string, children: object[], lang = "en-US") => api(t.app, admin, lang).post(`/api/v1/targets/${id}/breakdown`, { children });

    const stranger = await breakdown(teamTarget.id, [{ scope: "user", scopeId: rep2.id, amount: "3" }], "zh-CN");
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json<ErrorBody>().error).toMatchObject({ code: "VALIDATION", message: "李四 不属于团队“大客户团队”，团队或部门的目标只能分解给其成员", details: { field: "children.0.scopeId" } });
    // All or nothing: the member's line before it is not written either.
    const mixed = await breakdown(teamTarget.id, [
      { scope: "user", scopeId: rep1.id, amount: "3" },
      { scope: "user", scopeId: rep3.id, amount: "3" },
    ]);
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json<ErrorBody>().error).toMatchObject({ message: "王五 is not in the team 大客户团队: a target under a team's or department's is for one of its members", details: { field: "children.1.scopeId" } });
    expect((await api(t.app, admin).get(`/api/v1/targets/${teamTarget.id}`)).json<Target>()).toMatchObject({ childCount: 0, children: [] });
    expect((await breakdown(teamTarget.id, [{ scope: "user", scopeId: rep1.id, amount: "3" }])).statusCode).toBe(200);

    // 张三 works in 销售部, above 华北组: not one of 华北组's people.
    const northTarget = (await create(admin, { ...wonDeals, scope: "department", scopeId: north, amount: "5" })).json<Target>();
    const above = await create(admin, { ...wonDeals, scope: "user", scopeId: rep1.id, periodStart: "2026-03-01", amount: "1", parentId: northTarget.id });
    expect(above.statusCode).toBe(400);
    expect(above.json<ErrorBody>().error).toMatchObject({ message: "张三 is not in the department 华北组: a target under a team's or department's is for one of its members", details: { field: "scopeId" } });
    const salesWon = (await create(admin, { ...wonDeals, scope: "department", scopeId: sales, amount: "20" })).json<Target>();
    const outside = await create(admin, { ...wonDeals, scope: "user", scopeId: rep3.id, amount: "1", parentId: salesWon.id });
    expect(outside.statusCode).toBe(400);
    expect(outside.json<ErrorBody>().error).toMatchObject({ message: "王五 is not in the department 销售部: a target under a team's or department's is for one of its members", details: { field: "scopeId" } });
    // 李四 is in 华北组, below 销售部: both may hold 李四's target.
    expect((await breakdown(salesWon.id, [{ scope: "user", scopeId: rep2.id, amount: "4" }])).statusCode).toBe(200);
    const manager2 = await create(admin, { ...wonDeals, scope: "user", scopeId: manager.id, amount: "1", parentId: northTarget.id });
    expect(manager2.statusCode).toBe(400);

    // Moving a person's target under a team they are not in is refused the same way, nothing changed.
    const rep3Won = (await create(admin, { ...wonDeals, scope: "user", scopeId: rep3.id, amount: "2" })).json<Target>();
    const moved = await api(t.app, admin).patch(`/api/v1/targets/${rep3Won.id}`, { version: rep3Won.version, parentId: teamTarget.id });
    expect(moved.statusCode).toBe(400);
    expect(moved.json<ErrorBody>().error.details).toMatchObject({ field: "parentId" });
    expect((await api(t.app, admin).get(`/api/v1/targets/${rep3Won.id}`)).json<Target>()).toMatchObject({ parentId: null, version: rep3Won.version });
  });

  it("lets reps read but not set targets; a manager sets them only inside their department", async () => {
    expect((await create(rep1, { scope: "user", scopeId: rep1.id, metric: "payment_amount", amount: "1" })).statusCode).toBe(403);
    expect((await create(manager, { scope: "user", scopeId: rep3.id, metric: "payment_amount", amount: "1" })).statusCode).toBe(403);
    const own = await create(manager, { scope: "user", scopeId: rep1.id, metric: "payment_amount", amount: "500" });
    expect(own.statusCode, own.body).toBe(201);
  });
});

describe("targets: progress, visibility, leaderboard, forecast", () => {
  beforeAll(async () => {
    // Targets of team and rep2 / rep3 for the remaining checks.
    expect((await create(admin, { scope: "team", scopeId: team, amount: "800" })).statusCode).toBe(201);
    expect((await create(admin, { scope: "user", scopeId: rep3.id, amount: "1000" })).statusCode).toBe(201);
    const northTarget = (await list(admin)).find((x) => x.scopeId === north)!;
    expect((await create(admin, { scope: "user", scopeId: rep2.id, amount: "1500", parentId: northTarget.id })).statusCode).toBe(201);
  });

  it("computes each target's actual exactly: people, teams, departments with those below, the company", async () => {
    const byScope = new Map((await list(admin)).map((x) => [x.scopeId, x]));
    expect(byScope.get(admin.workspaceId)).toMatchObject({ actual: "3700.00", attainment: 0.74 });
    expect(byScope.get(sales)).toMatchObject({ actual: "3000.00", attainment: 1 });
    expect(byScope.get(north)).toMatchObject({ actual: "2000.00", attainment: 1.3333 });
    expect(byScope.get(south)).toMatchObject({ actual: "700.00", attainment: 0.35 });
    expect(byScope.get(team)).toMatchObject({ actual: "1000.00", attainment: 1.25 });
    expect(byScope.get(rep1.id)).toMatchObject({ actual: "1000.00", amount: "1200.00", attainment: 0.8333 });
    expect(byScope.get(rep2.id)).toMatchObject({ actual: "2000.00" });
    const payments = await list(admin, `?on=${MARCH}&metric=payment_amount`);
    expect(payments.find((x) => x.scopeId === rep1.id)).toMatchObject({ actual: "400.00", amount: "500.00", attainment: 0.8 });
  });

  it("counts new customers and won deals of the period", async () => {
    const today = localDate(serverZone());
    const customerId = await customer(rep3.id);
    const opp = (await api(t.app, admin).post("/api/v1/opportunities", { name: "成交商机", customerId, ownerId: rep3.id, amount: "100", expectedClose: today })).json<{ id: string; version: number; pipelineId: string }>();
    const pipeline = (await api(t.app, admin).get(`/api/v1/pipelines/${opp.pipelineId}`)).json<{ stages: { id: string; kind: string }[] }>();
    const won = pipeline.stages.find((s) => s.kind === "won")!;
    const moved = await api(t.app, admin).post(`/api/v1/opportunities/${opp.id}/move`, { version: opp.version, stageId: won.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await create(admin, { scope: "user", scopeId: rep3.id, metric: "won_deals", periodStart: today, amount: "4" })).statusCode).toBe(201);
    expect((await create(admin, { scope: "department", scopeId: south, metric: "new_customers", periodStart: today, amount: "10" })).statusCode).toBe(201);
    const now = await list(admin, `?on=${today}`);
    expect(now.find((x) => x.metric === "won_deals" && x.scopeId === rep3.id)).toMatchObject({ actual: "1", attainment: 0.25 });
    // rep3's customers created by this file: one per order (1) and this one.
    expect(now.find((x) => x.metric === "new_customers" && x.scopeId === south)).toMatchObject({ actual: "2", attainment: 0.2 });
  });

  it("shows a rep their own targets, a manager their department's, the admin all", async () => {
    const scopes = async (s: Session) => (await list(s)).map((x) => x.scopeId).sort();
    expect(await scopes(rep1)).toEqual([rep1.id]);
    expect(await scopes(rep3)).toEqual([rep3.id]);
    expect(await scopes(manager)).toEqual([sales, north, team, rep1.id, rep2.id].sort());
    expect(await scopes(admin)).toEqual([admin.workspaceId, sales, north, south, team, rep1.id, rep2.id, rep3.id].sort());
    const company = (await list(admin)).find((x) => x.scope === "company")!;
    expect((await api(t.app, manager).get(`/api/v1/targets/${company.id}`)).statusCode).toBe(404);
    expect((await api(t.app, rep1).get(`/api/v1/targets/${company.id}`)).statusCode).toBe(404);
  });

  it("ranks the people one may see", async () => {
    const board = async (s: Session) => (await api(t.app, s).get(`/api/v1/targets/leaderboard?metric=order_amount&periodType=month&on=${MARCH}`)).json<Leaderboard>().items;
    const all = await board(admin);
    expect(all.slice(0, 3).map((i) => [i.rank, i.userId, i.actual, i.target])).toEqual([
      [1, rep2.id, "2000.00", "1500.00"],
      [2, rep1.id, "1000.00", "1200.00"],
      [3, rep3.id, "700.00", "1000.00"],
    ]);
    expect(all.slice(3).every((i) => i.actual === "0.00" && i.rank === 4)).toBe(true);
    expect((await board(rep1)).map((i) => i.userId)).toEqual([rep1.id]);
    expect((await board(manager)).map((i) => i.userId)).toEqual([rep2.id, rep1.id, manager.id]);
  });

  it("forecasts the period from open opportunities × probability beside orders so far", async () => {
    const customerId = await customer(rep1.id);
    const res = await api(t.app, admin).post("/api/v1/opportunities", { name: "三月大单", customerId, ownerId: rep1.id, amount: "10000", probability: 30, expectedClose: "2026-03-25" });
    expect(res.statusCode, res.body).toBe(201);
    await api(t.app, admin).post("/api/v1/opportunities", { name: "四月单", customerId, ownerId: rep1.id, amount: "999", probability: 90, expectedClose: "2026-04-02" });
    const forecast = async (s: Session) => (await api(t.app, s).get(`/api/v1/targets/forecast?periodType=month&on=${MARCH}`)).json<Forecast>();
    const mine = await forecast(rep1);
    expect(mine.items).toEqual([{ ownerId: rep1.id, name: "张三", openCount: 1, pipeline: "10000.00", weighted: "3000.00", actual: "1000.00", projected: "4000.00", target: "1200.00", projectedAttainment: 3.3333 }]);
    const everyone = await forecast(admin);
    expect(everyone.totals).toMatchObject({ weighted: "3000.00", actual: "3700.00" });
  });
});
