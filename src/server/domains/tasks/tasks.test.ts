import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { sendTaskDigests } from "./digest.js";
import { mailOverdueTasks } from "./reminders.js";

interface Task {
  id: string;
  title: string;
  notes: string;
  dueAt: string;
  assigneeId: string;
  status: string;
  priority: string;
  objectType: string | null;
  objectId: string | null;
  recordLabel: string | null;
  customerId: string | null;
  contactId: string | null;
  createdBy: string | null;
  doneAt: string | null;
  version: number;
}
type ErrorBody = { error: { code: string; message: string; details: { field?: string; issues?: { path: string[]; message: string }[] } } };

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(async () => t?.close());

const HOUR = 60 * 60 * 1000;
const inHours = (h: number, from = new Date()) => new Date(from.getTime() + h * HOUR).toISOString();
const ctxOf = (s: Session) => systemCtx(t.database, t.services, s.workspaceId, allPermissions());
const mailsTo = (email: string) => t.mails.filter((m) => m.to.includes(email));

async function created<T>(res: Promise<{ statusCode: number; body: string; json: <U>() => U }>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(201);
  return r.json<T>();
}

/** A customer, a lead, an opportunity and an order owned by `s`. */
async function records(s: Session, tag: string) {
  const as = api(t.app, s);
  const customer = await created<{ id: string; name: string }>(as.post("/api/v1/customers", { kind: "organization", name: `任务测试客户${tag}`, allowDuplicate: true }));
  const lead = await created<{ id: string }>(as.post("/api/v1/leads", { name: `任务线索${tag}` }));
  const opportunity = await created<{ id: string }>(as.post("/api/v1/opportunities", { name: `任务商机${tag}`, customerId: customer.id }));
  return { customer, lead, opportunity };
}

async function orderOf(owner: Session, s: Session, customerId: string) {
  const product = await created<{ id: string }>(api(t.app, owner).post("/api/v1/products", { sku: `T-${Math.random().toString(36).slice(2, 10)}`, name: "任务产品", listPrice: "10" }));
  return created<{ id: string; number: string }>(api(t.app, s).post("/api/v1/orders", { customerId, lines: [{ productId: product.id, quantity: "1" }] }));
}

const list = async (s: Session, query = "") => (await api(t.app, s).get(`/api/v1/tasks?limit=200${query}`)).json<{ items: Task[] }>().items;

describe("tasks on records", () => {
  let owner: Session;
  let rep: Session & { id: string };
  beforeAll(async () => {
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales");
  });

  it("follows up a lead, an opportunity and an order; lists one record's tasks; a customer's include its order's", async () => {
    const { customer, lead, opportunity } = await records(rep, "A");
    const order = await orderOf(owner, rep, customer.id);
    const due = inHours(24);
    const onLead = await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "回访线索", dueAt: due, objectType: "lead", objectId: lead.id }));
    expect(onLead).toMatchObject({ objectType: "lead", objectId: lead.id, recordLabel: "任务线索A", assigneeId: rep.id, createdBy: rep.id, priority: "normal", status: "open", customerId: null });
    const onDeal = await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "发方案", dueAt: due, objectType: "opportunity", objectId: opportunity.id, priority: "high", notes: " 附报价 " }));
    expect(onDeal).toMatchObject({ objectType: "opportunity", recordLabel: "任务商机A", customerId: customer.id, priority: "high", notes: "附报价" });
    const onOrder = await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "确认发货", dueAt: due, objectType: "order", objectId: order.id }));
    expect(onOrder).toMatchObject({ objectType: "order", objectId: order.id, recordLabel: order.number, customerId: customer.id });
    const onCustomer = await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "拜访客户", dueAt: due, objectType: "customer", objectId: customer.id }));
    expect(onCustomer).toMatchObject({ objectType: "customer", objectId: customer.id, recordLabel: customer.name });

    expect((await list(rep, `&objectType=order&objectId=${order.id}`)).map((x) => x.id)).toEqual([onOrder.id]);
    expect((await list(rep, `&objectType=lead&objectId=${lead.id}`)).map((x) => x.id)).toEqual([onLead.id]);
    expect((await list(rep, `&objectType=customer&objectId=${customer.id}`)).map((x) => x.id).sort()).toEqual([onDeal.id, onOrder.id, onCustomer.id].sort());
    expect((await list(rep, "&filter=priority:eq:high")).map((x) => x.id)).toEqual([onDeal.id]);
    expect((await api(t.app, rep).get(`/api/v1/tasks?objectType=order`)).statusCode).toBe(400);

    // Move the lead's task to the order, then unlink it.
    const got = await api(t.app, rep).get(`/api/v1/tasks/${onLead.id}`);
    expect(got.headers.etag).toBe(`"${onLead.version}"`);
    const moved = await api(t.app, rep).patch(`/api/v1/tasks/${onLead.id}`, { objectType: "order", objectId: order.id }, { "if-match": got.headers.etag as string });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Task>()).toMatchObject({ objectType: "order", objectId: order.id, customerId: customer.id, version: onLead.version + 1 });
    const unlinked = await api(t.app, rep).patch(`/api/v1/tasks/${onLead.id}`, { version: onLead.version + 1, objectType: null, objectId: null });
    expect(unlinked.json<Task>()).toMatchObject({ objectType: null, objectId: null, customerId: null, recordLabel: null });
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${onLead.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((e) => e.action).sort()).toEqual(["task.created", "task.updated", "task.updated"]);
  });

  it("validates every field, in the caller's language", async () => {
    const { lead } = await records(rep, "V");
    const post = (body: Record<string, unknown>, lang = "en-US") => api(t.app, rep, lang).post("/api/v1/tasks", { title: "x", dueAt: inHours(1), ...body });
    const half = await post({ objectType: "lead" }, "zh-CN");
    expect(half.statusCode).toBe(400);
    expect(half.json<ErrorBody>().error.message).toBe("请同时提供关联记录的类型和记录");
    expect((await post({ objectId: lead.id })).statusCode).toBe(400);
    const both = await post({ objectType: "lead", objectId: lead.id, customerId: lead.id });
    expect(both.json<ErrorBody>().error.message).toContain("Link the task to one record");
    for (const bad of [{ title: "  " }, { title: "x".repeat(201) }, { notes: "x".repeat(5001) }, { dueAt: "tomorrow" }, { priority: "urgent" }, { objectType: "invoice", objectId: lead.id }, { objectType: "lead", objectId: "nope" }, { assigneeId: "nope" }, { status: "done" }]) {
      const res = await post(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const far = await post({ dueAt: "2200-01-01T00:00:00Z" }, "zh-CN");
    expect(far.json<ErrorBody>().error).toMatchObject({ message: "请选择 2000 年至 2100 年之间的到期时间", details: { field: "dueAt" } });
    const stranger = await post({ assigneeId: "00000000-0000-4000-8000-000000000000" });
    expect(stranger.json<ErrorBody>().error).toMatchObject({ message: "User not found", details: { field: "assigneeId" } });

    const task = await created<Task>(post({ title: "改期测试" }));
    expect((await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { status: "done" })).statusCode).toBe(400); // no version
    expect((await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { version: task.version + 3, status: "done" })).statusCode).toBe(409);
    expect((await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { version: task.version, dueAt: "1999-12-31T00:00:00Z" })).statusCode).toBe(400);
    expect((await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { version: task.version, objectType: "lead" })).statusCode).toBe(400);
    const done = await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { version: task.version, status: "done" });
    expect(done.json<Task>()).toMatchObject({ status: "done", doneAt: expect.any(String) });
    const reopened = await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { version: task.version + 1, status: "open" });
    expect(reopened.json<Task>()).toMatchObject({ status: "open", doneAt: null });
  });
});

describe("who may link and see tasks", () => {
  it("refuses a record the caller cannot see or of another workspace, the same way", async () => {
    const ws = await createWorkspace(t);
    const repA = await addUser(t, ws, "sales");
    const repB = await addUser(t, ws, "sales");
    const { customer, lead, opportunity } = await records(repA, "P");
    const order = await orderOf(ws, repA, customer.id);
    for (const [objectType, objectId] of [["order", order.id], ["opportunity", opportunity.id], ["lead", lead.id], ["customer", customer.id]] as const) {
      const res = await api(t.app, repB).post("/api/v1/tasks", { title: "越权", dueAt: inHours(1), objectType, objectId });
      expect(res.statusCode, objectType).toBe(400);
      expect(res.json<ErrorBody>().error.details.field).toBe("objectId");
    }
    const zh = await api(t.app, repB, "zh-CN").post("/api/v1/tasks", { title: "越权", dueAt: inHours(1), objectType: "order", objectId: order.id });
    expect(zh.json<ErrorBody>().error.message).toBe("未找到订单");
    // The shorthand is checked too.
    expect((await api(t.app, repB).post("/api/v1/tasks", { title: "越权", dueAt: inHours(1), customerId: customer.id })).statusCode).toBe(400);
    // A task of B cannot be moved onto A's order either.
    const mine = await created<Task>(api(t.app, repB).post("/api/v1/tasks", { title: "我的", dueAt: inHours(1) }));
    expect((await api(t.app, repB).patch(`/api/v1/tasks/${mine.id}`, { version: mine.version, objectType: "order", objectId: order.id })).statusCode).toBe(400);

    const other = await createWorkspace(t);
    const res = await api(t.app, other, "en-US").post("/api/v1/tasks", { title: "跨工作区", dueAt: inHours(1), objectType: "order", objectId: order.id });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.message).toBe("Order not found");
    expect((await api(t.app, other).get(`/api/v1/tasks?objectType=order&objectId=${order.id}`)).json<{ items: Task[] }>().items).toEqual([]);
  });

  it("assigns a task on a record only to someone who may see that record, by the record's own visibility rule", async () => {
    const ws = await createWorkspace(t);
    const south = (await api(t.app, ws).post("/api/v1/departments", { name: "华南" })).json<{ id: string }>();
    const north = (await api(t.app, ws).post("/api/v1/departments", { name: "华北" })).json<{ id: string }>();
    const manager = await addUser(t, ws, "manager", { departmentId: south.id, name: "南区经理" });
    const repA = await addUser(t, ws, "sales", { departmentId: south.id, name: "甲" });
    const repB = await addUser(t, ws, "sales", { departmentId: south.id, name: "乙" });
    const repC = await addUser(t, ws, "sales", { departmentId: north.id, name: "丙" });
    const { customer } = await records(repA, "S");
    const order = await orderOf(ws, repA, customer.id);
    const shared = await created<{ id: string }>(api(t.app, ws).post("/api/v1/customers", { kind: "organization", name: "任务共享客户", ownerId: repA.id, collaboratorIds: [repB.id], allowDuplicate: true }));
    const task = (s: Session, body: Record<string, unknown>, lang = "en-US") => api(t.app, s, lang).post("/api/v1/tasks", { title: "分派", dueAt: inHours(8), ...body });

    // A rep sees their own records only: 乙 may not do a task on 甲's order, 丙 (another department) neither.
    const blind = await task(repA, { objectType: "order", objectId: order.id, assigneeId: repB.id }, "zh-CN");
    expect(blind.statusCode).toBe(400);
    expect(blind.json<ErrorBody>().error).toMatchObject({ code: "VALIDATION", message: "乙 无权查看该任务关联的记录（订单），请选择能查看的人，或先将记录共享给对方", details: { field: "assigneeId" } });
    const byOwner = await task(ws, { customerId: customer.id, assigneeId: repC.id });
    expect(byOwner.json<ErrorBody>().error).toMatchObject({ message: "丙 cannot see the record of this task (Customer): choose someone who can, or share the record with them first", details: { field: "assigneeId" } });
    expect(await list(ws, `&objectType=customer&objectId=${customer.id}`)).toEqual([]);
    // The manager sees the department's records; a collaborator sees a shared customer.
    const forManager = await created<Task>(task(repA, { objectType: "order", objectId: order.id, assigneeId: manager.id }));
    await created<Task>(task(ws, { objectType: "customer", objectId: shared.id, assigneeId: repB.id }));

    // Reassigning is checked the same way, and nothing changes.
    const reassign = await api(t.app, manager).patch(`/api/v1/tasks/${forManager.id}`, { version: forManager.version, assigneeId: repB.id });
    expect(reassign.statusCode).toBe(400);
    expect(reassign.json<ErrorBody>().error.details.field).toBe("assigneeId");
    expect((await api(t.app, manager).get(`/api/v1/tasks/${forManager.id}`)).json<Task>()).toMatchObject({ assigneeId: manager.id, version: forManager.version });
    // So is moving 乙's task onto a record 乙 cannot see.
    const forB = await created<Task>(task(manager, { assigneeId: repB.id }));
    const move = await api(t.app, manager).patch(`/api/v1/tasks/${forB.id}`, { version: forB.version, objectType: "order", objectId: order.id });
    expect(move.statusCode).toBe(400);
    expect(move.json<ErrorBody>().error.details.field).toBe("objectId");
    const movedOk = await api(t.app, manager).patch(`/api/v1/tasks/${forB.id}`, { version: forB.version, objectType: "customer", objectId: shared.id });
    expect(movedOk.statusCode, movedOk.body).toBe(200);
  });

  it("shows a rep the tasks assigned to or created by them, a manager their department's, an owner all", async () => {
    const ws = await createWorkspace(t);
    const south = (await api(t.app, ws).post("/api/v1/departments", { name: "华南" })).json<{ id: string }>();
    const north = (await api(t.app, ws).post("/api/v1/departments", { name: "华北" })).json<{ id: string }>();
    const manager = await addUser(t, ws, "manager", { departmentId: south.id });
    const northManager = await addUser(t, ws, "manager", { departmentId: north.id });
    const repA = await addUser(t, ws, "sales", { departmentId: south.id });
    const repB = await addUser(t, ws, "sales", { departmentId: south.id });
    const repC = await addUser(t, ws, "sales", { departmentId: north.id });

    const handed = await created<Task>(api(t.app, repA).post("/api/v1/tasks", { title: "A 交给 C", dueAt: inHours(2), assigneeId: repC.id }));
    const own = await created<Task>(api(t.app, repA).post("/api/v1/tasks", { title: "A 自己的", dueAt: inHours(3) }));
    const forB = await created<Task>(api(t.app, manager).post("/api/v1/tasks", { title: "经理派给 B", dueAt: inHours(4), assigneeId: repB.id }));
    const cOwn = await created<Task>(api(t.app, repC).post("/api/v1/tasks", { title: "C 自己的", dueAt: inHours(5) }));

    const ids = async (s: Session) => (await list(s)).map((x) => x.id).sort();
    expect(await ids(repA)).toEqual([handed.id, own.id].sort());
    expect(await ids(repB)).toEqual([forB.id]);
    expect(await ids(repC)).toEqual([handed.id, cOwn.id].sort());
    expect(await ids(manager)).toEqual([handed.id, own.id, forB.id].sort()); // handed: created in the department
    expect(await ids(northManager)).toEqual([handed.id, cOwn.id].sort());
    expect(await ids(ws)).toEqual([handed.id, own.id, forB.id, cOwn.id].sort());

    expect((await api(t.app, repB).get(`/api/v1/tasks/${own.id}`)).statusCode).toBe(404);
    expect((await api(t.app, repB).patch(`/api/v1/tasks/${own.id}`, { version: own.version, status: "done" })).statusCode).toBe(404);
    const byC = await api(t.app, repC).patch(`/api/v1/tasks/${handed.id}`, { version: handed.version, status: "done" });
    expect(byC.statusCode, byC.body).toBe(200);
    // "Mine" in the UI is the assignee filter; the calendar a dueAt range.
    expect((await list(manager, `&filter=assigneeId:eq:${repB.id}`)).map((x) => x.id)).toEqual([forB.id]);
    const range = await list(ws, `&filter=dueAt:gte:${encodeURIComponent(inHours(2.5))}&filter=dueAt:lt:${encodeURIComponent(inHours(4.5))}`);
    expect(range.map((x) => x.id).sort()).toEqual([own.id, forB.id].sort());
  });
});

describe("overdue e-mails and the daily digest", () => {
  it("e-mails the assignee once per overdue task, in their language, and again only after a reschedule", async () => {
    const ws = await createWorkspace(t);
    const rep = await addUser(t, ws, "sales");
    const zh = await addUser(t, ws, "sales");
    expect((await api(t.app, zh).patch("/api/v1/me", { locale: "zh-CN" })).statusCode).toBe(200);
    const { customer } = await records(rep, "M");
    const order = await orderOf(ws, rep, customer.id);
    const late = await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "催款", dueAt: inHours(-3), objectType: "order", objectId: order.id, priority: "high" }));
    await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "刚到期", dueAt: inHours(-0.5) })); // within the grace hour
    await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "明天的", dueAt: inHours(20) }));
    const doneLate = await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "已完成", dueAt: inHours(-5) }));
    await api(t.app, rep).patch(`/api/v1/tasks/${doneLate.id}`, { version: doneLate.version, status: "done" });
    await created<Task>(api(t.app, ws).post("/api/v1/tasks", { title: "中文用户的任务", dueAt: inHours(-2), assigneeId: zh.id }));
    await created<Task>(api(t.app, ws).post("/api/v1/tasks", { title: "order", dueAt: inHours(-2), assigneeId: zh.id }));

    const ctx = ctxOf(ws);
    const [first, second] = await Promise.all([mailOverdueTasks(ctx), mailOverdueTasks(ctx)]);
    expect(first.sent + second.sent).toBe(2);
    expect((await mailOverdueTasks(ctx)).sent).toBe(0);
    const toRep = mailsTo(rep.email);
    expect(toRep).toHaveLength(1);
    expect(toRep[0]!.subject).toMatch(/Overdue task: 催款$/);
    expect(toRep[0]!.text).toContain(`- 催款 [high priority] (due `);
    expect(toRep[0]!.text).toContain(`· Order ${order.number}`);
    expect(toRep[0]!.text).toContain("/tasks");
    const toZh = mailsTo(zh.email);
    expect(toZh).toHaveLength(1);
    expect(toZh[0]!.subject).toContain("2 项任务已逾期");
    expect(toZh[0]!.text).toContain("- order (到期"); // a title is never translated as a message parameter

    // Rescheduled and overdue again: a new e-mail.
    const current = (await api(t.app, rep).get(`/api/v1/tasks/${late.id}`)).json<Task>();
    await api(t.app, rep).patch(`/api/v1/tasks/${late.id}`, { version: current.version, dueAt: inHours(-2) });
    expect((await mailOverdueTasks(ctx)).sent).toBe(1);
    expect(mailsTo(rep.email)).toHaveLength(2);
  });

  it("sends each person one digest a day, even when the job runs twice or at once, and none to people with nothing due", async () => {
    const ws = await createWorkspace(t);
    const busy = await addUser(t, ws, "sales");
    const later = await addUser(t, ws, "sales");
    const idle = await addUser(t, ws, "sales");
    const nine = new Date();
    nine.setHours(9, 0, 0, 0);
    const at = (h: number) => inHours(h, nine);
    const { lead } = await records(busy, "D");
    await created<Task>(api(t.app, busy).post("/api/v1/tasks", { title: "昨天就该做", dueAt: at(-20) }));
    await created<Task>(api(t.app, busy).post("/api/v1/tasks", { title: "今天下午", dueAt: at(6), objectType: "lead", objectId: lead.id }));
    await created<Task>(api(t.app, busy).post("/api/v1/tasks", { title: "三天后", dueAt: at(72) }));
    await created<Task>(api(t.app, busy).post("/api/v1/tasks", { title: "一个月后", dueAt: at(24 * 30) }));
    await created<Task>(api(t.app, later).post("/api/v1/tasks", { title: "下个月", dueAt: at(24 * 30) }));
    const finished = await created<Task>(api(t.app, idle).post("/api/v1/tasks", { title: "做完了", dueAt: at(-2) }));
    await api(t.app, idle).patch(`/api/v1/tasks/${finished.id}`, { version: finished.version, status: "done" });

    const ctx = ctxOf(ws);
    const seven = new Date(nine.getTime() - 2 * HOUR);
    expect((await sendTaskDigests(ctx, seven)).sent).toBe(0); // before 08:00
    const runs = await Promise.all([sendTaskDigests(ctx, nine), sendTaskDigests(ctx, nine)]);
    expect(runs[0].sent + runs[1].sent).toBe(1);
    expect((await sendTaskDigests(ctx, new Date(nine.getTime() + HOUR))).sent).toBe(0); // the next hourly run
    const digest = mailsTo(busy.email);
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toContain("1 overdue, 1 due today");
    const text = digest[0]!.text;
    expect(text).toMatch(/Overdue \(1\)\n- 昨天就该做/);
    expect(text).toMatch(/Due today \(1\)\n- 今天下午 \(due [^)]+\) · Lead 任务线索D/);
    expect(text).toMatch(/Next 7 days \(1\)\n- 三天后/);
    expect(text).not.toContain("一个月后");
    expect(mailsTo(later.email)).toHaveLength(0);
    expect(mailsTo(idle.email)).toHaveLength(0);
    // Tomorrow is another day.
    expect((await sendTaskDigests(ctx, new Date(nine.getTime() + 24 * HOUR))).sent).toBe(1);
  });

  it("sends the digest at 08:00 on the workspace's clocks and writes due times in its time zone", async () => {
    const ws = await createWorkspace(t);
    const rep = await addUser(t, ws, "sales");
    const setZone = async (timeZone: string) => {
      const current = (await api(t.app, ws).get("/api/v1/workspace")).json<{ version: number }>();
      expect((await api(t.app, ws).patch("/api/v1/workspace", { version: current.version, timeZone })).statusCode).toBe(200);
    };
    // 09:00 in Tokyo is 19:00 or 20:00 of the day before in New York.
    const tokyoNine = new Date("2030-01-15T00:00:00Z");
    await created<Task>(api(t.app, rep).post("/api/v1/tasks", { title: "东京下午三点半", dueAt: "2030-01-15T06:30:00Z" }));
    const ctx = ctxOf(ws);
    await setZone("America/New_York");
    expect((await sendTaskDigests(ctx, tokyoNine)).sent).toBe(0);
    await setZone("Asia/Tokyo");
    expect((await sendTaskDigests(ctx, tokyoNine)).sent).toBe(1);
    const [digest] = mailsTo(rep.email);
    expect(digest!.subject).toContain("Tuesday, January 15, 2030");
    expect(digest!.text).toMatch(/Due today \(1\)\n- 东京下午三点半 \(due Jan 15, 2030, 3:30\sPM\)/);
  });
});
