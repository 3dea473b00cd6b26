import crypto from "node:crypto";
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, login, PASSWORD, startTestEnv, uniqueEmail, type Session, type TestEnv } from "../../test/harness.js";

/**
 * Every mutation leaves one event in the audit trail, written in its own
 * transaction: who, what, when, from where, with before/after of each field.
 */

interface AuditEvent {
  id: number;
  occurredAt: string;
  actorUserId: string | null;
  actorName: string | null;
  actorType: "user" | "api_token" | "system";
  action: string;
  objectType: string;
  objectId: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  data: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}
interface Page {
  items: AuditEvent[];
  nextCursor: string | null;
}
type Res = Awaited<ReturnType<TestEnv["app"]["inject"]>>;

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv({ GUANXI_LOGIN_IP_LIMIT: "100000" });
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
interface Call {
  res: Res;
  requestId: string;
  ip: string;
  userAgent: string;
}

/** One request from its own address and user agent, so the event can be matched to it exactly. */
async function call(
  auth: Session | string | null,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<Call> {
  const n = ++seq;
  const ip = `203.0.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  const userAgent = `audit-test/${n} (${crypto.randomBytes(3).toString("hex")})`;
  const authHeaders: Record<string, string> =
    auth === null ? {} : typeof auth === "string" ? { authorization: `Bearer ${auth}` } : { cookie: auth.cookie };
  const res = await t.app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { "user-agent": userAgent, "accept-language": "en-US", ...authHeaders, ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  const requestId = res.headers["x-request-id"];
  expect(typeof requestId).toBe("string");
  return { res, requestId: requestId as string, ip, userAgent };
}

async function events(reader: Session, query = ""): Promise<Page> {
  const res = await api(t.app, reader).get(`/api/v1/audit-events${query ? `?${query}` : ""}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

/** Every event of the reader's workspace (a few hundred at most here), newest first. */
async function allEvents(reader: Session): Promise<AuditEvent[]> {
  return (await events(reader, "limit=200")).items;
}

/** The one event with `action` written by the request of `c`, checked against the request. */
async function eventOf(
  reader: Session,
  c: Call,
  expected: { action: string; objectType: string; objectId: string; actorUserId: string; actorType?: AuditEvent["actorType"] },
): Promise<AuditEvent> {
  const page = await events(reader, `filter=requestId:eq:${encodeURIComponent(c.requestId)}&limit=200`);
  const matching = page.items.filter((e) => e.action === expected.action);
  expect(matching, `${expected.action} among ${JSON.stringify(page.items.map((e) => e.action))}`).toHaveLength(1);
  const e = matching[0]!;
  expect(e).toMatchObject({
    action: expected.action,
    objectType: expected.objectType,
    objectId: expected.objectId,
    actorUserId: expected.actorUserId,
    actorType: expected.actorType ?? "user",
    requestId: c.requestId,
    ip: c.ip,
    userAgent: c.userAgent,
  });
  // Bookkeeping never shows up as a change.
  for (const k of ["version", "updatedAt", "createdAt"]) expect(e.changes).not.toHaveProperty(k);
  expect(Date.now() - new Date(e.occurredAt).getTime()).toBeLessThan(60_000);
  return e;
}

async function roleId(s: Session, key: string): Promise<string> {
  const roles = (await api(t.app, s).get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
  const r = roles.find((x) => x.key === key);
  if (!r) throw new Error(`no role ${key}`);
  return r.id;
}

describe("audit events of workspace administration", () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await createWorkspace(t);
  });

  it("users: POST, PATCH, DELETE", async () => {
    const sales = await roleId(owner, "sales");
    const manager = await roleId(owner, "manager");
    const email = uniqueEmail("audited");
    const created = await call(owner, "POST", "/api/v1/users", { email, name: "Audited Person", roleId: sales });
    expect(created.res.statusCode, created.res.body).toBe(201);
    const id = created.res.json<{ id: string }>().id;
    const ce = await eventOf(owner, created, { action: "user.created", objectType: "user", objectId: id, actorUserId: owner.userId });
    expect(ce.changes.email).toEqual({ before: null, after: email });
    expect(ce.changes.name).toEqual({ before: null, after: "Audited Person" });
    expect(ce.changes.roleId).toEqual({ before: null, after: sales });
    expect(ce.actorName).toBe("Owner");

    const patched = await call(owner, "PATCH", `/api/v1/users/${id}`, { name: "Audited Renamed", roleId: manager }, { "if-match": '"1"' });
    expect(patched.res.statusCode, patched.res.body).toBe(200);
    const pe = await eventOf(owner, patched, { action: "user.updated", objectType: "user", objectId: id, actorUserId: owner.userId });
    expect(pe.changes.name).toEqual({ before: "Audited Person", after: "Audited Renamed" });
    expect(pe.changes.roleId).toEqual({ before: sales, after: manager });
    expect(pe.changes.roleKey).toEqual({ before: "sales", after: "manager" });
    // Only what changed.
    expect(Object.keys(pe.changes).sort()).toEqual(["name", "roleId", "roleKey", "roleName"]);

    const deleted = await call(owner, "DELETE", `/api/v1/users/${id}`);
    expect(deleted.res.statusCode, deleted.res.body).toBe(204);
    const de = await eventOf(owner, deleted, { action: "user.removed", objectType: "user", objectId: id, actorUserId: owner.userId });
    expect(de.changes.name).toEqual({ before: "Audited Renamed", after: null });
    expect(de.changes.email).toEqual({ before: email, after: null });
  });

  it("roles: POST, PATCH, DELETE", async () => {
    const key = `audit_${crypto.randomBytes(3).toString("hex")}`;
    const created = await call(owner, "POST", "/api/v1/roles", { key, name: "Auditor", permissions: ["user:read"], visibility: "own" });
    expect(created.res.statusCode, created.res.body).toBe(201);
    const id = created.res.json<{ id: string }>().id;
    const ce = await eventOf(owner, created, { action: "role.created", objectType: "role", objectId: id, actorUserId: owner.userId });
    expect(ce.changes.key).toEqual({ before: null, after: key });
    expect(ce.changes.name).toEqual({ before: null, after: "Auditor" });
    expect(ce.changes.permissions).toEqual({ before: null, after: ["user:read"] });

    const renamed = await call(owner, "PATCH", `/api/v1/roles/${id}`, { version: 1, name: "Chief Auditor" });
    expect(renamed.res.statusCode, renamed.res.body).toBe(200);
    const re = await eventOf(owner, renamed, { action: "role.updated", objectType: "role", objectId: id, actorUserId: owner.userId });
    expect(re.changes).toEqual({ name: { before: "Auditor", after: "Chief Auditor" } });

    const widened = await call(owner, "PATCH", `/api/v1/roles/${id}`, { version: 2, permissions: ["user:read", "team:read"], visibility: "team" });
    expect(widened.res.statusCode, widened.res.body).toBe(200);
    const we = await eventOf(owner, widened, { action: "role.updated", objectType: "role", objectId: id, actorUserId: owner.userId });
    expect(we.changes).toEqual({
      permissions: { before: ["user:read"], after: ["team:read", "user:read"] },
      visibility: { before: "own", after: "team" },
    });

    const deleted = await call(owner, "DELETE", `/api/v1/roles/${id}`);
    expect(deleted.res.statusCode, deleted.res.body).toBe(204);
    const de = await eventOf(owner, deleted, { action: "role.deleted", objectType: "role", objectId: id, actorUserId: owner.userId });
    expect(de.changes.name).toEqual({ before: "Chief Auditor", after: null });
  });

  it("departments: POST, PATCH (rename and move), DELETE", async () => {
    const parent = await call(owner, "POST", "/api/v1/departments", { name: "Audit HQ" });
    expect(parent.res.statusCode).toBe(201);
    const parentId = parent.res.json<{ id: string }>().id;
    await eventOf(owner, parent, { action: "department.created", objectType: "department", objectId: parentId, actorUserId: owner.userId });

    const created = await call(owner, "POST", "/api/v1/departments", { name: "Audit East" });
    const id = created.res.json<{ id: string }>().id;
    const ce = await eventOf(owner, created, { action: "department.created", objectType: "department", objectId: id, actorUserId: owner.userId });
    expect(ce.changes.name).toEqual({ before: null, after: "Audit East" });
    expect(ce.changes.parentId).toBeUndefined(); // null before and after: no change

    const renamed = await call(owner, "PATCH", `/api/v1/departments/${id}`, { name: "Audit West" }, { "if-match": '"1"' });
    expect(renamed.res.statusCode, renamed.res.body).toBe(200);
    const re = await eventOf(owner, renamed, { action: "department.updated", objectType: "department", objectId: id, actorUserId: owner.userId });
    expect(re.changes).toEqual({ name: { before: "Audit East", after: "Audit West" } });

    const moved = await call(owner, "PATCH", `/api/v1/departments/${id}`, { parentId }, { "if-match": '"2"' });
    expect(moved.res.statusCode, moved.res.body).toBe(200);
    const me = await eventOf(owner, moved, { action: "department.updated", objectType: "department", objectId: id, actorUserId: owner.userId });
    expect(me.changes.parentId).toEqual({ before: null, after: parentId });
    expect(me.changes.path).toEqual({ before: `/${id}/`, after: `/${parentId}/${id}/` });

    const deleted = await call(owner, "DELETE", `/api/v1/departments/${id}`);
    expect(deleted.res.statusCode, deleted.res.body).toBe(204);
    const de = await eventOf(owner, deleted, { action: "department.deleted", objectType: "department", objectId: id, actorUserId: owner.userId });
    expect(de.changes.name).toEqual({ before: "Audit West", after: null });
  });

  it("teams: POST, PATCH (rename gives changes.name = {before, after}), DELETE", async () => {
    const created = await call(owner, "POST", "/api/v1/teams", { name: "Audit Squad", description: "first" });
    expect(created.res.statusCode, created.res.body).toBe(201);
    const id = created.res.json<{ id: string }>().id;
    const ce = await eventOf(owner, created, { action: "team.created", objectType: "team", objectId: id, actorUserId: owner.userId });
    expect(ce.changes.name).toEqual({ before: null, after: "Audit Squad" });
    expect(ce.changes.description).toEqual({ before: null, after: "first" });

    const renamed = await call(owner, "PATCH", `/api/v1/teams/${id}`, { version: 1, name: "Audit Crew" });
    expect(renamed.res.statusCode, renamed.res.body).toBe(200);
    const re = await eventOf(owner, renamed, { action: "team.updated", objectType: "team", objectId: id, actorUserId: owner.userId });
    expect(re.changes).toEqual({ name: { before: "Audit Squad", after: "Audit Crew" } });

    const members = await call(owner, "PATCH", `/api/v1/teams/${id}`, { version: 2, memberIds: [owner.userId] });
    expect(members.res.statusCode, members.res.body).toBe(200);
    const me = await eventOf(owner, members, { action: "team.updated", objectType: "team", objectId: id, actorUserId: owner.userId });
    expect(me.changes).toEqual({ memberIds: { before: [], after: [owner.userId] } });

    const deleted = await call(owner, "DELETE", `/api/v1/teams/${id}`);
    expect(deleted.res.statusCode, deleted.res.body).toBe(204);
    const de = await eventOf(owner, deleted, { action: "team.deleted", objectType: "team", objectId: id, actorUserId: owner.userId });
    expect(de.changes.name).toEqual({ before: "Audit Crew", after: null });
  });

  it("workspace PATCH", async () => {
    const before = (await api(t.app, owner).get("/api/v1/workspace")).json<{ name: string; version: number }>();
    const patched = await call(owner, "PATCH", "/api/v1/workspace", { name: "Audited Workspace", defaultLocale: "zh-CN" }, { "if-match": `"${before.version}"` });
    expect(patched.res.statusCode, patched.res.body).toBe(200);
    const e = await eventOf(owner, patched, { action: "workspace.updated", objectType: "workspace", objectId: owner.workspaceId, actorUserId: owner.userId });
    expect(e.changes).toEqual({
      name: { before: before.name, after: "Audited Workspace" },
      defaultLocale: { before: "en-US", after: "zh-CN" },
    });
  });

  it("a caller-chosen x-request-id is echoed and recorded", async () => {
    const requestId = `trace-${crypto.randomBytes(6).toString("hex")}`;
    const c = await call(owner, "POST", "/api/v1/teams", { name: `Traced ${requestId}` }, { "x-request-id": requestId });
    expect(c.res.statusCode).toBe(201);
    expect(c.requestId).toBe(requestId);
    await eventOf(owner, c, { action: "team.created", objectType: "team", objectId: c.res.json<{ id: string }>().id, actorUserId: owner.userId });
  });

  // app.ts only trusts ids matching /^[\w.:-]{1,100}$/; anything else gets a fresh UUID.
  it.each([
    ["with a space and markup", "a b<script>"],
    ["of 500 characters", "x".repeat(500)],
    ["with a semicolon", "id;drop table events"],
  ])("an unsafe x-request-id (%s) is replaced, not echoed or stored", async (_label, unsafeId) => {
    const unsafe = await call(owner, "POST", "/api/v1/teams", { name: `Untraced ${crypto.randomUUID()}` }, { "x-request-id": unsafeId });
    expect(unsafe.res.statusCode).toBe(201);
    expect(unsafe.requestId).not.toBe(unsafeId);
    expect(unsafe.requestId).toMatch(/^[\w.:-]{1,100}$/);
    await eventOf(owner, unsafe, { action: "team.created", objectType: "team", objectId: unsafe.res.json<{ id: string }>().id, actorUserId: owner.userId });
  });

  it("a mutation with an API token is recorded as the token's user, actorType api_token, with the token id", async () => {
    const created = await api(t.app, owner).post("/api/v1/me/tokens", { name: "automation", scopes: ["*"] });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json<{ token: string; item: { id: string } }>();
    const c = await call(token, "POST", "/api/v1/teams", { name: "Made by a robot" });
    expect(c.res.statusCode, c.res.body).toBe(201);
    const e = await eventOf(owner, c, {
      action: "team.created",
      objectType: "team",
      objectId: c.res.json<{ id: string }>().id,
      actorUserId: owner.userId,
      actorType: "api_token",
    });
    expect(e.data.tokenId).toBe(item.id);
  });
});

describe("audit events of accounts and sessions", () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await createWorkspace(t);
  });

  it("POST /api/v1/workspaces: the new workspace's log has its creation and its owner", async () => {
    const name = `Second ${crypto.randomBytes(3).toString("hex")}`;
    const c = await call(owner, "POST", "/api/v1/workspaces", { name, defaultLocale: "en-US" });
    expect(c.res.statusCode, c.res.body).toBe(201);
    const wsId = c.res.json<{ id: string }>().id;

    // The events live in the new workspace, not in the one the request came from.
    const here = await events(owner, `filter=requestId:eq:${c.requestId}`);
    expect(here.items).toEqual([]);

    const other = await login(t.app, owner.email);
    const switched = await api(t.app, other).post("/api/v1/auth/switch-workspace", { workspaceId: wsId });
    expect(switched.statusCode, switched.body).toBe(200);
    other.workspaceId = wsId;
    const e = await eventOf(other, c, { action: "workspace.created", objectType: "workspace", objectId: wsId, actorUserId: owner.userId });
    expect(e.changes.name).toEqual({ before: null, after: name });
    const ownerEvent = await eventOf(other, c, { action: "user.created", objectType: "user", objectId: owner.userId, actorUserId: owner.userId });
    expect(ownerEvent.changes.roleKey).toEqual({ before: null, after: "owner" });

    // A change to the account is written to the log of each of its workspaces.
    const renamed = await call(owner, "PATCH", "/api/v1/me", { name: "Owner In Two Places" });
    expect(renamed.res.statusCode, renamed.res.body).toBe(200);
    for (const reader of [owner, other]) {
      const pe = await eventOf(reader, renamed, { action: "user.profile_updated", objectType: "user", objectId: owner.userId, actorUserId: owner.userId });
      expect(pe.changes.name).toEqual({ before: "Owner", after: "Owner In Two Places" });
    }
  });

  it("PATCH /me", async () => {
    const user = await addUser(t, owner, "sales", { name: "Profile Before" });
    const c = await call(user, "PATCH", "/api/v1/me", { name: "Profile After", locale: "zh-CN" });
    expect(c.res.statusCode, c.res.body).toBe(200);
    const e = await eventOf(owner, c, { action: "user.profile_updated", objectType: "user", objectId: user.id, actorUserId: user.id });
    expect(e.changes.name).toEqual({ before: "Profile Before", after: "Profile After" });
    expect(e.changes.locale).toEqual({ before: "en-US", after: "zh-CN" });
  });

  it("POST /me/password: recorded, the hash redacted and never stored in the log", async () => {
    const user = await addUser(t, owner, "sales");
    const newPassword = `New-${crypto.randomBytes(8).toString("hex")}`;
    const c = await call(user, "POST", "/api/v1/me/password", { currentPassword: PASSWORD, newPassword });
    expect(c.res.statusCode, c.res.body).toBe(204);
    const e = await eventOf(owner, c, { action: "user.password_changed", objectType: "user", objectId: user.id, actorUserId: user.id });
    expect(e.changes.passwordHash).toEqual({ before: "[redacted]", after: "[redacted]" });
    const { rows } = await t.database.pool.query<{ hash: string }>("select password_hash as hash from users where id = $1", [user.id]);
    const hash = rows[0]!.hash;
    expect(hash.length).toBeGreaterThan(20);
    const everything = JSON.stringify(await allEvents(owner));
    expect(everything).not.toContain(hash);
    expect(everything).not.toContain(newPassword);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toMatch(/\$argon2/);
  });

  it("POST and DELETE /me/tokens: recorded, the token itself never in the log", async () => {
    const created = await call(owner, "POST", "/api/v1/me/tokens", { name: "CI token", scopes: ["user:read"] });
    expect(created.res.statusCode, created.res.body).toBe(201);
    const { token, item } = created.res.json<{ token: string; item: { id: string } }>();
    const ce = await eventOf(owner, created, { action: "api_token.created", objectType: "api_token", objectId: item.id, actorUserId: owner.userId });
    expect(ce.changes.name).toEqual({ before: null, after: "CI token" });
    expect(ce.changes.scopes).toEqual({ before: null, after: ["user:read"] });
    expect(ce.changes.tokenHash).toEqual({ before: null, after: "[redacted]" });

    const revoked = await call(owner, "DELETE", `/api/v1/me/tokens/${item.id}`);
    expect(revoked.res.statusCode, revoked.res.body).toBe(204);
    const re = await eventOf(owner, revoked, { action: "api_token.revoked", objectType: "api_token", objectId: item.id, actorUserId: owner.userId });
    expect(re.changes.revokedAt?.before).toBeNull();
    expect(typeof re.changes.revokedAt?.after).toBe("string");
    expect(Object.keys(re.changes)).toEqual(["revokedAt"]);

    const everything = JSON.stringify(await allEvents(owner));
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(crypto.createHash("sha256").update(token).digest("hex"));
  });

  it("POST /auth/login and /auth/logout-all", async () => {
    const user = await addUser(t, owner, "sales");
    const c = await call(null, "POST", "/api/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(c.res.statusCode, c.res.body).toBe(200);
    await eventOf(owner, c, { action: "session.login", objectType: "user", objectId: user.id, actorUserId: user.id });

    const out = await call(user, "POST", "/api/v1/auth/logout-all");
    expect(out.res.statusCode, out.res.body).toBe(204);
    const e = await eventOf(owner, out, { action: "session.logout_all", objectType: "user", objectId: user.id, actorUserId: user.id });
    // The session of addUser and the one above.
    expect(e.data.ended).toBe(2);
  });

  it("POST /me/totp/enable: recorded, the secret never in the log", async () => {
    const user = await addUser(t, owner, "sales");
    const setup = await api(t.app, user).post("/api/v1/me/totp/setup");
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate();
    const c = await call(user, "POST", "/api/v1/me/totp/enable", { code });
    expect(c.res.statusCode, c.res.body).toBe(204);
    const e = await eventOf(owner, c, { action: "user.totp_enabled", objectType: "user", objectId: user.id, actorUserId: user.id });
    expect(e.changes.totpEnabled).toEqual({ before: false, after: true });
    expect(JSON.stringify(await allEvents(owner))).not.toContain(secret);
  });
});

describe("a failed mutation writes no event", () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await createWorkspace(t);
  });

  it("409s and 400s leave the log as it was", async () => {
    const a = api(t.app, owner);
    const sales = await roleId(owner, "sales");
    expect((await a.post("/api/v1/teams", { name: "Taken" })).statusCode).toBe(201);
    const role = await a.post("/api/v1/roles", { key: "in_use", name: "In use", permissions: [], visibility: "own" });
    const roleInUse = role.json<{ id: string }>().id;
    const dept = (await a.post("/api/v1/departments", { name: "Not empty" })).json<{ id: string }>().id;
    const member = await a.post("/api/v1/users", { email: uniqueEmail("held"), name: "Holder", roleId: roleInUse, departmentId: dept });
    expect(member.statusCode, member.body).toBe(201);
    const memberId = member.json<{ id: string }>().id;
    expect((await a.patch(`/api/v1/users/${memberId}`, { version: 1, name: "Holder 2" })).statusCode).toBe(200);
    const team = (await a.post("/api/v1/teams", { name: "Renamable" })).json<{ id: string }>().id;

    const before = await allEvents(owner);
    const failures: [Promise<Res>, number][] = [
      [a.post("/api/v1/teams", { name: "Taken" }), 409],
      [a.patch(`/api/v1/teams/${team}`, { version: 1, name: "Taken" }), 409],
      [a.del(`/api/v1/roles/${roleInUse}`), 409],
      [a.del(`/api/v1/departments/${dept}`), 409],
      [a.patch(`/api/v1/users/${memberId}`, { version: 1, name: "Stale" }), 409],
      [a.patch(`/api/v1/users/${owner.userId}`, { version: 1, status: "disabled" }), 409], // the last owner
      [a.post("/api/v1/roles", { key: "in_use", name: "Twice", permissions: [], visibility: "own" }), 409],
      [a.post("/api/v1/roles", { key: "bad_perm", name: "Bad", permissions: ["nope:nope"], visibility: "own" }), 400],
      [a.post("/api/v1/users", { email: uniqueEmail("x"), name: "No role", roleId: crypto.randomUUID() }), 400],
      [a.post("/api/v1/users", { email: uniqueEmail("x"), name: "No dept", roleId: sales, departmentId: crypto.randomUUID() }), 400],
      [a.post("/api/v1/teams", { name: "Ghost members", memberIds: [crypto.randomUUID()] }), 400],
      [a.patch(`/api/v1/departments/${dept}`, { version: 1, parentId: dept }), 400],
      [a.del(`/api/v1/users/${owner.userId}`), 400],
      [a.post("/api/v1/me/password", { currentPassword: "wrong password", newPassword: "Another-pass-123" }), 400],
      [a.post("/api/v1/me/tokens", { name: "too wide", scopes: ["nope:read"] }), 400],
      [a.patch("/api/v1/workspace", { version: 999, name: "Stale ws" }), 409],
    ];
    for (const [p, status] of failures) {
      const res = await p;
      expect(res.statusCode, res.body).toBe(status);
    }
    // Sequential to be sure each one ran on its own; then compare the whole log.
    const after = await allEvents(owner);
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));

    // A failed login writes nothing either.
    const bad = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: owner.email, password: "not the password" } });
    expect(bad.statusCode).toBe(401);
    expect((await allEvents(owner)).map((e) => e.id)).toEqual(before.map((e) => e.id));
  });

  it("a team whose member list is invalid is not created, and its event is not either", async () => {
    const a = api(t.app, owner);
    const before = await allEvents(owner);
    const res = await a.post("/api/v1/teams", { name: "Half made", memberIds: [owner.userId, crypto.randomUUID()] });
    expect(res.statusCode).toBe(400);
    const teams = (await a.get("/api/v1/teams")).json<{ items: { name: string }[] }>().items;
    expect(teams.map((x) => x.name)).not.toContain("Half made");
    expect((await allEvents(owner)).map((e) => e.id)).toEqual(before.map((e) => e.id));
  });
});

describe("reading the audit trail", () => {
  let owner: Session;
  let teamIds: string[];
  let midpoint: string;
  beforeAll(async () => {
    owner = await createWorkspace(t);
    const a = api(t.app, owner);
    teamIds = [];
    // 60 teams, ten at a time: many events share a millisecond, which the id must order.
    for (let batch = 0; batch < 6; batch++) {
      const res = await Promise.all(Array.from({ length: 10 }, (_, i) => a.post("/api/v1/teams", { name: `Paged ${batch}-${i}` })));
      for (const r of res) {
        expect(r.statusCode, r.body).toBe(201);
        teamIds.push(r.json<{ id: string }>().id);
      }
      if (batch === 2) {
        await new Promise((r) => setTimeout(r, 20));
        midpoint = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    expect((await a.post("/api/v1/departments", { name: "Paged department" })).statusCode).toBe(201);
    const roles = (await a.get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    expect((await a.patch(`/api/v1/teams/${teamIds[0]}`, { version: 1, name: "Paged renamed" })).statusCode).toBe(200);
    expect(roles.length).toBeGreaterThan(0);
  });

  it("filters: action:contains, objectType:eq, occurredAt:gte, and their combination", async () => {
    const all = await allEvents(owner);
    expect(all.length).toBeGreaterThan(60);

    const teamActions = (await events(owner, "filter=action:contains:team&limit=200")).items;
    expect(teamActions.length).toBe(61);
    expect(teamActions.every((e) => e.action.includes("team"))).toBe(true);
    expect(teamActions).toEqual(all.filter((e) => e.action.includes("team")));
    // contains is case-insensitive, and % is a character, not a wildcard.
    expect((await events(owner, "filter=action:contains:TEAM.UPD&limit=200")).items.map((e) => e.objectId)).toEqual([teamIds[0]]);
    expect((await events(owner, `filter=action:contains:${encodeURIComponent("%")}&limit=200`)).items).toEqual([]);

    const depts = (await events(owner, "filter=objectType:eq:department&limit=200")).items;
    expect(depts.map((e) => e.action)).toEqual(["department.created"]);
    const teams = (await events(owner, "filter=objectType:eq:team&limit=200")).items;
    expect(new Set(teams.map((e) => e.objectId))).toEqual(new Set(teamIds));

    const recent = (await events(owner, `filter=occurredAt:gte:${encodeURIComponent(midpoint)}&limit=200`)).items;
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((e) => e.occurredAt >= midpoint)).toBe(true);
    expect(recent).toEqual(all.filter((e) => e.occurredAt >= midpoint));
    // Teams of batches 3-5 (30) + the department + the rename.
    expect(recent.length).toBe(32);

    const both = (await events(owner, `filter=objectType:eq:team&filter=occurredAt:gte:${encodeURIComponent(midpoint)}&filter=action:contains:created&limit=200`)).items;
    expect(both).toHaveLength(30);
    expect(new Set(both.map((e) => e.objectId))).toEqual(new Set(teamIds.slice(30)));

    const byActor = (await events(owner, `filter=actorUserId:eq:${owner.userId}&limit=200`)).items;
    expect(byActor.length).toBe(all.filter((e) => e.actorUserId === owner.userId).length);
    const none = await events(owner, `filter=actorUserId:eq:${crypto.randomUUID()}`);
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it("newest first by default; cursor pages through >50 events with no duplicates or gaps", async () => {
    const all = await allEvents(owner);
    expect(all.length).toBeGreaterThan(50);
    // Newest first, ties broken by id.
    for (let i = 1; i < all.length; i++) {
      const [p, c] = [all[i - 1]!, all[i]!];
      expect(p.occurredAt > c.occurredAt || (p.occurredAt === c.occurredAt && p.id > c.id), `${i}`).toBe(true);
    }

    for (const limit of [undefined, 7, 50, 1]) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string[] = [];
        if (limit) q.push(`limit=${limit}`);
        if (cursor) q.push(`cursor=${cursor}`);
        const page: Page = await events(owner, q.join("&"));
        expect(page.items.length).toBeLessThanOrEqual(limit ?? 50);
        if (page.nextCursor) expect(page.items.length).toBe(limit ?? 50);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
        pages++;
        expect(pages).toBeLessThan(200);
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(all.map((e) => e.id));
      expect(new Set(seen).size).toBe(seen.length);
      // A full last page says so: no empty page at the end.
      expect(pages).toBe(Math.ceil(all.length / (limit ?? 50)));
    }
  });

  it("oldest first with sort=occurredAt, paged, is the exact reverse", async () => {
    const all = await allEvents(owner);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await events(owner, `sort=occurredAt&limit=9${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id).reverse());
  });

  it("a filter holds across pages", async () => {
    const expected = (await events(owner, "filter=action:eq:team.created&limit=200")).items.map((e) => e.id);
    expect(expected).toHaveLength(60);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await events(owner, `filter=action:eq:team.created&limit=11${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it("only the workspace's own events are listed", async () => {
    const stranger = await createWorkspace(t);
    const theirs = await allEvents(stranger);
    expect(theirs.length).toBeGreaterThan(0);
    const mine = new Set(teamIds);
    expect(theirs.filter((e) => mine.has(e.objectId))).toEqual([]);
    expect(theirs.every((e) => e.objectId !== owner.workspaceId)).toBe(true);
    const ours = await allEvents(owner);
    expect(ours.some((e) => e.objectId === stranger.workspaceId)).toBe(false);
  });

  it.each(["sales", "manager", "read_only", "service", "marketing"])("a %s user gets 403", async (role) => {
    const user = await addUser(t, owner, role);
    for (const lang of ["en-US", "zh-CN"]) {
      const res = await api(t.app, user, lang).get("/api/v1/audit-events");
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: "FORBIDDEN",
        message: lang === "en-US" ? "You do not have permission to do this" : "您没有执行此操作的权限",
      });
    }
  });

  it("an admin may read it; an anonymous caller may not", async () => {
    const admin = await addUser(t, owner, "admin");
    const res = await api(t.app, admin).get("/api/v1/audit-events?limit=5");
    expect(res.statusCode).toBe(200);
    expect(res.json<Page>().items).toHaveLength(5);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/audit-events" })).statusCode).toBe(401);
  });

  it("a token without audit:read in its scopes gets 403", async () => {
    const created = await api(t.app, owner).post("/api/v1/me/tokens", { name: "narrow", scopes: ["user:read"] });
    const { token } = created.json<{ token: string }>();
    expect((await api(t.app, token).get("/api/v1/audit-events")).statusCode).toBe(403);
    const wide = (await api(t.app, owner).post("/api/v1/me/tokens", { name: "audit", scopes: ["audit:read"] })).json<{ token: string }>().token;
    expect((await api(t.app, wide).get("/api/v1/audit-events")).statusCode).toBe(200);
  });
});
