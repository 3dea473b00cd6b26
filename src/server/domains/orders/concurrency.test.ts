import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Order {
  id: string;
  number: string;
  status: string;
  version: number;
  total: string;
}

let t: TestEnv;
let owner: Session;
beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

const line = (unitPrice: string) => ({ name: "配件", quantity: "1", unitPrice, taxRate: "0", discountRate: "0" });

async function setCreditMode(mode: "block" | "approval") {
  const s = await api(t.app, owner).get("/api/v1/order-settings");
  const res = await api(t.app, owner).patch("/api/v1/order-settings", { creditMode: mode }, { "if-match": s.headers.etag as string });
  expect(res.statusCode, res.body).toBe(200);
}

async function drafts(customerId: string, count: number, unitPrice: string): Promise<Order[]> {
  const out: Order[] = [];
  for (let i = 0; i < count; i++) {
    const res = await api(t.app, owner).post("/api/v1/orders", { customerId, lines: [line(unitPrice)] });
    expect(res.statusCode, res.body).toBe(201);
    out.push(res.json());
  }
  return out;
}

async function newCustomer(creditLimit: string): Promise<string> {
  const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: `并发客户${Date.now()}${Math.random()}`, creditLimit });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

describe("credit limit under concurrency", () => {
  it("100 orders submitted at once against one limit never exceed it (block mode)", async () => {
    await setCreditMode("block");
    const customerId = await newCustomer("1000");
    const orders = await drafts(customerId, 100, "30");
    const results = await Promise.all(orders.map((o) => api(t.app, owner).post(`/api/v1/orders/${o.id}/submit`, { version: o.version })));
    const accepted = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode === 400);
    expect(accepted.length + refused.length).toBe(100);
    // 33 × 30 = 990 fits, a 34th would make 1020.
    expect(accepted).toHaveLength(33);
    for (const r of refused) expect(r.json<{ error: { details: { creditCheck: { exceeded: string[] } } } }>().error.details.creditCheck.exceeded).toEqual(["credit_limit"]);
    const credit = (await api(t.app, owner).get(`/api/v1/customers/${customerId}/credit`)).json<{ outstanding: string; available: string }>();
    expect(credit).toEqual(expect.objectContaining({ outstanding: "990.00", available: "10.00" }));
  });

  it("in approval mode the orders over the limit wait for approval instead, and only those within it are approved", async () => {
    await setCreditMode("approval");
    const customerId = await newCustomer("500");
    const orders = await drafts(customerId, 40, "45.5");
    const results = await Promise.all(orders.map((o) => api(t.app, owner).post(`/api/v1/orders/${o.id}/submit`, { version: o.version })));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const statuses = results.map((r) => r.json<Order>().status);
    // 10 × 45.50 = 455 fits, 11 would make 500.50.
    expect(statuses.filter((s) => s === "approved")).toHaveLength(10);
    expect(statuses.filter((s) => s === "pending_approval")).toHaveLength(30);
  });
});

describe("order numbers under concurrency", () => {
  it("50 parallel creates get 50 consecutive numbers: no gaps, no duplicates", async () => {
    const customerId = await newCustomer("1000000");
    const results = await Promise.all(Array.from({ length: 50 }, () => api(t.app, owner).post("/api/v1/orders", { customerId, lines: [line("1")] })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.json<Order>().number);
    expect(new Set(numbers).size).toBe(50);
    const seqs = numbers.map((x) => Number(x.slice(-5))).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]!).toBe(49);
    // A create that fails gives its number back: the next one follows on.
    const bad = await api(t.app, owner).post("/api/v1/orders", { customerId, lines: [{ name: "x", quantity: "1", unitPrice: "1", taxRate: "0" }], currency: "XXX" });
    expect(bad.statusCode).toBe(400);
    const next = await api(t.app, owner).post("/api/v1/orders", { customerId, lines: [line("1")] });
    expect(Number(next.json<Order>().number.slice(-5))).toBe(seqs.at(-1)! + 1);
  });
});
