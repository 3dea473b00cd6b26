import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: string;
  requiredFields: string[];
}
interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  version: number;
  stages: Stage[];
}

let t: TestEnv;
let owner: Session;
let n = 0;

const stages = (extra: Record<string, unknown>[] = []) => [
  { name: "接洽", probability: 10 },
  { name: "报价", probability: 50 },
  ...extra,
  { name: "赢单", probability: 100, kind: "won" },
  { name: "输单", probability: 0, kind: "lost" },
];

async function pipeline(session: Session, body: Record<string, unknown> = {}): Promise<Pipeline> {
  const res = await api(t.app, session).post("/api/v1/pipelines", { name: `流程${++n}`, stages: stages(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function customer(session: Session): Promise<{ id: string }> {
  const res = await api(t.app, session).post("/api/v1/customers", { kind: "organization", name: `流程测试客户${++n}有限公司` });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const pipelineCount = (session: Session) =>
  withTenant(t.database, { tenantId: session.workspaceId }, async (tx) => Number((await tx.execute<{ n: string }>("select count(*) as n from pipelines")).rows[0]!.n));

beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
});
afterAll(async () => t?.close());

describe("default pipeline", () => {
  it("is created once on first use, even by concurrent requests, named in the workspace's language", async () => {
    const ws = await createWorkspace(t);
    expect(await pipelineCount(ws)).toBe(0);
    const c = await customer(ws);
    // Lists and creations race for the first pipeline.
    const replies = await Promise.all([
      ...Array.from({ length: 5 }, () => api(t.app, ws).get("/api/v1/pipelines")),
      ...Array.from({ length: 3 }, (_, i) => api(t.app, ws).post("/api/v1/opportunities", { name: `并发商机${i}`, customerId: c.id })),
    ]);
    for (const r of replies) expect(r.statusCode, r.body).toBeLessThan(300);
    expect(await pipelineCount(ws)).toBe(1);
    const lists = replies.slice(0, 5).map((r) => r.json<{ items: Pipeline[] }>().items);
    const id = lists[0]![0]!.id;
    for (const l of lists) expect(l.map((p) => p.id)).toEqual([id]);
    const p = lists[0]![0]!;
    expect(p.isDefault).toBe(true);
    expect(p.stages.map((s) => [s.name, s.probability, s.kind])).toEqual([
      ["Qualification", 10, "open"],
      ["Needs analysis", 30, "open"],
      ["Proposal", 60, "open"],
      ["Negotiation", 80, "open"],
      ["Won", 100, "won"],
      ["Lost", 0, "lost"],
    ]);
    for (const r of replies.slice(5)) expect(r.json<{ pipelineId: string; stageId: string }>()).toMatchObject({ pipelineId: id, stageId: p.stages[0]!.id });
  });

  it("uses Chinese stage names in a zh-CN workspace", async () => {
    const ws = await createWorkspace(t);
    const current = (await api(t.app, ws).get("/api/v1/workspace")).json<{ version: number }>();
    expect((await api(t.app, ws).patch("/api/v1/workspace", { version: current.version, defaultLocale: "zh-CN" })).statusCode).toBe(200);
    const [p] = (await api(t.app, ws).get("/api/v1/pipelines")).json<{ items: Pipeline[] }>().items;
    expect(p!.stages.map((s) => `${s.name} ${s.probability}`)).toEqual(["初步接洽 10", "需求确认 30", "方案报价 60", "谈判审核 80", "赢单 100", "输单 0"]);
  });
});

describe("pipeline configuration", () => {
  it("refuses stage lists that break the rules, with zh-CN messages, and creates nothing", async () => {
    const zh = api(t.app, owner, "zh-CN");
    const before = await pipelineCount(owner);
    const cases: [unknown, string][] = [
      [[{ name: "接洽", probability: 10 }, { name: "报价", probability: 50 }, { name: "赢单", probability: 100, kind: "won" }], "至少需要一个进行中阶段、一个赢单阶段和一个输单阶段"],
      [stages([{ name: "报价", probability: 70 }]), "阶段名称“报价”重复"],
      [[{ name: "接洽", probability: 10 }, { name: "赢单", probability: 90, kind: "won" }, { name: "输单", probability: 0, kind: "lost" }], "赢单阶段的赢率应为 100"],
      [stages([{ name: "谈判", probability: 101 }]), ""],
      [stages([{ name: "谈判", probability: 80, requiredFields: ["budget"] }]), ""],
    ];
    for (const [body, message] of cases) {
      const res = await zh.post("/api/v1/pipelines", { name: `坏流程${++n}`, stages: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message + res.body).toContain(message);
    }
    expect(await pipelineCount(owner)).toBe(before);
    const dup = await pipeline(owner);
    const again = await zh.post("/api/v1/pipelines", { name: dup.name, stages: stages() });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { message: string } }>().error.message).toBe("该名称已被使用");
  });

  it("adds, renames, reorders and reconfigures stages", async () => {
    const p = await pipeline(owner);
    const [first, second, won, lost] = p.stages;
    const res = await api(t.app, owner).patch(
      `/api/v1/pipelines/${p.id}`,
      {
        name: `${p.name} 改`,
        stages: [
          { id: second!.id, name: "方案", probability: 40, requiredFields: ["amount", "amount", "products"] },
          { id: first!.id, name: "接洽", probability: 15 },
          { name: "谈判", probability: 80, requiredFields: ["expectedClose"] },
          { id: won!.id, name: "赢单", probability: 100, kind: "won" },
          { id: lost!.id, name: "输单", probability: 0, kind: "lost" },
        ],
      },
      { "if-match": `"${p.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json<Pipeline>();
    expect(updated.version).toBe(p.version + 1);
    expect(updated.stages.map((s) => [s.name, s.position, s.probability, s.requiredFields])).toEqual([
      ["方案", 0, 40, ["amount", "products"]],
      ["接洽", 1, 15, []],
      ["谈判", 2, 80, ["expectedClose"]],
      ["赢单", 3, 100, []],
      ["输单", 4, 0, []],
    ]);
    expect(updated.stages[0]!.id).toBe(second!.id);
    const stale = await api(t.app, owner).patch(`/api/v1/pipelines/${p.id}`, { version: p.version, name: "x" });
    expect(stale.statusCode).toBe(409);
  });

  it("refuses deleting a stage or a pipeline that holds opportunities, naming how many", async () => {
    const p = await pipeline(owner);
    const c = await customer(owner);
    for (const name of ["商机甲", "商机乙"]) {
      const res = await api(t.app, owner).post("/api/v1/opportunities", { name, customerId: c.id, pipelineId: p.id });
      expect(res.statusCode, res.body).toBe(201);
    }
    const zh = api(t.app, owner, "zh-CN");
    const [first, second, won, lost] = p.stages;
    const drop = await zh.patch(`/api/v1/pipelines/${p.id}`, { version: p.version, stages: [second, won, lost].map((s) => ({ id: s!.id, name: s!.name, probability: s!.probability, kind: s!.kind })) });
    expect(drop.statusCode).toBe(400);
    expect(drop.json<{ error: { message: string } }>().error.message).toBe(`阶段“${first!.name}”中还有 2 个商机，请先移走再删除`);
    const kind = await zh.patch(`/api/v1/pipelines/${p.id}`, {
      version: p.version,
      stages: [{ id: first!.id, name: first!.name, probability: 0, kind: "lost" }, ...[second, won, lost].map((s) => ({ id: s!.id, name: s!.name, probability: s!.probability, kind: s!.kind }))],
    });
    expect(kind.statusCode).toBe(400);
    expect(kind.body).toContain("不能更改其类型");
    const unchanged = (await api(t.app, owner).get(`/api/v1/pipelines/${p.id}`)).json<Pipeline>();
    expect(unchanged).toMatchObject({ version: p.version, stages: p.stages });
    const del = await zh.del(`/api/v1/pipelines/${p.id}`);
    expect(del.statusCode).toBe(400);
    expect(del.json<{ error: { message: string } }>().error.message).toBe("该销售流程中还有 2 个商机，不能删除");
    const empty = await pipeline(owner);
    expect((await api(t.app, owner).del(`/api/v1/pipelines/${empty.id}`)).statusCode).toBe(204);
    expect((await api(t.app, owner).get(`/api/v1/pipelines/${empty.id}`)).statusCode).toBe(404);
  });

  it("keeps exactly one default pipeline", async () => {
    const list = async () => (await api(t.app, owner).get("/api/v1/pipelines")).json<{ items: Pipeline[] }>().items;
    const first = (await list()).find((p) => p.isDefault)!;
    const next = await pipeline(owner, { isDefault: true });
    expect(next.isDefault).toBe(true);
    const after = await list();
    expect(after.filter((p) => p.isDefault).map((p) => p.id)).toEqual([next.id]);
    expect(after[0]!.id).toBe(next.id);
    const unset = await api(t.app, owner, "zh-CN").patch(`/api/v1/pipelines/${next.id}`, { version: next.version, isDefault: false });
    expect(unset.statusCode).toBe(400);
    expect(unset.json<{ error: { message: string } }>().error.message).toContain("请将其他销售流程设为默认");
    expect((await api(t.app, owner).del(`/api/v1/pipelines/${next.id}`)).statusCode).toBe(400);
    const back = (await list()).find((p) => p.id === first.id)!;
    expect((await api(t.app, owner).patch(`/api/v1/pipelines/${first.id}`, { version: back.version, isDefault: true })).statusCode).toBe(200);
    expect((await list()).filter((p) => p.isDefault).map((p) => p.id)).toEqual([first.id]);
  });

  it("lets sales reps read pipelines but not configure them", async () => {
    const rep = await addUser(t, owner, "sales");
    expect((await api(t.app, rep).get("/api/v1/pipelines")).statusCode).toBe(200);
    const res = await api(t.app, rep).post("/api/v1/pipelines", { name: `销售建的流程${++n}`, stages: stages() });
    expect(res.statusCode).toBe(403);
  });
});
