import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Api, type Session, type TestEnv } from "../test/harness.js";

/**
 * The list conventions (limit, cursor, sort, filter, q) on /api/v1/users,
 * over a workspace of 61 members: duplicate names, equal timestamps, three
 * departments states, two statuses, two roles.
 */

interface User {
  id: string;
  email: string;
  name: string;
  roleId: string;
  departmentId: string | null;
  status: "active" | "disabled";
  createdAt: string;
}
interface Page {
  items: User[];
  nextCursor: string | null;
}

// Twelve names, five people each: sorting by name is full of ties the id must break.
const NAMES = ["Bob Li", "bob li", "Chen Jing", "Dana Scully", "Émile Zola", "Fang Wei", "Zoe Zhang", "zhang san", "王芳", "张伟", "O'Brien", "Mary-Jane"];
const COUNT = 60;

let t: TestEnv;
let owner: Session;
let a: Api;
const tag = crypto.randomBytes(4).toString("hex");
let deptA: string;
let deptB: string;
let sales: string;
let service: string;
/** What we created, by index: the expectations of the filters. */
const created: (User & { i: number })[] = [];
let midpoint: string;

beforeAll(async () => {
  t = await startTestEnv();
  owner = await createWorkspace(t);
  a = api(t.app, owner, "en-US");
  const roles = (await a.get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
  sales = roles.find((r) => r.key === "sales")!.id;
  service = roles.find((r) => r.key === "service")!.id;
  deptA = (await a.post("/api/v1/departments", { name: "List A" })).json<{ id: string }>().id;
  deptB = (await a.post("/api/v1/departments", { name: "List B" })).json<{ id: string }>().id;

  // Ten at a time without passwords (no argon2; an invitation goes to the test SMTP server).
  for (let batch = 0; batch < COUNT / 10; batch++) {
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, k) => {
        const i = batch * 10 + k;
        return a.post("/api/v1/users", {
          email: `lst${String(i).padStart(2, "0")}.${tag}@example.com`,
          name: NAMES[i % NAMES.length]!,
          roleId: i % 2 ? service : sales,
          departmentId: i % 3 === 0 ? deptA : i % 3 === 1 ? deptB : null,
        });
      }),
    );
    res.forEach((r, k) => {
      expect(r.statusCode, r.body).toBe(201);
      created.push({ ...r.json<User>(), i: batch * 10 + k });
    });
    if (batch === 2) {
      await new Promise((r) => setTimeout(r, 15));
      midpoint = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 15));
    }
  }
  for (const u of created.filter((x) => x.i % 10 === 0)) {
    const res = await a.patch(`/api/v1/users/${u.id}`, { version: 1, status: "disabled" });
    expect(res.statusCode, res.body).toBe(200);
    u.status = "disabled";
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function page(query: string): Promise<Page> {
  const res = await a.get(`/api/v1/users?${query}`);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return res.json<Page>();
}

/** Follows nextCursor to the end; checks each page's size on the way. */
async function walk(query: string, limit?: number, from: string | null = null): Promise<{ ids: string[]; pages: number; items: User[] }> {
  const items: User[] = [];
  let cursor: string | null = from;
  let pages = 0;
  do {
    const parts = [query, limit ? `limit=${limit}` : "", cursor ? `cursor=${cursor}` : ""].filter(Boolean);
    const p: Page = await page(parts.join("&"));
    const size = limit ?? 50;
    expect(p.items.length).toBeLessThanOrEqual(size);
    if (p.nextCursor) expect(p.items.length).toBe(size);
    items.push(...p.items);
    cursor = p.nextCursor;
    pages++;
    expect(pages, "runaway pagination").toBeLessThanOrEqual(100);
  } while (cursor);
  return { ids: items.map((u) => u.id), pages, items };
}

const ids = (list: { id: string }[]) => list.map((u) => u.id).sort();
const enc = encodeURIComponent;

describe("sorting and cursor pagination", () => {
  const TOTAL = COUNT + 1; // and the owner

  it.each(["name", "-name", "email", "-email", "createdAt", "-createdAt"])(
    "sort=%s: pages of 7 and of the default 50 walk every user once, in the one-page order",
    async (sort) => {
      const full = await page(`sort=${sort}&limit=200`);
      expect(full.items).toHaveLength(TOTAL);
      expect(full.nextCursor).toBeNull();
      const all = full.items.map((u) => u.id);
      expect(new Set(all).size).toBe(TOTAL);
      expect(ids(full.items)).toEqual(ids([...created, { id: owner.userId }]));

      for (const limit of [7, undefined]) {
        const w = await walk(`sort=${sort}`, limit);
        expect(w.ids, `limit ${limit}`).toEqual(all);
        expect(w.pages).toBe(Math.ceil(TOTAL / (limit ?? 50)));
      }
    },
  );

  it("one user per page walks the whole list by name", async () => {
    const full = (await page("sort=name&limit=200")).items.map((u) => u.id);
    const w = await walk("sort=name", 1);
    expect(w.ids).toEqual(full);
    expect(w.pages).toBe(TOTAL);
  });

  it("a page size that divides the total ends without an empty page", async () => {
    // 61 = 61 × 1 is covered above; 60 users + owner filtered to the 60 we made: 6 pages of 10.
    const w = await walk(`filter=${enc(`email:contains:.${tag}@`)}&sort=email`, 10);
    expect(w.ids).toHaveLength(60);
    expect(w.pages).toBe(6);
  });

  it.each(["name", "email", "createdAt"])("descending %s is the exact reverse of ascending", async (field) => {
    const asc = (await walk(`sort=${field}`, 9)).ids;
    const desc = (await walk(`sort=-${field}`, 9)).ids;
    expect(desc).toEqual([...asc].reverse());
  });

  it("the default order is by name", async () => {
    expect((await walk("", 8)).ids).toEqual((await page("sort=name&limit=200")).items.map((u) => u.id));
    // And a cursor of the default sort is a cursor of sort=name.
    const first = await page("limit=5");
    const next = await page(`sort=name&limit=5&cursor=${first.nextCursor}`);
    const byName = (await page("sort=name&limit=10")).items.map((u) => u.id);
    expect([...first.items, ...next.items].map((u) => u.id)).toEqual(byName);
  });

  it("ties are broken by id: equal names sit together, ids ascending", async () => {
    const list = (await page("sort=name&limit=200")).items;
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const u = list[i]!;
      if (i > 0 && list[i - 1]!.name === u.name) expect(u.id > list[i - 1]!.id, `${u.name}`).toBe(true);
      else {
        expect(seen.has(u.name), `${u.name} appears in two runs`).toBe(false);
        seen.add(u.name);
      }
    }
    for (const name of NAMES) expect(list.filter((u) => u.name === name)).toHaveLength(5);
  });

  it("createdAt order is chronological, ties by id", async () => {
    const list = (await page("sort=createdAt&limit=200")).items;
    for (let i = 1; i < list.length; i++) {
      const [p, c] = [list[i - 1]!, list[i]!];
      expect(p.createdAt < c.createdAt || (p.createdAt === c.createdAt && p.id < c.id), `${i}`).toBe(true);
    }
    // Ten users were created at once per batch: some share a millisecond, so the tie-break mattered.
    expect(new Set(list.map((u) => u.createdAt)).size).toBeLessThanOrEqual(list.length);
  });

  it("email order matches a byte-order sort of these ASCII addresses", async () => {
    const list = (await page(`sort=email&limit=200&filter=${enc(`email:contains:.${tag}@`)}`)).items.map((u) => u.email);
    expect(list).toEqual(created.map((u) => u.email).sort());
  });

  it("keyset pages stay stable when rows are added before the cursor or removed after it", async () => {
    const late = await a.post("/api/v1/users", { email: `zzz.${tag}@example.com`, name: "zzzz Late", roleId: sales });
    expect(late.statusCode, late.body).toBe(201);
    const lateId = late.json<{ id: string }>().id;
    const first = await page("sort=name&limit=10");
    expect(first.items.map((u) => u.id)).not.toContain(lateId);
    // Sorts before everything on page one: with offsets it would push a row onto page two again.
    const early = await a.post("/api/v1/users", { email: `aaa.${tag}@example.com`, name: "Aaaa Early", roleId: sales });
    expect(early.statusCode, early.body).toBe(201);
    const earlyId = early.json<{ id: string }>().id;
    // Leaves from a later page: with offsets a row would be skipped.
    expect((await a.del(`/api/v1/users/${lateId}`)).statusCode).toBe(204);
    try {
      const rest = await walk("sort=name", 10, first.nextCursor);
      const seen = [...first.items.map((u) => u.id), ...rest.ids];
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).not.toContain(earlyId);
      expect(seen).not.toContain(lateId);
      expect(ids(seen.map((id) => ({ id })))).toEqual(ids([...created, { id: owner.userId }]));
    } finally {
      expect((await a.del(`/api/v1/users/${earlyId}`)).statusCode).toBe(204);
    }
  });

  it("a cursor of one sort is refused by another (400), in both languages", async () => {
    const byName = await page("sort=name&limit=3");
    const byEmail = await page("sort=-email&limit=3");
    for (const [cursor, sort] of [
      [byName.nextCursor, "email"],
      [byName.nextCursor, "-name"],
      [byName.nextCursor, "createdAt"],
      [byEmail.nextCursor, "email"],
      [byEmail.nextCursor, "name"],
    ] as const) {
      for (const [lang, message] of [
        ["en-US", "The page cursor is invalid"],
        ["zh-CN", "分页游标无效"],
      ] as const) {
        const res = await api(t.app, owner, lang).get(`/api/v1/users?sort=${sort}&cursor=${cursor}`);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: "VALIDATION", message });
      }
    }
  });
});

describe("filters", () => {
  const mine = () => created;

  it("eq on text is exact (case-sensitive)", async () => {
    const w = await walk(`filter=${enc("name:eq:Zoe Zhang")}`, 2);
    expect(ids(w.items)).toEqual(ids(mine().filter((u) => u.name === "Zoe Zhang")));
    expect(w.items.every((u) => u.name === "Zoe Zhang")).toBe(true);
    expect(ids((await page(`filter=${enc("name:eq:bob li")}`)).items)).toEqual(ids(mine().filter((u) => u.name === "bob li")));
    expect(ids((await page(`filter=${enc("name:eq:王芳")}`)).items)).toEqual(ids(mine().filter((u) => u.name === "王芳")));
    expect((await page(`filter=${enc("name:eq:Zoe")}`)).items).toEqual([]);
  });

  it("eq on enum and uuid fields", async () => {
    expect(ids((await page("filter=status:eq:disabled")).items)).toEqual(ids(mine().filter((u) => u.status === "disabled")));
    expect(ids((await page(`filter=roleId:eq:${service}&limit=200`)).items)).toEqual(ids(mine().filter((u) => u.roleId === service)));
    expect(ids((await page(`filter=departmentId:eq:${deptA}&limit=200`)).items)).toEqual(ids(mine().filter((u) => u.departmentId === deptA)));
    // uuids match whatever their case.
    expect(ids((await page(`filter=departmentId:eq:${deptA.toUpperCase()}&limit=200`)).items)).toHaveLength(20);
  });

  it("ne", async () => {
    const active = await walk("filter=status:ne:disabled", 20);
    expect(ids(active.items)).toEqual(ids([...mine().filter((u) => u.status !== "disabled"), { id: owner.userId }]));
    expect(active.items).toHaveLength(COUNT + 1 - 6);
    const notSales = (await page(`filter=roleId:ne:${sales}&limit=200`)).items;
    expect(ids(notSales)).toEqual(ids([...mine().filter((u) => u.roleId !== sales), { id: owner.userId }]));
  });

  it("in", async () => {
    const both = await walk(`filter=departmentId:in:${deptA}|${deptB}`, 15);
    expect(ids(both.items)).toEqual(ids(mine().filter((u) => u.departmentId !== null)));
    expect(both.items).toHaveLength(40);
    expect((await page("filter=status:in:active|disabled&limit=200")).items).toHaveLength(COUNT + 1);
    const names = (await page(`filter=${enc("name:in:Fang Wei|张伟|nobody")}&limit=200`)).items;
    expect(ids(names)).toEqual(ids(mine().filter((u) => u.name === "Fang Wei" || u.name === "张伟")));
  });

  it("contains is case-insensitive and treats % and _ as characters", async () => {
    const zhang = await walk("filter=name:contains:ZHANG", 4);
    expect(ids(zhang.items)).toEqual(ids(mine().filter((u) => u.name.toLowerCase().includes("zhang"))));
    expect(zhang.items).toHaveLength(10);
    expect(ids((await page(`filter=${enc("name:contains:'Br")}`)).items)).toEqual(ids(mine().filter((u) => u.name === "O'Brien")));
    expect((await page(`filter=${enc("name:contains:%")}`)).items).toEqual([]);
    expect((await page(`filter=${enc("name:contains:_")}`)).items).toEqual([]);
    expect((await page(`filter=${enc("email:contains:lst0")}&limit=200`)).items).toHaveLength(10);
  });

  it("gte / lt / lte / gt on createdAt split the list at a moment", async () => {
    const later = await walk(`filter=${enc(`createdAt:gte:${midpoint}`)}`, 6);
    const expected = mine().filter((u) => u.createdAt >= midpoint);
    expect(expected).toHaveLength(30);
    expect(ids(later.items)).toEqual(ids(expected));
    const earlier = (await page(`filter=${enc(`createdAt:lt:${midpoint}`)}&limit=200`)).items;
    expect(earlier).toHaveLength(COUNT + 1 - 30);
    expect(new Set([...ids(earlier), ...ids(later.items)]).size).toBe(COUNT + 1);
    // Bounds on both sides at once.
    const first = mine().reduce((m, u) => (u.createdAt < m ? u.createdAt : m), "9");
    const window = (await page(`filter=${enc(`createdAt:gt:${first}`)}&filter=${enc(`createdAt:lte:${midpoint}`)}&limit=200`)).items;
    expect(ids(window)).toEqual(ids(mine().filter((u) => u.createdAt > first && u.createdAt <= midpoint)));
  });

  it("null (and null:false)", async () => {
    const none = await walk("filter=departmentId:null", 8);
    expect(ids(none.items)).toEqual(ids([...mine().filter((u) => u.departmentId === null), { id: owner.userId }]));
    const some = (await page("filter=departmentId:null:false&limit=200")).items;
    expect(ids(some)).toEqual(ids(mine().filter((u) => u.departmentId !== null)));
  });

  it("several filters are ANDed, and hold across pages and sorts", async () => {
    const query = `filter=departmentId:eq:${deptA}&filter=status:eq:active&filter=${enc("name:contains:a")}`;
    const expected = mine().filter((u) => u.departmentId === deptA && u.status === "active" && u.name.toLowerCase().includes("a"));
    expect(expected.length).toBeGreaterThan(3);
    for (const sort of ["name", "-createdAt", "email"]) {
      const w = await walk(`${query}&sort=${sort}`, 3);
      expect(ids(w.items), sort).toEqual(ids(expected));
      expect(new Set(w.ids).size).toBe(w.ids.length);
    }
  });
});

describe("q search", () => {
  it("matches name or e-mail, case-insensitively, and pages", async () => {
    const w = await walk("q=ZHANG", 3);
    expect(ids(w.items)).toEqual(ids(created.filter((u) => u.name.toLowerCase().includes("zhang"))));
    const byEmail = await page(`q=${enc(`lst07.${tag}`)}`);
    expect(byEmail.items.map((u) => u.email)).toEqual([`lst07.${tag}@example.com`]);
    const chinese = await page(`q=${enc("张")}`);
    expect(ids(chinese.items)).toEqual(ids(created.filter((u) => u.name.includes("张"))));
    expect((await page("q=nobody-by-this-name")).items).toEqual([]);
    // Blank q is no search.
    expect((await page("q=%20%20&limit=200")).items).toHaveLength(COUNT + 1);
  });

  it("combines with filters and sort", async () => {
    const w = await walk(`q=li&filter=status:eq:active&sort=-email`, 2);
    const expected = created.filter((u) => u.status === "active" && (u.name.toLowerCase().includes("li") || u.email.includes("li")));
    expect(ids(w.items)).toEqual(ids(expected));
    const emails = w.items.map((u) => u.email);
    expect(emails).toEqual([...emails].sort().reverse());
  });

  it("treats % and _ in q as characters, like the contains filter", async () => {
    expect((await page(`q=${enc("%")}`)).items).toEqual([]);
    expect((await page(`q=${enc("_")}`)).items).toEqual([]);
    expect((await page(`q=${enc("b_b")}`)).items).toEqual([]);
  });
});
