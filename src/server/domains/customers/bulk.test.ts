import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

describe("bulk actions, counts and saved views", () => {
  let t: TestEnv;
  let owner: Session;
  let rep: Session & { id: string };
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    rep = await addUser(t, owner, "sales");
    for (let i = 0; i < 6; i++) {
      const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: `批量客户${i}`, tags: i < 3 ? ["老客户"] : [], lifecycleStage: i % 2 ? "new" : "prospect" });
      ids.push(res.json<{ id: string }>().id);
    }
  });
  afterAll(async () => t?.close());

  const bulk = (who: Session, body: unknown) => api(t.app, who).post("/api/v1/customers/bulk", body);

  it("tags, grades, stages and assigns many customers, each audited, reporting the ones it could not change", async () => {
    const tagged = await bulk(owner, { ids, operation: { action: "addTags", tags: ["重点", "老客户"] } });
    expect(tagged.json()).toEqual({ done: 6, failed: [] });
    const listed = (await api(t.app, owner).get(`/api/v1/customers?filter=tag:eq:${encodeURIComponent("重点")}&limit=50`)).json<{ items: { tags: string[] }[] }>();
    expect(listed.items).toHaveLength(6);
    expect(listed.items.every((c) => c.tags.filter((x) => x === "老客户").length <= 1)).toBe(true);
    expect((await bulk(owner, { ids: ids.slice(0, 2), operation: { action: "removeTags", tags: ["重点"] } })).json()).toEqual({ done: 2, failed: [] });
    expect((await bulk(owner, { ids, operation: { action: "grade", grade: "B" } })).json<{ done: number }>().done).toBe(6);

    const missing = "00000000-0000-4000-8000-000000000000";
    const assigned = (await bulk(owner, { ids: [...ids.slice(0, 3), missing], operation: { action: "assign", ownerId: rep.id } })).json<{ done: number; failed: { id: string; code: string }[] }>();
    expect(assigned.done).toBe(3);
    expect(assigned.failed).toEqual([expect.objectContaining({ id: missing, code: "NOT_FOUND" })]);
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?objectId=${ids[0]}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.filter((e) => e.action === "customer.updated").length).toBeGreaterThanOrEqual(4);

    // The rep may update their customers, not delete them; another's are not found.
    const repDelete = await bulk(rep, { ids: ids.slice(0, 1), operation: { action: "delete" } });
    expect(repDelete.statusCode).toBe(403);
    const repStage = (await bulk(rep, { ids: ids.slice(0, 4), operation: { action: "stage", lifecycleStage: "repeat" } })).json<{ done: number; failed: unknown[] }>();
    expect(repStage.done).toBe(3);
    expect(repStage.failed).toHaveLength(1);
    expect((await bulk(owner, { ids: [], operation: { action: "delete" } })).statusCode).toBe(400);
    expect((await bulk(owner, { ids, operation: { action: "explode" } })).statusCode).toBe(400);
  });

  it("counts a list query per stage for kanban columns", async () => {
    const res = await api(t.app, owner).get(`/api/v1/customers/counts?groupBy=lifecycleStage&filter=name:contains:${encodeURIComponent("批量")}`);
    expect(res.statusCode, res.body).toBe(200);
    const groups = res.json<{ groups: { value: string; count: number }[] }>().groups;
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(6);
    expect(groups.find((g) => g.value === "repeat")?.count).toBe(3);
    const repCounts = (await api(t.app, rep).get("/api/v1/customers/counts?groupBy=grade")).json<{ groups: { value: string; count: number }[] }>().groups;
    expect(repCounts).toEqual([{ value: "B", count: 3 }]);
  });

  it("saves personal and shared views; others see the shared ones only, and only sharers may change them", async () => {
    const mine = await api(t.app, rep).post("/api/v1/views", { objectType: "customer", name: "我的新客户", query: { filter: ["lifecycleStage:eq:new"], sort: "-updatedAt", columns: ["code", "name"] } });
    expect(mine.statusCode, mine.body).toBe(201);
    expect((await api(t.app, rep).post("/api/v1/views", { objectType: "customer", name: "共享", shared: true, query: { filter: [] } })).statusCode).toBe(403);
    const shared = await api(t.app, owner).post("/api/v1/views", { objectType: "customer", name: "重点客户看板", shared: true, layout: "kanban", query: { filter: ["tag:eq:重点"], groupBy: "lifecycleStage" } });
    expect(shared.statusCode, shared.body).toBe(201);
    expect((await api(t.app, owner).post("/api/v1/views", { objectType: "customer", name: "坏", query: { filter: ["drop table"] } })).statusCode).toBe(400);
    const repViews = (await api(t.app, rep).get("/api/v1/views?objectType=customer")).json<{ items: { name: string }[] }>().items.map((v) => v.name).sort();
    expect(repViews).toEqual(["我的新客户", "重点客户看板"].sort());
    const ownerViews = (await api(t.app, owner).get("/api/v1/views?objectType=customer")).json<{ items: { name: string }[] }>().items.map((v) => v.name);
    expect(ownerViews).toEqual(["重点客户看板"]);
    const sharedView = shared.json<{ id: string; version: number }>();
    expect((await api(t.app, rep).patch(`/api/v1/views/${sharedView.id}`, { version: sharedView.version, name: "改名" })).statusCode).toBe(403);
    expect((await api(t.app, rep).del(`/api/v1/views/${sharedView.id}`)).statusCode).toBe(403);
    const mineView = mine.json<{ id: string }>();
    expect((await api(t.app, owner).del(`/api/v1/views/${mineView.id}`)).statusCode).toBe(404);
    expect((await api(t.app, rep).del(`/api/v1/views/${mineView.id}`)).statusCode).toBe(204);
  });

  it("exports what a list shows as CSV with a BOM, formulas neutralised, bank accounts masked by role", async () => {
    const evil = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "=HYPERLINK(\"http://evil\")", bankAccount: "6222020200112233445", ownerId: rep.id, tags: ["+1", "@x"] });
    expect(evil.statusCode, evil.body).toBe(201);
    const res = await api(t.app, owner, "zh-CN").get(`/api/v1/customers/export?filter=name:contains:${encodeURIComponent("批量")}&sort=name`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]!.startsWith("客户编码,客户名称")).toBe(true);
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["批量客户0", "批量客户1", "批量客户2", "批量客户3", "批量客户4", "批量客户5"]);

    const asRep = await api(t.app, rep).get(`/api/v1/customers/export?ids=${evil.json<{ id: string }>().id}`);
    const row = asRep.body.trim().split("\r\n")[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain("'+1; @x");
    expect(row).toContain("•••• 3445");
    expect(row).not.toContain("6222020200112233445");
    const readOnly = await addUser(t, owner, "read_only");
    expect((await api(t.app, readOnly).get("/api/v1/customers/export")).statusCode).toBe(403);
  });
});
