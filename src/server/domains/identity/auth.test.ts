import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, login, PASSWORD, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

describe("sessions", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv({ GUANXI_LOCKOUT_ATTEMPTS: "3", GUANXI_LOGIN_IP_LIMIT: "1000" });
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  it("sets an httpOnly SameSite cookie and rotates the session on every login", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: owner.email, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/gx_session=[\w-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const first = cookie.split(";")[0]!;
    // Logging in again with the old cookie ends it.
    const again = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: owner.email, password: PASSWORD }, headers: { cookie: first } });
    const second = String(again.headers["set-cookie"]).split(";")[0]!;
    expect(second).not.toBe(first);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: first } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: second } })).statusCode).toBe(200);
  });

  it("logs out one session, or every session", async () => {
    const s1 = await login(t.app, owner.email);
    const s2 = await login(t.app, owner.email);
    expect((await api(t.app, s1).post("/api/v1/auth/logout")).statusCode).toBe(204);
    expect((await api(t.app, s1).get("/api/v1/auth/me")).statusCode).toBe(401);
    expect((await api(t.app, s2).get("/api/v1/auth/me")).statusCode).toBe(200);
    const s3 = await login(t.app, owner.email);
    expect((await api(t.app, s3).post("/api/v1/auth/logout-all")).statusCode).toBe(204);
    expect((await api(t.app, s2).get("/api/v1/auth/me")).statusCode).toBe(401);
    expect((await api(t.app, s3).get("/api/v1/auth/me")).statusCode).toBe(401);
    owner = await login(t.app, owner.email);
  });

  it("locks an account after repeated wrong passwords, even for the right one", async () => {
    const victim = await addUser(t, owner, "sales");
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: victim.email, password: "wrong-password-x" } });
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: victim.email, password: "wrong-password-x" }, headers: { "accept-language": "zh-CN" } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json<{ error: { message: string } }>().error.message).toMatch(/锁定/);
    const right = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: victim.email, password: PASSWORD } });
    expect(right.statusCode).toBe(429);
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?filter=action:eq:user.locked&filter=objectId:eq:${victim.userId}`)).json<{ items: { data: { failedAttempts: number } }[] }>();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]!.data.failedAttempts).toBe(3);
  });

  it("answers an unknown e-mail like a wrong password", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "nobody@example.com", password: "whatever-123" }, headers: { "accept-language": "en-US,en;q=0.9" } });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: "UNAUTHENTICATED", message: "Wrong e-mail or password" });
  });

  it("refuses a disabled member", async () => {
    const user = await addUser(t, owner, "sales");
    const current = (await api(t.app, owner).get(`/api/v1/users/${user.id}`)).json<{ version: number }>();
    expect((await api(t.app, owner).patch(`/api/v1/users/${user.id}`, { version: current.version, status: "disabled" })).statusCode).toBe(200);
    // The session ended and a new login has no workspace to enter.
    await new Promise((r) => setTimeout(r, 3100));
    expect((await api(t.app, user).get("/api/v1/auth/me")).statusCode).toBe(401);
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: user.email, password: PASSWORD } })).statusCode).toBe(401);
  });
});

describe("login rate limit by address", () => {
  it("throttles many attempts from one IP", async () => {
    const t = await startTestEnv({ GUANXI_LOGIN_IP_LIMIT: "5" });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        codes.push((await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: `n${i}@example.com`, password: "wrong-password-1" } })).statusCode);
      }
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(codes.slice(5)).toEqual([429, 429]);
    } finally {
      await t.close();
    }
  });
});

describe("two-factor, API tokens, password reset", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  it("requires a TOTP code once two-factor is on", async () => {
    const user = await addUser(t, owner, "sales");
    const setup = (await api(t.app, user).post("/api/v1/me/totp/setup")).json<{ secret: string; otpauthUrl: string }>();
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret) });
    expect((await api(t.app, user).post("/api/v1/me/totp/enable", { code: "000000" === totp.generate() ? "111111" : "000000" })).statusCode).toBe(400);
    expect((await api(t.app, user).post("/api/v1/me/totp/enable", { code: totp.generate() })).statusCode).toBe(204);
    const noCode = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: user.email, password: PASSWORD } });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json<{ error: { details: { totpRequired: boolean } } }>().error.details.totpRequired).toBe(true);
    const ok = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: user.email, password: PASSWORD, totpCode: totp.generate() } });
    expect(ok.statusCode).toBe(200);
    // The secret is encrypted at rest.
    const { rows } = await t.database.pool.query<{ totp_secret: string }>("select totp_secret from users where id = $1", [user.userId]);
    expect(rows[0]!.totp_secret).not.toContain(setup.secret);
    expect(rows[0]!.totp_secret.startsWith("v1.")).toBe(true);
  });

  it("authenticates with a bearer token until it is revoked or expires; stores only its hash", async () => {
    const created = (await api(t.app, owner).post("/api/v1/me/tokens", { name: "CI", scopes: ["*"] })).json<{ token: string; item: { id: string } }>();
    expect(created.token).toMatch(/^gx_/);
    expect((await api(t.app, created.token).get("/api/v1/auth/me")).statusCode).toBe(200);
    const { rows } = await t.database.pool.query("select token_hash from api_tokens where token_hash = $1", [created.token]);
    expect(rows).toHaveLength(0);
    expect((await api(t.app, owner).del(`/api/v1/me/tokens/${created.item.id}`)).statusCode).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    expect((await api(t.app, created.token).get("/api/v1/auth/me")).statusCode).toBe(401);
    // A token's lifetime ends at expiresAt.
    const shortLived = (await api(t.app, owner).post("/api/v1/me/tokens", { name: "short", scopes: ["*"], expiresAt: new Date(Date.now() + 1500).toISOString() })).json<{ token: string }>();
    expect((await api(t.app, shortLived.token).get("/api/v1/users")).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 3500));
    expect((await api(t.app, shortLived.token).get("/api/v1/users")).statusCode).toBe(401);
    // A token cannot manage tokens.
    const t2 = (await api(t.app, owner).post("/api/v1/me/tokens", { name: "t2", scopes: ["*"] })).json<{ token: string }>();
    expect((await api(t.app, t2.token).post("/api/v1/me/tokens", { name: "t3", scopes: ["*"] })).statusCode).toBe(401);
  });

  it("resets a password through a link e-mailed over real SMTP, and ends old sessions", async () => {
    const user = await addUser(t, owner, "sales");
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/password-reset/request", payload: { email: "ghost@example.com" } })).statusCode).toBe(202);
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/password-reset/request", payload: { email: user.email } })).statusCode).toBe(202);
    let mail;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = t.mails.find((m) => m.to.includes(user.email) && /reset-password/.test(m.text));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mail).toBeDefined();
    expect(t.mails.some((m) => m.to.includes("ghost@example.com"))).toBe(false);
    const token = /token=([\w-]+)/.exec(mail!.text)![1]!;
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/password-reset/confirm", payload: { token, password: "short" } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/password-reset/confirm", payload: { token, password: "A-brand-new-pass-9" } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/password-reset/confirm", payload: { token, password: "Another-pass-99" } })).statusCode).toBe(400);
    expect((await api(t.app, user).get("/api/v1/auth/me")).statusCode).toBe(401);
    await login(t.app, user.email, "A-brand-new-pass-9");
    const events = (await api(t.app, owner).get(`/api/v1/audit-events?filter=action:eq:user.password_reset&filter=objectId:eq:${user.userId}`)).json<{ items: { actorUserId: string }[] }>();
    expect(events.items).toHaveLength(1);
    expect(events.items[0]!.actorUserId).toBe(user.userId);
  });

  it("invites a user added without a password", async () => {
    const roles = (await api(t.app, owner).get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    const email = `invitee.${Date.now()}@example.com`;
    const res = await api(t.app, owner).post("/api/v1/users", { email, name: "李四", roleId: roles.find((r) => r.key === "sales")!.id });
    expect(res.statusCode).toBe(201);
    let mail;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = t.mails.find((m) => m.to.includes(email));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mail?.text).toMatch(/reset-password\?token=/);
  });

  it("switches between a user's workspaces", async () => {
    const second = (await api(t.app, owner).post("/api/v1/workspaces", { name: "Second WS" })).json<{ id: string }>();
    const me = (await api(t.app, owner).get("/api/v1/auth/me")).json<{ workspaces: { id: string }[] }>();
    expect(me.workspaces.map((w) => w.id)).toContain(second.id);
    const switched = await api(t.app, owner).post("/api/v1/auth/switch-workspace", { workspaceId: second.id });
    expect(switched.statusCode).toBe(200);
    expect(switched.json<{ workspace: { name: string } }>().workspace.name).toBe("Second WS");
    expect((await api(t.app, owner).get("/api/v1/workspace")).json<{ id: string }>().id).toBe(second.id);
    await api(t.app, owner).post("/api/v1/auth/switch-workspace", { workspaceId: owner.workspaceId });
  });
});
