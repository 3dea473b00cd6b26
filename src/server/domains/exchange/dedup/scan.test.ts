import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FixturePair, FixtureRecord } from "../../../../../test/fixtures/dedup/make-pairs.js";
import { allPermissions } from "../../../lib/access.js";
import { systemCtx } from "../../../lib/context.js";
import type { JobTools } from "../../../lib/jobs.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../../test/harness.js";
import { runScan } from "./scan.js";

const PAIRS = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../../../test/fixtures/dedup/pairs.json"), "utf8")) as FixturePair[];

interface Scan {
  id: string;
  status: string;
  counts: { records: number; compared: number; pairs: number } | null;
  jobId: string;
}
interface Pair {
  objectType: string;
  leftId: string;
  rightId: string;
  score: number;
  status: string;
  reasons: { kind: string; detail: string; score: number; message: string }[];
  left: { id: string; name: string; code?: string; phones: string[]; emails: string[]; ownerId: string | null; companies?: string[] };
  right: { id: string; name: string; phones: string[]; emails: string[]; ownerId: string | null; companies?: string[] };
}

/**
 * The real scan job on a workspace loaded with every record of the labelled
 * set (through the API, as users enter them): blocking and scoring together
 * must find the duplicates and nothing else.
 */
describe("duplicate scan", () => {
  let t: TestEnv;
  let owner: Session;
  /** `${pair.id}:L|R` → record id, and back. */
  const ids = new Map<string, string>();
  const byId = new Map<string, { pair: FixturePair; side: "L" | "R" }>();

  const post = (s: Session, url: string, body: unknown) => api(t.app, s).post(url, body);

  async function createAll(objectType: "customer" | "contact") {
    const customers = new Map<string, string>();
    const customerId = async (name: string) => {
      if (!customers.has(name)) {
        const res = await post(owner, "/api/v1/customers", { kind: "organization", name, allowDuplicate: true });
        expect(res.statusCode, res.body).toBe(201);
        customers.set(name, res.json<{ id: string }>().id);
      }
      return customers.get(name)!;
    };
    const create = async (r: FixtureRecord): Promise<string> => {
      const phones = r.phones.map((number) => ({ number }));
      const emails = r.emails.map((address) => ({ address }));
      const res =
        objectType === "customer"
          ? await post(owner, "/api/v1/customers", { kind: r.kind ?? "organization", name: r.name, phones, emails, ...(r.creditCode ? { creditCode: r.creditCode } : {}), allowDuplicate: true })
          : await post(owner, "/api/v1/contacts", { name: r.name, phones, emails, ...(r.customer ? { customers: [{ customerId: await customerId(r.customer) }] } : {}), allowDuplicate: true });
      expect(res.statusCode, `${r.name}: ${res.body}`).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const pairs = PAIRS.filter((p) => p.objectType === objectType);
    for (let i = 0; i < pairs.length; i += 8) {
      await Promise.all(
        pairs.slice(i, i + 8).map(async (p) => {
          for (const side of ["L", "R"] as const) {
            const id = await create(side === "L" ? p.left : p.right);
            ids.set(`${p.id}:${side}`, id);
            byId.set(id, { pair: p, side });
          }
        }),
      );
    }
  }

  async function scan(session: Session, objectType: string): Promise<Scan> {
    const res = await post(session, "/api/v1/duplicates/scans", { objectType });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<Scan>();
    for (let i = 0; i < 600; i++) {
      const list = (await api(t.app, session).get(`/api/v1/duplicates/scans?objectType=${objectType}`)).json<{ items: Scan[] }>().items;
      const s = list.find((x) => x.id === started.id)!;
      if (s.status === "completed" || s.status === "failed") {
        expect(s.status, (await api(t.app, session).get(`/api/v1/jobs/${s.jobId}`)).body).toBe("completed");
        return s;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("scan did not finish");
  }

  async function allPairs(session: Session, objectType: string, status = "pending", lang = "en-US"): Promise<Pair[]> {
    const out: Pair[] = [];
    let after: string | null = null;
    do {
      const res = await api(t.app, session, lang).get(`/api/v1/duplicates/pairs?objectType=${objectType}&status=${status}&limit=7${after ? `&after=${after}` : ""}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: Pair[]; nextAfter: string | null }>();
      out.push(...page.items);
      after = page.nextAfter;
    } while (after);
    // Small pages: the cursor is exercised, and no pair appears twice or goes missing between pages.
    expect(new Set(out.map((p) => `${p.leftId}:${p.rightId}`)).size).toBe(out.length);
    return out;
  }

  /** Precision and recall of the found pairs against the labels; a found pair across two labelled pairs counts as false. */
  function measure(objectType: string, found: Pair[]) {
    const labelled = PAIRS.filter((p) => p.objectType === objectType);
    const hit = new Set<string>();
    let fp = 0;
    const falses: string[] = [];
    for (const f of found) {
      const [l, r] = [byId.get(f.leftId), byId.get(f.rightId)];
      if (l && r && l.pair === r.pair && l.pair.duplicate) hit.add(l.pair.id);
      else {
        fp++;
        falses.push(`${l?.pair.id ?? "?"}/${r?.pair.id ?? "?"} ${f.left.name} | ${f.right.name} ${f.score}`);
      }
    }
    const positives = labelled.filter((p) => p.duplicate);
    const tp = hit.size;
    const precision = tp / (tp + fp);
    const recall = tp / positives.length;
    const missed = positives.filter((p) => !hit.has(p.id)).map((p) => `${p.id} ${p.category}`);
    console.log(`end-to-end ${objectType} scan on ${labelled.length} labelled pairs: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, missed ${missed.length})\n  false: ${falses.join("; ")}\n  missed: ${missed.join("; ")}`);
    return { precision, recall };
  }

  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    await createAll("customer");
    await createAll("contact");
  }, 300_000);
  afterAll(async () => t?.close());

  it("finds the labelled duplicate customers (blocking included) with precision ≥ 0.95 and recall ≥ 0.90", async () => {
    const s = await scan(owner, "customer");
    const found = await allPairs(owner, "customer");
    expect(s.counts?.pairs).toBe(found.length);
    expect(s.counts!.compared).toBeGreaterThanOrEqual(found.length);
    // Sorted by score, each with reasons and both records.
    expect(found.map((p) => p.score)).toEqual([...found.map((p) => p.score)].sort((a, b) => b - a));
    expect(found.every((p) => p.reasons.length > 0 && p.reasons.every((r) => r.message && !r.message.startsWith("dedup.")) && p.left.code)).toBe(true);
    const { precision, recall } = measure("customer", found);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // The brief's example.
    const bytedance = PAIRS.find((p) => p.category === "zh-region-affix")!;
    expect(found.some((p) => byId.get(p.leftId)?.pair === bytedance)).toBe(true);
  }, 120_000);

  it("finds the labelled duplicate contacts with precision ≥ 0.95 and recall ≥ 0.90, with their companies", async () => {
    await scan(owner, "contact");
    const found = await allPairs(owner, "contact");
    const { precision, recall } = measure("contact", found);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    const sameCustomer = found.find((p) => p.reasons.some((r) => r.kind === "same_customer"))!;
    expect(sameCustomer.left.companies?.length).toBeGreaterThan(0);
    // Two colleagues on one switchboard are not a pair.
    const board = PAIRS.find((p) => p.category === "zh-contact-switchboard")!;
    expect(found.some((p) => p.leftId === ids.get(`${board.id}:L`) || p.rightId === ids.get(`${board.id}:L`))).toBe(false);
  }, 120_000);

  it("resumes from its checkpoint after a crash and ends with the same pairs", async () => {
    const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions(), owner.userId);
    const key = (p: Pair) => `${p.leftId}:${p.rightId}:${p.score}`;
    const before = (await allPairs(owner, "contact")).map(key).sort();
    const scanId = crypto.randomUUID();
    let saved: Record<string, unknown> | null = null;
    let calls = 0;
    const crashing: JobTools = {
      progress: async () => {},
      checkpoint: async (state) => {
        saved = state;
        // The worker dies while saving its second checkpoint: what was saved before is what a retry gets.
        if (++calls === 2) throw new Error("worker died");
      },
    };
    await expect(runScan(ctx, scanId, "contact", crashing, null)).rejects.toThrow("worker died");
    expect(saved).toMatchObject({ phase: "email", after: null });
    await runScan(ctx, scanId, "contact", { progress: async () => {}, checkpoint: async () => {} }, saved);
    expect((await allPairs(owner, "contact")).map(key).sort()).toEqual(before);
  }, 120_000);

  it("runs one scan of an object type at a time", async () => {
    const first = await post(owner, "/api/v1/duplicates/scans", { objectType: "contact" });
    const second = await post(owner, "/api/v1/duplicates/scans", { objectType: "contact" });
    expect([first.statusCode, second.statusCode]).toEqual([202, 409]);
    expect(second.json<{ error: { message: string } }>().error.message).toContain("already running");
    for (let i = 0; i < 600; i++) {
      const s = (await api(t.app, owner).get("/api/v1/duplicates/scans?objectType=contact")).json<{ items: Scan[] }>().items.find((x) => x.id === first.json<Scan>().id)!;
      if (s.status === "completed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await api(t.app, owner).get("/api/v1/duplicates/scans?objectType=contact")).json<{ items: Scan[] }>().items[0]!.status).toBe("completed");
  }, 120_000);

  it("explains reasons in the caller's language", async () => {
    const [zh] = await allPairs(owner, "customer", "pending", "zh-CN");
    expect(zh!.reasons[0]!.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("keeps a dismissed pair dismissed across scans, and drops pairs of deleted records", async () => {
    const [first, second] = await allPairs(owner, "customer");
    const dismiss = { objectType: "customer", leftId: first!.rightId, rightId: first!.leftId }; // either order
    expect((await post(owner, "/api/v1/duplicates/pairs/dismiss", dismiss)).statusCode).toBe(204);
    expect((await post(owner, "/api/v1/duplicates/pairs/dismiss", dismiss)).statusCode).toBe(204);
    const events = (await api(t.app, owner).get("/api/v1/audit-events?filter=action:eq:duplicate_pair.dismissed")).body;
    expect(events).toContain(first!.leftId);
    expect((await api(t.app, owner).del(`/api/v1/customers/${second!.leftId}`)).statusCode).toBe(204);
    await scan(owner, "customer");
    const pending = await allPairs(owner, "customer");
    const dismissed = await allPairs(owner, "customer", "dismissed");
    expect(dismissed.map((p) => [p.leftId, p.rightId])).toEqual([[first!.leftId, first!.rightId]]);
    expect(pending.some((p) => p.leftId === first!.leftId && p.rightId === first!.rightId)).toBe(false);
    expect(pending.some((p) => [p.leftId, p.rightId].includes(second!.leftId))).toBe(false);
    expect((await post(owner, "/api/v1/duplicates/pairs/dismiss", { objectType: "customer", leftId: second!.leftId, rightId: second!.rightId })).statusCode).toBe(404);
  }, 120_000);

  it("shows a sales rep only pairs of records they can see, and needs the update permission", async () => {
    const rep = await addUser(t, owner, "sales");
    for (const name of ["北京青岚数据科技有限公司", "青岚数据科技（北京）有限公司"]) {
      expect((await post(rep, "/api/v1/customers", { kind: "organization", name, allowDuplicate: true })).statusCode).toBe(201);
    }
    await scan(owner, "customer");
    const mine = await allPairs(rep, "customer");
    expect(mine.map((p) => [p.left.name, p.right.name].sort())).toEqual([["北京青岚数据科技有限公司", "青岚数据科技（北京）有限公司"]]);
    expect((await allPairs(owner, "customer")).length).toBeGreaterThan(mine.length);
    const others = (await allPairs(owner, "customer")).find((p) => p.left.ownerId === owner.userId)!;
    expect((await post(rep, "/api/v1/duplicates/pairs/dismiss", { objectType: "customer", leftId: others.leftId, rightId: others.rightId })).statusCode).toBe(404);
    const reader = await addUser(t, owner, "read_only");
    expect((await api(t.app, reader).get("/api/v1/duplicates/pairs?objectType=customer")).statusCode).toBe(403);
    expect((await post(reader, "/api/v1/duplicates/scans", { objectType: "customer" })).statusCode).toBe(403);
  }, 120_000);

  it("keeps workspaces apart", async () => {
    const other = await createWorkspace(t, "Other dedup");
    for (const name of ["上海蓝鲸隔离测试有限公司", "蓝鲸隔离测试（上海）有限公司"]) {
      expect((await post(other, "/api/v1/customers", { kind: "organization", name, allowDuplicate: true })).statusCode).toBe(201);
    }
    await scan(other, "customer");
    const theirs = await allPairs(other, "customer");
    expect(theirs).toHaveLength(1);
    const mine = await allPairs(owner, "customer");
    expect(mine.some((p) => p.leftId === theirs[0]!.leftId)).toBe(false);
    expect((await post(owner, "/api/v1/duplicates/pairs/dismiss", { objectType: "customer", leftId: theirs[0]!.leftId, rightId: theirs[0]!.rightId })).statusCode).toBe(404);
    expect((await api(t.app, owner).get("/api/v1/duplicates/scans")).body).not.toContain(other.workspaceId);
  }, 120_000);
});
