import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../config.js";
import { markSearchOperatorsLeakproof, missingLeakproof, openDatabase } from "../../db/bootstrap.js";
import { allPermissions } from "../../lib/access.js";
import { inTenant, systemCtx } from "../../lib/context.js";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { search, searchStatements } from "./search.js";

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
