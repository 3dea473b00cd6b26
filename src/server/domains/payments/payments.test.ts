import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { remindOverdueInstalments } from "./receivables.js";

interface Order {
  id: string;
  number: string;
  status: string;
  version: number;
  total: string;
  paid: string;
}
interface Instalment {
  seq: number;
  amount: string;
  paid: string;
  paidOn: string | null;
  status: string;
  daysOverdue: number;
}
interface Payment {
  id: string;
  number: string;
  version: number;
  amount: string;
  allocations: { orderId: string; orderNumber: string; amount: string }[];
}
type Ageing = Record<"current" | "d1_30" | "d31_60" | "d61_90" | "d90_plus" | "total", string>;

let t: TestEnv;
let owner: Session;
let n = 0;

beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

async function customer(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: `回款测试客户${++n}有限公司`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** An approved order of `total` (one tax-free line) dated `orderDate`. */
async function approvedOrder(customerId: string, total: string, orderDate = "2026-01-01", session = owner): Promise<Order> {
  const created = await api(t.app, session).post("/api/v1/orders", { customerId, orderDate, lines: [{ name: "设备", quantity: "1", unitPrice: total, taxRate: "0", discountRate: "0" }] });
  expect(created.statusCode, created.body).toBe(201);
  const o = created.json<Order>();
  const submitted = await api(t.app, session).post(`/api/v1/orders/${o.id}/submit`, { version: o.version });
  expect(submitted.json<Order>().status, submitted.body).toBe("approved");
  return submitted.json();
}

const order = async (id: string) => (await api(t.app, owner).get(`/api/v1/orders/${id}`)).json<Order>();
const plan = async (id: string) => (await api(t.app, owner).get(`/api/v1/orders/${id}/payment-plan`)).json<{ items: Instalment[] }>().items;
const pay = (body: Record<string, unknown>, session = owner, lang = "en-US") => api(t.app, session, lang).post("/api/v1/payments", { currency: "CNY", method: "bank_transfer", ...body });

describe("payment plans and payments", () => {
  it("takes two instalment payments: the order, its instalments, receivables and the credit position follow", async () => {
    const c = await customer({ creditLimit: "5000" });
    const o = await approvedOrder(c, "1000");
    const set = await api(t.app, owner).put(`/api/v1/orders/${o.id}/payment-plan`, {
      version: o.version,
      instalments: [
        { dueDate: "2026-01-31", amount: "600" },
        { dueDate: "2026-01-10", amount: "400" },
      ],
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<{ items: Instalment[] }>().items.map((i) => [i.seq, i.amount])).toEqual([
      [1, "400.00"],
      [2, "600.00"],
    ]);

    const first = await pay({ customerId: c, amount: "400", receivedOn: "2026-01-08", reference: `TX-${n}-1` });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<Payment>()).toMatchObject({ number: expect.stringMatching(/^HK\d{6}\d{5}$/), allocations: [{ orderId: o.id, amount: "400.00" }] });
    expect((await order(o.id)).paid).toBe("400.00");
    expect((await plan(o.id)).map((i) => [i.paid, i.paidOn, i.status])).toEqual([
      ["400.00", "2026-01-08", "paid"],
      ["0.00", null, "overdue"],
    ]);

    const mid = (await api(t.app, owner).get("/api/v1/receivables?asOf=2026-02-15")).json<{ totals: Ageing; customers: ({ customerId: string } & Ageing)[] }>();
    expect(mid.customers.find((r) => r.customerId === c)).toMatchObject({ current: "0.00", d1_30: "600.00", total: "600.00" });
    expect((await api(t.app, owner).get(`/api/v1/customers/${c}/credit`)).json()).toMatchObject({ outstanding: "600.00", available: "4400.00" });

    const second = await pay({ customerId: c, amount: "600", receivedOn: "2026-02-10", reference: `TX-${n}-2` });
    expect(second.statusCode, second.body).toBe(201);
    expect((await order(o.id)).paid).toBe("1000.00");
    expect((await plan(o.id)).map((i) => i.status)).toEqual(["paid", "paid"]);
    expect((await api(t.app, owner).get(`/api/v1/customers/${c}/credit`)).json()).toMatchObject({ outstanding: "0.00", available: "5000.00" });
    // One instalment on time, one 10 days late.
    expect((await api(t.app, owner).get(`/api/v1/customers/${c}/payment-record`)).json()).toMatchObject({ instalmentsDue: 2, paidOnTime: 1, paidLate: 1, averageDaysLate: 10, maxDaysLate: 10, unpaid: 0 });
    // Paid orders cannot be cancelled.
    const cancel = await api(t.app, owner).post(`/api/v1/orders/${o.id}/cancel`, { version: (await order(o.id)).version, reason: "x" });
    expect(cancel.statusCode).toBe(400);
  });

  it("refuses a plan that does not add up, or on a draft", async () => {
    const c = await customer();
    const o = await approvedOrder(c, "100");
    const res = await api(t.app, owner, "zh-CN").put(`/api/v1/orders/${o.id}/payment-plan`, { version: o.version, instalments: [{ dueDate: "2026-03-01", amount: "60" }, { dueDate: "2026-04-01", amount: "30" }] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toBe("回款计划合计 90.00，与订单金额 100.00 不一致");
    expect(await plan(o.id)).toEqual([]);
    const draft = (await api(t.app, owner).post("/api/v1/orders", { customerId: c, lines: [{ name: "x", quantity: "1", unitPrice: "10", taxRate: "0" }] })).json<Order>();
    expect((await api(t.app, owner).put(`/api/v1/orders/${draft.id}/payment-plan`, { version: draft.version, instalments: [{ dueDate: "2026-03-01", amount: "10" }] })).statusCode).toBe(400);
  });

  it("refuses paying more than is due, another currency, a repeated bank reference, and changes nothing", async () => {
    const c = await customer();
    const o = await approvedOrder(c, "500");
    const zh = (body: Record<string, unknown>) => pay({ customerId: c, receivedOn: "2026-01-05", ...body }, owner, "zh-CN");
    const over = await zh({ amount: "500.01" });
    expect(over.statusCode).toBe(400);
    expect(over.json<{ error: { message: string } }>().error.message).toBe("回款 500.01 超过该客户应收的 500.00 CNY");
    const overOne = await zh({ amount: "600", allocations: [{ orderId: o.id, amount: "600" }] });
    expect(overOne.json<{ error: { message: string } }>().error.message).toBe(`订单 ${o.number} 仅剩 500.00 未回款`);
    const mismatch = await zh({ amount: "100", currency: "USD", allocations: [{ orderId: o.id, amount: "100" }] });
    expect(mismatch.json<{ error: { message: string } }>().error.message).toBe(`订单 ${o.number} 的币种为 CNY，请以该币种登记回款`);
    const split = await zh({ amount: "100", allocations: [{ orderId: o.id, amount: "90" }] });
    expect(split.statusCode).toBe(400);
    const negative = await zh({ amount: "-5" });
    expect(negative.statusCode).toBe(400);
    const fractions = await zh({ amount: "1.005" });
    expect(fractions.body).toContain("最多保留 2 位小数");
    expect((await order(o.id)).paid).toBe("0.00");
    expect((await zh({ amount: "100", reference: `DUP-${n}` })).statusCode).toBe(201);
    const again = await zh({ amount: "100", reference: `DUP-${n}` });
    expect(again.statusCode).toBe(409);
    expect((await order(o.id)).paid).toBe("100.00");
  });

  it("matches a payment to the oldest open orders first", async () => {
    const c = await customer();
    const older = await approvedOrder(c, "300", "2026-01-01");
    const newer = await approvedOrder(c, "300", "2026-02-01");
    const res = await pay({ customerId: c, amount: "450", receivedOn: "2026-02-05" });
    expect(res.json<Payment>().allocations.map((a) => [a.orderId, a.amount])).toEqual([
      [older.id, "300.00"],
      [newer.id, "150.00"],
    ]);
    expect((await order(older.id)).paid).toBe("300.00");
    expect((await order(newer.id)).paid).toBe("150.00");
  });

  it("never takes more than is due when two payments race for one order", async () => {
    const c = await customer();
    const o = await approvedOrder(c, "600");
    const results = await Promise.all([1, 2, 3].map((k) => pay({ customerId: c, amount: "600", receivedOn: "2026-01-05", allocations: [{ orderId: o.id, amount: "600" }], reference: `RACE-${n}-${k}` })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400, 400]);
    expect((await order(o.id)).paid).toBe("600.00");
  });

  it("voids a payment (managers only): the order owes it again", async () => {
    const c = await customer();
    const o = await approvedOrder(c, "200");
    await api(t.app, owner).put(`/api/v1/orders/${o.id}/payment-plan`, { version: o.version, instalments: [{ dueDate: "2026-01-15", amount: "200" }] });
    const p = (await pay({ customerId: c, amount: "200", receivedOn: "2026-01-10" })).json<Payment>();
    const rep = await addUser(t, owner, "sales");
    expect((await api(t.app, rep).post(`/api/v1/payments/${p.id}/void`, { version: p.version, reason: "到账失败" })).statusCode).toBe(403);
    const voided = await api(t.app, owner).post(`/api/v1/payments/${p.id}/void`, { version: p.version, reason: "到账失败" });
    expect(voided.statusCode, voided.body).toBe(200);
    expect((await order(o.id)).paid).toBe("0.00");
    expect((await plan(o.id))[0]).toMatchObject({ paid: "0.00", paidOn: null, status: "overdue" });
    expect((await api(t.app, owner).post(`/api/v1/payments/${p.id}/void`, { version: voided.json<Payment>().version, reason: "x" })).statusCode).toBe(400);
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${p.id}`)).json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["payment.received", "payment.voided"]));
  });
});

describe("receivables", () => {
  it("ages what is owed by days overdue, in the base currency, for the orders one may see", async () => {
    const c = await customer();
    const rate = await api(t.app, owner).post("/api/v1/exchange-rates", { currency: "USD", validFrom: "2025-01-01", rate: "7" });
    expect(rate.statusCode, rate.body).toBeLessThan(300);
    await approvedOrder(c, "100", "2026-03-20"); // not due yet on 03-10
    await approvedOrder(c, "200", "2026-02-01"); // 37 days
    await approvedOrder(c, "300", "2025-11-01"); // 129 days
    const usd = (await api(t.app, owner).post("/api/v1/orders", { customerId: c, currency: "USD", orderDate: "2026-03-05", lines: [{ name: "x", quantity: "1", unitPrice: "10", taxRate: "0" }] })).json<Order>();
    await api(t.app, owner).post(`/api/v1/orders/${usd.id}/submit`, { version: usd.version }); // 10 USD = 70 CNY, 5 days overdue
    const r = (await api(t.app, owner).get("/api/v1/receivables?asOf=2026-03-10&limit=1000")).json<{ currency: string; customers: ({ customerId: string } & Ageing)[] }>();
    expect(r.currency).toBe("CNY");
    expect(r.customers.find((x) => x.customerId === c)).toMatchObject({ current: "100.00", d1_30: "70.00", d31_60: "200.00", d61_90: "0.00", d90_plus: "300.00", total: "670.00" });
    const rep = await addUser(t, owner, "sales");
    const theirs = (await api(t.app, rep).get("/api/v1/receivables?asOf=2026-03-10")).json<{ customers: { customerId: string }[] }>();
    expect(theirs.customers.map((x) => x.customerId)).not.toContain(c);
  });

  it("reminds the owner of an overdue instalment once", async () => {
    const c = await customer();
    const o = await approvedOrder(c, "80");
    await api(t.app, owner).put(`/api/v1/orders/${o.id}/payment-plan`, { version: o.version, instalments: [{ dueDate: "2026-01-02", amount: "80" }] });
    const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions());
    expect(await remindOverdueInstalments(ctx, "2026-01-05")).toBeGreaterThanOrEqual(1);
    expect(await remindOverdueInstalments(ctx, "2026-01-06")).toBe(0);
    const notes = await withTenant(t.database, { tenantId: owner.workspaceId }, async (tx) => (await tx.execute<{ n: number }>(`select count(*)::int as n from notifications where kind = 'payment_overdue' and object_id = '${o.id}'`)).rows[0]!.n);
    expect(notes).toBe(1);
  });
});

describe("invoices", () => {
  it("records invoices up to the order total, with the customer's title and tax number by default", async () => {
    const c = await customer({ creditCode: "91350100M000100Y43" });
    const o = await approvedOrder(c, "1130");
    const first = await api(t.app, owner).post(`/api/v1/orders/${o.id}/invoices`, { type: "vat_special", number: `INV${n}01`, amount: "1000", taxAmount: "130", issuedOn: "2026-01-20" });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ title: expect.stringContaining("回款测试客户"), taxNumber: "91350100M000100Y43" });
    const over = await api(t.app, owner, "zh-CN").post(`/api/v1/orders/${o.id}/invoices`, { type: "vat_normal", number: `INV${n}02`, amount: "131", issuedOn: "2026-01-21" });
    expect(over.json<{ error: { message: string } }>().error.message).toBe("开票金额将超过订单金额：已开 1000.00，订单金额 1130.00");
    const dup = await api(t.app, owner).post(`/api/v1/orders/${o.id}/invoices`, { type: "vat_special", number: `INV${n}01`, amount: "1", issuedOn: "2026-01-21" });
    expect(dup.statusCode).toBe(409);
    expect((await api(t.app, owner).get(`/api/v1/orders/${o.id}/invoices`)).json<{ items: unknown[] }>().items).toHaveLength(1);
    const listed = await api(t.app, owner).get(`/api/v1/invoices?filter=customerId:eq:${c}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ items: unknown[] }>().items).toEqual([expect.objectContaining({ number: `INV${n}01`, orderNumber: o.number, customerName: expect.stringContaining("回款测试客户") })]);
  });
});

describe("payment lists", () => {
  it("lists an order's payments with the orders each was matched to", async () => {
    const c = await customer();
    const a = await approvedOrder(c, "100", "2026-01-01");
    const b = await approvedOrder(c, "100", "2026-01-02");
    const both = await api(t.app, owner).post("/api/v1/payments", { customerId: c, amount: "150", currency: "CNY", receivedOn: "2026-01-10" });
    expect(both.statusCode, both.body).toBe(201);
    const onlyA = await api(t.app, owner).get(`/api/v1/payments?filter=orderId:eq:${b.id}`);
    expect(onlyA.statusCode, onlyA.body).toBe(200);
    const items = onlyA.json<{ items: Payment[] }>().items;
    expect(items.map((p) => p.id)).toEqual([both.json<Payment>().id]);
    expect(items[0]!.allocations).toEqual([
      { orderId: a.id, orderNumber: a.number, amount: "100.00" },
      { orderId: b.id, orderNumber: b.number, amount: "50.00" },
    ]);
  });
});
