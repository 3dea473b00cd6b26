import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../config.js";
import { markSearchOperatorsLeakproof, missingLeakproof, openDatabase } from "../../db/bootstrap.js";
import { allPermissions } from "../../lib/access.js";
import { inTenant, systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { syncLeadSearch } from "../leads/search-index.js";
import { search, searchStatements, type SearchResult } from "./search.js";

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe("search index under row-level security", () => {
  let t: TestEnv;
  let owner: Session;
  let dataDir: string;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "guanxi-search-"));
    for (const body of [
      { kind: "individual", name: "张三", phones: [{ number: "13800138000" }] },
      { kind: "organization", name: "Acme Robotics Inc." },
      { kind: "organization", name: "北京元石科技有限公司" },
    ]) {
      expect((await api(t.app, owner).post("/api/v1/customers", body)).statusCode).toBe(201);
    }
    // Enough documents (matching none of the queries) that the planner prefers a selective index to reading the tenant's rows.
    await inTenant(ctx(), (tx) =>
      tx.execute(sql`insert into search_documents (tenant_id, object_type, object_id, title, terms, latin)
        select ${owner.workspaceId}::uuid, 'customer', gen_random_uuid(), 'filler ' || i, array['w:filler' || i, 'd:' || (100000 + i)], 'filler' || i
          from generate_series(1, 5000) i`),
    );
    await t.database.pool.query("analyze search_documents");
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  const ctx = () => systemCtx(t.database, t.services, owner.workspaceId, allPermissions());
  /** The nodes of the first tier's plan that read search_documents_terms_idx with a condition on the terms. */
  const termsIndexScans = (q: string) =>
    inTenant(ctx(), async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const [first] = searchStatements(ctx(), { q, limit: 20 });
      const res = await tx.execute<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(sql`explain (format json) ${first!.statement}`);
      return nodes(res.rows[0]!["QUERY PLAN"][0].Plan).filter((n) => n["Index Name"] === "search_documents_terms_idx" && /terms/.test(n["Index Cond"] ?? ""));
    });
  const warnings = async () => {
    const messages: string[] = [];
    const opened = await openDatabase(loadConfig({ NODE_ENV: "test", DATABASE_URL: t.dbUrl, GUANXI_DATA_DIR: dataDir, LOG_LEVEL: "silent" }), (msg, level) => {
      if (level === "warn") messages.push(msg);
    });
    await opened.stop();
    return messages;
  };
  const superuserOfTestDb = () => {
    const url = new URL(inject("testSuperuserUrl"));
    url.pathname = new URL(t.dbUrl).pathname;
    return url.toString();
  };

  it("reads the terms index when the operators are LEAKPROOF; without, an external database warns at start with the SQL", async () => {
    if (!inject("testSuperuserUrl")) {
      // An external server as its DBA left it: the index is used exactly when the functions are leakproof, and a start says so otherwise.
      const missing = await missingLeakproof(t.database.pool);
      expect((await termsIndexScans("8000")).length > 0).toBe(missing.length === 0);
      expect((await warnings()).length).toBe(missing.length ? 1 : 0);
      return;
    }
    // Embedded: the template is marked, as openDatabase marks ./data's database.
    expect(await missingLeakproof(t.database.pool)).toEqual([]);
    for (const q of ["8000", "张三", "acme", "acne robotcs"]) expect((await termsIndexScans(q)).length, q).toBeGreaterThan(0);
    expect(await warnings()).toEqual([]);

    // What an external database gets before its DBA runs the README's SQL.
    await markSearchOperatorsLeakproof(superuserOfTestDb(), false);
    expect(await termsIndexScans("8000")).toEqual([]);
    const [warning, ...more] = await warnings();
    expect(more).toEqual([]);
    expect(warning).toContain("ALTER FUNCTION arraycontains(anyarray,anyarray) LEAKPROOF;");
    expect(warning).toContain("ALTER FUNCTION arrayoverlap(anyarray,anyarray) LEAKPROOF;");
    expect(warning).toMatch(/ALTER FUNCTION (\w+\.)?word_similarity_op\(text,text\) LEAKPROOF;/);
    // Search still answers, just without the index.
    expect((await search(ctx(), { q: "8000", limit: 20 })).map((r) => r.title)).toEqual(["张三"]);

    await markSearchOperatorsLeakproof(superuserOfTestDb());
    expect((await termsIndexScans("8000")).length).toBeGreaterThan(0);
    expect(await warnings()).toEqual([]);
  });

  it("stops at the first tier that answers: exact terms before typos, typos before trigram similarity", async () => {
    const titles = async (q: string) => (await search(ctx(), { q, limit: 20 })).map((r) => r.title);
    expect(await titles("acme")).toEqual(["Acme Robotics Inc."]);
    expect(await titles("acne robotcs")).toEqual(["Acme Robotics Inc."]); // one typo in each word
    expect(await titles("acme robotixx")).toEqual(["Acme Robotics Inc."]); // two edits in a word: trigram similarity
    expect(await titles("xyzzy")).toEqual([]);
    expect(searchStatements(ctx(), { q: "acne robotcs", limit: 20 })).toHaveLength(3);
    expect(searchStatements(ctx(), { q: "zs", limit: 20 })).toHaveLength(2);
    expect(searchStatements(ctx(), { q: "8000", limit: 20 })).toHaveLength(1);
  });
});

describe("leads in the global search", () => {
  let t: TestEnv;
  let ws: Session;
  let manager: Session;
  let otherManager: Session;
  let repA: Session & { id: string };
  let repB: Session & { id: string };
  beforeAll(async () => {
    t = await startTestEnv();
    ws = await createWorkspace(t);
    const south = (await api(t.app, ws).post("/api/v1/departments", { name: "华南销售部" })).json<{ id: string }>();
    const north = (await api(t.app, ws).post("/api/v1/departments", { name: "华北销售部" })).json<{ id: string }>();
    manager = await addUser(t, ws, "manager", { departmentId: south.id });
    otherManager = await addUser(t, ws, "manager", { departmentId: north.id });
    repA = await addUser(t, ws, "sales", { departmentId: south.id });
    repB = await addUser(t, ws, "sales", { departmentId: south.id });
  });
  afterAll(async () => t?.close());

  interface Lead {
    id: string;
    version: number;
  }
  const createLead = async (s: Session, body: Record<string, unknown>) => {
    const res = await api(t.app, s).post("/api/v1/leads", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Lead>();
  };
  const find = async (s: Session, q: string, type?: string) => {
    const res = await api(t.app, s).get(`/api/v1/search?q=${encodeURIComponent(q)}${type ? `&type=${type}` : ""}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: SearchResult[] }>().items;
  };
  const leadIds = async (s: Session, q: string) => (await find(s, q)).filter((r) => r.objectType === "lead").map((r) => r.id);

  it("finds a lead by its 2-character Chinese name, pinyin and initials, company part, 繁体, phone fragment and e-mail, with its type, status and owner", async () => {
    const l = await createLead(repA, { name: "李雷", company: "深圳市腾跃科技有限公司", phone: "137 1234 5678", email: "LiLei@TengYue.cn" });
    const [hit] = await find(repA, "李雷");
    expect(hit).toEqual({ objectType: "lead", id: l.id, title: "李雷", subtitle: "深圳市腾跃科技有限公司", ownerId: repA.id, status: "new" });
    for (const q of ["ll", "lilei", "腾跃", "騰躍", "ｌｉｌｅｉ", "5678", "13712345678", "+86 137 1234 5678", "lilei@tengyue.cn"]) {
      expect(await leadIds(repA, q), q).toEqual([l.id]);
    }
    expect((await find(repA, "李雷", "lead")).map((r) => r.id)).toEqual([l.id]);
    expect(await find(repA, "李雷", "customer")).toEqual([]);
    // Follow-up, qualification and loss show in the result's status.
    await api(t.app, repA).post(`/api/v1/leads/${l.id}/follow-up`, { note: "电话沟通" });
    expect((await find(repA, "李雷"))[0]!.status).toBe("contacted");
    await api(t.app, repA).post(`/api/v1/leads/${l.id}/lose`, { lostReason: "预算不足" });
    expect((await find(repA, "李雷"))[0]!.status).toBe("lost");
  });

  it("follows lead visibility: a rep their own leads and the pool, a manager their department's, an owner all", async () => {
    const mine = await createLead(repA, { name: "韦小宝", phone: "13811112222" });
    const pooled = await createLead(ws, { name: "韦春花", phone: "13811113333", toPool: true });
    expect(await leadIds(repA, "韦小宝")).toEqual([mine.id]);
    expect(await leadIds(repB, "韦小宝")).toEqual([]);
    expect(await leadIds(repB, "wxb")).toEqual([]);
    expect(await leadIds(repB, "11112222")).toEqual([]);
    expect(await leadIds(manager, "韦小宝")).toEqual([mine.id]);
    expect(await leadIds(otherManager, "韦小宝")).toEqual([]);
    expect(await leadIds(ws, "韦小宝")).toEqual([mine.id]);
    // The pool is everyone's until claimed; then it is the claimer's.
    expect(await leadIds(repB, "韦春花")).toEqual([pooled.id]);
    expect((await api(t.app, repB).post(`/api/v1/leads/${pooled.id}/claim`)).statusCode).toBe(200);
    expect(await leadIds(repA, "韦春花")).toEqual([]);
    expect((await find(repB, "韦春花"))[0]).toMatchObject({ ownerId: repB.id });
    // Given to another rep, it moves with its owner.
    expect((await api(t.app, manager).post(`/api/v1/leads/${mine.id}/assign`, { userId: repB.id })).statusCode).toBe(200);
    expect(await leadIds(repA, "韦小宝")).toEqual([]);
    expect(await leadIds(repB, "韦小宝")).toEqual([mine.id]);
    // Released, it is back in everyone's search.
    expect((await api(t.app, repB).post(`/api/v1/leads/${pooled.id}/release`, { reason: "不跟了" })).statusCode).toBe(204);
    expect(await leadIds(repA, "韦春花")).toEqual([pooled.id]);
  });

  it("finds the new name after an update and not the old; nothing after a delete or a conversion", async () => {
    const l = await createLead(repA, { name: "张伟", email: "zhangwei@example.com" });
    const changed = await api(t.app, repA).patch(`/api/v1/leads/${l.id}`, { version: l.version, name: "王芳", email: "wangfang@example.com" });
    expect(changed.statusCode, changed.body).toBe(200);
    for (const q of ["张伟", "zhangwei", "zhangwei@example.com"]) expect(await leadIds(repA, q), q).toEqual([]);
    for (const q of ["王芳", "wf", "wangfang@example.com"]) expect(await leadIds(repA, q), q).toEqual([l.id]);
    expect((await api(t.app, ws).del(`/api/v1/leads/${l.id}`)).statusCode).toBe(204);
    expect(await leadIds(ws, "王芳")).toEqual([]);
    expect(await leadIds(repA, "wangfang@example.com")).toEqual([]);

    // Converted: the customer and contact it became are found, the lead no longer.
    const c = await createLead(repA, { name: "欧阳锋", company: "白驼山贸易", phone: "13955556666" });
    const converted = await api(t.app, repA).post(`/api/v1/leads/${c.id}/convert`, { customer: {} });
    expect(converted.statusCode, converted.body).toBe(200);
    const found = await find(repA, "欧阳锋");
    expect(found.map((r) => r.objectType).sort()).toEqual(["contact"]);
    expect((await find(repA, "白驼山")).map((r) => r.objectType)).toEqual(["customer"]);
  });

  it("indexes leads the index lacks (the backfill) and hides leads trashed outside the services", async () => {
    const ctx = systemCtx(t.database, t.services, ws.workspaceId, allPermissions());
    const older = await createLead(repA, { name: "黄蓉", phone: "13700001111" });
    const trashed = await createLead(repA, { name: "黄药师" });
    // As before leads were searchable, and as an import's undo trashes: straight in SQL.
    await inTenant(ctx, async (tx) => {
      await tx.execute(sql`delete from search_documents where object_type = 'lead' and object_id = ${older.id}`);
      await tx.execute(sql`update leads set deleted_at = now() where id = ${trashed.id}`);
    });
    expect(await leadIds(repA, "黄蓉")).toEqual([]);
    expect(await leadIds(repA, "黄药师")).toEqual([trashed.id]);
    expect(await syncLeadSearch(ctx, 1)).toEqual({ indexed: 1, hidden: 1 });
    expect(await syncLeadSearch(ctx)).toEqual({ indexed: 0, hidden: 0 });
    for (const q of ["黄蓉", "hr", "huangrong", "1111"]) expect(await leadIds(repA, q), q).toEqual([older.id]);
    expect(await leadIds(repA, "黄药师")).toEqual([]);
    expect(await leadIds(repB, "黄蓉")).toEqual([]);
  });

  it("answers with customers and contacts only to whoever may not read leads", async () => {
    const service = await addUser(t, ws, "service");
    await createLead(ws, { name: "郭靖" });
    expect(await find(service, "郭靖")).toEqual([]);
    expect((await api(t.app, service).get(`/api/v1/search?q=${encodeURIComponent("郭靖")}&type=lead`)).statusCode).toBe(403);
  });
});
