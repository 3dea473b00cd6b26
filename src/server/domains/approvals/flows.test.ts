import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Flow {
  id: string;
  kind: string;
  name: string;
  minAmount: string | null;
  steps: { name: string; approver: Record<string, string> }[];
  active: boolean;
  version: number;
}
type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

describe("approval flows", () => {
  let t: TestEnv;
  let owner: Session;
  let manager: Session & { id: string };
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    manager = await addUser(t, owner, "manager");
  });
  afterAll(async () => t?.close());

  const eventsOf = (objectId: string) =>
    withTenant(t.database, { tenantId: owner.workspaceId }, async (tx) =>
      (await tx.execute<{ action: string }>(`select action from events where object_id = '${objectId}' order by id`)).rows.map((r) => r.action),
    );

  it("creates, reads, updates with If-Match and deletes a flow, each change audited", async () => {
    const as = api(t.app, owner);
    const created = await as.post("/api/v1/approval-flows", {
      kind: "discount",
      name: "大额折扣",
      minAmount: "10000",
      steps: [
        { name: "部门经理", approver: { type: "managers" } },
        { name: "财务", approver: { type: "user", userId: manager.id } },
        { name: "管理员", approver: { type: "role", roleKey: "admin" } },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const flow = created.json<Flow>();
    expect(flow).toMatchObject({ kind: "discount", minAmount: "10000.00", active: true, version: 1 });
    expect(flow.steps).toHaveLength(3);

    const got = await as.get(`/api/v1/approval-flows/${flow.id}`);
    expect(got.headers.etag).toBe('"1"');
    expect((await as.get("/api/v1/approval-flows?kind=discount")).json<{ items: Flow[] }>().items.map((f) => f.id)).toContain(flow.id);
    expect((await as.get("/api/v1/approval-flows?kind=quote")).json<{ items: Flow[] }>().items.map((f) => f.id)).not.toContain(flow.id);

    expect((await as.patch(`/api/v1/approval-flows/${flow.id}`, { name: "x" })).statusCode).toBe(400); // no version
    const updated = await as.patch(`/api/v1/approval-flows/${flow.id}`, { name: "大额折扣审批", minAmount: null }, { "if-match": '"1"' });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json<Flow>()).toMatchObject({ name: "大额折扣审批", minAmount: null, version: 2 });
    const stale = await as.patch(`/api/v1/approval-flows/${flow.id}`, { version: 1, active: false });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.details.currentVersion).toBe(2);

    expect((await as.del(`/api/v1/approval-flows/${flow.id}`, { "if-match": '"1"' })).statusCode).toBe(409);
    expect((await as.del(`/api/v1/approval-flows/${flow.id}`, { "if-match": '"2"' })).statusCode).toBe(204);
    expect((await as.get(`/api/v1/approval-flows/${flow.id}`)).statusCode).toBe(404);
    expect(await eventsOf(flow.id)).toEqual(["approval_flow.created", "approval_flow.updated", "approval_flow.deleted"]);
  });

  it("refuses bad flows with localised messages and saves nothing", async () => {
    const zh = api(t.app, owner, "zh-CN");
    const count = async () => (await zh.get("/api/v1/approval-flows")).json<{ items: unknown[] }>().items.length;
    const before = await count();
    const step = { name: "审批", approver: { type: "managers" } };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ steps: [] }, /至少需要一个步骤/],
      [{ steps: Array.from({ length: 11 }, () => step) }, /最多 10 个步骤/],
      [{ steps: [{ name: "x", approver: { type: "role", roleKey: "finance" } }] }, /不存在角色“finance”/],
      [{ steps: [{ name: "x", approver: { type: "user", userId: "00000000-0000-4000-8000-000000000000" } }] }, /第 1 步的审批人不是本工作区的有效成员/],
      [{ steps: [step, { name: "x", approver: { type: "role", roleKey: "sales" } }] }, /第 2 步的审批人没有审批权限/],
      [{ steps: [step], minAmount: "-5" }, /请输入金额/],
      [{ steps: [step], minAmount: "1,000" }, /请输入金额/],
      [{ steps: [step], priority: 1 }, /[\u4e00-\u9fff]/],
      [{ steps: [{ name: "x", approver: { type: "everyone" } }] }, /[\u4e00-\u9fff]/],
    ];
    for (const [body, message] of cases) {
      const res = await zh.post("/api/v1/approval-flows", { kind: "quote", name: "报价审批", ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json<ErrorBody>().error), JSON.stringify(body)).toMatch(message);
    }
    const en = await api(t.app, owner).post("/api/v1/approval-flows", { kind: "quote", name: "Quotes", steps: [{ name: "x", approver: { type: "role", roleKey: "finance" } }] });
    expect(en.json<ErrorBody>().error.message).toBe("There is no role “finance” in this workspace");
    expect(await count()).toBe(before);
  });

  it("refuses a second active flow of a kind at the same minimum, and lets sales reps read but not manage flows", async () => {
    const as = api(t.app, owner);
    const body = { kind: "contract", name: "合同", minAmount: "5000.00", steps: [{ name: "经理", approver: { type: "managers" } }] };
    expect((await as.post("/api/v1/approval-flows", body)).statusCode).toBe(201);
    const dup = await as.post("/api/v1/approval-flows", { ...body, minAmount: "5000" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<ErrorBody>().error.code).toBe("CONFLICT");
    // An inactive one may share it.
    expect((await as.post("/api/v1/approval-flows", { ...body, active: false })).statusCode).toBe(201);

    const sales = await addUser(t, owner, "sales");
    expect((await api(t.app, sales).get("/api/v1/approval-flows")).statusCode).toBe(200);
    expect((await api(t.app, sales).post("/api/v1/approval-flows", { ...body, minAmount: "1" })).statusCode).toBe(403);
    // A manager holds approval:manage.
    expect((await api(t.app, manager).post("/api/v1/approval-flows", { ...body, minAmount: "2" })).statusCode).toBe(201);
  });

  it("accepts a custom role that holds approval:decide", async () => {
    const as = api(t.app, owner);
    const role = await as.post("/api/v1/roles", { key: "finance", name: "财务", permissions: ["approval:read", "approval:decide"], visibility: "own" });
    expect(role.statusCode, role.body).toBe(201);
    const res = await as.post("/api/v1/approval-flows", { kind: "credit_override", name: "超信用额度", steps: [{ name: "财务", approver: { type: "role", roleKey: "finance" } }] });
    expect(res.statusCode, res.body).toBe(201);
  });
});
