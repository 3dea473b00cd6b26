import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

describe("demo data", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  async function runDemo() {
    const { jobId } = (await api(t.app, owner).post("/api/v1/demo", {})).json<{ jobId: string }>();
    let job = { state: "", result: null as Record<string, number> | null };
    for (let i = 0; i < 600 && job.state !== "completed" && job.state !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await api(t.app, owner).get(`/api/v1/jobs/${jobId}`)).json();
    }
    expect(job.state, JSON.stringify(job)).toBe("completed");
    return job.result!;
  }
  const count = async (url: string) => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = (await api(t.app, owner).get(`${url}${url.includes("?") ? "&" : "?"}limit=200${cursor ? `&cursor=${cursor}` : ""}`)).json();
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return n;
  };

  it("fills a workspace with customers, contacts, a timeline and a public pool, and adds nothing when run again", { timeout: 120_000 }, async () => {
    const first = await runDemo();
    expect(first.customers).toBe(48);
    const customers = await count("/api/v1/customers");
    const contacts = await count("/api/v1/contacts");
    const pooled = await count("/api/v1/customers?filter=ownerId:null:true");
    expect(customers).toBe(48);
    expect(contacts).toBeGreaterThan(48);
    expect(pooled).toBeGreaterThan(0);
    const list = (await api(t.app, owner).get("/api/v1/customers?limit=200")).json<{ items: { id: string; name: string; kind: string; creditCode: string | null }[] }>().items;
    expect(list.filter((c) => c.kind === "individual").length).toBeGreaterThan(0);
    expect(list.some((c) => /有限公司|集团/.test(c.name))).toBe(true);
    let entries = 0;
    for (const c of list.slice(0, 20)) entries += (await api(t.app, owner).get(`/api/v1/customers/${c.id}/timeline`)).json<{ totals: { entries: number } }>().totals.entries;
    expect(entries).toBeGreaterThan(0);

    const again = await runDemo();
    expect(again.customers).toBe(0);
    expect(await count("/api/v1/customers")).toBe(customers);
    expect(await count("/api/v1/contacts")).toBe(contacts);
  });
});
