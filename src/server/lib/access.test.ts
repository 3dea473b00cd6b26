import { sql } from "drizzle-orm";
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../db/client.js";
import { loadAccess } from "../domains/workspaces/access.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../test/harness.js";
import { recordPolicy, scopeCovers, systemRolePermissions } from "./access.js";
import type { Ctx } from "./context.js";

// A business table as later domains will declare it: owner column + one-line policy.
const deals = pgTable("test_deals", { tenantId: uuid("tenant_id").notNull(), id: text("id").notNull(), ownerId: uuid("owner_id").notNull() });
const dealAccess = recordPolicy("deal", deals.ownerId);

describe("roles and permissions", () => {
  it("derives system role rights from object areas", () => {
    expect(systemRolePermissions("owner")).toContain("workspace:delete");
    expect(systemRolePermissions("admin")).not.toContain("workspace:delete");
    expect(systemRolePermissions("admin")).toContain("user:create");
    expect(systemRolePermissions("manager")).toContain("user:read");
    expect(systemRolePermissions("manager")).not.toContain("user:create");
    // Core objects (customers, contacts): sales work them but neither delete, restore nor see bank accounts.
    const sales = systemRolePermissions("sales");
    expect(sales).toEqual(expect.arrayContaining(["user:read", "customer:read", "customer:create", "customer:update", "customer:export", "contact:create"]));
    expect(sales).not.toEqual(expect.arrayContaining(["customer:delete"]));
    expect(sales.filter((p) => /:(delete|restore|view_bank)$/.test(p) || p.startsWith("role:") || p.startsWith("audit:"))).toEqual([]);
    expect(systemRolePermissions("manager")).toEqual(expect.arrayContaining(["customer:delete", "customer:view_bank", "customer:restore"]));
    expect(systemRolePermissions("read_only").filter((p) => !p.endsWith(":read"))).toEqual([]);
    expect(systemRolePermissions("read_only")).toEqual(expect.arrayContaining(["user:read", "customer:read", "contact:read"]));
  });

  it("matches token scopes", () => {
    expect(scopeCovers("*", "user:create")).toBe(true);
    expect(scopeCovers("*:read", "user:read")).toBe(true);
    expect(scopeCovers("*:read", "user:create")).toBe(false);
    expect(scopeCovers("user:*", "user:delete")).toBe(true);
    expect(scopeCovers("user:*", "team:read")).toBe(false);
    expect(scopeCovers("team:read", "team:read")).toBe(true);
  });
});

describe("authorization over HTTP", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  it("lets each role do exactly what it may", async () => {
    const sales = await addUser(t, owner, "sales");
    const manager = await addUser(t, owner, "manager");
    const readOnly = await addUser(t, owner, "read_only");
    const admin = await addUser(t, owner, "admin");
    const roles = (await api(t.app, owner).get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    const salesRole = roles.find((r) => r.key === "sales")!.id;
    const newUser = { email: `x${Date.now()}@example.com`, name: "X", roleId: salesRole };

    expect((await api(t.app, sales).get("/api/v1/users")).statusCode).toBe(200);
    const denied = await api(t.app, sales).post("/api/v1/users", newUser);
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ error: { code: string; details: { permission: string } } }>().error).toMatchObject({ code: "FORBIDDEN", details: { permission: "user:create" } });
    expect((await api(t.app, sales).get("/api/v1/audit-events")).statusCode).toBe(403);
    expect((await api(t.app, sales).get("/api/v1/roles")).statusCode).toBe(403);
    expect((await api(t.app, manager).get("/api/v1/roles")).statusCode).toBe(200);
    expect((await api(t.app, manager).post("/api/v1/teams", { name: "m" })).statusCode).toBe(403);
    expect((await api(t.app, readOnly).patch(`/api/v1/users/${sales.id}`, { version: 1, name: "no" })).statusCode).toBe(403);
    expect((await api(t.app, admin).post("/api/v1/users", newUser)).statusCode).toBe(201);
    expect((await api(t.app, admin).get("/api/v1/audit-events")).statusCode).toBe(200);
  });

  it("never lets an admin hand out the owner role, and keeps the last owner", async () => {
    const admin = await addUser(t, owner, "admin");
    const target = await addUser(t, owner, "sales");
    const roles = (await api(t.app, owner).get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    const ownerRole = roles.find((r) => r.key === "owner")!.id;
    const salesRole = roles.find((r) => r.key === "sales")!.id;
    const user = (await api(t.app, owner).get(`/api/v1/users/${target.id}`)).json<{ version: number }>();
    expect((await api(t.app, admin).patch(`/api/v1/users/${target.id}`, { version: user.version, roleId: ownerRole })).statusCode).toBe(403);
    const me = (await api(t.app, owner).get(`/api/v1/users/${owner.userId}`)).json<{ version: number }>();
    const res = await api(t.app, owner).patch(`/api/v1/users/${owner.userId}`, { version: me.version, roleId: salesRole });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/owner/);
  });

  it("narrows an API token to its scopes and never beyond the role", async () => {
    const token = (await api(t.app, owner).post("/api/v1/me/tokens", { name: "read only", scopes: ["*:read"] })).json<{ token: string }>().token;
    expect((await api(t.app, token).get("/api/v1/users")).statusCode).toBe(200);
    expect((await api(t.app, token).post("/api/v1/teams", { name: "via token" })).statusCode).toBe(403);
    const sales = await addUser(t, owner, "sales");
    const tooMuch = await api(t.app, sales).post("/api/v1/me/tokens", { name: "x", scopes: ["user:create"] });
    expect(tooMuch.statusCode).toBe(400);
    const wide = (await api(t.app, sales).post("/api/v1/me/tokens", { name: "wide", scopes: ["*"] })).json<{ token: string }>().token;
    expect((await api(t.app, wide).post("/api/v1/teams", { name: "nope" })).statusCode).toBe(403);
  });
});

describe("record visibility by owner, team and department", () => {
  let t: TestEnv;
  let owner: Session;
  const people: Record<string, Session & { id: string }> = {};

  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    const asOwner = api(t.app, owner);
    const sales = (await asOwner.post("/api/v1/departments", { name: "Sales" })).json<{ id: string }>();
    const east = (await asOwner.post("/api/v1/departments", { name: "East", parentId: sales.id })).json<{ id: string }>();
    const shanghai = (await asOwner.post("/api/v1/departments", { name: "Shanghai", parentId: east.id })).json<{ id: string }>();
    const service = (await asOwner.post("/api/v1/departments", { name: "Service" })).json<{ id: string }>();
    const team = (await asOwner.post("/api/v1/teams", { name: "Key accounts" })).json<{ id: string }>();
    people.salesHead = await addUser(t, owner, "manager", { departmentId: sales.id });
    people.eastHead = await addUser(t, owner, "manager", { departmentId: east.id });
    people.repEast = await addUser(t, owner, "sales", { departmentId: east.id, teamIds: [team.id] });
    people.repShanghai = await addUser(t, owner, "sales", { departmentId: shanghai.id });
    people.agent = await addUser(t, owner, "service", { departmentId: service.id, teamIds: [team.id] });
    people.agent2 = await addUser(t, owner, "service", { departmentId: service.id });

    await t.database.pool.query(
      "create table test_deals (tenant_id uuid not null, id text not null, owner_id uuid not null, primary key (tenant_id, id))",
    );
    await t.database.pool.query("alter table test_deals enable row level security; alter table test_deals force row level security");
    await t.database.pool.query(
      "create policy tenant_isolation on test_deals using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())",
    );
    await withTenant(t.database, { tenantId: owner.workspaceId }, async (tx) => {
      for (const [name, p] of Object.entries(people)) await tx.insert(deals).values({ tenantId: owner.workspaceId, id: name, ownerId: p.id });
      await tx.insert(deals).values({ tenantId: owner.workspaceId, id: "owner", ownerId: owner.userId });
    });
  });
  afterAll(async () => t?.close());

  async function visibleTo(who: Session & { id?: string }): Promise<string[]> {
    const access = (await loadAccess(t.database, owner.workspaceId, who.userId))!;
    const ctx = { tenantId: owner.workspaceId, userId: who.userId, visibility: access.visibility, departmentId: access.departmentId } as Ctx;
    const rows = await withTenant(t.database, ctx, (tx) => tx.select({ id: deals.id }).from(deals).where(dealAccess.visible(ctx)).orderBy(sql`1`));
    return rows.map((r) => r.id);
  }

  it("shows a sales rep only their own records", async () => {
    expect(await visibleTo(people.repEast!)).toEqual(["repEast"]);
  });

  it("shows a manager their department and every department below it", async () => {
    expect(await visibleTo(people.salesHead!)).toEqual(["eastHead", "repEast", "repShanghai", "salesHead"]);
    expect(await visibleTo(people.eastHead!)).toEqual(["eastHead", "repEast", "repShanghai"]);
  });

  it("shows a service agent their team's records", async () => {
    expect(await visibleTo(people.agent!)).toEqual(["agent", "repEast"]);
    expect(await visibleTo(people.agent2!)).toEqual(["agent2"]);
  });

  it("shows the owner everything", async () => {
    expect((await visibleTo(owner)).length).toBe(7);
  });

  it("follows a department move at once", async () => {
    const asOwner = api(t.app, owner);
    const depts = (await asOwner.get("/api/v1/departments")).json<{ items: { id: string; name: string; parentId: string | null; version: number }[] }>().items;
    const shanghai = depts.find((d) => d.name === "Shanghai")!;
    const service = depts.find((d) => d.name === "Service")!;
    const moved = await asOwner.patch(`/api/v1/departments/${shanghai.id}`, { version: shanghai.version, parentId: service.id });
    expect(moved.statusCode).toBe(200);
    expect(await visibleTo(people.eastHead!)).toEqual(["eastHead", "repEast"]);
    const east = depts.find((d) => d.name === "East")!;
    const cycle = await asOwner.patch(`/api/v1/departments/${depts.find((d) => d.name === "Sales")!.id}`, {
      version: 1,
      parentId: east.id,
    });
    expect(cycle.statusCode).toBe(400);
  });
});
