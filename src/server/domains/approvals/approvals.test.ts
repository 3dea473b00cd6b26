import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { inTenant, systemCtx } from "../../lib/context.js";
import { AppError, conflict } from "../../lib/errors.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { onApprovalDecided, openApproval, pendingApprovalFor, type ApprovalKind, type DecidedRequest } from "./index.js";

interface Detail {
  id: string;
  status: string;
  currentStep: number;
  flowId: string | null;
  steps: { name: string }[];
  approverIds: string[];
  canDecide: boolean;
  version: number;
  actions: { seq: number; step: number; action: string; actorId: string; toStep: number | null; comment: string }[];
}
type ErrorBody = { error: { code: string; message: string } };
type User = Session & { id: string };

/** What the decision handler saw, and the requests it refuses (as an order would when stock ran out). */
const decided: (DecidedRequest & { statusInTx: string; actor: string | null })[] = [];
const refuse = new Set<string>();
onApprovalDecided("contract", async (tx, ctx, request) => {
  // Read back in the handler's transaction: the decision is already written there.
  const { rows } = await tx.execute<{ status: string }>(sql`select status from approval_requests where id = ${request.id}`);
  decided.push({ ...request, statusInTx: rows[0]!.status, actor: ctx.userId });
  if (refuse.has(request.objectId)) throw conflict("errors.conflict", { reason: "refused by the order" });
});

describe("approval requests", () => {
  let t: TestEnv;
  let owner: Session;
  let admin: User;
  let mgrHq: User;
  let mgrEast: User;
  let mgrWest: User;
  let rep: User;
  let rep2: User;
  let loner: User;

  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    const as = api(t.app, owner);
    const hq = (await as.post("/api/v1/departments", { name: "总部" })).json<{ id: string }>();
    const east = (await as.post("/api/v1/departments", { name: "华东销售部", parentId: hq.id })).json<{ id: string }>();
    const west = (await as.post("/api/v1/departments", { name: "华西销售部", parentId: hq.id })).json<{ id: string }>();
    admin = await addUser(t, owner, "admin");
    mgrHq = await addUser(t, owner, "manager", { departmentId: hq.id });
    mgrEast = await addUser(t, owner, "manager", { departmentId: east.id });
    mgrWest = await addUser(t, owner, "manager", { departmentId: west.id });
    rep = await addUser(t, owner, "sales", { departmentId: east.id });
    rep2 = await addUser(t, owner, "sales", { departmentId: east.id });
    loner = await addUser(t, owner, "sales"); // no department
  });
  afterAll(async () => t?.close());

  const ctxOf = (user: { userId: string }) => ({ ...systemCtx(t.database, t.services, owner.workspaceId, [], user.userId), actorType: "user" as const });
  async function open(user: { userId: string }, kind: ApprovalKind, extra: { amount?: string | null; objectId?: string; title?: string } = {}) {
    const ctx = ctxOf(user);
    return inTenant(ctx, (tx) =>
      openApproval(tx, ctx, { kind, objectType: "order", objectId: extra.objectId ?? crypto.randomUUID(), title: extra.title ?? "订单 SO-1 超信用额度", amount: extra.amount ?? null, currency: "CNY", reason: { creditLimit: "1000.00" } }),
    );
  }
  const get = async (user: Session, id: string) => (await api(t.app, user).get(`/api/v1/approvals/${id}`)).json<Detail>();
  const act = (user: Session, id: string, action: string, body: Record<string, unknown> = {}, lang = "en-US") => api(t.app, user, lang).post(`/api/v1/approvals/${id}/${action}`, body);
  const notificationsOf = async (user: Session, id: string) =>
    (await api(t.app, user).get("/api/v1/notifications")).json<{ items: { kind: string; objectId: string; message: string }[] }>().items.filter((n) => n.objectId === id);
  const eventsOf = (id: string) =>
    withTenant(t.database, { tenantId: owner.workspaceId }, async (tx) =>
      (await tx.execute<{ action: string }>(sql`select action from events where object_id = ${id} order by id`)).rows.map((r) => r.action),
    );
  const createFlow = async (body: Record<string, unknown>) => {
    const res = await api(t.app, owner).post("/api/v1/approval-flows", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const sorted = (...ids: string[]) => [...ids].sort();

  it("without a flow, asks the requester's department managers and those above, notifying them", async () => {
    const { id, status } = await open(rep, "credit_override");
    expect(status).toBe("pending");
    const detail = await get(rep, id);
    expect(detail).toMatchObject({ status: "pending", currentStep: 0, flowId: null, steps: [{ name: "Manager approval" }], canDecide: false });
    expect(detail.approverIds).toEqual(sorted(mgrEast.id, mgrHq.id));
    expect(detail.actions.map((a) => [a.seq, a.action, a.actorId])).toEqual([[1, "submit", rep.id]]);
    expect((await notificationsOf(mgrEast, id)).map((n) => n.kind)).toEqual(["approval_requested"]);
    expect((await notificationsOf(mgrEast, id))[0]!.message).toBe("Waiting for your approval: 订单 SO-1 超信用额度");
    expect(await notificationsOf(mgrHq, id)).toHaveLength(1);
    expect(await notificationsOf(mgrWest, id)).toHaveLength(0);
    expect(await eventsOf(id)).toEqual(["approval.requested"]);
    const inbox = async (u: Session) => (await api(t.app, u).get("/api/v1/approvals?box=inbox")).json<{ items: { id: string }[] }>().items.map((r) => r.id);
    expect(await inbox(mgrEast)).toContain(id);
    expect(await inbox(mgrHq)).toContain(id);
    expect(await inbox(mgrWest)).not.toContain(id);
    expect(await inbox(owner)).not.toContain(id);
    // Nothing of it in another rep's view of the same department.
    expect((await api(t.app, rep2).get(`/api/v1/approvals/${id}`)).statusCode).toBe(404);
  });

  it("falls back to owners and admins when the requester has no managers, and never asks the requester (an owner) themself", async () => {
    const { id } = await open(loner, "credit_override");
    expect((await get(owner, id)).approverIds).toEqual(sorted(owner.userId, admin.id));
    expect(await notificationsOf(admin, id)).toHaveLength(1);

    const own = await open(owner, "credit_override");
    const detail = await get(owner, own.id);
    expect(detail.approverIds).toEqual([admin.id]);
    const refused = await act(owner, own.id, "approve", { version: detail.version }, "zh-CN");
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.message).toBe("不能审批（通过、驳回或退回）自己提交的申请");
    expect((await act(owner, own.id, "reject", { version: detail.version })).json<ErrorBody>().error.message).toBe("You cannot approve, reject or return your own request");
    const after = await get(owner, own.id);
    expect(after).toMatchObject({ status: "pending", version: detail.version });
    expect(after.actions).toHaveLength(1);
  });

  it("refuses a manager approving their own request although their role is the step's approver", async () => {
    await createFlow({ kind: "quote", name: "报价经理审批", steps: [{ name: "经理", approver: { type: "role", roleKey: "manager" } }] });
    const { id } = await open(mgrEast, "quote");
    const detail = await get(mgrEast, id);
    expect(detail.approverIds).toEqual(sorted(mgrHq.id, mgrWest.id));
    expect(detail.approverIds).not.toContain(mgrEast.id);
    const res = await act(mgrEast, id, "approve", { version: detail.version });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.message).toBe("You cannot approve, reject or return your own request");
    expect((await act(mgrEast, id, "return", { version: detail.version, toStep: 0 })).statusCode).toBe(403);
    expect((await get(mgrEast, id)).actions).toHaveLength(1);
  });

  describe("a two-step flow", () => {
    let flowId: string;
    beforeAll(async () => {
      flowId = await createFlow({
        kind: "discount",
        name: "折扣审批",
        steps: [
          { name: "华东经理", approver: { type: "user", userId: mgrEast.id } },
          { name: "管理员", approver: { type: "role", roleKey: "admin" } },
        ],
      });
    });

    it("is approved step by step, notifying the next approvers and then the requester", async () => {
      const { id } = await open(rep, "discount", { title: "折扣 30%" });
      let d = await get(rep, id);
      expect(d).toMatchObject({ flowId, currentStep: 0, approverIds: [mgrEast.id] });
      expect((await act(mgrEast, id, "approve", {})).statusCode).toBe(400); // version required
      const first = await act(mgrEast, id, "approve", { comment: "同意" }, "zh-CN");
      expect(first.statusCode).toBe(400);
      const ok = await api(t.app, mgrEast).post(`/api/v1/approvals/${id}/approve`, { comment: "同意" }, { "if-match": `"${d.version}"` });
      expect(ok.statusCode, ok.body).toBe(200);
      d = ok.json<Detail>();
      expect(ok.headers.etag).toBe(`"${d.version}"`);
      expect(d).toMatchObject({ status: "pending", currentStep: 1, approverIds: [admin.id] });
      expect(await notificationsOf(admin, id)).toHaveLength(1);
      expect((await get(admin, id)).canDecide).toBe(true);
      // The first approver has had their turn.
      expect((await act(mgrEast, id, "approve", { version: d.version })).statusCode).toBe(403);

      const done = await act(admin, id, "approve", { version: d.version });
      expect(done.statusCode, done.body).toBe(200);
      d = done.json<Detail>();
      expect(d).toMatchObject({ status: "approved", approverIds: [] });
      expect(d.actions.map((a) => [a.seq, a.step, a.action, a.actorId, a.comment])).toEqual([
        [1, 0, "submit", rep.id, ""],
        [2, 0, "approve", mgrEast.id, "同意"],
        [3, 1, "approve", admin.id, ""],
      ]);
      expect((await notificationsOf(rep, id)).map((n) => n.kind)).toEqual(["approval_approved"]);
      expect(await eventsOf(id)).toEqual(["approval.requested", "approval.step_approved", "approval.approved"]);
      const again = await act(admin, id, "approve", { version: d.version });
      expect(again.statusCode).toBe(409);
      const mine = (await api(t.app, rep).get("/api/v1/approvals?box=mine&filter=status:eq:approved&filter=kind:eq:discount")).json<{ items: { id: string }[] }>();
      expect(mine.items.map((r) => r.id)).toEqual([id]);
    });

    it("returns to step 0, where the first approver decides again, then is approved", async () => {
      const { id } = await open(rep, "discount");
      let d = (await act(mgrEast, id, "approve", { version: 1 })).json<Detail>();
      expect(d.currentStep).toBe(1);
      const zh = await act(admin, id, "return", { version: d.version, toStep: 1 }, "zh-CN");
      expect(zh.statusCode).toBe(400);
      expect(zh.json<ErrorBody>().error.message).toBe("只能退回到之前的审批步骤");
      expect((await act(admin, id, "return", { version: d.version, toStep: -1 })).statusCode).toBe(400);
      const returned = await act(admin, id, "return", { version: d.version, toStep: 0, comment: "请补充折扣理由" });
      expect(returned.statusCode, returned.body).toBe(200);
      d = returned.json<Detail>();
      expect(d).toMatchObject({ status: "pending", currentStep: 0, approverIds: [mgrEast.id] });
      expect(d.actions.at(-1)).toMatchObject({ action: "return", step: 1, toStep: 0, actorId: admin.id, comment: "请补充折扣理由" });
      expect((await notificationsOf(mgrEast, id)).map((n) => n.kind)).toEqual(["approval_returned", "approval_requested"]);
      expect((await notificationsOf(rep, id)).map((n) => n.kind)).toEqual(["approval_returned"]);
      d = (await act(mgrEast, id, "approve", { version: d.version })).json<Detail>();
      d = (await act(admin, id, "approve", { version: d.version })).json<Detail>();
      expect(d.status).toBe("approved");
      expect(d.actions.map((a) => a.action)).toEqual(["submit", "approve", "return", "approve", "approve"]);
      expect(await eventsOf(id)).toEqual(["approval.requested", "approval.step_approved", "approval.returned", "approval.step_approved", "approval.approved"]);
    });

    it("refuses whoever is not the current step's approver (403) and those who may not see it (404)", async () => {
      const { id } = await open(rep, "discount");
      const wrong = await act(mgrWest, id, "approve", { version: 1 }, "zh-CN");
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json<ErrorBody>().error.message).toBe("您不是当前审批步骤的审批人");
      expect((await act(admin, id, "reject", { version: 1 })).statusCode).toBe(403); // step 1's approver, not step 0's
      expect((await act(rep2, id, "approve", { version: 1 })).statusCode).toBe(404);
      expect((await get(rep, id)).actions).toHaveLength(1);
    });

    it("is rejected, finishing it, and tells the requester", async () => {
      const { id } = await open(rep, "discount");
      const res = await act(mgrEast, id, "reject", { version: 1, comment: "折扣过高" });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Detail>()).toMatchObject({ status: "rejected", currentStep: 0 });
      expect((await notificationsOf(rep, id)).map((n) => n.kind)).toEqual(["approval_rejected"]);
      expect(await eventsOf(id)).toEqual(["approval.requested", "approval.rejected"]);
      const late = await act(admin, id, "approve", { version: 2 });
      expect(late.statusCode).toBe(409);
    });

    it("is withdrawn by the requester only, and the waiting approver is told", async () => {
      const { id } = await open(rep, "discount");
      const other = await act(mgrEast, id, "withdraw", { version: 1 }, "zh-CN");
      expect(other.statusCode).toBe(403);
      expect(other.json<ErrorBody>().error.message).toBe("只有申请人可以撤回申请");
      const res = await act(rep, id, "withdraw", { version: 1 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Detail>().status).toBe("withdrawn");
      expect((await notificationsOf(mgrEast, id)).map((n) => n.kind)).toEqual(["approval_withdrawn", "approval_requested"]);
      expect(await eventsOf(id)).toEqual(["approval.requested", "approval.withdrawn"]);
      expect((await act(rep, id, "withdraw", { version: 2 })).statusCode).toBe(409);
    });

    it("takes comments from anyone who can see the request, without changing it", async () => {
      const { id } = await open(rep, "discount");
      const res = await act(rep, id, "comment", { comment: "客户为战略客户" });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json<Detail>();
      expect(d.version).toBe(1);
      expect(d.actions.at(-1)).toMatchObject({ seq: 2, action: "comment", actorId: rep.id, comment: "客户为战略客户" });
      expect((await notificationsOf(mgrEast, id)).map((n) => n.kind)).toEqual(["approval_commented", "approval_requested"]);
      expect((await act(mgrEast, id, "comment", { comment: "好的" })).statusCode).toBe(200);
      expect((await act(rep2, id, "comment", { comment: "我也想看" })).statusCode).toBe(404);
      const empty = await act(rep, id, "comment", { comment: "   " }, "zh-CN");
      expect(empty.statusCode).toBe(400);
      expect(JSON.stringify(empty.json())).toContain("请填写评论内容");
      expect((await act(rep, id, "comment", { comment: "长".repeat(2001) })).statusCode).toBe(400);
      expect((await act(rep, id, "comment", { comment: "x", version: 7 })).statusCode).toBe(409);
      expect((await get(rep, id)).actions.map((a) => a.action)).toEqual(["submit", "comment", "comment"]);
      expect(await eventsOf(id)).toEqual(["approval.requested", "approval.commented", "approval.commented"]);
    });
  });

  it("lets exactly one of two approvers acting at once decide a step; the other gets 409", async () => {
    await createFlow({
      kind: "credit_override",
      name: "两位经理任一",
      minAmount: "1000",
      steps: [
        { name: "经理", approver: { type: "managers" } },
        { name: "管理员", approver: { type: "role", roleKey: "admin" } },
      ],
    });
    for (let round = 0; round < 3; round++) {
      const { id } = await open(rep, "credit_override", { amount: "5000" });
      expect((await get(rep, id)).approverIds).toEqual(sorted(mgrEast.id, mgrHq.id));
      const results = await Promise.all([act(mgrEast, id, "approve", { version: 1 }), act(mgrHq, id, "approve", { version: 1 })]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const d = await get(rep, id);
      expect(d).toMatchObject({ currentStep: 1, version: 2 });
      expect(d.actions.filter((a) => a.action === "approve")).toHaveLength(1);
      expect((await eventsOf(id)).filter((e) => e === "approval.step_approved")).toHaveLength(1);
    }
  });

  it("runs decision handlers once, in the deciding transaction: a handler that throws rolls the decision back", async () => {
    await createFlow({ kind: "contract", name: "合同审批", steps: [{ name: "华东经理", approver: { type: "user", userId: mgrEast.id } }] });
    const objectId = crypto.randomUUID();
    const { id } = await open(rep, "contract", { objectId });
    refuse.add(objectId);
    const refused = await act(mgrEast, id, "approve", { version: 1, comment: "同意" });
    expect(refused.statusCode).toBe(409);
    expect(decided.filter((d) => d.id === id)).toHaveLength(1); // it ran, saw the approval, threw
    const d = await get(rep, id);
    expect(d).toMatchObject({ status: "pending", currentStep: 0, version: 1 });
    expect(d.actions.map((a) => a.action)).toEqual(["submit"]);
    expect(await eventsOf(id)).toEqual(["approval.requested"]);
    expect(await notificationsOf(rep, id)).toHaveLength(0);

    refuse.delete(objectId);
    expect((await act(mgrEast, id, "approve", { version: 1 })).statusCode).toBe(200);
    const calls = decided.filter((c) => c.id === id);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ id, kind: "contract", objectType: "order", objectId, status: "approved", requestedBy: rep.id, statusInTx: "approved", actor: mgrEast.id });

    // Rejections and withdrawals reach the handlers too; comments and intermediate steps do not.
    const r = await open(rep, "contract");
    await act(rep, r.id, "comment", { comment: "请尽快" });
    await act(mgrEast, r.id, "reject", { version: 1 });
    const w = await open(rep, "contract");
    await act(rep, w.id, "withdraw", { version: 1 });
    expect(decided.filter((c) => c.id === r.id).map((c) => [c.status, c.actor])).toEqual([["rejected", mgrEast.id]]);
    expect(decided.filter((c) => c.id === w.id).map((c) => [c.status, c.actor])).toEqual([["withdrawn", rep.id]]);
  });

  it("picks the active flow with the highest minimum the amount reaches", async () => {
    const any = await createFlow({ kind: "quote", name: "任意金额", minAmount: "0.01", steps: [{ name: "A", approver: { type: "user", userId: mgrEast.id } }] });
    const mid = await createFlow({ kind: "quote", name: "一万以上", minAmount: "10000", steps: [{ name: "B", approver: { type: "user", userId: mgrHq.id } }] });
    const high = await createFlow({ kind: "quote", name: "五万以上", minAmount: "50000", steps: [{ name: "C", approver: { type: "role", roleKey: "admin" } }] });
    await createFlow({ kind: "quote", name: "停用", minAmount: "100000", active: false, steps: [{ name: "D", approver: { type: "role", roleKey: "owner" } }] });
    // The quote flow of an earlier test (no minimum) still matches what reaches no other.
    const cases: [string | null, string][] = [
      ["0.01", any],
      ["9999.99", any],
      ["10000.00", mid],
      ["49999", mid],
      ["50000", high],
      ["200000", high],
    ];
    for (const [amount, flowId] of cases) {
      const { id } = await open(rep, "quote", { amount });
      expect((await get(owner, id)).flowId, String(amount)).toBe(flowId);
    }
    const none = await open(rep, "quote", { amount: null });
    expect((await get(owner, none.id)).steps.map((s) => s.name)).toEqual(["经理"]);
    const zero = await open(rep, "quote", { amount: "0" });
    expect((await get(owner, zero.id)).steps.map((s) => s.name)).toEqual(["经理"]);
  });

  it("keeps one pending request per record and kind; pendingApprovalFor finds it", async () => {
    const objectId = crypto.randomUUID();
    const first = await open(rep, "credit_override", { objectId });
    await expect(open(rep, "credit_override", { objectId })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "approvals.already_pending" });
    await expect(open(rep, "credit_override", { objectId })).rejects.toBeInstanceOf(AppError);
    const ctx = ctxOf(rep);
    expect((await inTenant(ctx, (tx) => pendingApprovalFor(tx, "order", objectId)))?.id).toBe(first.id);
    // Two at once: one request.
    const other = crypto.randomUUID();
    const both = await Promise.allSettled([open(rep, "discount", { objectId: other }), open(rep2, "discount", { objectId: other })]);
    expect(both.map((b) => b.status).sort()).toEqual(["fulfilled", "rejected"]);
    await act(rep, first.id, "withdraw", { version: 1 });
    expect(await inTenant(ctx, (tx) => pendingApprovalFor(tx, "order", objectId))).toBeNull();
    expect((await open(rep, "credit_override", { objectId })).status).toBe("pending");
  });

  it("shows another workspace nothing: 404 on every route of a request or flow, and empty lists", async () => {
    const flowId = await createFlow({ kind: "contract", name: "隔离", minAmount: "1", steps: [{ name: "经理", approver: { type: "managers" } }] });
    const { id } = await open(rep, "contract", { amount: "10" });
    const other = await createWorkspace(t);
    const as = api(t.app, other);
    const routes = t.app.apiRoutes.filter((r) => /^\/api\/v1\/approval(s|-flows)\/:id/.test(r.url));
    expect(routes.length).toBe(9);
    const bodies: Record<string, object> = { PATCH: { name: "x" }, return: { toStep: 0 }, comment: { comment: "x" } };
    for (const r of routes) {
      const url = r.url.replace(":id", r.url.includes("flows") ? flowId : id);
      const payload = bodies[r.method] ?? bodies[r.url.split("/").at(-1)!] ?? (r.method === "POST" ? {} : undefined);
      const res = await t.app.inject({ method: r.method as "GET", url, headers: { cookie: other.cookie, "if-match": '"1"' }, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${r.method} ${url}: ${res.body}`).toBe(404);
    }
    expect((await as.get("/api/v1/approvals?box=all")).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await as.get("/api/v1/approval-flows")).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await get(rep, id)).actions).toHaveLength(1);
  });

  it("describes its routes in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>();
    for (const path of ["/api/v1/approvals", "/api/v1/approvals/{id}/approve", "/api/v1/approvals/{id}/return", "/api/v1/approval-flows/{id}"]) expect(doc.paths[path], path).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["ApprovalRequestDetail", "ApprovalFlow", "Approver"]));
  });

  it("lists a record's requests for whoever may see them, not only the requester's own (objectType + objectId)", async () => {
    const quoteId = crypto.randomUUID();
    const ctx = ctxOf(rep);
    const { id } = await inTenant(ctx, (tx) =>
      openApproval(tx, ctx, { kind: "credit_override", objectType: "quote", objectId: quoteId, title: "报价单 QT-1 折扣审批", amount: null, currency: null, reason: {} }),
    );
    await open(rep, "credit_override"); // another record's request
    const ids = async (u: Session, q: string) => {
      const res = await api(t.app, u).get(`/api/v1/approvals?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string }[] }>().items.map((r) => r.id);
    };
    const record = `objectType=quote&objectId=${quoteId}`;
    expect(await ids(rep, record)).toEqual([id]);
    expect(await ids(mgrEast, record)).toEqual([id]); // an approver of the current step
    expect(await ids(admin, record)).toEqual([id]); // approval:manage, though not an approver here
    expect(await ids(rep2, record)).toEqual([]);
    expect(await ids(loner, record)).toEqual([]);
    // A box narrows it further; another type of the same id is another record.
    expect(await ids(mgrEast, `${record}&box=mine`)).toEqual([]);
    expect(await ids(mgrEast, `${record}&box=inbox`)).toEqual([id]);
    expect(await ids(admin, `objectType=order&objectId=${quoteId}`)).toEqual([]);
    const half = await api(t.app, rep, "zh-CN").get(`/api/v1/approvals?objectType=quote`);
    expect(half.statusCode).toBe(400);
    expect(half.json<ErrorBody & { error: { details: { field: string } } }>().error).toMatchObject({ message: "请同时提供记录类型和记录", details: { field: "objectId" } });
  });

  it("lists inbox, mine and all, the last for approval:manage only", async () => {
    const { id } = await open(rep2, "credit_override");
    const ids = async (u: Session, q: string) => {
      const res = await api(t.app, u).get(`/api/v1/approvals?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string }[] }>().items.map((r) => r.id);
    };
    expect(await ids(rep2, "box=mine")).toContain(id);
    expect(await ids(rep, "box=mine")).not.toContain(id);
    expect(await ids(rep2, "box=inbox")).toEqual([]);
    expect(await ids(mgrEast, "filter=kind:eq:credit_override")).toContain(id);
    expect(await ids(mgrEast, "filter=kind:eq:quote")).not.toContain(id);
    expect(await ids(owner, "box=all&filter=status:eq:pending")).toContain(id);
    expect(await ids(owner, "box=all&filter=status:eq:approved")).not.toContain(id);
    expect((await api(t.app, rep2).get("/api/v1/approvals?box=all")).statusCode).toBe(403);
    expect((await api(t.app, rep2).get("/api/v1/approvals?filter=status:eq:nonsense")).statusCode).toBe(400);
  });
});
