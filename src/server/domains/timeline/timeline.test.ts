import fs from "node:fs/promises";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { remindDueTasks } from "../tasks/tasks.js";

/** A real 1×1 PNG. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("timeline", () => {
  let t: TestEnv;
  let owner: Session;
  let rep: Session & { id: string };
  let colleague: Session & { id: string };
  let customerId: string;
  let contactId: string;
  beforeAll(async () => {
    t = await startTestEnv({ GUANXI_UPLOAD_LIMIT_MB: "1" });
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales", { name: "销售小王" });
    colleague = await addUser(t, owner, "sales", { name: "同事小李" });
    customerId = (await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name: "跟进记录测试有限公司" })).json<{ id: string }>().id;
    contactId = (await api(t.app, rep).post("/api/v1/contacts", { name: "赵经理", customers: [{ customerId, role: "decision_maker", isPrimary: true }] })).json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  it("logs a visit with its cost, participants and a follow-up: a task for the author, a notification for the mentioned, the pool clock restarts", async () => {
    const image = await api(t.app, rep).post("/api/v1/attachments?filename=" + encodeURIComponent("现场照片.png"), png(), { "content-type": "application/octet-stream" });
    expect(image.statusCode, image.body).toBe(201);
    const followUp = new Date(Date.now() + 3 * 86_400_000);
    const res = await api(t.app, rep).post("/api/v1/activities", {
      customerId,
      contactId,
      kind: "visit",
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      place: "客户深圳工厂",
      subject: "季度拜访",
      summary: "讨论了明年的采购计划 @同事小李",
      participantUserIds: [rep.id],
      participantContactIds: [contactId],
      mentionUserIds: [owner.userId],
      costAmount: "860.50",
      discountAmount: "2000",
      gift: "茶叶一盒",
      nextFollowUpAt: followUp.toISOString(),
      attachmentIds: [image.json<{ id: string }>().id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const activity = res.json<{ id: string; attachments: { filename: string; mime: string }[] }>();
    expect(activity.attachments).toEqual([expect.objectContaining({ filename: "现场照片.png", mime: "image/png" })]);

    const timeline = (await api(t.app, rep).get(`/api/v1/customers/${customerId}/timeline`)).json<{ items: { id: string }[]; totals: { entries: number; cost: string; discount: string } }>();
    expect(timeline.items.map((i) => i.id)).toEqual([activity.id]);
    expect(timeline.totals).toEqual({ entries: 1, cost: "860.50", discount: "2000.00" });
    expect((await api(t.app, rep).get(`/api/v1/contacts/${contactId}/timeline`)).json<{ items: unknown[] }>().items).toHaveLength(1);

    const tasks = (await api(t.app, rep).get("/api/v1/tasks?filter=status:eq:open")).json<{ items: { title: string; dueAt: string; customerId: string; activityId: string }[] }>();
    expect(tasks.items).toEqual([expect.objectContaining({ customerId, activityId: activity.id, dueAt: followUp.toISOString() })]);
    expect(tasks.items[0]!.title).toContain("跟进记录测试有限公司");

    const notes = (await api(t.app, owner, "zh-CN").get("/api/v1/notifications")).json<{ items: { kind: string; message: string; objectId: string }[] }>();
    expect(notes.items).toEqual([expect.objectContaining({ kind: "mentioned", objectId: customerId })]);
    expect(notes.items[0]!.message).toBe("销售小王 在「跟进记录测试有限公司」的跟进记录中提到了您");

    const customer = (await api(t.app, rep).get(`/api/v1/customers/${customerId}`)).json<{ lastFollowUpAt: string | null }>();
    expect(customer.lastFollowUpAt).not.toBeNull();
  });

  it("refuses to @mention a colleague who cannot see the customer, naming them", async () => {
    const res = await api(t.app, rep, "zh-CN").post("/api/v1/activities", { customerId, kind: "note", occurredAt: new Date().toISOString(), mentionUserIds: [colleague.id] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toBe("同事小李 无权查看该客户，请先将其添加为协作人");
    expect((await api(t.app, colleague).get("/api/v1/notifications")).json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it("files an entry logged on a contact under its primary customer", async () => {
    const res = await api(t.app, rep).post("/api/v1/activities", { contactId, kind: "call", channel: "outbound", occurredAt: new Date().toISOString(), summary: "电话确认报价" });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ customerId: string }>().customerId).toBe(customerId);
  });

  it("refuses entries without a target, on invisible customers, or with bad amounts — nothing written", async () => {
    const before = (await api(t.app, owner).get(`/api/v1/customers/${customerId}/timeline`)).json<{ totals: { entries: number } }>().totals.entries;
    const invisible = (await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "别人的客户" })).json<{ id: string }>().id;
    const cases: [Session, Record<string, unknown>, number][] = [
      [rep, { kind: "note", occurredAt: new Date().toISOString() }, 400],
      [rep, { customerId: invisible, kind: "note", occurredAt: new Date().toISOString() }, 400],
      [rep, { customerId, kind: "note", occurredAt: new Date().toISOString(), costAmount: "-1" }, 400],
      [rep, { customerId, kind: "system", occurredAt: new Date().toISOString() }, 400],
      [rep, { customerId, kind: "note", occurredAt: "yesterday" }, 400],
    ];
    for (const [who, body, status] of cases) {
      const res = await api(t.app, who, "zh-CN").post("/api/v1/activities", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
    }
    const after = (await api(t.app, owner).get(`/api/v1/customers/${customerId}/timeline`)).json<{ totals: { entries: number } }>().totals.entries;
    expect(after).toBe(before);
  });

  it("checks attachments by content and size, and serves them only to those who see the entry", async () => {
    const upload = (who: Session, name: string, body: Buffer) => api(t.app, who).post(`/api/v1/attachments?filename=${encodeURIComponent(name)}`, body, { "content-type": "application/octet-stream" });
    const exe = await upload(rep, "合同.pdf", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(300, 1)]));
    expect(exe.statusCode).toBe(400);
    const fakeText = await upload(rep, "notes.txt", Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    expect(fakeText.statusCode).toBe(400);
    expect((await upload(rep, "empty.txt", Buffer.alloc(0))).statusCode).toBe(400);
    const big = await upload(rep, "big.pdf", Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(1024 * 1024 + 10)]));
    expect(big.statusCode).toBe(413);
    const csv = await upload(rep, "名单.csv", Buffer.from("姓名,电话\n张三,13800138000\n"));
    expect(csv.statusCode, csv.body).toBe(201);
    const file = csv.json<{ id: string; mime: string }>();
    expect(file.mime).toBe("text/csv; charset=utf-8");
    // Unattached: only the uploader.
    expect((await api(t.app, colleague).get(`/api/v1/attachments/${file.id}`)).statusCode).toBe(404);
    const own = await api(t.app, rep).get(`/api/v1/attachments/${file.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toBe("姓名,电话\n张三,13800138000\n");
    expect(own.headers["content-disposition"]).toBe(`attachment; filename*=UTF-8''${encodeURIComponent("名单.csv")}`);
    expect(own.headers["x-content-type-options"]).toBe("nosniff");
    const entry = await api(t.app, rep).post("/api/v1/activities", { customerId, kind: "email", occurredAt: new Date().toISOString(), attachmentIds: [file.id] });
    expect(entry.statusCode, entry.body).toBe(201);
    // Attached: whoever sees the customer (the owner), not a rep who does not.
    expect((await api(t.app, owner).get(`/api/v1/attachments/${file.id}`)).statusCode).toBe(200);
    expect((await api(t.app, colleague).get(`/api/v1/attachments/${file.id}`)).statusCode).toBe(404);
    // Someone else's file cannot be attached.
    const other = await upload(colleague, "x.csv", Buffer.from("a,b\n"));
    const steal = await api(t.app, rep).post("/api/v1/activities", { customerId, kind: "note", occurredAt: new Date().toISOString(), attachmentIds: [other.json<{ id: string }>().id] });
    expect(steal.statusCode).toBe(400);
    const stored = await fs.readdir(path.join(t.config.dataDir, "files", owner.workspaceId), { recursive: true });
    expect(stored.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("edits with versions, reminds due tasks once, and lets the assignee complete them", async () => {
    const created = (await api(t.app, rep).post("/api/v1/activities", { customerId, kind: "meeting", occurredAt: new Date().toISOString(), nextFollowUpAt: new Date(Date.now() - 60_000).toISOString() })).json<{
      id: string;
      version: number;
    }>();
    expect((await api(t.app, rep).patch(`/api/v1/activities/${created.id}`, { version: created.version, summary: "会议纪要" })).statusCode).toBe(200);
    expect((await api(t.app, rep).patch(`/api/v1/activities/${created.id}`, { version: created.version, summary: "旧版本" })).statusCode).toBe(409);
    const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions());
    expect(await remindDueTasks(ctx)).toBe(1);
    expect(await remindDueTasks(ctx)).toBe(0);
    const due = (await api(t.app, rep).get("/api/v1/notifications")).json<{ items: { kind: string }[] }>().items.filter((n) => n.kind === "task_due");
    expect(due).toHaveLength(1);
    const task = (await api(t.app, rep).get(`/api/v1/tasks?filter=dueAt:lte:${encodeURIComponent(new Date().toISOString())}`)).json<{ items: { id: string; version: number }[] }>().items[0]!;
    const done = await api(t.app, rep).patch(`/api/v1/tasks/${task.id}`, { version: task.version, status: "done" });
    expect(done.json<{ status: string; doneAt: string | null }>()).toMatchObject({ status: "done", doneAt: expect.any(String) });
    expect((await api(t.app, colleague).get(`/api/v1/tasks/${task.id}`)).statusCode).toBe(404);
    // Authors delete their own entries; others need activity:delete.
    const others = (await api(t.app, owner).post("/api/v1/activities", { customerId, kind: "note", occurredAt: new Date().toISOString() })).json<{ id: string }>();
    expect((await api(t.app, rep).del(`/api/v1/activities/${others.id}`)).statusCode).toBe(403);
    expect((await api(t.app, rep).del(`/api/v1/activities/${created.id}`)).statusCode).toBe(204);
    expect((await api(t.app, rep).get(`/api/v1/activities/${created.id}`)).statusCode).toBe(404);
  });
});
