import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { allPermissions } from "../../lib/access.js";
import { readTenant, systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { pipelineSummary } from "./index.js";

interface Stage {
  id: string;
  name: string;
}
interface Pipeline {
  id: string;
  stages: Stage[];
}
interface Column {
  stage: Stage;
  count: number;
  amount: string;
  weighted: string;
  cards: { id: string; name: string; probability: number; customerName: string }[];
}
interface Board {
  currency: string;
  missingRates: string[];
  columns: Column[];
}

let t: TestEnv;
let owner: Session;
let n = 0;

async function pipeline(session: Session): Promise<Pipeline> {
  const res = await api(t.app, session).post("/api/v1/pipelines", {
    name: `看板流程${++n}`,
    stages: [
      { name: "接洽", probability: 10 },
      { name: "报价", probability: 50 },
      { name: "赢单", probability: 100, kind: "won" },
      { name: "输单", probability: 0, kind: "lost" },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function create(session: Session, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await api(t.app, session).post("/api/v1/opportunities", { name: `看板商机${++n}`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const board = async (session: Session, p: Pipeline, cards = 20) => {
  const res = await api(t.app, session).get(`/api/v1/pipelines/${p.id}/board?cards=${cards}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Board>();
};
const column = (b: Board, name: string) => b.columns.find((c) => c.stage.name === name)!;

beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

describe("board", () => {
  it("sums amounts exactly in the base currency, weights them by probability, and shows each user what they may see", async () => {
    const a = api(t.app, owner);
    expect((await a.post("/api/v1/exchange-rates", { currency: "USD", validFrom: "2020-01-01", rate: "7.1234" })).statusCode).toBeLessThan(300);
    const east = (await a.post("/api/v1/departments", { name: `华东销售部${++n}` })).json<{ id: string }>();
    const west = (await a.post("/api/v1/departments", { name: `华西销售部${++n}` })).json<{ id: string }>();
    const manager = await addUser(t, owner, "manager", { departmentId: east.id });
    const rep = await addUser(t, owner, "sales", { departmentId: east.id });
    const westRep = await addUser(t, owner, "sales", { departmentId: west.id });
    const c = (await a.post("/api/v1/customers", { kind: "organization", name: `看板客户${++n}有限公司` })).json<{ id: string }>();
    const p = await pipeline(owner);
    const base = { customerId: c.id, pipelineId: p.id };
    // 0.10 + 0.20 in binary floating point is 0.30000000000000004.
    const first = await create(owner, { ...base, ownerId: rep.id, amount: "0.10" });
    await create(owner, { ...base, ownerId: rep.id, amount: "0.20", probability: 33 });
    await create(owner, { ...base, ownerId: rep.id, amount: "100.01", currency: "USD" });
    await create(owner, { ...base, ownerId: westRep.id, amount: "1000" });
    await create(owner, { ...base, stageId: p.stages[1]!.id, amount: "5", currency: "EUR" });

    // rep: 0.10 + 0.20 + 100.01 × 7.1234 (712.411234) = 712.711234; weighted 0.01 + 0.066 + 71.2411234 = 71.3171234.
    const mine = await board(rep, p);
    expect(mine.currency).toBe("CNY");
    expect(column(mine, "接洽")).toMatchObject({ count: 3, amount: "712.71", weighted: "71.32" });
    expect(column(mine, "接洽").cards.map((x) => x.probability)).toEqual([10, 33, 10]);
    expect(column(mine, "报价")).toMatchObject({ count: 0, amount: "0.00", cards: [] });
    expect(mine.missingRates).toEqual([]);
    // The manager sees the department's; the west rep only their own.
    expect(column(await board(manager, p), "接洽")).toMatchObject({ count: 3, amount: "712.71" });
    expect(column(await board(westRep, p), "接洽")).toMatchObject({ count: 1, amount: "1000.00", weighted: "100.00" });
    // The owner sees everything; EUR has no rate: counted, not summed, and named.
    const all = await board(owner, p, 2);
    expect(column(all, "接洽")).toMatchObject({ count: 4, amount: "1712.71", weighted: "171.32" });
    expect(column(all, "接洽").cards).toHaveLength(2);
    expect(column(all, "报价")).toMatchObject({ count: 1, amount: "0.00" });
    expect(all.missingRates).toEqual(["EUR"]);

    // Drag the first card to the end of the column, then back to the top.
    const toEnd = await api(t.app, rep).post(`/api/v1/opportunities/${first.id}/move`, { version: first.version, stageId: p.stages[0]!.id, rank: 99 });
    expect(toEnd.statusCode, toEnd.body).toBe(200);
    expect(column(await board(rep, p), "接洽").cards.at(-1)!.id).toBe(first.id);
    const toTop = await api(t.app, rep).post(`/api/v1/opportunities/${first.id}/move`, { version: first.version + 1, stageId: p.stages[0]!.id, rank: 0 });
    expect(toTop.statusCode, toTop.body).toBe(200);
    expect(column(await board(rep, p), "接洽").cards[0]!.id).toBe(first.id);
    // Between two cards without a gap: the column is renumbered.
    const ids = column(await board(owner, p), "接洽").cards.map((x) => x.id);
    await withTenant(t.database, { tenantId: owner.workspaceId }, (tx) => tx.execute(`update opportunities set rank = 5 where id = '${ids[0]}'; update opportunities set rank = 6 where id = '${ids[1]}'`));
    const order = column(await board(owner, p, 20), "接洽").cards.map((x) => x.id);
    const last = order.at(-1)!;
    const lv = (await api(t.app, owner).get(`/api/v1/opportunities/${last}`)).json<{ version: number }>().version;
    const between = await api(t.app, owner).post(`/api/v1/opportunities/${last}/move`, { version: lv, stageId: p.stages[0]!.id, rank: 1 });
    expect(between.statusCode, between.body).toBe(200);
    expect(column(await board(owner, p, 20), "接洽").cards.map((x) => x.id)).toEqual([order[0], last, ...order.slice(1, -1)]);
  });

  it("is not found for a pipeline of another workspace", async () => {
    const other = await createWorkspace(t);
    const p = await pipeline(other);
    expect((await api(t.app, owner).get(`/api/v1/pipelines/${p.id}/board`)).statusCode).toBe(404);
  });
});

describe("pipelineSummary", () => {
  it("gives the weighted forecast per stage, the win rate and the average sales cycle on fixed data", async () => {
    const ws = await createWorkspace(t);
    const a = api(t.app, ws);
    const c = (await a.post("/api/v1/customers", { kind: "organization", name: `汇总客户${++n}有限公司` })).json<{ id: string }>();
    const p = await pipeline(ws);
    const [qualify, propose, won, lost] = p.stages;
    const make = async (amount: string, extra: Record<string, unknown> = {}) => create(ws, { customerId: c.id, pipelineId: p.id, amount, ...extra });
    const move = async (o: { id: string; version: number }, stageId: string, body: Record<string, unknown> = {}) => {
      const res = await a.post(`/api/v1/opportunities/${o.id}/move`, { version: o.version, stageId, ...body });
      expect(res.statusCode, res.body).toBe(200);
    };
    await make("1000.10", { expectedClose: "2031-03-10" });
    const b = await make("2000", { expectedClose: "2031-04-10", probability: 75 });
    await move(b, propose!.id);
    const w1 = await make("300");
    const w2 = await make("700.05");
    const l1 = await make("50");
    await move(w1, won!.id);
    await move(w2, won!.id);
    await move(l1, lost!.id, { lossReason: "预算取消" });
    // Fixed dates: w1 took 10 days (closed in March), w2 20 days (closed in May), l1 closed in March.
    await withTenant(t.database, { tenantId: ws.workspaceId }, (tx) =>
      tx.execute(`
        update opportunities set created_at = '2031-03-01T00:00:00Z', closed_at = '2031-03-11T00:00:00Z' where id = '${w1.id}';
        update opportunities set created_at = '2031-04-15T00:00:00Z', closed_at = '2031-05-05T00:00:00Z' where id = '${w2.id}';
        update opportunities set created_at = '2031-02-01T00:00:00Z', closed_at = '2031-03-20T12:00:00Z' where id = '${l1.id}';`),
    );
    const ctx = systemCtx(t.database, t.services, ws.workspaceId, allPermissions());
    const all = await readTenant(ctx, (tx) => pipelineSummary(tx, ctx, { pipelineId: p.id }));
    expect(all.currency).toBe("CNY");
    expect(all.stages.map((s) => [s.name, s.count, s.amount, s.weighted])).toEqual([
      [qualify!.name, 1, "1000.10", "100.01"],
      [propose!.name, 1, "2000.00", "1500.00"],
      [won!.name, 2, "1000.05", "1000.05"],
      [lost!.name, 1, "50.00", "0.00"],
    ]);
    expect(all.won).toMatchObject({ count: 2, amount: "1000.05" });
    expect(all.winRate).toBe(0.6667);
    expect(all.averageCycleDays).toBe(15);
    const march = await readTenant(ctx, (tx) => pipelineSummary(tx, ctx, { pipelineId: p.id, from: "2031-03-01", to: "2031-03-31" }));
    expect(march.winRate).toBe(0.5);
    expect(march.averageCycleDays).toBe(10);
    expect(march.stages.map((s) => s.count)).toEqual([1, 0, 1, 1]);
    const none = await readTenant(ctx, (tx) => pipelineSummary(tx, ctx, { pipelineId: p.id, from: "2030-01-01", to: "2030-01-31" }));
    expect(none).toMatchObject({ winRate: null, averageCycleDays: null });
  });
});
