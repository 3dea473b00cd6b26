import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Line {
  lineNo: number;
  sku: string;
  name: string;
  quantity: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
  grossAmount: string;
  discountAmount: string;
  taxAmount: string;
  amount: string;
}
interface Order {
  id: string;
  number: string;
  status: string;
  version: number;
  currency: string;
  customerName: string;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  baseTotal: string;
  paymentTerms: string;
  deliveryAddress: { address: string; recipient?: string } | null;
  creditCheck: { exceeded: string[]; outstanding: string; creditLimit: string | null; orderAmount: string } | null;
  approvalId: string | null;
  lines?: Line[];
}

let t: TestEnv;
let owner: Session;
let n = 0;

async function customer(session: Session, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await api(t.app, session).post("/api/v1/customers", { kind: "organization", name: `订单测试客户${++n}有限公司`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const free = (unitPrice: string, quantity = "1", extra: Record<string, unknown> = {}) => ({ name: "服务费", quantity, unitPrice, taxRate: "0", discountRate: "0", ...extra });

async function order(session: Session, customerId: string, lines: unknown[], extra: Record<string, unknown> = {}): Promise<Order> {
  const res = await api(t.app, session).post("/api/v1/orders", { customerId, lines, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

describe("orders", () => {
  it("creates a numbered draft with exact line amounts, the customer's discount terms, payment terms and delivery address", async () => {
    const c = await customer(owner, {
      discountTerms: "95折",
      paymentTerms: "月结30天",
      addresses: [{ kind: "delivery", isDefault: true, detail: "北京市海淀区中关村大街1号", recipient: "王五", phone: "13800138000" }],
    });
    const o = await order(owner, c.id, [
      { name: "年度服务", quantity: "3", unitPrice: "19.99", taxRate: "0.13" },
      { name: "安装", quantity: "1", unitPrice: "1.005", discountRate: "0", taxRate: "0" },
    ]);
    expect(o.number).toMatch(/^SO\d{6}\d{5}$/);
    expect(o.status).toBe("draft");
    expect(o.currency).toBe("CNY");
    expect(o.paymentTerms).toBe("月结30天");
    expect(o.deliveryAddress).toMatchObject({ address: "北京市海淀区中关村大街1号", recipient: "王五" });
    expect(o.lines![0]).toMatchObject({ discountRate: "0.0500", grossAmount: "59.97", discountAmount: "3.00", taxAmount: "7.41", amount: "64.38" });
    expect(o.lines![1]).toMatchObject({ grossAmount: "1.01", amount: "1.01" });
    expect(o).toMatchObject({ subtotal: "60.98", discountTotal: "3.00", taxTotal: "7.41", total: "65.39", baseTotal: "65.39" });
    const again = await api(t.app, owner).get(`/api/v1/orders/${o.id}`);
    expect(again.headers.etag).toBe(`"${o.version}"`);
    expect(again.json<Order>().lines).toHaveLength(2);
  });

  it("prices product lines from the catalogue: list price, tax rate, SKU and unit", async () => {
    const p = await api(t.app, owner).post("/api/v1/products", { sku: `SKU-${++n}`, name: "工业传感器", unit: "台", listPrice: "1200.5", taxRate: "0.13" });
    expect(p.statusCode, p.body).toBe(201);
    const c = await customer(owner);
    const o = await order(owner, c.id, [{ productId: p.json<{ id: string }>().id, quantity: "2" }]);
    expect(o.lines![0]).toMatchObject({ sku: p.json<{ sku: string }>().sku, name: "工业传感器", unitPrice: "1200.5000", taxRate: "0.1300", grossAmount: "2401.00", taxAmount: "312.13", amount: "2713.13" });
  });

  it("refuses bad lines with clear, localized errors and creates nothing", async () => {
    const c = await customer(owner);
    const zh = api(t.app, owner, "zh-CN");
    const before = (await api(t.app, owner).get(`/api/v1/orders?filter=customerId:eq:${c.id}`)).json<{ items: unknown[] }>().items.length;
    const cases: [unknown, string][] = [
      [[free("10", "-1")], "数量必须大于 0"],
      [[free("-5")], "单价不能为负数"],
      [[free("10", "1", { taxRate: "1.5" })], "0 到 1 之间"],
      [[free("1.23456")], "最多 4 位小数"],
      [[{ quantity: "1", unitPrice: "5" }], "必须填写名称"],
      [[{ name: "x", quantity: "1" }], "必须填写单价"],
      [[{ productId: "00000000-0000-4000-8000-000000000000", quantity: "1" }], "产品"],
      [[], ""],
    ];
    for (const [lines, message] of cases) {
      const res = await zh.post("/api/v1/orders", { customerId: c.id, lines });
      expect(res.statusCode, JSON.stringify(lines)).toBe(400);
      expect(res.body).toContain(message);
    }
    const unknownField = await zh.post("/api/v1/orders", { customerId: c.id, lines: [free("1")], discount: "10%" });
    expect(unknownField.statusCode).toBe(400);
    const badCurrency = await zh.post("/api/v1/orders", { customerId: c.id, lines: [free("1")], currency: "rmb" });
    expect(badCurrency.json<{ error: { message: string } }>().error.message).toBe("部分字段不合法");
    expect(badCurrency.body).toContain("币种代码");
    const after = (await api(t.app, owner).get(`/api/v1/orders?filter=customerId:eq:${c.id}`)).json<{ items: unknown[] }>().items.length;
    expect(after).toBe(before);
  });

  it("refuses a currency without an exchange rate", async () => {
    const c = await customer(owner);
    const res = await api(t.app, owner).post("/api/v1/orders", { customerId: c.id, currency: "USD", lines: [free("100")] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain("USD");
  });

  it("converts to the base currency at the order date's rate for the credit check", async () => {
    const rate = await api(t.app, owner).post("/api/v1/exchange-rates", { currency: "USD", validFrom: "2020-01-01", rate: "7.1234" });
    expect(rate.statusCode, rate.body).toBeLessThan(300);
    const c = await customer(owner);
    const o = await order(owner, c.id, [free("100")], { currency: "USD" });
    expect(o).toMatchObject({ currency: "USD", total: "100.00", baseTotal: "712.34" });
  });

  it("moves through its flow and refuses transitions out of order", async () => {
    const c = await customer(owner);
    const o = await order(owner, c.id, [free("100")]);
    const a = api(t.app, owner);
    expect((await a.post(`/api/v1/orders/${o.id}/deliver`, { version: o.version })).statusCode).toBe(400);
    const stale = await a.post(`/api/v1/orders/${o.id}/submit`, { version: o.version + 5 });
    expect(stale.statusCode).toBe(409);
    const submitted = await a.post(`/api/v1/orders/${o.id}/submit`, {}, { "if-match": `"${o.version}"` });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json<Order>()).toMatchObject({ status: "approved", creditCheck: { exceeded: [] } });
    const edit = await a.patch(`/api/v1/orders/${o.id}`, { version: submitted.json<Order>().version, notes: "x" });
    expect(edit.statusCode).toBe(400);
    const delivered = await a.post(`/api/v1/orders/${o.id}/deliver`, { version: submitted.json<Order>().version });
    expect(delivered.json<Order>().status).toBe("delivered");
    const cancel = await api(t.app, owner, "zh-CN").post(`/api/v1/orders/${o.id}/cancel`, { version: delivered.json<Order>().version, reason: "客户取消" });
    expect(cancel.statusCode).toBe(400);
    expect(cancel.json<{ error: { message: string } }>().error.message).toBe("状态为“已发货”的订单不能执行“取消”");
    const completed = await a.post(`/api/v1/orders/${o.id}/complete`, { version: delivered.json<Order>().version });
    expect(completed.json<Order>().status).toBe("completed");
    const events = (await a.get(`/api/v1/audit-events?filter=objectId:eq:${o.id}`)).json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(["order.created", "order.approved", "order.delivered", "order.completed"]));
  });

  it("re-prices a draft when its lines change and keeps the number", async () => {
    const c = await customer(owner);
    const o = await order(owner, c.id, [free("100")]);
    const res = await api(t.app, owner).patch(`/api/v1/orders/${o.id}`, { version: o.version, lines: [free("40", "2"), free("0.5", "3")] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Order>()).toMatchObject({ number: o.number, total: "81.50", version: o.version + 1 });
    expect(res.json<Order>().lines).toHaveLength(2);
  });
});

describe("credit control", () => {
  it("blocks an order over the credit limit in block mode and changes nothing", async () => {
    const s = await api(t.app, owner).get("/api/v1/order-settings");
    const set = await api(t.app, owner).patch("/api/v1/order-settings", { version: s.json<{ version: number }>().version, creditMode: "block" });
    expect(set.statusCode, set.body).toBe(200);
    try {
      const c = await customer(owner, { creditLimit: "1000" });
      const first = await order(owner, c.id, [free("600")]);
      expect((await api(t.app, owner).post(`/api/v1/orders/${first.id}/submit`, { version: first.version })).json<Order>().status).toBe("approved");
      const second = await order(owner, c.id, [free("500")]);
      const res = await api(t.app, owner, "zh-CN").post(`/api/v1/orders/${second.id}/submit`, { version: second.version });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { message: string; details: { creditCheck: { outstanding: string; creditLimit: string; exceeded: string[] } } } }>();
      expect(body.error.message).toBe("该订单将超出客户的信用额度，未能提交");
      expect(body.error.details.creditCheck).toMatchObject({ outstanding: "600.00", creditLimit: "1000.00", exceeded: ["credit_limit"] });
      const still = (await api(t.app, owner).get(`/api/v1/orders/${second.id}`)).json<Order>();
      expect(still).toMatchObject({ status: "draft", version: second.version, creditCheck: null });
      const credit = (await api(t.app, owner).get(`/api/v1/customers/${c.id}/credit`)).json<{ outstanding: string; available: string }>();
      expect(credit).toMatchObject({ outstanding: "600.00", available: "400.00" });
    } finally {
      const now = await api(t.app, owner).get("/api/v1/order-settings");
      await api(t.app, owner).patch("/api/v1/order-settings", { version: now.json<{ version: number }>().version, creditMode: "approval" });
    }
  });

  it("sends an order over the sales limit for approval; a manager approves it, the requester cannot", async () => {
    const dept = (await api(t.app, owner).post("/api/v1/departments", { name: `华北销售部${++n}` })).json<{ id: string }>();
    const manager = await addUser(t, owner, "manager", { departmentId: dept.id });
    const rep = await addUser(t, owner, "sales", { departmentId: dept.id });
    const c = await customer(owner, { salesLimit: "500", ownerId: rep.id });
    const o = await order(rep, c.id, [free("800")]);
    const submitted = await api(t.app, rep).post(`/api/v1/orders/${o.id}/submit`, { version: o.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const pending = submitted.json<Order>();
    expect(pending).toMatchObject({ status: "pending_approval", creditCheck: { exceeded: ["sales_limit"] } });
    expect(pending.approvalId).toBeTruthy();
    const approval = (await api(t.app, manager).get(`/api/v1/approvals/${pending.approvalId}`)).json<{ version: number; kind: string }>();
    expect(approval.kind).toBe("credit_override");
    const own = await api(t.app, rep).post(`/api/v1/approvals/${pending.approvalId}/approve`, { version: approval.version });
    expect([400, 403]).toContain(own.statusCode);
    expect((await api(t.app, rep).get(`/api/v1/orders/${o.id}`)).json<Order>().status).toBe("pending_approval");
    const approved = await api(t.app, manager).post(`/api/v1/approvals/${pending.approvalId}/approve`, { version: approval.version, comment: "老客户，同意" });
    expect(approved.statusCode, approved.body).toBe(200);
    const after = (await api(t.app, rep).get(`/api/v1/orders/${o.id}`)).json<Order>();
    expect(after.status).toBe("approved");
  });

  it("returns a rejected order to draft", async () => {
    // Without a department, the request goes to the workspace's owners and admins.
    const manager = await addUser(t, owner, "admin");
    const c = await customer(owner, { creditLimit: "10" });
    const o = await order(owner, c.id, [free("800")]);
    const pending = (await api(t.app, owner).post(`/api/v1/orders/${o.id}/submit`, { version: o.version })).json<Order>();
    expect(pending.status).toBe("pending_approval");
    const approval = (await api(t.app, manager).get(`/api/v1/approvals/${pending.approvalId}`)).json<{ version: number }>();
    const rejected = await api(t.app, manager).post(`/api/v1/approvals/${pending.approvalId}/reject`, { version: approval.version, comment: "额度不足" });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await api(t.app, owner).get(`/api/v1/orders/${o.id}`)).json<Order>()).toMatchObject({ status: "draft", approvalId: null });
  });
});

describe("order visibility", () => {
  it("shows a sales rep only their own orders", async () => {
    const rep1 = await addUser(t, owner, "sales");
    const rep2 = await addUser(t, owner, "sales");
    const c1 = await customer(owner, { ownerId: rep1.id });
    const o1 = await order(rep1, c1.id, [free("1")]);
    expect((await api(t.app, rep2).get(`/api/v1/orders/${o1.id}`)).statusCode).toBe(404);
    const list = (await api(t.app, rep2).get("/api/v1/orders")).json<{ items: { id: string }[] }>().items;
    expect(list.map((o) => o.id)).not.toContain(o1.id);
    expect((await api(t.app, rep1).get("/api/v1/orders")).json<{ items: { id: string }[] }>().items.map((o) => o.id)).toContain(o1.id);
    // Nor can they order for a customer they cannot see.
    expect((await api(t.app, rep2).post("/api/v1/orders", { customerId: c1.id, lines: [free("1")] })).statusCode).toBe(400);
  });
});
