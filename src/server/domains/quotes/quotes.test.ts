import type { AddressInfo } from "node:net";
import fs from "node:fs";
import * as fontkit from "fontkit";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { splitRuns } from "./fonts.js";

interface Line {
  lineNo: number;
  name: string;
  quantity: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
  amount: string;
}
interface Quote {
  id: string;
  number: string;
  status: string;
  version: number;
  revision: number;
  currentRevision: number;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  notes: string;
  sentAt: string | null;
  sentTo: string;
  orderId: string | null;
  approvalId: string | null;
  approvalRequired?: boolean;
  lines?: Line[];
  revisions?: { revision: number; total: string; sentAt: string | null }[];
}
interface Mail {
  to: string;
  cc: string;
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

let t: TestEnv;
let owner: Session;
let n = 0;
const mails: Mail[] = [];
let smtp: SMTPServer;

/** The harness's SMTP server keeps only text: this one keeps attachments too. */
async function startSmtp(): Promise<string> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          const text = (a: typeof m.to) => (Array.isArray(a) ? a.map((x) => x.text).join(", ") : (a?.text ?? ""));
          mails.push({ to: text(m.to), cc: text(m.cc), subject: m.subject ?? "", text: m.text ?? "", attachments: m.attachments.map((a) => ({ filename: a.filename ?? "", contentType: a.contentType, content: a.content })) });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  return `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true`;
}

async function customer(session: Session, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await api(t.app, session).post("/api/v1/customers", { kind: "organization", name: `上海报价测试${++n}科技有限公司`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const free = (unitPrice: string, quantity = "1", extra: Record<string, unknown> = {}) => ({ name: "技术服务费", quantity, unitPrice, taxRate: "0", discountRate: "0", ...extra });

async function quote(session: Session, customerId: string, lines: unknown[], extra: Record<string, unknown> = {}): Promise<Quote> {
  const res = await api(t.app, session).post("/api/v1/quotes", { customerId, lines, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function send(session: Session, q: Quote, to = "buyer@example.com"): Promise<Quote> {
  const res = await api(t.app, session).post(`/api/v1/quotes/${q.id}/send`, { version: q.version, to });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const waitForMail = async (count: number) => {
  for (let i = 0; i < 100 && mails.length < count; i++) await new Promise((r) => setTimeout(r, 20));
};

beforeAll(async () => {
  t = await startTestEnv({ SMTP_URL: await startSmtp() });
  owner = await createWorkspace(t);
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe("quotes", () => {
  it("creates a numbered draft with exact totals and changes a draft in place", async () => {
    const c = await customer(owner);
    const q = await quote(owner, c.id, [
      { name: "年度服务", quantity: "3", unitPrice: "19.99", taxRate: "0.13", discountRate: "0.05" },
      { name: "安装", quantity: "1", unitPrice: "1.005", discountRate: "0", taxRate: "0" },
    ], { validUntil: "2999-12-31", paymentTerms: "预付30%", deliveryTerms: "上海交货" });
    expect(q.number).toMatch(/^QT\d{6}\d{5}$/);
    expect(q).toMatchObject({ status: "draft", revision: 1, currentRevision: 1, subtotal: "60.98", discountTotal: "3.00", taxTotal: "7.41", total: "65.39" });
    expect(q.lines![0]).toMatchObject({ amount: "64.38" });
    const got = await api(t.app, owner).get(`/api/v1/quotes/${q.id}`);
    expect(got.headers.etag).toBe(`"${q.version}"`);
    expect(got.json<Quote>().revisions).toHaveLength(1);
    expect((await api(t.app, owner).patch(`/api/v1/quotes/${q.id}`, { notes: "x" })).statusCode).toBe(400);
    expect((await api(t.app, owner).patch(`/api/v1/quotes/${q.id}`, { version: q.version + 3, notes: "x" })).statusCode).toBe(409);
    const res = await api(t.app, owner).patch(`/api/v1/quotes/${q.id}`, { lines: [free("40", "2"), free("0.5", "3")], notes: "含培训" }, { "if-match": `"${q.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Quote>()).toMatchObject({ number: q.number, revision: 1, total: "81.50", notes: "含培训", version: q.version + 1 });
    const events = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${q.id}`)).json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(["quote.created", "quote.updated"]));
  });

  it("e-mails the PDF; a change after sending makes revision 2 and keeps revision 1 as sent", async () => {
    const c = await customer(owner);
    const q = await quote(owner, c.id, [free("100", "2")], { validUntil: "2999-12-31" });
    const before = mails.length;
    const sent = await send(owner, q, "caigou@example.com");
    expect(sent).toMatchObject({ status: "sent", revision: 1, sentTo: "caigou@example.com" });
    await waitForMail(before + 1);
    const mail = mails.at(-1)!;
    expect(mail.to).toContain("caigou@example.com");
    expect(mail.subject).toContain(q.number);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!).toMatchObject({ filename: `${q.number}-V1.pdf`, contentType: "application/pdf" });
    expect(mail.attachments[0]!.content.subarray(0, 4).toString()).toBe("%PDF");

    const revised = await api(t.app, owner).patch(`/api/v1/quotes/${q.id}`, { version: sent.version, lines: [free("90", "2")] });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json<Quote>()).toMatchObject({ status: "draft", revision: 2, currentRevision: 2, total: "180.00", sentAt: null });
    const v1 = (await api(t.app, owner).get(`/api/v1/quotes/${q.id}?revision=1`)).json<Quote>();
    expect(v1).toMatchObject({ revision: 1, currentRevision: 2, total: "200.00", sentTo: "caigou@example.com" });
    expect(v1.sentAt).toBeTruthy();
    expect(v1.lines![0]).toMatchObject({ unitPrice: "100.0000" });
    const current = (await api(t.app, owner).get(`/api/v1/quotes/${q.id}`)).json<Quote>();
    expect(current.revisions!.map((r) => [r.revision, r.total])).toEqual([[1, "200.00"], [2, "180.00"]]);
    // A further change of the unsent revision 2 stays in revision 2.
    const again = await api(t.app, owner).patch(`/api/v1/quotes/${q.id}`, { version: current.version, notes: "改价" });
    expect(again.json<Quote>()).toMatchObject({ revision: 2, notes: "改价" });
    expect((await api(t.app, owner).get(`/api/v1/quotes/${q.id}?revision=3`)).statusCode).toBe(404);
  });

  it("renders a PDF with the letterhead and embedded Chinese font subsets", async () => {
    const s = (await api(t.app, owner).get("/api/v1/order-settings")).json<{ version: number }>();
    const set = await api(t.app, owner).patch("/api/v1/order-settings", {
      version: s.version,
      letterhead: { companyName: "关系软件（北京）有限公司", address: "北京市海淀区中关村大街1号", phone: "010-12345678", taxNumber: "91110108MA01234567", bankName: "招商银行北京分行", bankAccount: "1109 0000 0000 0000", footer: "感谢惠顾" },
    });
    expect(set.statusCode, set.body).toBe(200);
    const c = await customer(owner, { name: "广州长名称客户贸易有限公司" });
    const longName = "高精度工业级温湿度传感器（含安装调试、三年质保及远程运维服务）".repeat(2);
    const q = await quote(owner, c.id, Array.from({ length: 40 }, (_, i) => free("1130.5", "1", { name: `${longName}${i}`, sku: `SKU-${i}` })), { notes: "报价含税，有效期内价格不变。" });
    const res = await api(t.app, owner, "zh-CN").get(`/api/v1/quotes/${q.id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("application/pdf");
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdf.toString("latin1");
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Regular/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Bold/);
    expect(text).toContain("/FontFile3");
    // 40 long lines do not fit on one page.
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThan(1);
    const en = await api(t.app, owner, "en-US").get(`/api/v1/quotes/${q.id}/pdf?lang=en-US&revision=1`);
    expect(en.statusCode).toBe(200);
    expect((await api(t.app, owner).get(`/api/v1/quotes/${q.id}/pdf?revision=9`)).statusCode).toBe(404);
  });

  it("draws every character of a Chinese text in a font subset that has its glyph", () => {
    const sample = "广州长名称客户贸易有限公司：壹仟壹佰叁拾元伍角整（含税）¥1,130.50 Total";
    const runs = splitRuns(sample);
    expect(runs.map((r) => r.text).join("")).toBe(sample);
    const opened = new Map<string, fontkit.Font>();
    for (const run of runs) {
      let font = opened.get(run.face.file);
      if (!font) opened.set(run.face.file, (font = fontkit.create(fs.readFileSync(run.face.file))));
      for (const ch of run.text) expect(font.hasGlyphForCodePoint(ch.codePointAt(0)!), `${ch} in ${run.face.name}`).toBe(true);
    }
    expect(runs.length).toBeLessThan(sample.length);
  });

  it("accepts a sent quote into an order with the same lines and totals, once", async () => {
    const c = await customer(owner);
    const q = await quote(owner, c.id, [{ name: "服务器", quantity: "2", unitPrice: "1000.25", taxRate: "0.13", discountRate: "0.1" }, free("50")], { validUntil: "2999-12-31" });
    expect((await api(t.app, owner).post(`/api/v1/quotes/${q.id}/accept`, { version: q.version })).statusCode).toBe(400);
    const sent = await send(owner, q);
    const res = await api(t.app, owner).post(`/api/v1/quotes/${q.id}/accept`, { version: sent.version });
    expect(res.statusCode, res.body).toBe(200);
    const accepted = res.json<Quote>();
    expect(accepted.status).toBe("accepted");
    const order = (await api(t.app, owner).get(`/api/v1/orders/${accepted.orderId}`)).json<Quote & { quoteId: string }>();
    expect(order).toMatchObject({ quoteId: q.id, status: "draft", subtotal: q.subtotal, discountTotal: q.discountTotal, taxTotal: q.taxTotal, total: q.total });
    expect(order.lines!.map((l) => [l.name, l.quantity, l.unitPrice, l.discountRate, l.taxRate, l.amount])).toEqual(q.lines!.map((l) => [l.name, l.quantity, l.unitPrice, l.discountRate, l.taxRate, l.amount]));
    const twice = await api(t.app, owner, "zh-CN").post(`/api/v1/quotes/${q.id}/accept`, { version: accepted.version });
    expect(twice.statusCode).toBe(400);
    expect(twice.json<{ error: { message: string } }>().error.message).toBe("状态为“已接受”的报价单不能执行“接受”");
  });

  it("refuses to send a lapsed quote and marks it expired; rejects with a reason", async () => {
    const c = await customer(owner);
    const old = await quote(owner, c.id, [free("10")], { quoteDate: "2020-01-01", validUntil: "2020-01-31" });
    const res = await api(t.app, owner, "zh-CN").post(`/api/v1/quotes/${old.id}/send`, { version: old.version, to: "a@example.com" });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain("已过期");
    const after = (await api(t.app, owner).get(`/api/v1/quotes/${old.id}`)).json<Quote>();
    expect(after.status).toBe("expired");
    const lapsed = (await api(t.app, owner).get(`/api/v1/quotes?filter=validUntil:lt:2021-01-01&filter=customerId:eq:${c.id}`)).json<{ items: { id: string }[] }>();
    expect(lapsed.items.map((i) => i.id)).toEqual([old.id]);

    const q = await quote(owner, c.id, [free("10")]);
    const sent = await send(owner, q);
    expect((await api(t.app, owner).post(`/api/v1/quotes/${q.id}/reject`, { version: sent.version, reason: " " })).statusCode).toBe(400);
    const rejected = await api(t.app, owner).post(`/api/v1/quotes/${q.id}/reject`, { version: sent.version, reason: "价格偏高" });
    expect(rejected.json<Quote & { rejectedReason: string }>()).toMatchObject({ status: "rejected", rejectedReason: "价格偏高" });
  });

  it("needs an approved discount approval to send a quote over the threshold; a change drops it", async () => {
    const s = (await api(t.app, owner).get("/api/v1/order-settings")).json<{ version: number }>();
    expect((await api(t.app, owner).patch("/api/v1/order-settings", { version: s.version, discountApprovalAbove: "0.1" })).statusCode).toBe(200);
    try {
      const admin = await addUser(t, owner, "admin");
      const c = await customer(owner);
      const q = await quote(owner, c.id, [free("100", "1", { discountRate: "0.2" })]);
      expect((await api(t.app, owner).get(`/api/v1/quotes/${q.id}`)).json<Quote>().approvalRequired).toBe(true);
      const refused = await api(t.app, owner, "zh-CN").post(`/api/v1/quotes/${q.id}/send`, { version: q.version, to: "a@example.com" });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<{ error: { message: string } }>().error.message).toBe("明细折扣超过 10%，请先为此版本申请审批并获批后再发送");
      const asked = await api(t.app, owner).post(`/api/v1/quotes/${q.id}/request-approval`, { version: q.version });
      expect(asked.statusCode, asked.body).toBe(201);
      const approvalId = asked.json<{ approvalId: string }>().approvalId;
      const approval = (await api(t.app, admin).get(`/api/v1/approvals/${approvalId}`)).json<{ version: number; kind: string }>();
      expect(approval.kind).toBe("discount");
      const approved = await api(t.app, admin).post(`/api/v1/approvals/${approvalId}/approve`, { version: approval.version });
      expect(approved.statusCode, approved.body).toBe(200);
      const now = (await api(t.app, owner).get(`/api/v1/quotes/${q.id}`)).json<Quote>();
      expect(now.approvalId).toBe(approvalId);
      const sent = await send(owner, now);
      expect(sent.status).toBe("sent");
      // Revision 2 needs its own approval.
      const revised = (await api(t.app, owner).patch(`/api/v1/quotes/${q.id}`, { version: sent.version, lines: [free("100", "1", { discountRate: "0.3" })] })).json<Quote>();
      expect(revised).toMatchObject({ revision: 2, approvalId: null });
      expect((await api(t.app, owner).post(`/api/v1/quotes/${q.id}/send`, { version: revised.version, to: "a@example.com" })).statusCode).toBe(400);
      // Within the threshold, no approval is needed or possible.
      const small = await quote(owner, c.id, [free("100", "1", { discountRate: "0.1" })]);
      expect((await api(t.app, owner).post(`/api/v1/quotes/${small.id}/request-approval`, { version: small.version })).statusCode).toBe(400);
      expect((await send(owner, small)).status).toBe("sent");
    } finally {
      const now = (await api(t.app, owner).get("/api/v1/order-settings")).json<{ version: number }>();
      await api(t.app, owner).patch("/api/v1/order-settings", { version: now.version, discountApprovalAbove: null });
    }
  });

  it("shows a sales rep only their own quotes", async () => {
    const rep1 = await addUser(t, owner, "sales");
    const rep2 = await addUser(t, owner, "sales");
    const c = await customer(owner, { ownerId: rep1.id });
    const q = await quote(rep1, c.id, [free("1")]);
    expect((await api(t.app, rep2).get(`/api/v1/quotes/${q.id}`)).statusCode).toBe(404);
    expect((await api(t.app, rep2).get(`/api/v1/quotes/${q.id}/pdf`)).statusCode).toBe(404);
    expect((await api(t.app, rep2).patch(`/api/v1/quotes/${q.id}`, { version: q.version, notes: "x" })).statusCode).toBe(404);
    expect((await api(t.app, rep2).get("/api/v1/quotes")).json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(q.id);
    expect((await api(t.app, rep1).get("/api/v1/quotes")).json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(q.id);
    expect((await api(t.app, owner).get(`/api/v1/quotes?filter=ownerId:eq:${rep1.id}`)).json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([q.id]);
  });

  it("refuses bad input with clear, localized errors and changes nothing", async () => {
    const c = await customer(owner);
    const other = await customer(owner);
    const contact = (await api(t.app, owner).post("/api/v1/contacts", { name: "李四", customers: [{ customerId: other.id }] })).json<{ id: string }>();
    const zh = api(t.app, owner, "zh-CN");
    const count = async () => (await api(t.app, owner).get(`/api/v1/quotes?filter=customerId:eq:${c.id}`)).json<{ items: unknown[] }>().items.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ lines: [free("10", "-1")] }, "数量必须大于 0"],
      [{ lines: [free("-5")] }, "单价不能为负数"],
      [{ lines: [free("1")], quoteDate: "2026-03-01", validUntil: "2026-02-01" }, "有效期不能早于报价日期"],
      [{ lines: [free("1")], contactId: contact.id }, "该联系人不属于报价单的客户"],
      [{ lines: [] }, ""],
      [{ lines: [free("1")], discount: "10%" }, ""],
    ];
    for (const [body, message] of cases) {
      const res = await zh.post("/api/v1/quotes", { customerId: c.id, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body).toContain(message);
    }
    expect(await count()).toBe(0);
    const q = await quote(owner, c.id, [free("10")]);
    const bad = await zh.patch(`/api/v1/quotes/${q.id}`, { version: q.version, lines: [free("10", "0")] });
    expect(bad.statusCode).toBe(400);
    const still = (await api(t.app, owner).get(`/api/v1/quotes/${q.id}`)).json<Quote>();
    expect(still).toMatchObject({ version: q.version, total: "10.00" });
    const badMail = await zh.post(`/api/v1/quotes/${q.id}/send`, { version: q.version, to: "not-an-email" });
    expect(badMail.statusCode).toBe(400);
    expect((await api(t.app, owner).get(`/api/v1/quotes/${q.id}`)).json<Quote>().status).toBe("draft");
  });
});
