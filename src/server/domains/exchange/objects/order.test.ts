import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../db/client.js";
import { localDate, serverZone } from "../../../lib/calendar.js";
import type { OrderView } from "../../orders/orders.js";
import { expectRollupConsistent } from "../../sales-dashboard/test-support.js";
import { addUser, api, createWorkspace, startTestEnv, type Json, type Session, type TestEnv } from "../../../test/harness.js";
import { importRows } from "../schema.js";
import { importDriver } from "./test-support.js";

/** The orders API's answers: the service's views as JSON (dates as strings). */
type Order = Json<OrderView>;
interface Payment {
  id: string;
  number: string;
  amount: string;
  receivedOn: string;
  method: string;
  voidedAt: string | null;
  allocations: { orderId: string; amount: string }[];
}

describe("order imports", () => {
  let t: TestEnv;
  let owner: Session;
  let rep: Session & { id: string };
  let imports: ReturnType<typeof importDriver>;
  const customers: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales", { name: "韩销售" });
    imports = importDriver(t, "order");
    for (const name of ["华东机械有限公司", "深圳星河电子有限公司"]) {
      const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name, ownerId: rep.id });
      expect(res.statusCode, res.body).toBe(201);
      customers[name] = res.json<{ id: string }>().id;
    }
    for (const p of [
      { sku: "P-001", name: "工业路由器", unit: "台", listPrice: "1280.50", taxRate: "0.13" },
      { sku: "P-002", name: "千兆交换机", unit: "台", listPrice: "2000", taxRate: "0.13" },
      { sku: "P-OLD", name: "旧款网关", unit: "个", listPrice: "99.90", taxRate: "0.13" },
    ]) {
      const res = await api(t.app, owner).post("/api/v1/products", p);
      expect(res.statusCode, res.body).toBe(201);
      if (p.sku === "P-OLD") {
        // Discontinued since: a historical order may still name it.
        const archived = await api(t.app, owner).patch(`/api/v1/products/${res.json<{ id: string }>().id}`, { version: res.json<{ version: number }>().version, active: false });
        expect(archived.statusCode, archived.body).toBe(200);
      }
    }
  });
  afterAll(async () => t?.close());

  const byNumber = async (number: string): Promise<Order | undefined> => {
    const found = (await api(t.app, owner).get(`/api/v1/orders?filter=number:eq:${encodeURIComponent(number)}`)).json<{ items: Order[] }>().items[0];
    return found && (await api(t.app, owner).get(`/api/v1/orders/${found.id}`)).json<Order>();
  };
  const paymentsOf = async (orderId: string) => (await api(t.app, owner).get(`/api/v1/payments?filter=orderId:eq:${orderId}`)).json<{ items: Payment[] }>().items;
  const receivables = async () => (await api(t.app, owner).get("/api/v1/receivables")).json<{ totals: { total: string }; customers: { customerId: string; total: string }[] }>();

  // Three orders over seven line rows: a completed one with a discount, a free line and money received;
  // a delivered one naming an archived product, its header repeated on its second row; one with a bad line.
  const csv = () =>
    [
      "订单号,客户名称,订单日期,订单状态,负责人,产品编码,产品名称,单位,数量,单价,折扣,税率,已回款,回款日期,备注",
      `SO-H-0001,华东机械有限公司,2024/1/5,已完成,${rep.email},P-001,,台,3,"¥1,280.50",5%,13%,"¥5,000.00",2024年2月1日,首批设备`,
      "SO-H-0001,,,,,P-002,,台,2,\"2,000\",,13%,,,",
      "SO-H-0001,,,,,,安装服务,次,1,500,,6%,,,",
      "SO-H-0002,深圳星河电子有限公司,2024年1月5日,已发货,,P-OLD,,,10,99.9,,,,,",
      'SO-H-0002,深圳星河电子有限公司,2024年1月5日,已发货,,,运费,,1,"¥120.00",,0,,,',
      'SO-H-0003,华东机械有限公司,2024/2/10,已审核,,P-001,,,1,"1,280.50",,13%,"¥500.00",,',
      "SO-H-0003,,,,,P-002,,,0,2000,,13%,,,",
    ].join("\r\n");

  it("imports orders with their lines: numbers, statuses, exact totals, paid amounts, receivables and the roll-up; a bad line fails its whole order; a second run creates nothing; undo cancels", async () => {
    const uploaded = (await imports.upload(owner, csv())).json<{ mapping: (string | null)[]; options: { keys: string[]; ownerId: string | null; duplicatePolicy: string } }>();
    expect(uploaded.mapping).toEqual(["number", "customer", "orderDate", "status", "owner", "sku", "product", "unit", "quantity", "unitPrice", "discountRate", "taxRate", "paid", "paidOn", "notes"]);
    expect(uploaded.options).toMatchObject({ keys: ["number"], ownerId: owner.userId, duplicatePolicy: "skip" });

    // The dry run counts rows and writes nothing.
    const checked = await imports.run(owner, csv(), undefined, "check");
    expect(checked.checkCounts).toMatchObject({ total: 7, created: 5, failed: 2 });
    expect(await byNumber("SO-H-0001")).toBeUndefined();

    const done = await imports.run(owner, csv());
    expect(done.counts).toMatchObject({ total: 7, created: 5, skipped: 0, failed: 2 });

    // 3 × 1,280.50 = 3,841.50 less 5 % (192.075 → 192.08) plus 13 % of 3,649.42 (474.42) = 4,123.84;
    // 2 × 2,000 + 13 % = 4,520.00; a free line 500 + 6 % = 530.00.
    const a = (await byNumber("SO-H-0001"))!;
    expect(a).toMatchObject({ status: "completed", orderDate: "2024-01-05", ownerId: rep.id, customerId: customers["华东机械有限公司"], notes: "首批设备" });
    expect(a).toMatchObject({ subtotal: "8341.50", discountTotal: "192.08", taxTotal: "1024.42", total: "9173.84", baseTotal: "9173.84", paid: "5000.00" });
    // Not credit-checked, no approval; the steps it went through dated on its order date.
    expect(a).toMatchObject({ approvalId: null, creditCheck: null });
    expect(a.approvedAt).not.toBeNull();
    expect(a.completedAt).not.toBeNull();
    expect(a.lines!.map((l) => [l.sku, l.name, l.unit, l.quantity, l.unitPrice, l.discountRate, l.taxRate, l.amount])).toEqual([
      ["P-001", "工业路由器", "台", "3.0000", "1280.5000", "0.0500", "0.1300", "4123.84"],
      ["P-002", "千兆交换机", "台", "2.0000", "2000.0000", "0.0000", "0.1300", "4520.00"],
      ["", "安装服务", "次", "1.0000", "500.0000", "0.0000", "0.0600", "530.00"],
    ]);
    expect(a.lines![2]!.productId).toBeNull();
    const [payment] = await paymentsOf(a.id);
    expect(payment).toMatchObject({ amount: "5000.00", receivedOn: "2024-02-01", method: "other", voidedAt: null, allocations: [{ orderId: a.id, amount: "5000.00" }] });

    // An archived product's tax rate, a free line without tax; the owner defaults to the importer.
    const b = (await byNumber("SO-H-0002"))!;
    expect(b).toMatchObject({ status: "delivered", orderDate: "2024-01-05", ownerId: owner.userId, subtotal: "1119.00", discountTotal: "0.00", taxTotal: "129.87", total: "1248.87", paid: "0.00" });
    expect(b.lines!.map((l) => [l.sku, l.name, l.unit, l.amount])).toEqual([
      ["P-OLD", "旧款网关", "个", "1128.87"],
      ["", "运费", "", "120.00"],
    ]);

    // The bad line fails its order: the row and column named, the other row pointing at it, in the reader's language.
    expect(await byNumber("SO-H-0003")).toBeUndefined();
    expect(await imports.issues(owner, done.id)).toEqual([
      [7, [[null, "未导入：订单 SO-H-0003 的第 8 行有问题"]]],
      [8, [["数量", "数量必须大于 0"]]],
    ]);
    expect(await imports.issues(owner, done.id, "en-US")).toEqual([
      [7, [[null, "Not imported: row 8 of order SO-H-0003 has a problem"]]],
      [8, [["数量", "The quantity must be greater than 0"]]],
    ]);
    // Every row of an order has its outcome and the order's id.
    const outcomes = await withTenant(t.database, { tenantId: owner.workspaceId }, (tx) =>
      tx.select({ source: importRows.source, outcome: importRows.outcome, objectId: importRows.objectId }).from(importRows).where(and(eq(importRows.importId, done.id), eq(importRows.dryRun, false))).orderBy(importRows.source),
    );
    expect(outcomes.map((r) => [r.source, r.outcome, r.objectId])).toEqual([
      [2, "created", a.id],
      [3, "created", a.id],
      [4, "created", a.id],
      [5, "created", b.id],
      [6, "created", b.id],
      [7, "failed", null],
      [8, "failed", null],
    ]);

    // What is owed: 9,173.84 − 5,000 on the first order, all of the second; the customer's record and the roll-up agree.
    const owed = await receivables();
    expect(owed.totals.total).toBe("5422.71");
    expect(owed.customers.find((c) => c.customerId === customers["华东机械有限公司"])?.total).toBe("4173.84");
    const credit = (await api(t.app, owner).get(`/api/v1/customers/${customers["华东机械有限公司"]}/credit`)).json<{ outstanding: string }>();
    expect(credit.outstanding).toBe("4173.84");
    const record = (await api(t.app, owner).get(`/api/v1/customers/${customers["华东机械有限公司"]}/payment-record`)).json<{ overdue: { total: string } }>();
    expect(record.overdue.total).toBe("4173.84");
    const dashboard = (await api(t.app, owner).get("/api/v1/sales-dashboard?from=2024-01-01&to=2024-02-29")).json<{ totals: { orders: number; amount: string; payments: string } }>();
    expect(dashboard.totals).toEqual({ orders: 2, amount: "10422.71", payments: "5000.00" });
    await expectRollupConsistent(t, owner.workspaceId, [rep.id, owner.userId]);

    // The same file again: each order is found by its number, nothing is paid twice.
    const again = await imports.run(owner, csv());
    expect(again.counts).toMatchObject({ created: 0, skipped: 5, failed: 2 });
    expect(await paymentsOf(a.id)).toHaveLength(1);
    expect((await byNumber("SO-H-0001"))!.paid).toBe("5000.00");

    // Undo: the payment is voided, the orders cancelled (orders are never deleted; their numbers stay taken).
    expect(await imports.undo(owner, done.id)).toEqual({ removed: 2, restored: 0, kept: 0 });
    const undoneA = (await byNumber("SO-H-0001"))!;
    expect(undoneA).toMatchObject({ status: "cancelled", paid: "0.00" });
    expect(undoneA.cancelReason).toMatch(/导入已撤销|Import undone/);
    expect((await byNumber("SO-H-0002"))!.status).toBe("cancelled");
    expect((await paymentsOf(a.id))[0]!.voidedAt).not.toBeNull();
    expect((await receivables()).totals.total).toBe("0.00");
    expect((await api(t.app, owner).get("/api/v1/sales-dashboard?from=2024-01-01&to=2024-02-29")).json<{ totals: unknown }>().totals).toEqual({ orders: 0, amount: "0.00", payments: "0.00" });
    await expectRollupConsistent(t, owner.workspaceId, [rep.id, owner.userId]);
  });

  it("keeps an order's rows together: an order whose rows are apart, a contradicting header and an unknown product fail, named by row and column", async () => {
    const file = [
      "订单号,客户名称,订单日期,产品编码,数量,单价",
      "X-1,华东机械有限公司,2024-03-01,P-001,1,100",
      "X-2,华东机械有限公司,2024-03-02,P-404,1,100",
      "X-1,华东机械有限公司,2024-03-01,P-002,1,100",
      "X-3,华东机械有限公司,2024-03-03,P-001,1,100",
      "X-3,深圳星河电子有限公司,2024-03-03,P-002,1,100",
    ].join("\n");
    const done = await imports.run(owner, file);
    expect(done.counts).toMatchObject({ total: 5, created: 1, failed: 4 });
    expect((await byNumber("X-1"))!.lines).toHaveLength(1);
    expect(await imports.issues(owner, done.id)).toEqual([
      [3, [["产品编码", "找不到产品编码为“P-404”的产品"]]],
      [4, [["订单号", "订单 X-1 已在第 2 行出现过：同一订单的各行必须相邻"]]],
      [5, [[null, "未导入：订单 X-3 的第 6 行有问题"]]],
      [6, [["客户名称", "“深圳星河电子有限公司”与同一订单第 5 行的“华东机械有限公司”不一致（订单的表头信息以其第一行为准）"]]],
    ]);
  });

  it("never splits an order between batches", async () => {
    // 199 one-line orders, then one of five lines across the 200-row batch boundary.
    const rows = ["Order Number,Account Name,Order Start Date,Status,Product Code,Quantity,Unit Price"];
    for (let i = 1; i <= 199; i++) rows.push(`B-${i},华东机械有限公司,2024-04-01,Draft,P-001,1,10`);
    for (let k = 1; k <= 5; k++) rows.push(`B-200,华东机械有限公司,2024-04-01,Draft,P-001,${k},10`);
    const uploaded = (await imports.upload(owner, rows.join("\n"))).json<{ mapping: (string | null)[] }>();
    expect(uploaded.mapping).toEqual(["number", "customer", "orderDate", "status", "sku", "quantity", "unitPrice"]);
    const done = await imports.run(owner, rows.join("\n"));
    expect(done.counts).toMatchObject({ total: 204, created: 204, failed: 0 });
    const big = (await byNumber("B-200"))!;
    expect(big).toMatchObject({ status: "draft", total: "169.50" });
    expect(big.lines).toHaveLength(5);
  });

  it("keeps the order counter ahead of imported numbers of its own pattern in the current period, and leaves it alone otherwise", async () => {
    const period = localDate(serverZone()).slice(0, 7).replace("-", "");
    const create = async () => {
      const res = await api(t.app, owner).post("/api/v1/orders", { customerId: customers["华东机械有限公司"], lines: [{ name: "服务", quantity: "1", unitPrice: "1" }] });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Order>().number;
    };
    expect(await create()).toBe(`SO${period}00001`);
    const done = await imports.run(owner, ["订单号,客户,订单日期,状态,产品名称,数量,单价", `SO${period}00007,华东机械有限公司,2024-05-01,已审核,咨询,1,1`, "SO20240100099,华东机械有限公司,2024-01-20,草稿,咨询,1,1"].join("\n"));
    expect(done.counts).toMatchObject({ created: 2 });
    expect(await create()).toBe(`SO${period}00008`);
    // A number generated here is taken: an import skips it.
    const twice = await imports.run(owner, ["订单号,客户,订单日期,产品名称,数量,单价", `SO${period}00008,华东机械有限公司,2024-05-01,咨询,1,1`].join("\n"));
    expect(twice.counts).toMatchObject({ created: 0, skipped: 1 });
  });

  it("only skips an existing order, and refuses importers without order:create; undoing recorded payments needs payment:void", async () => {
    const imp = (await imports.upload(owner, "订单号,客户,数量\nZ-1,华东机械有限公司,1\n")).json<{ id: string; version: number }>();
    const refused = await api(t.app, owner, "zh-CN").patch(`/api/v1/imports/${imp.id}`, { version: imp.version, options: { duplicatePolicy: "update" } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { message: string } }>().error.message).toBe("此类记录不支持“update”（可选：skip）");

    const service = await addUser(t, owner, "service");
    const forbidden = await imports.upload(service, "订单号,客户,数量\nZ-1,华东机械有限公司,1\n", "zh-CN");
    expect(forbidden.statusCode).toBe(403);

    // A sales rep imports their orders with what was paid, but may not void payments: no undo.
    const mine = await imports.run(rep, ["订单号,客户,订单日期,状态,产品名称,数量,单价,已回款", "R-1,华东机械有限公司,2024-06-01,已完成,咨询,1,100,100"].join("\n"));
    expect(mine.counts).toMatchObject({ created: 1 });
    expect((await byNumber("R-1"))!).toMatchObject({ ownerId: rep.id, paid: "100.00" });
    const undo = await api(t.app, rep, "zh-CN").post(`/api/v1/imports/${mine.id}/undo`);
    expect(undo.statusCode).toBe(403);
    expect(undo.json<{ error: { message: string } }>().error.message).toBe("该导入登记了回款，撤销时须作废这些回款，需要作废回款的权限");
  });
});
