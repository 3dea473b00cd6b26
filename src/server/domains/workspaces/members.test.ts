import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, login, PASSWORD, startTestEnv, uniqueEmail, type Session, type TestEnv } from "../../test/harness.js";

describe("GET /api/v1/users/names", () => {
  let t: TestEnv;
  let owner: Session;
  let other: Session;
  let clerk: Session;
  const members: { id: string; name: string }[] = [];
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    other = await createWorkspace(t);
    // A role that may read customers but not the user directory.
    const role = await api(t.app, owner).post("/api/v1/roles", { key: "clerk", name: "Clerk", permissions: ["customer:read"], visibility: "all" });
    expect(role.statusCode).toBe(201);
    for (let i = 0; i < 5; i++) {
      const res = await api(t.app, owner).post("/api/v1/users", {
        email: uniqueEmail("member"),
        name: `成员 ${String(i).padStart(3, "0")}`,
        ...(i === 0 ? { password: PASSWORD } : {}),
        roleId: role.json<{ id: string }>().id,
      });
      expect(res.statusCode).toBe(201);
      members.push(res.json<{ id: string; name: string }>());
    }
    clerk = await login(t.app, (await api(t.app, owner).get(`/api/v1/users/${members[0]!.id}`)).json<{ email: string }>().email);
  });
  afterAll(async () => t?.close());

  it("names any members, for a role without user:read; other workspaces' users are left out", async () => {
    expect((await api(t.app, clerk).get("/api/v1/users")).statusCode).toBe(403);
    const wanted = [members[1]!, members[3]!, members[4]!];
    const res = await api(t.app, clerk).get(`/api/v1/users/names?ids=${[...wanted.map((m) => m.id), other.userId, crypto.randomUUID()].join(",")}`);
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { id: string; name: string; status: string }[] }>().items;
    expect(items.map((i) => [i.id, i.name, i.status]).sort()).toEqual(wanted.map((m) => [m.id, m.name, "active"]).sort());
    // The other workspace sees its own owner, not ours.
    const theirs = (await api(t.app, other).get(`/api/v1/users/names?ids=${other.userId},${members[3]!.id}`)).json<{ items: { id: string }[] }>().items;
    expect(theirs.map((i) => i.id)).toEqual([other.userId]);
  });

  it("refuses bad ids, more than 100, and anonymous callers", async () => {
    const bad = await api(t.app, clerk, "zh-CN").get("/api/v1/users/names?ids=not-a-uuid");
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe("VALIDATION");
    expect((await api(t.app, clerk).get(`/api/v1/users/names?ids=${Array.from({ length: 101 }, () => crypto.randomUUID()).join(",")}`)).statusCode).toBe(400);
    expect((await api(t.app, clerk).get("/api/v1/users/names")).statusCode).toBe(400);
    expect((await api(t.app, null).get(`/api/v1/users/names?ids=${members[0]!.id}`)).statusCode).toBe(401);
  });
});
