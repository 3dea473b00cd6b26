import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Lead {
  id: string;
  ownerId: string | null;
  assignedByRule: string | null;
}
interface Rule {
  id: string;
  nextIndex: number;
  version: number;
}

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(async () => t?.close());

async function rule(ws: Session, body: Record<string, unknown>): Promise<Rule> {
  const res = await api(t.app, ws).post("/api/v1/lead-assignment-rules", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Rule>();
}
async function handOver(ws: Session, body: Record<string, unknown> = {}): Promise<Lead> {
  const res = await api(t.app, ws).post("/api/v1/leads", { name: "分配测试线索", toPool: true, provinceCode: "11", ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Lead>();
}
const countBy = (leads: Lead[]) => leads.reduce<Record<string, number>>((m, l) => ({ ...m, [l.ownerId ?? "pool"]: (m[l.ownerId ?? "pool"] ?? 0) + 1 }), {});

describe("lead assignment rules", () => {
  let ws: Session;
  let reps: (Session & { id: string })[];
  let south: Session & { id: string };
  let fallback: Rule;
  let region: Rule;
  beforeAll(async () => {
    ws = await createWorkspace(t);
    reps = [await addUser(t, ws, "sales", { name: "轮询一" }), await addUser(t, ws, "sales", { name: "轮询二" }), await addUser(t, ws, "sales", { name: "轮询三" })];
    south = await addUser(t, ws, "sales", { name: "华南" });
    fallback = await rule(ws, { name: "全部", position: 10, userIds: reps.map((r) => r.id) });
    region = await rule(ws, { name: "广东", position: 1, provinceCodes: ["44"], userIds: [south.id] });
  });

  it("hands 9 leads to 3 users in turn, exactly", async () => {
    const made: Lead[] = [];
    for (let i = 0; i < 9; i++) made.push(await handOver(ws));
    expect(made.map((l) => l.ownerId)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2].map((i) => reps[i]!.id));
    expect(made.every((l) => l.assignedByRule === fallback.id)).toBe(true);
    const moves = await withTenant(t.database, { tenantId: ws.workspaceId }, async (tx) =>
      (await tx.execute<{ n: number }>(`select count(*)::int as n from lead_moves where kind = 'assign' and reason = '全部' and lead_id in (${made.map((l) => `'${l.id}'`).join(",")})`)).rows[0]!.n,
    );
    expect(moves).toBe(9);
    const notes = (await api(t.app, reps[0]!, "zh-CN").get("/api/v1/notifications")).json<{ items: { kind: string; objectId: string; message: string }[] }>();
    expect(notes.items.filter((n) => n.kind === "lead_assigned")).toHaveLength(3);
    expect(notes.items[0]!.message).toBe("您有一条新线索：分配测试线索");
  });

  it("takes turns exactly under 9 concurrent creates", async () => {
    const made = await Promise.all(Array.from({ length: 9 }, () => handOver(ws)));
    expect(countBy(made)).toEqual(Object.fromEntries(reps.map((r) => [r.id, 3])));
  });

  it("lets a region rule win over the fallback, by position", async () => {
    const l = await handOver(ws, { provinceCode: "44" });
    expect(l).toMatchObject({ ownerId: south.id, assignedByRule: region.id });
    // Product line and source lists narrow a rule too.
    const product = await rule(ws, { name: "CRM 线", position: 0, productLines: ["CRM"], sources: ["website"], userIds: [reps[2]!.id] });
    expect((await handOver(ws, { productLine: "CRM", source: "website", provinceCode: "44" })).ownerId).toBe(reps[2]!.id);
    expect((await handOver(ws, { productLine: "CRM", source: "展会", provinceCode: "44" })).ownerId).toBe(south.id);
    expect((await api(t.app, ws).del(`/api/v1/lead-assignment-rules/${product.id}`)).statusCode).toBe(204);
  });

  it("runs the rules for a creator who may not keep leads, and puts leads no rule matches in the pool", async () => {
    const role = await api(t.app, ws).post("/api/v1/roles", { key: "lead_entry", name: "线索录入", permissions: ["lead:read", "lead:create"], visibility: "own" });
    expect(role.statusCode, role.body).toBe(201);
    const clerk = await addUser(t, ws, "lead_entry");
    const entered = (await api(t.app, clerk).post("/api/v1/leads", { name: "录入员的线索", provinceCode: "44" })).json<Lead>();
    expect(entered.ownerId).toBe(south.id);

    const off = await api(t.app, ws).patch(`/api/v1/lead-assignment-rules/${fallback.id}`, { version: fallback.version, active: false });
    expect(off.statusCode, off.body).toBe(200);
    const pooled = await handOver(ws, { provinceCode: "31" });
    expect(pooled).toMatchObject({ ownerId: null, assignedByRule: null });
    const moves = await withTenant(t.database, { tenantId: ws.workspaceId }, async (tx) => (await tx.execute<{ n: number }>(`select count(*)::int as n from lead_moves where lead_id = '${pooled.id}'`)).rows[0]!.n);
    expect(moves).toBe(0);
  });

  it("lets only managers change rules, and only with active members", async () => {
    expect((await api(t.app, reps[0]!).post("/api/v1/lead-assignment-rules", { name: "x", userIds: [reps[0]!.id] })).statusCode).toBe(403);
    expect((await api(t.app, reps[0]!).get("/api/v1/lead-assignment-rules")).statusCode).toBe(200);
    const stranger = await api(t.app, ws, "zh-CN").post("/api/v1/lead-assignment-rules", { name: "x", userIds: ["00000000-0000-4000-8000-000000000000"] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json<{ error: { message: string } }>().error.message).toBe("分配规则中的用户必须都是有效成员");
    expect((await api(t.app, ws).post("/api/v1/lead-assignment-rules", { name: "x", userIds: [] })).statusCode).toBe(400);
    expect((await api(t.app, ws).post("/api/v1/lead-assignment-rules", { name: "x", provinceCodes: ["99"], userIds: [reps[0]!.id] })).statusCode).toBe(400);
    const other = await createWorkspace(t);
    expect((await api(t.app, other).post("/api/v1/lead-assignment-rules", { name: "x", userIds: [reps[0]!.id] })).statusCode).toBe(400);
  });
});
