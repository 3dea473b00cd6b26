import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { applyLeadPoolRules } from "./pool.js";

interface Lead {
  id: string;
  ownerId: string | null;
  phone: string;
  contactDetailsMasked: boolean;
  version: number;
}
type ErrorBody = { error: { message: string; details: { reason: string } } };
const reason = (body: string) => (JSON.parse(body) as ErrorBody).error.details.reason;

describe("lead pool", () => {
  let t: TestEnv;
  let owner: Session;
  let repA: Session & { id: string };
  let repB: Session & { id: string };
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    repA = await addUser(t, owner, "sales");
    repB = await addUser(t, owner, "sales");
    const settings = await api(t.app, owner).get("/api/v1/lead-pool-settings");
    expect(settings.json()).toMatchObject({ dailyClaimLimit: 20, maxHeld: 200, reclaimNoFollowUpDays: null, cooldownDays: 7 });
    expect((await api(t.app, repA).patch("/api/v1/lead-pool-settings", { version: 1, dailyClaimLimit: 1 })).statusCode).toBe(403);
    const res = await api(t.app, owner).patch("/api/v1/lead-pool-settings", { version: 1, dailyClaimLimit: 3, maxHeld: 5, cooldownDays: 7 });
    expect(res.statusCode, res.body).toBe(200);
    expect((await api(t.app, owner).patch("/api/v1/lead-pool-settings", { version: 1, maxHeld: 6 })).statusCode).toBe(409);
  });
  afterAll(async () => t?.close());

  const poolLead = async (name: string) => {
    const res = await api(t.app, owner).post("/api/v1/leads", { name, phone: "13912340000", toPool: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Lead>().ownerId).toBeNull();
    return res.json<Lead>();
  };

  it("lets exactly one of concurrent claims of a lead win, and unmasks it for the winner", async () => {
    const l = await poolLead("争抢线索");
    expect((await api(t.app, repA).get(`/api/v1/leads/${l.id}`)).json<Lead>()).toMatchObject({ contactDetailsMasked: true, phone: "+86139****0000" });
    const results = await Promise.all([repA, repB, repA, repB].map((s) => api(t.app, s).post(`/api/v1/leads/${l.id}/claim`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const won = results.find((r) => r.statusCode === 200)!.json<Lead>();
    expect(won).toMatchObject({ contactDetailsMasked: false, phone: "+8613912340000" });
    expect(results.filter((r) => r.statusCode === 409).map((r) => reason(r.body))).toEqual(["claimed", "claimed", "claimed"]);
    const loser = won.ownerId === repA.id ? repB : repA;
    expect((await api(t.app, loser).get(`/api/v1/leads/${l.id}`)).statusCode).toBe(404);
  });

  it("enforces the daily claim limit, also under concurrent claims by one person", async () => {
    const rep = await addUser(t, owner, "sales");
    const ls = await Promise.all(Array.from({ length: 5 }, (_, i) => poolLead(`每日上限线索${i}`)));
    const results = await Promise.all(ls.map((l) => api(t.app, rep).post(`/api/v1/leads/${l.id}/claim`)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 409).map((r) => reason(r.body))).toEqual(["daily_limit", "daily_limit"]);
    const refusedId = ls[results.findIndex((r) => r.statusCode === 409)]!.id;
    const zh = await api(t.app, rep, "zh-CN").post(`/api/v1/leads/${refusedId}/claim`);
    expect(zh.json<ErrorBody>().error.message).toBe("今日领取线索数量已达上限（3 条）");
  });

  it("caps how many open leads one person holds; lost and converted ones do not count", async () => {
    const rep = await addUser(t, owner, "sales");
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await api(t.app, rep).post("/api/v1/leads", { name: `持有上限${i}` })).json<Lead>());
    const l = await poolLead("超出持有上限");
    const res = await api(t.app, rep).post(`/api/v1/leads/${l.id}/claim`);
    expect(res.statusCode).toBe(409);
    expect(reason(res.body)).toBe("hold_limit");
    expect((await api(t.app, rep).post(`/api/v1/leads/${mine[0]!.id}/lose`, { lostReason: "无需求" })).statusCode).toBe(200);
    expect((await api(t.app, rep).post(`/api/v1/leads/${l.id}/claim`)).statusCode).toBe(200);
  });

  it("lets the owner release with a reason, makes them wait out the cooldown, lets someone else claim at once", async () => {
    const rep = await addUser(t, owner, "sales");
    const l = (await api(t.app, rep).post("/api/v1/leads", { name: "释放冷却线索" })).json<Lead>();
    expect((await api(t.app, repB).post(`/api/v1/leads/${l.id}/release`, {})).statusCode).toBe(404);
    expect((await api(t.app, rep).post(`/api/v1/leads/${l.id}/release`, { reason: "联系不上" })).statusCode).toBe(204);
    expect((await api(t.app, rep).post(`/api/v1/leads/${l.id}/release`, {})).statusCode).toBe(409);
    const again = await api(t.app, rep).post(`/api/v1/leads/${l.id}/claim`);
    expect(again.statusCode).toBe(409);
    expect(reason(again.body)).toBe("cooldown");
    const other = await addUser(t, owner, "sales");
    expect((await api(t.app, other).post(`/api/v1/leads/${l.id}/claim`)).statusCode).toBe(200);
    const moves = await withTenant(t.database, { tenantId: owner.workspaceId }, async (tx) =>
      (await tx.execute<{ kind: string; reason: string }>(`select kind, reason from lead_moves where lead_id = '${l.id}' order by at`)).rows,
    );
    expect(moves).toEqual([
      { kind: "release", reason: "联系不上" },
      { kind: "claim", reason: "" },
    ]);
  });

  it("reclaims leads without follow-up, warning the owner days before, once", async () => {
    const ws = await createWorkspace(t);
    const rep = await addUser(t, ws, "sales");
    await api(t.app, ws).patch("/api/v1/lead-pool-settings", { version: 1, reclaimNoFollowUpDays: 30, warnDays: 3 });
    const make = async (name: string, daysAgo: number, followedUpDaysAgo?: number) => {
      const l = (await api(t.app, rep).post("/api/v1/leads", { name })).json<Lead>();
      const followUp = followedUpDaysAgo === undefined ? "null" : `now() - interval '${followedUpDaysAgo} days'`;
      await withTenant(t.database, { tenantId: ws.workspaceId }, (tx) =>
        tx.execute(`update leads set owned_since = now() - interval '${daysAgo} days', last_follow_up_at = ${followUp} where id = '${l.id}'`),
      );
      return l;
    };
    const stale = await make("久未跟进线索", 31);
    const soon = await make("即将收回线索", 28);
    const followed = await make("最近跟进线索", 40, 2);
    const lost = await make("已无效线索", 60);
    expect((await api(t.app, rep).post(`/api/v1/leads/${lost.id}/lose`, { lostReason: "重复" })).statusCode).toBe(200);
    const ctx = systemCtx(t.database, t.services, ws.workspaceId, allPermissions());
    expect(await applyLeadPoolRules(ctx)).toEqual({ reclaimed: 1, warned: 1 });
    expect(await applyLeadPoolRules(ctx)).toEqual({ reclaimed: 0, warned: 0 });
    const ownerOf = async (id: string) => (await api(t.app, ws).get(`/api/v1/leads/${id}`)).json<Lead>().ownerId;
    expect(await ownerOf(stale.id)).toBeNull();
    expect(await ownerOf(soon.id)).toBe(rep.id);
    expect(await ownerOf(followed.id)).toBe(rep.id);
    expect(await ownerOf(lost.id)).toBe(rep.id);
    const notes = (await api(t.app, rep, "zh-CN").get("/api/v1/notifications")).json<{ items: { kind: string; message: string; objectId: string }[] }>();
    expect(notes.items.map((n) => [n.kind, n.objectId]).sort()).toEqual(
      [
        ["lead_reclaim_warning", soon.id],
        ["lead_reclaimed", stale.id],
      ].sort(),
    );
    expect(notes.items.find((n) => n.kind === "lead_reclaim_warning")!.message).toBe("线索「即将收回线索」将在 2 天后收回到线索池，请及时跟进");
    // A follow-up restarts the clock: warned again only for the next deadline.
    expect((await api(t.app, rep).post(`/api/v1/leads/${soon.id}/follow-up`, { note: "回访" })).statusCode).toBe(200);
    expect(await applyLeadPoolRules(ctx)).toEqual({ reclaimed: 0, warned: 0 });
    // The former owner waits out the cooldown after a reclaim too.
    expect(reason((await api(t.app, rep).post(`/api/v1/leads/${stale.id}/claim`)).body)).toBe("cooldown");
  });
});
