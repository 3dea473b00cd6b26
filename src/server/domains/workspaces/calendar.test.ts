import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTimeZone, localDate, localHour, midnightOf, serverZone, startOfLocalDay, zonedInstant } from "../../lib/calendar.js";
import { sql } from "drizzle-orm";
import { withTenant } from "../../db/client.js";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

/** UTC+14 and UTC−11: at any instant their calendar dates differ, so a date taken from the wrong clock shows. */
const EAST = "Pacific/Kiritimati";
const WEST = "Pacific/Pago_Pago";

describe("the business calendar", () => {
  it("knows IANA zones only", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    for (const bad of ["Mars/Olympus", "CST", "+08:00", "Asia/Shanghai; drop table", ""]) expect(isTimeZone(bad), bad).toBe(false);
  });

  it("gives the date, hour and start of day on a zone's clocks", () => {
    const instant = new Date("2026-11-23T10:30:00Z");
    expect(localDate("Asia/Shanghai", instant)).toBe("2026-11-23");
    expect(localDate(EAST, instant)).toBe("2026-11-24");
    expect(localDate(WEST, instant)).toBe("2026-11-22");
    expect(localHour("Asia/Shanghai", instant)).toBe(18);
    expect(startOfLocalDay("Asia/Shanghai", instant).toISOString()).toBe("2026-11-22T16:00:00.000Z");
    expect(startOfLocalDay("Asia/Shanghai", instant, 1).toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(midnightOf("Asia/Shanghai", "2026-01-05").toISOString()).toBe("2026-01-04T16:00:00.000Z");
  });

  it("counts days in local midnights across daylight saving", () => {
    // Berlin springs forward on 2026-03-29: that day has 23 hours.
    const saturday = new Date("2026-03-28T12:00:00Z");
    expect(startOfLocalDay("Europe/Berlin", saturday, 1).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfLocalDay("Europe/Berlin", saturday, 2).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    // A wall-clock time is read with the offset in force then.
    expect(zonedInstant(Date.UTC(2026, 2, 28, 9), "Europe/Berlin").toISOString()).toBe("2026-03-28T08:00:00.000Z");
    expect(zonedInstant(Date.UTC(2026, 2, 30, 9), "Europe/Berlin").toISOString()).toBe("2026-03-30T07:00:00.000Z");
  });
});

describe("a workspace's time zone", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  interface Workspace {
    timeZone: string | null;
    effectiveTimeZone: string;
    version: number;
  }
  const workspace = async () => (await api(t.app, owner).get("/api/v1/workspace")).json<Workspace>();
  const setZone = async (timeZone: string | null) => {
    const res = await api(t.app, owner).patch("/api/v1/workspace", { version: (await workspace()).version, timeZone });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Workspace>();
  };

  it("follows the server's until one is set, and refuses a zone it does not know, changing nothing", async () => {
    expect(await workspace()).toMatchObject({ timeZone: null, effectiveTimeZone: serverZone(), serverTimeZone: serverZone() });
    const before = await workspace();
    for (const [locale, text] of [
      ["zh-CN", "未知时区"],
      ["en-US", "Unknown time zone"],
    ] as const) {
      const res = await api(t.app, owner, locale).patch("/api/v1/workspace", { version: before.version, timeZone: "GMT+8" });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(text);
    }
    expect(await workspace()).toEqual(before);
    expect(await setZone(EAST)).toMatchObject({ timeZone: EAST, effectiveTimeZone: EAST });
    expect(await setZone(null)).toMatchObject({ timeZone: null, effectiveTimeZone: serverZone() });
  });

  it("dates orders, quotes and customer codes by the workspace's calendar", async () => {
    const settings = (await api(t.app, owner).get("/api/v1/customer-settings")).json<{ version: number }>();
    const patched = await api(t.app, owner).patch("/api/v1/customer-settings", { version: settings.version, codePattern: "K{YY}{MM}{DD}-{SEQ:3}" });
    expect(patched.statusCode, patched.body).toBe(200);
    const customer = async () => {
      const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: `时区测试${Math.random().toString(36).slice(2, 8)}有限公司` });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; code: string }>();
    };
    const documents = async (customerId: string) => {
      const lines = [{ name: "服务费", quantity: "1", unitPrice: "100", taxRate: "0" }];
      const order = await api(t.app, owner).post("/api/v1/orders", { customerId, lines });
      const quote = await api(t.app, owner).post("/api/v1/quotes", { customerId, lines });
      expect(order.statusCode, order.body).toBe(201);
      expect(quote.statusCode, quote.body).toBe(201);
      return { orderDate: order.json<{ orderDate: string }>().orderDate, quoteDate: quote.json<{ quoteDate: string }>().quoteDate };
    };
    const code = (date: string) => `K${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}-`;

    const seen: string[] = [];
    for (const zone of [EAST, WEST]) {
      await setZone(zone);
      // The day may turn while the records are written; what was stored must be the day before or after.
      const today = localDate(zone);
      const c = await customer();
      const docs = await documents(c.id);
      const after = localDate(zone);
      expect([today, after]).toContain(docs.orderDate);
      expect([today, after]).toContain(docs.quoteDate);
      expect([code(today), code(after)]).toContain(c.code.slice(0, 8));
      seen.push(docs.orderDate);
    }
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("counts instants (new customers, leads) in the period of the workspace's calendar", async () => {
    const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "跨月客户有限公司" });
    expect(res.statusCode, res.body).toBe(201);
    const lead = await api(t.app, owner).post("/api/v1/leads", { name: "跨月线索", company: "跨月公司" });
    expect(lead.statusCode, lead.body).toBe(201);
    // 12:00 UTC on 31 October 2025 (before the records the other tests make): 1 November 02:00 at UTC+14, 31 October 01:00 at UTC−11.
    await withTenant(t.database, { tenantId: owner.workspaceId, userId: null }, async (tx) => {
      await tx.execute(sql`update customers set created_at = '2025-10-31T12:00:00Z' where id = ${res.json<{ id: string }>().id}`);
      await tx.execute(sql`update leads set created_at = '2025-10-31T12:00:00Z' where id = ${lead.json<{ id: string }>().id}`);
    });
    const newCustomers = async (on: string) => {
      const board = await api(t.app, owner).get(`/api/v1/targets/leaderboard?metric=new_customers&periodType=month&on=${on}`);
      expect(board.statusCode, board.body).toBe(200);
      return board.json<{ items: { userId: string; actual: string }[] }>().items.find((i) => i.userId === owner.userId)?.actual;
    };
    const leadsIn = async (from: string, to: string) =>
      (await api(t.app, owner).get(`/api/v1/sales-dashboard?from=${from}&to=${to}`)).json<{ conversion: { leads: number } | null }>().conversion?.leads;
    await setZone(EAST);
    expect([await newCustomers("2025-10-15"), await newCustomers("2025-11-15")]).toEqual(["0", "1"]);
    expect([await leadsIn("2025-10-01", "2025-10-31"), await leadsIn("2025-11-01", "2025-11-30")]).toEqual([0, 1]);
    await setZone(WEST);
    expect([await newCustomers("2025-10-15"), await newCustomers("2025-11-15")]).toEqual(["1", "0"]);
    expect([await leadsIn("2025-10-01", "2025-10-31"), await leadsIn("2025-11-01", "2025-11-30")]).toEqual([1, 0]);
  });
});
