import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { applyPoolRules } from "./pool.js";

interface Customer {
  id: string;
  ownerId: string | null;
  poolId: string | null;
  phones: { number: string }[];
  emails: { address: string }[];
  contactDetailsMasked: boolean;
  version: number;
}

describe("public pool (公海)", () => {
  let t: TestEnv;
  let owner: Session;
  let repA: Session & { id: string };
  let repB: Session & { id: string };
  let poolId: string;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    repA = await addUser(t, owner, "sales", { name: "Rep A" });
    repB = await addUser(t, owner, "sales", { name: "Rep B" });
    const pools = (await api(t.app, owner).get("/api/v1/pools")).json<{ items: { id: string; isDefault: boolean; version: number }[] }>();
    expect(pools.items).toHaveLength(1);
    poolId = pools.items[0]!.id;
    const res = await api(t.app, owner).patch(`/api/v1/pools/${poolId}`, { version: pools.items[0]!.version, dailyClaimLimit: 3, maxHeld: 5, cooldownDays: 7 });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const poolCustomer = async (name: string) => {
    const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name, ownerId: null, phones: [{ number: "13912340000" }], emails: [{ address: "boss@pool.example.com" }], allowDuplicate: true });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Customer>();
  };

  it("masks phones and e-mails in the pool until claimed, and exactly one of concurrent claims wins", async () => {
    const c = await poolCustomer("公海争抢有限公司");
    expect(c.poolId).toBe(poolId);
    const seen = (await api(t.app, repA).get(`/api/v1/customers/${c.id}`)).json<Customer>();
    expect(seen.contactDetailsMasked).toBe(true);
    expect(seen.phones[0]!.number).toBe("+86139****0000");
    expect(seen.emails[0]!.address).toBe("b***@pool.example.com");
    expect(JSON.stringify((await api(t.app, repA).get(`/api/v1/customers?filter=poolId:eq:${poolId}`)).json())).not.toContain("13912340000");

    const results = await Promise.all([repA, repB, repA, repB].map((s) => api(t.app, s).post(`/api/v1/customers/${c.id}/claim`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json<{ ownerId: string }>().ownerId;
    const asWinner = winner === repA.id ? repA : repB;
    const mine = (await api(t.app, asWinner).get(`/api/v1/customers/${c.id}`)).json<Customer>();
    expect(mine.ownerId).toBe(winner);
    expect(mine.phones[0]!.number).toBe("+8613912340000");
    const loser = winner === repA.id ? repB : repA;
    expect((await api(t.app, loser).get(`/api/v1/customers/${c.id}`)).statusCode).toBe(404);
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?objectId=${c.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((e) => e.action)).toContain("customer.claimed");
  });

  it("enforces the daily claim limit, also under concurrent claims by one person", async () => {
    const rep = await addUser(t, owner, "sales");
    const cs = await Promise.all(Array.from({ length: 5 }, (_, i) => poolCustomer(`每日上限${i}号公司`)));
    const results = await Promise.all(cs.map((c) => api(t.app, rep).post(`/api/v1/customers/${c.id}/claim`)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
    const refused = results.filter((r) => r.statusCode === 409).map((r) => r.json<{ error: { details: { reason: string } } }>().error.details.reason);
    expect(refused).toEqual(["daily_limit", "daily_limit"]);
    // Which three won is up to the race: ask again for one that was refused.
    const refusedId = cs[results.findIndex((r) => r.statusCode === 409)]!.id;
    const zh = await api(t.app, rep, "zh-CN").post(`/api/v1/customers/${refusedId}/claim`);
    expect(zh.json<{ error: { message: string } }>().error.message).toBe("今日领取数量已达上限");
  });

  it("caps how many customers one person holds", async () => {
    const rep = await addUser(t, owner, "sales");
    for (let i = 0; i < 5; i++) expect((await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name: `持有上限${i}` })).statusCode).toBe(201);
    const c = await poolCustomer("超出持有上限公司");
    const res = await api(t.app, rep).post(`/api/v1/customers/${c.id}/claim`);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { details: { reason: string } } }>().error.details.reason).toBe("hold_limit");
  });

  it("lets the owner release, makes them wait out the cooldown, and lets someone else claim at once", async () => {
    const rep = await addUser(t, owner, "sales");
    const c = (await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name: "释放冷却测试公司" })).json<Customer>();
    expect((await api(t.app, repB).post(`/api/v1/customers/${c.id}/release`, {})).statusCode).toBe(404); // not visible to B
    expect((await api(t.app, rep).post(`/api/v1/customers/${c.id}/release`, { reason: "不是目标客户" })).statusCode).toBe(204);
    expect((await api(t.app, rep).post(`/api/v1/customers/${c.id}/release`, {})).statusCode).toBe(409);
    const again = await api(t.app, rep).post(`/api/v1/customers/${c.id}/claim`);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { details: { reason: string } } }>().error.details.reason).toBe("cooldown");
    const other = await addUser(t, owner, "sales");
    expect((await api(t.app, other).post(`/api/v1/customers/${c.id}/claim`)).statusCode).toBe(200);
  });

  it("reclaims customers without follow-up by the pool's rule, warning the owner days before", async () => {
    const ws = await createWorkspace(t);
    const rep = await addUser(t, ws, "sales");
    const pool = (await api(t.app, ws).get("/api/v1/pools")).json<{ items: { id: string; version: number }[] }>().items[0]!;
    await api(t.app, ws).patch(`/api/v1/pools/${pool.id}`, { version: pool.version, reclaimNoFollowUpDays: 30, warnDays: 3 });
    const make = async (name: string, daysAgo: number) => {
      const c = (await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name })).json<Customer>();
      await withTenant(t.database, { tenantId: ws.workspaceId }, (tx) =>
        tx.execute(`update customers set owned_since = now() - interval '${daysAgo} days' where id = '${c.id}'`),
      );
      return c;
    };
    const stale = await make("久未跟进公司", 31);
    const soon = await make("即将收回公司", 28);
    const fresh = await make("刚领取公司", 1);
    const ctx = systemCtx(t.database, t.services, ws.workspaceId, allPermissions());
    expect(await applyPoolRules(ctx)).toEqual({ reclaimed: 1, warned: 1 });
    // Warned once per deadline, not every run.
    expect(await applyPoolRules(ctx)).toEqual({ reclaimed: 0, warned: 0 });
    const ownerOf = async (id: string) => (await api(t.app, ws).get(`/api/v1/customers/${id}`)).json<Customer>().ownerId;
    expect(await ownerOf(stale.id)).toBeNull();
    expect(await ownerOf(soon.id)).toBe(rep.id);
    expect(await ownerOf(fresh.id)).toBe(rep.id);
    const notes = (await api(t.app, rep, "zh-CN").get("/api/v1/notifications")).json<{ unread: number; items: { kind: string; message: string; objectId: string }[] }>();
    expect(notes.unread).toBe(2);
    expect(notes.items.map((n) => [n.kind, n.objectId]).sort()).toEqual(
      [
        ["customer_reclaim_warning", soon.id],
        ["customer_reclaimed", stale.id],
      ].sort(),
    );
    expect(notes.items.find((n) => n.kind === "customer_reclaim_warning")!.message).toContain("即将收回公司");
    expect((await api(t.app, rep).post("/api/v1/notifications/read-all")).statusCode).toBe(204);
    expect((await api(t.app, rep).get("/api/v1/notifications")).json<{ unread: number }>().unread).toBe(0);
    // The former owner waits out the cooldown after a reclaim too.
    expect((await api(t.app, rep).post(`/api/v1/customers/${stale.id}/claim`)).json<{ error: { details: { reason: string } } }>().error.details.reason).toBe("cooldown");
  });

  it("treats clearing the owner in an edit as a release, and an assignment from the pool as taking it out", async () => {
    const rep = await addUser(t, owner, "sales");
    const c = (await api(t.app, rep).post("/api/v1/customers", { kind: "organization", name: "编辑释放测试公司" })).json<Customer>();
    const contact = (await api(t.app, rep).post("/api/v1/contacts", { name: "随客户走的联系人", phones: [{ number: "13677778888" }], customers: [{ customerId: c.id }] })).json<{ id: string }>();
    const cleared = await api(t.app, owner).patch(`/api/v1/customers/${c.id}`, { version: c.version, ownerId: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<Customer>()).toMatchObject({ ownerId: null, poolId });
    const inPool = (await api(t.app, rep).get(`/api/v1/customers?filter=ownerId:null:true&filter=poolId:eq:${poolId}&limit=200`)).json<{ items: { id: string }[] }>();
    expect(inPool.items.map((x) => x.id)).toContain(c.id);
    expect((await api(t.app, repB).get(`/api/v1/contacts/${contact.id}`)).json<{ contactDetailsMasked: boolean }>().contactDetailsMasked).toBe(true);
    // The former owner waits out the cooldown, as after a release.
    expect((await api(t.app, rep).post(`/api/v1/customers/${c.id}/claim`)).json<{ error: { details: { reason: string } } }>().error.details.reason).toBe("cooldown");
    const back = await api(t.app, owner).patch(`/api/v1/customers/${c.id}`, { version: cleared.json<Customer>().version, ownerId: repB.id });
    expect(back.json<Customer & { ownedSince: string | null }>()).toMatchObject({ ownerId: repB.id, ownedSince: expect.any(String) });
    expect((await api(t.app, repB).get(`/api/v1/contacts/${contact.id}`)).json<{ ownerId: string; contactDetailsMasked: boolean }>()).toMatchObject({ ownerId: repB.id, contactDetailsMasked: false });
  });
});
