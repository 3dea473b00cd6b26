import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { money } from "../../lib/money.js";
import { localDate, serverZone } from "../../lib/calendar.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { expectRollupConsistent } from "./test-support.js";

interface Dashboard {
  totals: { orders: number; amount: string; payments: string } | null;
  months: { month: string; orders: number; amount: string; payments: string }[] | null;
  receivables: { total: string; overdue: string; buckets: Record<string, string> } | null;
  conversion: { leads: number; converted: number; rate: number | null } | null;
  pipeline: { stages: { kind: string; count: number; amount: string; weighted: string }[]; winRate: number | null } | null;
  targets: { scopeId: string; actual: string }[] | null;
}
interface Order {
  id: string;
  version: number;
  customerId: string;
}

let t: TestEnv;
let admin: Session;
let manager: Session & { id: string };
let rep1: Session & { id: string };
let rep2: Session & { id: string };
let n = 0;

async function order(session: Session, ownerId: string, total: string, orderDate: string, submit = true): Promise<Order> {
  const c = await api(t.app, admin).post("/api/v1/customers", { kind: "organization", name: `看板测试客户${++n}有限公司`, ownerId });
  const customerId = c.json<{ id: string }>().id;
  const created = await api(t.app, session).post("/api/v1/orders", { customerId, ownerId, orderDate, lines: [{ name: "服务", quantity: "3", unitPrice: total, taxRate: "0.13", discountRate: "0.05" }] });
  expect(created.statusCode, created.body).toBe(201);
  const o = created.json<Order>();
  if (!submit) return { ...o, customerId };
  const submitted = await api(t.app, session).post(`/api/v1/orders/${o.id}/submit`, { version: o.version });
  expect(submitted.statusCode, submitted.body).toBe(200);
  return { ...submitted.json<Order>(), customerId };
}

const dashboard = async (s: Session, query = "?from=2026-03-01&to=2026-03-31") => {
  const res = await api(t.app, s).get(`/api/v1/sales-dashboard${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Dashboard>();
};

beforeAll(async () => {
  t = await startTestEnv();
  admin = await createWorkspace(t);
  const dept = (await api(t.app, admin).post("/api/v1/departments", { name: "一部" })).json<{ id: string }>().id;
  const other = (await api(t.app, admin).post("/api/v1/departments", { name: "二部" })).json<{ id: string }>().id;
  manager = await addUser(t, admin, "manager", { departmentId: dept });
  rep1 = await addUser(t, admin, "sales", { departmentId: dept });
  rep2 = await addUser(t, admin, "sales", { departmentId: other });
});
afterAll(async () => t?.close());

describe("sales dashboard", () => {
  it("gives a rep their own figures, a manager their department's, the admin everyone's", async () => {
    // 3 × 100 less 5 % plus 13 % tax = 322.05 for rep1; 3 × 200 → 644.10 for rep2.
    const o1 = await order(rep1, rep1.id, "100", "2026-03-02");
    const o2 = await order(admin, rep2.id, "200", "2026-03-05");
    expect((await api(t.app, admin).post("/api/v1/payments", { customerId: o1.customerId, amount: "22.05", currency: "CNY", receivedOn: "2026-03-15" })).statusCode).toBe(201);
    const plan = await api(t.app, admin).put(`/api/v1/orders/${o2.id}/payment-plan`, {
      version: o2.version,
      instalments: [
        { dueDate: "2026-10-30", amount: "144.10" },
        { dueDate: "2099-11-30", amount: "500.00" },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(200);
    const opp = await api(t.app, admin).post("/api/v1/opportunities", { name: "三月商机", customerId: o1.customerId, ownerId: rep1.id, amount: "1000", probability: 50, expectedClose: "2026-03-20" });
    expect(opp.statusCode, opp.body).toBe(201);
    for (let i = 0; i < 2; i++) await api(t.app, rep1).post("/api/v1/leads", { name: `线索${i}`, phone: `1380000${1000 + i}` });

    const mine = await dashboard(rep1);
    expect(mine.totals).toEqual({ orders: 1, amount: "322.05", payments: "22.05" });
    expect(mine.months).toEqual([{ month: "2026-03", orders: 1, amount: "322.05", payments: "22.05" }]);
    expect(mine.receivables).toMatchObject({ total: "300.00", overdue: "300.00", buckets: { d90_plus: "300.00", current: "0.00" } });
    expect((await dashboard(manager)).totals).toEqual(mine.totals);
    expect((await dashboard(rep2)).totals).toEqual({ orders: 1, amount: "644.10", payments: "0.00" });
    const all = await dashboard(admin);
    expect(all.totals).toEqual({ orders: 2, amount: "966.15", payments: "22.05" });
    expect(all.receivables).toMatchObject({ total: "944.10", overdue: "444.10", buckets: { current: "500.00", d1_30: "144.10", d90_plus: "300.00" } });

    const thisYear = `?from=2026-01-01&to=${localDate(serverZone())}`;
    expect((await dashboard(rep1, thisYear)).conversion).toEqual({ leads: 2, converted: 0, rate: 0 });
    expect((await dashboard(rep2, thisYear)).conversion).toEqual({ leads: 0, converted: 0, rate: null });
    expect((await dashboard(admin, thisYear)).months).toHaveLength(Number(localDate(serverZone()).slice(5, 7)));
    const open = (d: Dashboard) => d.pipeline!.stages.filter((s) => s.kind === "open").reduce((acc, s) => ({ count: acc.count + s.count, weighted: money(acc.weighted).plus(s.weighted).toFixed(2) }), { count: 0, weighted: "0.00" });
    expect(open(mine)).toEqual({ count: 1, weighted: "500.00" });
    expect(open(all)).toEqual({ count: 1, weighted: "500.00" });
    expect(open(await dashboard(rep2))).toEqual({ count: 0, weighted: "0.00" });
  });

  it("refuses a range that ends before it starts", async () => {
    expect((await api(t.app, admin).get("/api/v1/sales-dashboard?from=2026-03-02&to=2026-03-01")).statusCode).toBe(400);
  });
});

describe("the sales roll-up", () => {
  const expectConsistent = () => expectRollupConsistent(t, admin.workspaceId, [rep1.id, rep2.id]);

  it("stays equal to the orders and payments through creating, submitting, cancelling, paying, voiding and re-planning", async () => {
    await expectConsistent();
    const draft = await order(admin, rep1.id, "33.33", "2026-05-31", false);
    await expectConsistent();
    const submitted = await api(t.app, admin).post(`/api/v1/orders/${draft.id}/submit`, { version: draft.version });
    expect(submitted.statusCode).toBe(200);
    await expectConsistent();
    const toCancel = await order(admin, rep2.id, "10", "2026-06-01");
    const cancelled = await api(t.app, admin).post(`/api/v1/orders/${toCancel.id}/cancel`, { version: toCancel.version, reason: "录错" });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await expectConsistent();
    // Payment of part of an order in its currency, then voided.
    const paid = await api(t.app, admin).post("/api/v1/payments", { customerId: draft.customerId, amount: "50.01", currency: "CNY", receivedOn: "2026-06-10" });
    expect(paid.statusCode, paid.body).toBe(201);
    await expectConsistent();
    const p = paid.json<{ id: string; version: number }>();
    const voided = await api(t.app, admin).post(`/api/v1/payments/${p.id}/void`, { reason: "退票", version: p.version });
    expect(voided.statusCode, voided.body).toBe(200);
    await expectConsistent();
    // A plan on that order, then paid in two parts.
    const current = (await api(t.app, admin).get(`/api/v1/orders/${draft.id}`)).json<{ version: number; total: string }>();
    const plan = await api(t.app, admin).put(`/api/v1/orders/${draft.id}/payment-plan`, {
      version: current.version,
      instalments: [
        { dueDate: "2026-07-01", amount: "50.00" },
        { dueDate: "2026-12-31", amount: money(current.total).minus(50).toFixed(2) },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(200);
    await expectConsistent();
    for (const [amount, on] of [["60", "2026-07-02"], ["0.01", "2026-07-03"]] as const) {
      const res = await api(t.app, admin).post("/api/v1/payments", { customerId: draft.customerId, amount, currency: "CNY", receivedOn: on });
      expect(res.statusCode, res.body).toBe(201);
      await expectConsistent();
    }
    const o = (await api(t.app, admin).get(`/api/v1/orders/${draft.id}`)).json<{ version: number }>();
    expect((await api(t.app, admin).post(`/api/v1/orders/${draft.id}/deliver`, { version: o.version })).statusCode).toBe(200);
    await expectConsistent();
  });
});
