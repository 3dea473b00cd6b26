import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { allPermissions } from "../../lib/access.js";
import { systemCtx, type Ctx } from "../../lib/context.js";
import type { JobTools } from "../../lib/jobs.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { findContacts } from "../customers/contacts.js";
import { contacts } from "../customers/schema.js";
import { loadAccess } from "../workspaces/access.js";
import { readVcard } from "./readers/vcard.js";
import type { ExportContact } from "./export-columns.js";
import { contactPages, contactSelection } from "./export-pages.js";
import { exportFile, runExport, type ExportCheckpoint } from "./exports.js";
import { exports } from "./schema.js";

interface Exp {
  id: string;
  status: string;
  rows: number | null;
  fileName: string;
  jobId: string;
  downloadUrl: string | null;
  expiresAt: string | null;
  error: string | null;
}

describe("exports", () => {
  let t: TestEnv;
  let owner: Session;
  let rep: Session & { id: string };
  let tmp: string;

  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales", { name: "销售小王" });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gx-export-test-"));
    const asOwner = api(t.app, owner);
    const field = await asOwner.post("/api/v1/custom-fields", {
      objectType: "customer",
      key: "tier",
      label: "客户层级",
      type: "select",
      options: [
        { value: "gold", label: "金牌" },
        { value: "silver", label: "银牌" },
      ],
    });
    expect(field.statusCode, field.body).toBe(201);
    for (const [i, name] of ["导出甲公司", "导出乙公司", "导出丙公司"].entries()) {
      const res = await asOwner.post("/api/v1/customers", {
        kind: "organization",
        name,
        phones: [{ number: `1380013800${i}` }],
        creditLimit: String(1000 * (i + 1)),
        custom: { tier: i === 0 ? "gold" : "silver" },
        address: "广东省深圳市南山区科技园路1号",
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const evil = await asOwner.post("/api/v1/customers", { kind: "organization", name: '=HYPERLINK("http://evil","导出")', tags: ["-2+3", "@SUM(1)"], remarks: "+cmd|' /C calc'!A0" });
    expect(evil.statusCode, evil.body).toBe(201);
    const mine = await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name: "导出小王的客户", phones: [{ number: "13900139000" }] });
    expect(mine.statusCode, mine.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const settle = async (session: Session, id: string): Promise<Exp> => {
    for (let i = 0; i < 200; i++) {
      const e = (await api(t.app, session).get(`/api/v1/exports/${id}`)).json<Exp>();
      if (["completed", "failed", "expired"].includes(e.status)) return e;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`export ${id} did not finish`);
  };
  const exportOf = async (session: Session, body: object, lang = "en-US") => {
    const res = await api(t.app, session, lang).post("/api/v1/exports", body);
    expect(res.statusCode, res.body).toBe(202);
    const done = await settle(session, res.json<Exp>().id);
    expect(done.status, JSON.stringify(done)).toBe("completed");
    const file = await api(t.app, session).get(done.downloadUrl!);
    expect(file.statusCode, file.body).toBe(200);
    return { exp: done, file };
  };
  const csvRows = (body: Buffer) => parse(body.toString("utf8").replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][];

  it("writes the list's rows to CSV with a BOM, Chinese headers and owner/option labels in zh-CN, formulas neutralised", async () => {
    const { exp, file } = await exportOf(owner, { objectType: "customer", format: "csv", query: { filter: ["name:contains:导出"], sort: "name" } }, "zh-CN");
    expect(file.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(file.headers["content-disposition"]).toBe(`attachment; filename="customers-${exp.fileName.slice(3, 13)}.csv"; filename*=UTF-8''${encodeURIComponent(exp.fileName)}`);
    expect(exp.fileName).toMatch(/^客户-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = csvRows(file.rawPayload);
    expect(header!.slice(0, 5)).toEqual(["客户编码", "客户名称", "简称", "类型", "负责人"]);
    expect(header).toContain("客户层级");
    // Sorted by name (code point order of the C collation), only the matches, the owner's too.
    const names = rows.map((r) => r[1]);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(5);
    expect(exp.rows).toBe(5);
    const col = (name: string) => header!.indexOf(name);
    const jia = rows.find((r) => r[1] === "导出甲公司")!;
    expect([jia[col("类型")], jia[col("负责人")], jia[col("客户层级")], jia[col("信用额度")], jia[col("省份")], jia[col("城市")]]).toEqual(["企业", "Owner", "金牌", "1000", "广东省", "深圳市"]);
    // Phones in E.164 start with "+": neutralised like every other text cell (Excel would read +86… as a formula).
    expect(jia[col("电话")]).toBe("'+8613800138000");
    const evil = rows.find((r) => r[1]!.includes("HYPERLINK"))!;
    expect(evil[1]).toBe(`'=HYPERLINK("http://evil","导出")`);
    expect(evil[col("标签")]).toBe("'-2+3; @SUM(1)");
    expect(evil[col("备注")]).toBe("'+cmd|' /C calc'!A0");
    // Nothing in the file starts a formula.
    for (const r of rows) for (const cell of r) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("exports only what the user may see: a sales rep gets their own customers, with the columns their list shows", async () => {
    const { file } = await exportOf(rep, { objectType: "customer", format: "csv", query: { filter: ["name:contains:导出"], columns: ["owner", "phone", "custom.tier", "nope"] } });
    const [header, ...rows] = csvRows(file.rawPayload);
    expect(header).toEqual(["Code", "Name", "Owner", "Phones", "客户层级"]);
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual([["导出小王的客户", "销售小王", "'+8613900139000"]]);

    // Contacts: the rep's own, and the owner's contact of the rep's customer, not the owner's others; the same as the rep's list.
    const find = async (session: Session, name: string) =>
      (await api(t.app, session).get(`/api/v1/customers?filter=${encodeURIComponent(`name:eq:${name}`)}`)).json<{ items: { id: string }[] }>().items[0]!.id;
    const repCustomer = await find(rep, "导出小王的客户");
    const jia = await find(owner, "导出甲公司");
    for (const [session, body] of [
      [owner, { name: "可见联系人", customers: [{ customerId: repCustomer }] }],
      [owner, { name: "不可见联系人", customers: [{ customerId: jia }] }],
      [rep, { name: "小王自己的联系人" }],
    ] as const) {
      const res = await api(t.app, session).post("/api/v1/contacts", body);
      expect(res.statusCode, res.body).toBe(201);
    }
    const listed = (await api(t.app, rep).get("/api/v1/contacts?sort=name&limit=200")).json<{ items: { name: string }[] }>().items.map((c) => c.name);
    expect(listed).toEqual(["可见联系人", "小王自己的联系人"]);
    const contactsFile = await exportOf(rep, { objectType: "contact", format: "csv", query: { sort: "name", columns: ["customers"] } });
    const [contactHeader, ...contactRows] = csvRows(contactsFile.file.rawPayload);
    expect(contactHeader).toEqual(["Name", "Customers"]);
    expect(contactRows).toEqual([
      ["可见联系人", "导出小王的客户"],
      ["小王自己的联系人", ""],
    ]);
  });

  it("takes a saved view's query, refuses bad filters at once, and needs the export right", async () => {
    const view = await api(t.app, owner).post("/api/v1/views", { objectType: "customer", name: "甲", query: { filter: ["name:eq:导出甲公司"], columns: ["owner"] } });
    expect(view.statusCode, view.body).toBe(201);
    const { file } = await exportOf(owner, { objectType: "customer", format: "csv", query: { viewId: view.json<{ id: string }>().id } });
    const [header, ...rows] = csvRows(file.rawPayload);
    expect(header).toEqual(["Code", "Name", "Owner"]);
    expect(rows.map((r) => r[1])).toEqual(["导出甲公司"]);

    const bad = await api(t.app, owner, "zh-CN").post("/api/v1/exports", { objectType: "customer", format: "csv", query: { filter: ["nosuch:eq:1"] } });
    expect(bad.statusCode).toBe(400);
    const readOnly = await addUser(t, owner, "read_only");
    expect((await api(t.app, readOnly).post("/api/v1/exports", { objectType: "contact", format: "csv" })).statusCode).toBe(403);
  });

  it("writes .xlsx that exceljs reads back, with typed numbers and neutralised text", async () => {
    const { file } = await exportOf(owner, { objectType: "customer", format: "xlsx", query: { filter: ["name:contains:导出"], sort: "name" } }, "zh-CN");
    expect(file.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 2)).toEqual(["客户编码", "客户名称"]);
    expect(sheet.rowCount).toBe(6);
    const byName = new Map<string, unknown[]>();
    for (let i = 2; i <= sheet.rowCount; i++) {
      const values = (sheet.getRow(i).values as unknown[]).slice(1);
      byName.set(String(values[1]), values);
    }
    const jia = byName.get("导出甲公司")!;
    expect(jia[header.indexOf("信用额度")]).toBe(1000);
    expect(jia[header.indexOf("电话")]).toBe("'+8613800138000");
    expect(jia[header.indexOf("更新时间")]).toBeInstanceOf(Date);
    expect(byName.has(`'=HYPERLINK("http://evil","导出")`)).toBe(true);
  });

  it("writes vCards (4.0 and 3.0) that our own reader reads back: Chinese names, phones, e-mails, organisation", async () => {
    const acme = (await api(t.app, owner).get(`/api/v1/customers?filter=${encodeURIComponent("name:eq:导出甲公司")}`)).json<{ items: { id: string }[] }>().items[0]!;
    const longNote = "备注，含逗号；分号\\反斜杠\n第二行" + "很长的备注".repeat(30);
    const made = [
      { name: "张三", title: "采购经理", phones: [{ number: "13800138111", label: "mobile" }, { number: "010-62345678", label: "work" }], emails: [{ address: "zhang@example.cn" }], notes: longNote, customers: [{ customerId: acme.id }] },
      { name: "欧阳娜娜", phones: [{ number: "13800138222" }], tags: ["重要", "a,b"] },
      { name: "Anna Li", emails: [{ address: "anna@example.com" }] },
    ];
    for (const c of made) expect((await api(t.app, owner).post("/api/v1/contacts", c)).statusCode).toBe(201);
    for (const version of ["4.0", "3.0"]) {
      const { file, exp } = await exportOf(owner, { objectType: "contact", format: "vcard", query: { sort: "name", vcardVersion: version } }, "zh-CN");
      expect(file.headers["content-type"]).toBe("text/vcard; charset=utf-8");
      expect(exp.fileName).toMatch(/^联系人-.*\.vcf$/);
      const text = file.body;
      for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8"), line).toBeLessThanOrEqual(75);
      expect(text).toContain(`VERSION:${version}`);
      expect(text).toContain("N:张;三;;;");
      expect(text).toContain("N:欧阳;娜娜;;;");
      const f = path.join(tmp, `contacts-${version}.vcf`);
      fs.writeFileSync(f, file.rawPayload);
      const source = await readVcard(f);
      const rows = new Map<string, Record<string, unknown>>();
      for await (const row of source.rows()) {
        const r = Object.fromEntries(source.headers.map((h, i) => [h, row.cells[i]]));
        rows.set(String(r.name), r);
      }
      expect(rows.get("张三")).toMatchObject({ familyName: "张", givenName: "三", organization: "导出甲公司", title: "采购经理", phones: ["+8613800138111", "+861062345678"], emails: ["zhang@example.cn"], note: longNote });
      expect(rows.get("欧阳娜娜")).toMatchObject({ familyName: "欧阳", givenName: "娜娜", phones: ["+8613800138222"] });
      expect(rows.get("Anna Li")).toMatchObject({ familyName: "Li", givenName: "Anna", emails: ["anna@example.com"] });
    }
    // Customers as cards too: an organisation with its phone and address.
    const { file } = await exportOf(owner, { objectType: "customer", format: "vcard", query: { filter: ["name:eq:导出甲公司"] } });
    const f = path.join(tmp, "customers.vcf");
    fs.writeFileSync(f, file.rawPayload);
    const source = await readVcard(f);
    const cells: unknown[][] = [];
    for await (const row of source.rows()) cells.push(row.cells);
    const r = Object.fromEntries(source.headers.map((h, i) => [h, cells[0]![i]]));
    expect(cells).toHaveLength(1);
    expect(r).toMatchObject({ name: "导出甲公司", organization: "导出甲公司", phones: ["+8613800138000"], address: "广东省深圳市南山区科技园路1号" });
  });

  it("lets only its creator see and download an export", async () => {
    const res = await api(t.app, owner).post("/api/v1/exports", { objectType: "customer", format: "csv" });
    const exp = await settle(owner, res.json<Exp>().id);
    expect(exp.status).toBe("completed");
    expect((await api(t.app, rep).get(`/api/v1/exports/${exp.id}`)).statusCode).toBe(404);
    expect((await api(t.app, rep).get(`/api/v1/exports/${exp.id}/file`)).statusCode).toBe(404);
    expect((await api(t.app, rep).get("/api/v1/exports")).json<{ items: Exp[] }>().items.map((e) => e.id)).not.toContain(exp.id);
    expect((await api(t.app, owner).get("/api/v1/exports")).json<{ items: Exp[] }>().items.map((e) => e.id)).toContain(exp.id);
    const events = await api(t.app, owner).get(`/api/v1/audit-events?filter=${encodeURIComponent(`objectId:eq:${exp.id}`)}`);
    expect(events.statusCode, events.body).toBe(200);
    expect(events.json<{ items: { action: string }[] }>().items.map((e) => e.action)).toEqual(["export.created"]);
  });

  it("keeps exports inside their workspace", async () => {
    const other = await createWorkspace(t);
    const res = await api(t.app, other).post("/api/v1/exports", { objectType: "customer", format: "csv" });
    const theirs = await settle(other, res.json<Exp>().id);
    expect(theirs.status).toBe("completed");
    for (const url of [`/api/v1/exports/${theirs.id}`, `/api/v1/exports/${theirs.id}/file`]) expect((await api(t.app, owner).get(url)).statusCode, url).toBe(404);
    expect((await api(t.app, owner).get("/api/v1/exports")).body).not.toContain(theirs.id);
  });

  it("expires files after their time: deleted, marked expired, no longer downloadable", async () => {
    const res = await api(t.app, owner).post("/api/v1/exports", { objectType: "contact", format: "csv" });
    const exp = await settle(owner, res.json<Exp>().id);
    const file = exportFile({ services: t.services, tenantId: owner.workspaceId }, { id: exp.id, format: "csv" });
    expect(fs.existsSync(file)).toBe(true);
    expect(new Date(exp.expiresAt!).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    const { eq } = await import("drizzle-orm");
    await withTenant(t.database, { tenantId: owner.workspaceId }, (tx) => tx.update(exports).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(exports.id, exp.id)));
    const after = await api(t.app, owner, "zh-CN").get(`/api/v1/exports/${exp.id}/file`);
    expect(after.statusCode).toBe(404);
    expect(after.json<{ error: { message: string } }>().error.message).toContain("已过期");
    expect((await api(t.app, owner).get(`/api/v1/exports/${exp.id}`)).json<Exp>().status).toBe("expired");
    expect(fs.existsSync(file)).toBe(false);
  });

  it("reads thousands of rows in keyset pages and, after a crash mid-file, continues from its checkpoint without duplicates", async () => {
    const N = 2500;
    const rows = Array.from({ length: N }, (_, i) => ({ tenantId: owner.workspaceId, name: `批量联系人${String(i).padStart(5, "0")}`, nameKey: `p${i}`, ownerId: owner.userId, phones: [{ label: "mobile" as const, number: `+86137${String(i).padStart(8, "0")}` }] }));
    await withTenant(t.database, { tenantId: owner.workspaceId }, async (tx) => {
      for (let i = 0; i < rows.length; i += 500) await tx.insert(contacts).values(rows.slice(i, i + 500));
    });
    const start = async () => {
      const res = await api(t.app, owner).post("/api/v1/exports", { objectType: "contact", format: "csv", query: { filter: ["name:contains:批量联系人"], sort: "name", columns: ["phone"] } });
      // The queued job of this export would race the direct runs below: wait for it, then run again directly.
      return settle(owner, res.json<Exp>().id);
    };
    const exp = await start();
    const { eq } = await import("drizzle-orm");
    await withTenant(t.database, { tenantId: owner.workspaceId }, (tx) => tx.update(exports).set({ status: "queued" }).where(eq(exports.id, exp.id)));
    const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions());

    // First attempt: dies while recording the fourth page (written to the file, not yet checkpointed).
    const checkpoints: ExportCheckpoint[] = [];
    const progress: number[] = [];
    const crashing: JobTools = {
      progress: async (done) => void progress.push(done),
      checkpoint: async (state) => {
        if (checkpoints.length === 3) throw new Error("worker died");
        checkpoints.push(state as unknown as ExportCheckpoint);
      },
    };
    await expect(runExport(ctx, exp.id, crashing, { pageSize: 300 })).rejects.toThrow("worker died");
    expect(checkpoints.map((c) => c.rows)).toEqual([300, 600, 900]);
    expect(progress.slice(0, 4)).toEqual([0, 300, 600, 900]);
    const file = exportFile(ctx, { id: exp.id, format: "csv" });
    expect(fs.statSync(`${file}.part`).size).toBeGreaterThan(checkpoints[2]!.bytes);

    // The retry continues after page three: the fourth page is cut off and written again.
    const resumed: ExportCheckpoint[] = [];
    const tools: JobTools = { progress: async () => undefined, checkpoint: async (s) => void resumed.push(s as unknown as ExportCheckpoint) };
    const result = await runExport(ctx, exp.id, tools, { pageSize: 300, checkpoint: checkpoints[2]! });
    expect(result.rows).toBe(N);
    // 2,500 rows in pages of 300: nine pages, a checkpoint after each but the last (three before the crash, five after).
    expect(resumed.map((c) => c.rows)).toEqual([1200, 1500, 1800, 2100, 2400]);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    const [header, ...body] = csvRows(fs.readFileSync(file));
    expect(header).toEqual(["Name", "Phones"]);
    expect(body).toHaveLength(N);
    expect(body.map((r) => r[0])).toEqual(rows.map((r) => r.name));
    expect(fs.readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("reads contacts page by page as findContacts lists them: rows, order, cursors, masking, customers, and only the fields asked for", async () => {
    const ws = await createWorkspace(t);
    const seller = await addUser(t, ws, "sales", { name: "对照销售" });
    const asOwner = api(t.app, ws);
    const asSeller = api(t.app, seller);
    expect((await asOwner.post("/api/v1/custom-fields", { objectType: "contact", key: "level", label: "级别", type: "text" })).statusCode).toBe(201);
    const customer = async (session: Session, body: object) => {
      const res = await api(t.app, session).post("/api/v1/customers", { kind: "organization", ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    // Names whose order differs from the order the links are made in.
    const yi = await customer(seller, { name: "对照乙公司" });
    const jia = await customer(seller, { name: "对照甲公司" });
    // Quotes, commas, braces and a backslash, which an array literal escapes.
    const odd = await customer(seller, { name: '对照"丙",{公司} \\ NULL' });
    const pool = await customer(ws, { name: "对照公海公司", ownerId: null });
    const gone = await customer(ws, { name: "对照已删公司" });
    const contact = async (session: Session, body: object) => {
      const res = await api(t.app, session).post("/api/v1/contacts", body);
      expect(res.statusCode, res.body).toBe(201);
    };
    await contact(ws, { name: "对照甲", customers: [{ customerId: yi }, { customerId: jia }, { customerId: odd }], tags: ["x", "y"], custom: { level: "b" } });
    await contact(seller, { name: "对照甲", phones: [{ number: "13800138001" }], birthday: "1990-01-02", custom: { level: "a" } });
    await contact(ws, { name: "对照公海", ownerId: null, customers: [{ customerId: pool }], phones: [{ number: "13800138002" }], emails: [{ address: "pool@example.cn" }] });
    await contact(ws, { name: "对照丙", customers: [{ customerId: gone }, { customerId: jia }], notes: "备注" });
    await contact(ws, { name: "对照不可见" });
    for (const name of ["对照丁", "对照戊", "对照己"]) await contact(seller, { name, custom: name === "对照戊" ? { level: "c" } : {} });
    expect((await asOwner.del(`/api/v1/customers/${gone}`)).statusCode).toBeLessThan(300);
    expect((await asSeller.get("/api/v1/contacts?limit=200")).json<{ items: unknown[] }>().items).toHaveLength(7);

    const ctxOf = async (session: Session): Promise<Ctx> => {
      const access = (await loadAccess(t.database, session.workspaceId, session.userId))!;
      return {
        ...systemCtx(t.database, t.services, session.workspaceId, access.permissions, session.userId),
        actorType: "user",
        roleKey: access.roleKey,
        visibility: access.visibility,
        departmentId: access.departmentId,
      };
    };
    const reads = ["name", "phones", "emails", "customers", "birthday", "tags", "notes"];
    const seen = { rows: 0, masked: 0, pages: 0 };
    for (const [session, expected] of [
      [ws, 8],
      [seller, 7],
    ] as const) {
      const ctx = await ctxOf(session);
      for (const sort of [undefined, "name", "-name", "createdAt", "-updatedAt", "custom.level", "-custom.level"]) {
        for (const query of [{ filter: ["name:contains:对照"], sort }, { filter: [], sort, q: "对照" }]) {
          const read = contactPages(ctx, query, 2, reads);
          const fields = contactSelection(reads, sort);
          let cursor: string | undefined;
          let rows = 0;
          do {
            const listed = await findContacts(ctx, { ...query, limit: 2, cursor });
            const got: ExportContact[] = [];
            const page = await read(cursor, (r) => got.push(r));
            const label = `${session === ws ? "owner" : "seller"} ${JSON.stringify(query)} after ${cursor}`;
            expect(page.nextCursor, label).toBe(listed.nextCursor);
            expect(page.count, label).toBe(got.length);
            expect(got.map((r) => r.id), label).toEqual(listed.items.map((r) => r.id));
            got.forEach((record, i) => {
              const view = listed.items[i]!;
              for (const f of fields) {
                if (f === "customers") expect(record.customers, label).toEqual(view.customers.map((l) => ({ name: l.name })));
                else expect(record[f as keyof ExportContact], `${label} ${f}`).toEqual(view[f as keyof typeof view]);
              }
              expect(record.contactDetailsMasked).toBe(view.contactDetailsMasked);
              if (record.contactDetailsMasked) seen.masked++;
            });
            rows += got.length;
            seen.pages++;
            cursor = listed.nextCursor ?? undefined;
          } while (cursor);
          expect(rows, `${JSON.stringify(query)}`).toBe(expected);
          seen.rows += rows;
        }
      }
    }
    // The pool contact is masked for the seller (no pool:manage), not for the owner; each pair of sorts and queries saw it.
    expect(seen.masked).toBe(14);
    expect(seen.rows).toBe(14 * 15);

    // Only what the columns read is read: a page for the phone column brings no notes, titles or customers.
    const ctx = await ctxOf(ws);
    const got: ExportContact[] = [];
    await contactPages(ctx, { filter: ["name:eq:对照丙"] }, 10, ["phones"])(undefined, (r) => got.push(r));
    expect(got).toHaveLength(1);
    expect(got[0]!.phones).toEqual([]);
    expect([got[0]!.notes, got[0]!.customers, got[0]!.tags, got[0]!.title]).toEqual([undefined, undefined, undefined, undefined]);
    const full: ExportContact[] = [];
    await contactPages(ctx, { filter: ["name:eq:对照丙"] }, 10, ["notes", "customers"])(undefined, (r) => full.push(r));
    expect([full[0]!.notes, full[0]!.customers]).toEqual(["备注", [{ name: "对照甲公司" }]]);
    const three: ExportContact[] = [];
    await contactPages(ctx, { filter: ["name:eq:对照甲", "tag:eq:x"] }, 10, ["customers"])(undefined, (r) => three.push(r));
    expect(three.map((r) => r.customers)).toEqual([[{ name: '对照"丙",{公司} \\ NULL' }, { name: "对照乙公司" }, { name: "对照甲公司" }]]);
  });
});
