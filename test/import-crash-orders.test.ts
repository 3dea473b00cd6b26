import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../src/server/test/harness.js";
import { crashWorkers, jobOf, kill, waitForEnd, waitForNextStep, waitForProgress } from "./fixtures/crash-support.js";

/**
 * The worker running an import of historical orders is killed mid-way
 * (SIGKILL); another worker takes the job over. The file has a row per order
 * line and the job writes whole orders only, so every order ends up imported
 * exactly once, with all its lines, its exact total and its one payment.
 * IMPORT_CRASH_ORDERS sets the number of orders (CI: 800, about 2,000 rows);
 * IMPORT_CRASH_KILL_AT where in a batch's time the kill comes (0–1, from the
 * end of the batch before: mid-transaction, or late, after its commit).
 */
const ORDERS = Number(process.env.IMPORT_CRASH_ORDERS ?? 800);
const KILL_AT = Number(process.env.IMPORT_CRASH_KILL_AT ?? 0.5);
const CUSTOMERS = ["华东机械有限公司", "深圳星河电子有限公司", "北京远景科技有限公司", "成都天府贸易有限公司", "杭州西湖软件有限公司"];
const PRODUCTS = [
  { sku: "P-001", name: "工业路由器", unit: "台", listPrice: "1280.50", taxRate: "0.13" },
  { sku: "P-002", name: "千兆交换机", unit: "台", listPrice: "2000", taxRate: "0.13" },
  { sku: "P-003", name: "光模块", unit: "个", listPrice: "85.00", taxRate: "0.13" },
];
const STATUSES = ["已完成", "已审核", "已发货", "草稿", "已取消", ""] as const;
/** Statuses an order may have been paid in (the others owe nothing). */
const RECEIVABLE = new Set(["已完成", "已审核", "已发货", ""]);

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** Cents as a decimal string ("1234.50"). */
const yuan = (c: number) => `${Math.floor(c / 100)}.${pad(c % 100, 2)}`;
/** Non-negative a / b, rounded half up (integers: exact). */
const halfUp = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b));
/** A seeded pseudo-random sequence (mulberry32): the same file every run, with no period that lines up with the job's batches. */
function random(seed: number) {
  let a = seed;
  return (n: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
}

interface Expected {
  number: string;
  /** A number of the workspace's pattern in the current period: its sequence, else null. */
  seq: number | null;
  /** "quantity|unit price|amount" of each line, as the database prints them. */
  lines: string[];
  total: number;
  paid: number;
}

/**
 * The file: ORDERS orders of 1–4 lines (a product by SKU, or a free line),
 * prices, discounts and tax rates in the file, some with their header
 * repeated on every row, a third of the receivable ones with money received.
 * Most numbers follow the order counter's pattern in the current period;
 * every ninth is of a past period. What each order should come to, priced
 * as an invoice prints (half up to cents per line).
 */
function ordersCsv(period: string): { csv: Buffer; rows: number; orders: Expected[] } {
  const out = ["订单号,客户名称,订单日期,订单状态,产品编码,产品名称,单位,数量,单价,折扣,税率,已回款,回款日期"];
  const orders: Expected[] = [];
  const pick = random(20_240_105);
  for (let i = 1; i <= ORDERS; i++) {
    const current = i % 9 !== 0;
    const number = current ? `SO${period}${pad(i, 5)}` : `SO202401${pad(i, 5)}`;
    const status = STATUSES[i % STATUSES.length]!;
    const customer = CUSTOMERS[i % CUSTOMERS.length]!;
    const date = `2024-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 28), 2)}`;
    const count = 1 + pick(4);
    const lines: { cells: string[]; amount: number; printed: string }[] = [];
    for (let k = 0; k < count; k++) {
      const product = (i + k) % 4 === 3 ? null : PRODUCTS[(i + k) % 3]!;
      const quantity = 1 + ((i + k) % 9);
      const price = 1_000 + ((i * 37 + k * 101) % 90_000);
      const discount = [0, 500, 1_000, 1_250][(i + 2 * k) % 4]!; // basis points
      const tax = [1_300, 600, 0][(i + k) % 3]!;
      const gross = quantity * price;
      const off = halfUp(gross * discount, 10_000);
      const amount = gross - off + halfUp((gross - off) * tax, 10_000);
      lines.push({
        cells: [product?.sku ?? "", product ? "" : `服务费${k + 1}`, product?.unit ?? "次", String(quantity), yuan(price), discount ? `${discount / 100}%` : "", `${tax / 100}%`],
        amount,
        printed: `${quantity}.0000|${yuan(price)}00|${yuan(amount)}`,
      });
    }
    const total = lines.reduce((a, l) => a + l.amount, 0);
    const paid = RECEIVABLE.has(status) && i % 3 === 0 ? (i % 2 ? total : Math.floor(total / 2)) : 0;
    const header = [number, customer, date, status];
    lines.forEach((l, k) => {
      const head = k === 0 || i % 4 === 0 ? header : [number, "", "", ""];
      const money = k === 0 && paid ? [yuan(paid), i % 5 ? `2024-12-${pad(1 + (i % 28), 2)}` : ""] : ["", ""];
      out.push([...head, ...l.cells, ...money].join(","));
    });
    orders.push({ number, seq: current ? i : null, lines: lines.map((l) => l.printed), total, paid });
  }
  return { csv: Buffer.from(out.join("\r\n"), "utf8"), rows: out.length - 1, orders };
}

describe("an order import whose worker dies", () => {
  let t: TestEnv;
  let owner: Session;
  const customerIds: string[] = [];
  const workers = crashWorkers();
  beforeAll(async () => {
    // Jobs are only queued here: the spawned workers run them.
    t = await startTestEnv({ GUANXI_JOBS: "external", GUANXI_IMPORT_LIMIT_MB: "100" });
    owner = await createWorkspace(t);
    for (const name of CUSTOMERS) {
      const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name });
      expect(res.statusCode, res.body).toBe(201);
      customerIds.push(res.json<{ id: string }>().id);
    }
    for (const p of PRODUCTS) {
      const res = await api(t.app, owner).post("/api/v1/products", p);
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    workers.killAll();
    await t?.close();
  });

  it("is taken over by another worker: every order once, whole, with its exact total and payment", { timeout: 600_000 }, async () => {
    // The counter's period: this month in the workspace's calendar (without a zone of its own: the server's, as here).
    const now = new Date();
    const period = `${now.getFullYear()}${pad(now.getMonth() + 1, 2)}`;
    const { csv, rows, orders } = ordersCsv(period);
    const res = await api(t.app, owner).post(`/api/v1/imports?objectType=order&fileName=orders.csv`, csv, { "content-type": "application/octet-stream" });
    expect(res.statusCode, res.body).toBe(201);
    const imp = res.json<{ id: string; mapping: (string | null)[] }>();
    expect(imp.mapping).toEqual(["number", "customer", "orderDate", "status", "sku", "product", "unit", "quantity", "unitPrice", "discountRate", "taxRate", "paid", "paidOn"]);
    const started = await api(t.app, owner).post(`/api/v1/imports/${imp.id}/run`);
    expect(started.statusCode, started.body).toBe(202);
    const jobId = started.json<{ jobId: string }>().jobId;

    const job = jobOf(t, owner);
    const first = await workers.spawn(t);
    // Killed a third of the way through, part-way through a batch (timed by the one before).
    await waitForProgress(() => job(jobId), 1 / 3, first);
    await waitForNextStep(() => job(jobId), first);
    const step = await waitForNextStep(() => job(jobId), first);
    await new Promise((r) => setTimeout(r, KILL_AT * step.ms));
    await kill(first);

    const sql = new pg.Pool({ connectionString: t.dbUrl, max: 1, options: `-c app.tenant_id=${owner.workspaceId}` });
    try {
      const count = async (q: string) => Number((await sql.query<{ n: string }>(q)).rows[0]!.n);
      const recorded = "select count(*) as n from import_rows where not dry_run";
      const before = await count(recorded);
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(rows);
      // What the dead worker committed is whole orders with their rows recorded: a line per row, an order per recorded order.
      expect(await count("select count(*) as n from order_lines")).toBe(before);
      expect(await count("select count(*) as n from orders")).toBe(await count("select count(distinct object_id) as n from import_rows where not dry_run"));

      const second = await workers.spawn(t);
      await waitForEnd(() => job(jobId), second);
      const done = (await api(t.app, owner).get(`/api/v1/imports/${imp.id}`)).json<{ status: string; counts: Record<string, number> }>();
      expect(done).toMatchObject({ status: "completed", counts: { total: rows, done: rows, created: rows, skipped: 0, failed: 0 } });

      // An order per number of the file, none twice, none else; a line per row; an import row per row, all created.
      expect(await count("select count(*) as n from orders")).toBe(orders.length);
      expect(await count("select count(distinct number) as n from orders")).toBe(orders.length);
      expect(await count("select count(*) as n from order_lines")).toBe(rows);
      expect(await count(recorded)).toBe(rows);
      expect(await count("select count(*) as n from import_rows where not dry_run and outcome = 'created'")).toBe(rows);
      expect(await count("select count(*) as n from events where action = 'order.created'")).toBe(orders.length);

      // Each order whole and as priced in the file: its lines in order, its total their sum, what was paid on it.
      const found = await sql.query<{ number: string; total: string; paid: string; sum: string; lines: string[]; rows: number }>(
        `select o.number, o.total, o.paid,
                (select coalesce(sum(l.amount), 0)::text from order_lines l where l.order_id = o.id) as sum,
                (select array_agg(l.quantity || '|' || l.unit_price || '|' || l.amount order by l.line_no) from order_lines l where l.order_id = o.id) as lines,
                (select count(*) from import_rows r where not r.dry_run and r.object_id = o.id) as rows
           from orders o`,
      );
      const byNumber = new Map(found.rows.map((r) => [r.number, r]));
      const wrong = orders.flatMap((e) => {
        const r = byNumber.get(e.number);
        const want = { total: yuan(e.total), paid: yuan(e.paid), sum: yuan(e.total), lines: e.lines, rows: e.lines.length };
        const got = r && { total: r.total, paid: r.paid, sum: r.sum, lines: r.lines, rows: Number(r.rows) };
        return JSON.stringify(got) === JSON.stringify(want) ? [] : [{ number: e.number, want, got }];
      });
      expect(wrong.slice(0, 5)).toEqual([]);
      const totals = (await sql.query<{ s: string }>("select sum(total)::text as s from orders")).rows[0]!.s;
      expect(totals).toBe(yuan(orders.reduce((a, e) => a + e.total, 0)));

      // A payment per order with money received, allocated to it in full, none voided; exact to the cent in sum.
      const paid = orders.filter((e) => e.paid > 0);
      expect(await count("select count(*) as n from payments where voided_at is null")).toBe(paid.length);
      expect(await count("select count(*) as n from payment_allocations a join payments p on p.id = a.payment_id where a.amount = p.amount")).toBe(paid.length);
      expect(await count("select count(distinct order_id) as n from payment_allocations")).toBe(paid.length);
      expect(await count("select count(distinct number) as n from payments")).toBe(paid.length);
      const received = (await sql.query<{ s: string }>("select coalesce(sum(amount), 0)::text as s from payments")).rows[0]!.s;
      expect(received).toBe(yuan(paid.reduce((a, e) => a + e.paid, 0)));

      // The order counter is past the highest number of its pattern in the current period, whichever worker wrote it.
      const highest = Math.max(...orders.flatMap((e) => (e.seq === null ? [] : [e.seq])));
      const counter = (await sql.query<{ number_period: string; number_next: number }>("select number_period, number_next from order_settings")).rows[0]!;
      expect(counter).toEqual({ number_period: period, number_next: highest + 1 });
      const next = await api(t.app, owner).post("/api/v1/orders", { customerId: customerIds[0], lines: [{ name: "服务", quantity: "1", unitPrice: "1" }] });
      expect(next.statusCode, next.body).toBe(201);
      expect(next.json<{ number: string }>().number).toBe(`SO${period}${pad(highest + 1, 5)}`);
    } finally {
      await sql.end();
    }
  });
});
