import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, uniqueEmail, type Session, type TestEnv } from "../test/harness.js";

/**
 * Bad input over HTTP: every failure is `{error:{code,message,details}}` with
 * the right status, in the caller's language, and leaves nothing behind.
 */

type Lang = "zh-CN" | "en-US";
const LANGS: Lang[] = ["zh-CN", "en-US"];
const HAN = /[\u4e00-\u9fff]/;

type Res = Awaited<ReturnType<TestEnv["app"]["inject"]>>;
interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> & { issues?: Issue[] } };
}
interface Issue {
  path: string[];
  message: string;
  code: string;
}

/** Messages of lib/i18n.ts, written out so a wrong key or a missing translation fails. */
const MSG = {
  malformedJson: { "en-US": "The request body is not valid JSON", "zh-CN": "请求体不是合法的 JSON" },
  validation: { "en-US": "Some fields are invalid", "zh-CN": "部分字段不合法" },
  mediaType: { "en-US": "Unsupported content type: send application/json", "zh-CN": "不支持的内容类型，请使用 application/json" },
  tooLarge: { "en-US": "The request body is larger than 2048 bytes", "zh-CN": "请求体超过 2048 字节的上限" },
  invalidToken: { "en-US": "The API token is invalid, expired or revoked", "zh-CN": "API 令牌无效、已过期或已撤销" },
  signIn: { "en-US": "Please sign in", "zh-CN": "请先登录" },
  noRoute: { "en-US": "No such API route", "zh-CN": "不存在该接口" },
  userNotFound: { "en-US": "User not found", "zh-CN": "未找到用户" },
  badCursor: { "en-US": "The page cursor is invalid", "zh-CN": "分页游标无效" },
} satisfies Record<string, Record<Lang, string>>;

function expectError(res: Res, status: number, code: string, lang: Lang, message?: Record<Lang, string>): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = res.json<ErrorBody>();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "details", "message"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.details).toBe("object");
  expect(body.error.details).not.toBeNull();
  expect(Array.isArray(body.error.details)).toBe(false);
  if (lang === "zh-CN") expect(body.error.message).toMatch(HAN);
  else {
    expect(body.error.message).not.toMatch(HAN);
    expect(body.error.message).toMatch(/[a-z]{3}/i);
  }
  if (message) expect(body.error.message).toBe(message[lang]);
  return body;
}

const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

let t: TestEnv;
let owner: Session;
let salesRoleId: string;

/** Everything a failed request could have touched, as the owner sees it. */
async function snapshot(s: Session = owner) {
  const a = api(t.app, s);
  const [users, teams, departments, roles, events] = await Promise.all([
    a.get("/api/v1/users?limit=200"),
    a.get("/api/v1/teams"),
    a.get("/api/v1/departments"),
    a.get("/api/v1/roles"),
    a.get("/api/v1/audit-events?limit=200"),
  ]);
  for (const r of [users, teams, departments, roles, events]) expect(r.statusCode, r.body).toBe(200);
  return {
    users: users.json<{ items: unknown[] }>().items,
    teams: teams.json<{ items: unknown[] }>().items,
    departments: departments.json<{ items: unknown[] }>().items,
    roles: roles.json<{ items: unknown[] }>().items,
    events: events.json<{ items: { id: number }[] }>().items.map((e) => e.id),
  };
}

beforeAll(async () => {
  t = await startTestEnv({ GUANXI_LOGIN_IP_LIMIT: "10000" });
  owner = await createWorkspace(t);
  const roles = (await api(t.app, owner).get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
  salesRoleId = roles.find((r) => r.key === "sales")!.id;
  // Something to see in every list, so "unchanged" compares real content.
  expect((await api(t.app, owner).post("/api/v1/teams", { name: "Existing team" })).statusCode).toBe(201);
  expect((await api(t.app, owner).post("/api/v1/departments", { name: "Existing department" })).statusCode).toBe(201);
  for (const name of ["Ann Existing", "Bob Existing"]) {
    expect((await api(t.app, owner).post("/api/v1/users", { email: uniqueEmail("existing"), name, roleId: salesRoleId })).statusCode).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
});

describe.each(LANGS)("bad requests answered in %s", (lang) => {
  const headers = () => ({ cookie: owner.cookie, "accept-language": lang });

  it("malformed or empty JSON body → 400 VALIDATION, nothing created", async () => {
    const before = await snapshot();
    for (const payload of ['{"name": "x",', "{name: 'x'}", "[1,2", "\u0000", "nul"]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/teams",
        headers: { ...headers(), "content-type": "application/json" },
        payload,
      });
      expectError(res, 400, "VALIDATION", lang, MSG.malformedJson);
    }
    const empty = await t.app.inject({
      method: "POST",
      url: "/api/v1/departments",
      headers: { ...headers(), "content-type": "application/json" },
      payload: "",
    });
    expectError(empty, 400, "VALIDATION", lang, MSG.malformedJson);
    expect(await snapshot()).toEqual(before);
  });

  it("wrong types → 400 with an issue per bad field, nothing created", async () => {
    const before = await snapshot();
    const a = api(t.app, owner, lang);
    const team = expectError(await a.post("/api/v1/teams", { name: 123, memberIds: "x" }), 400, "VALIDATION", lang, MSG.validation);
    expect(team.error.details.issues?.map((i) => i.path)).toEqual(expect.arrayContaining([["name"], ["memberIds"]]));
    for (const i of team.error.details.issues ?? []) expect(i.message).toMatch(lang === "zh-CN" ? HAN : /^[^\u4e00-\u9fff]+$/);

    const user = expectError(
      await a.post("/api/v1/users", { email: "not-an-email", name: ["x"], roleId: "nope", teamIds: [1] }),
      400,
      "VALIDATION",
      lang,
      MSG.validation,
    );
    expect(user.error.details.issues?.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["email", "name", "roleId", "teamIds.0"]),
    );

    const dept = expectError(await a.post("/api/v1/departments", { name: "", parentId: 5 }), 400, "VALIDATION", lang);
    expect(dept.error.details.issues?.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["name", "parentId"]));

    const role = expectError(
      await a.post("/api/v1/roles", { key: "Bad Key", name: "r", permissions: "user:read", visibility: "everyone" }),
      400,
      "VALIDATION",
      lang,
    );
    expect(role.error.details.issues?.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["key", "permissions", "visibility"]));

    // Version as a string is not a version.
    const patch = expectError(await a.patch(`/api/v1/users/${owner.userId}`, { version: "1", name: "x" }), 400, "VALIDATION", lang);
    expect(patch.error.details.issues?.map((i) => i.path)).toEqual([["version"]]);

    // A JSON array or scalar where an object is expected.
    for (const payload of ["[]", "42", '"team"', "null"]) {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/teams", headers: { ...headers(), "content-type": "application/json" }, payload });
      expect(res.statusCode, `${payload}: ${res.body}`).toBe(400);
      expectError(res, 400, "VALIDATION", lang);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("validation issues name the type that was actually sent", async () => {
    const res = await api(t.app, owner, lang).post("/api/v1/teams", { name: 123 });
    const body = expectError(res, 400, "VALIDATION", lang, MSG.validation);
    const issue = body.error.details.issues?.find((i) => i.path.join(".") === "name");
    expect(issue?.code).toBe("invalid_type");
    // zod's own text is "expected string, received number"; the localised one must keep what was received.
    expect(issue?.message).toMatch(lang === "zh-CN" ? /实际接收 数字/ : /received number/);
    expect(issue?.message).not.toContain("undefined");
  });

  it("unknown fields in strict bodies → 400 naming the field, nothing created", async () => {
    const before = await snapshot();
    const a = api(t.app, owner, lang);
    // [url, method, body, the unknown field]
    const cases: [string, "post" | "patch", unknown, string][] = [
      ["/api/v1/teams", "post", { name: "t", bogus: 1 }, "bogus"],
      ["/api/v1/departments", "post", { name: "d", tenantId: crypto.randomUUID() }, "tenantId"],
      ["/api/v1/roles", "post", { key: "r_x", name: "r", permissions: [], visibility: "own", isSystem: true }, "isSystem"],
      ["/api/v1/users", "post", { email: uniqueEmail(), name: "u", roleId: salesRoleId, isAdmin: true }, "isAdmin"],
      [`/api/v1/users/${owner.userId}`, "patch", { version: 1, email: "hijack@example.com" }, "email"],
      ["/api/v1/workspace", "patch", { version: 1, id: crypto.randomUUID() }, "id"],
      ["/api/v1/me", "patch", { passwordHash: "x" }, "passwordHash"],
    ];
    for (const [url, method, body, extra] of cases) {
      const res = method === "post" ? await a.post(url, body) : await a.patch(url, body);
      const err = expectError(res, 400, "VALIDATION", lang, MSG.validation);
      const unknown = err.error.details.issues?.find((i) => i.code === "unrecognized_keys");
      expect(unknown, `${url}: ${res.body}`).toBeDefined();
      expect(unknown!.path).toEqual([]);
      expect(unknown!.message).toContain(extra);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("text/plain and form bodies → 415, nothing created", async () => {
    const before = await snapshot();
    const cases: [string, string][] = [
      ["text/plain", '{"name":"plain team"}'],
      ["text/plain; charset=utf-8", "name=plain"],
      ["application/x-www-form-urlencoded", "name=form+team"],
      ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nmultipart\r\n--x--\r\n'],
      ["application/xml", "<team><name>x</name></team>"],
    ];
    for (const [type, payload] of cases) {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/teams", headers: { ...headers(), "content-type": type }, payload });
      const err = expectError(res, 415, "VALIDATION", lang, MSG.mediaType);
      expect(err.error.details).toEqual({ status: 415 });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("invalid, garbage or revoked credentials → 401 UNAUTHENTICATED, nothing created", async () => {
    const created = await api(t.app, owner, lang).post("/api/v1/me/tokens", { name: "soon revoked", scopes: ["*"] });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json<{ token: string; item: { id: string } }>();
    expect((await api(t.app, token, lang).get("/api/v1/users")).statusCode).toBe(200);
    expect((await api(t.app, owner, lang).del(`/api/v1/me/tokens/${item.id}`)).statusCode).toBe(204);

    const before = await snapshot();
    const tenantBytes = Buffer.from(owner.workspaceId.replace(/-/g, ""), "hex");
    const authorizations = [
      "Bearer nope",
      `Bearer gx_${crypto.randomBytes(48).toString("base64url")}`,
      `Bearer gx_${Buffer.concat([tenantBytes, crypto.randomBytes(32)]).toString("base64url")}`,
      `Bearer gx_${crypto.randomBytes(12).toString("base64url")}`,
      "Bearer gx_!!!",
      `Bearer ${token}`, // revoked
      `Bearer ${token.slice(0, -2)}xx`,
      "Basic x",
      `Basic ${Buffer.from(`${owner.email}:${owner.password}`).toString("base64")}`,
      "Bearer",
      "Bearer a b",
      "",
    ];
    for (const authorization of authorizations) {
      for (const [method, url, payload] of [
        ["GET", "/api/v1/users", undefined],
        ["POST", "/api/v1/teams", { name: "intruder team" }],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: { "accept-language": lang, authorization }, ...(payload ? { payload } : {}) });
        expectError(res, 401, "UNAUTHENTICATED", lang, MSG.invalidToken);
      }
    }
    // No credentials at all, or a made-up session cookie.
    for (const cookie of [undefined, "gx_session=forged", `gx_session=${crypto.randomBytes(32).toString("base64url")}`]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/teams",
        headers: { "accept-language": lang, ...(cookie ? { cookie } : {}) },
        payload: { name: "anonymous team" },
      });
      expectError(res, 401, "UNAUTHENTICATED", lang, MSG.signIn);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("unknown routes → 404 with the error shape", async () => {
    const a = api(t.app, owner, lang);
    expectError(await a.get("/api/v1/nope"), 404, "NOT_FOUND", lang, MSG.noRoute);
    expectError(await a.post("/api/v1/users/bulk-delete", {}), 404, "NOT_FOUND", lang, MSG.noRoute);
    expectError(await a.del("/api/v1/workspace"), 404, "NOT_FOUND", lang, MSG.noRoute);
    expectError(await a.get("/api/v2/users"), 404, "NOT_FOUND", lang, MSG.noRoute);
    // Outside /api/v1 no sign-in is needed to learn that a route does not exist.
    expectError(await t.app.inject({ method: "GET", url: "/api/nothing", headers: { "accept-language": lang } }), 404, "NOT_FOUND", lang, MSG.noRoute);
    // Inside /api/v1 an anonymous caller is told to sign in first, not which routes exist.
    expectError(await t.app.inject({ method: "GET", url: "/api/v1/nope", headers: { "accept-language": lang } }), 401, "UNAUTHENTICATED", lang, MSG.signIn);
  });

  it("an invalid uuid in the path → 400; a well-formed unknown id → 404", async () => {
    const before = await snapshot();
    const a = api(t.app, owner, lang);
    for (const bad of ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g", "'%20or%201=1--"]) {
      const get = expectError(await a.get(`/api/v1/users/${bad}`), 400, "VALIDATION", lang, MSG.validation);
      expect(get.error.details.issues?.map((i) => i.path)).toEqual([["params", "id"]]);
      expectError(await a.patch(`/api/v1/teams/${bad}`, { version: 1, name: "x" }), 400, "VALIDATION", lang);
      expectError(await a.del(`/api/v1/departments/${bad}`), 400, "VALIDATION", lang);
      expectError(await a.del(`/api/v1/roles/${bad}`), 400, "VALIDATION", lang);
    }
    expectError(await a.get(`/api/v1/users/${crypto.randomUUID()}`), 404, "NOT_FOUND", lang, MSG.userNotFound);
    expectError(await a.del(`/api/v1/teams/${crypto.randomUUID()}`), 404, "NOT_FOUND", lang);
    expectError(await a.patch(`/api/v1/departments/${crypto.randomUUID()}`, { version: 1, name: "x" }), 404, "NOT_FOUND", lang);
    expect(await snapshot()).toEqual(before);
  });

  it("bad cursor, sort, filter or limit on /api/v1/users → 400", async () => {
    const a = api(t.app, owner, lang);
    // A real cursor, for sort=name with one user per page.
    const page = await a.get("/api/v1/users?limit=1&sort=name");
    const nameCursor = page.json<{ nextCursor: string | null }>().nextCursor;
    expect(nameCursor).toBeTruthy();

    const cursorCases = [
      "garbage",
      "%%%",
      `${nameCursor}&sort=email`, // a cursor of another sort
      `${nameCursor}&sort=-name`, // or of the other direction
      cursorOf({ s: "name", v: "a" }), // no id
    ];
    for (const c of cursorCases) {
      expectError(await a.get(`/api/v1/users?cursor=${c}`), 400, "VALIDATION", lang, MSG.badCursor);
    }

    const sort = expectError(await a.get("/api/v1/users?sort=password"), 400, "VALIDATION", lang);
    expect(sort.error.message).toContain("password");
    for (const s of ["status", "-roleId", "name;drop table users", "--name", ""]) {
      const res = await a.get(`/api/v1/users?sort=${encodeURIComponent(s)}`);
      if (s === "") expect(res.statusCode).toBeLessThan(500);
      else expectError(res, 400, "VALIDATION", lang);
    }

    const filters = [
      "bogus:eq:x",
      "name",
      "name:like:x",
      "status:eq:gone",
      "status:contains:act",
      "createdAt:gte:not-a-date",
      "createdAt:contains:2026",
      "roleId:eq:not-a-uuid",
      "departmentId:in:",
      "passwordHash:eq:x",
    ];
    for (const f of filters) {
      const res = await a.get(`/api/v1/users?filter=${encodeURIComponent(f)}`);
      const err = expectError(res, 400, "VALIDATION", lang);
      if (!f.startsWith("departmentId:in")) expect(err.error.message).toContain(f);
    }
    const tooMany = Array.from({ length: 21 }, () => "filter=name:ne:x").join("&");
    expectError(await a.get(`/api/v1/users?${tooMany}`), 400, "VALIDATION", lang);

    for (const limit of ["0", "201", "abc", "-1", "1.5"]) {
      const res = await a.get(`/api/v1/users?limit=${limit}`);
      const err = expectError(res, 400, "VALIDATION", lang, MSG.validation);
      expect(err.error.details.issues?.[0]?.path).toEqual(["querystring", "limit"]);
    }
    expectError(await a.get(`/api/v1/users?q=${"x".repeat(201)}`), 400, "VALIDATION", lang);
  });

  // Cursors are opaque but client-held: a forged one must be a 400, never reach SQL as garbage.
  it.each([
    ["name", "null"],
    ["name", "1"],
    ["name", '"name"'],
    ["name", '{"s":"name","v":"a","id":"not-a-uuid"}'],
    ["createdAt", '{"s":"createdAt","v":"garbage","id":"00000000-0000-4000-8000-000000000000"}'],
  ])("forged cursor (sort=%s, %s) → 400, never a 500", async (sort, json) => {
    const res = await api(t.app, owner, lang).get(`/api/v1/users?sort=${sort}&cursor=${Buffer.from(json).toString("base64url")}`);
    expect(res.statusCode, res.body).toBe(400);
    expectError(res, 400, "VALIDATION", lang, MSG.badCursor);
  });

  it.each(["-".repeat(36), "a".repeat(36)])(
    "a uuid filter value that only looks like a uuid (%s) → 400, never a 500",
    async (v) => {
      const res = await api(t.app, owner, lang).get(`/api/v1/users?filter=${encodeURIComponent(`roleId:eq:${v}`)}`);
      expect(res.statusCode, res.body).toBe(400);
      expectError(res, 400, "VALIDATION", lang);
    },
  );

  // PostgreSQL text cannot hold U+0000: it must be refused at the edge, not by the database.
  it("a NUL character in a body field → 400, never a 500, and nothing is created", async () => {
    const before = await snapshot();
    const res = await api(t.app, owner, lang).post("/api/v1/teams", { name: "nul\u0000team" });
    expect(res.statusCode, res.body).toBe(400);
    expectError(res, 400, "VALIDATION", lang);
    expect(await snapshot()).toEqual(before);
  });

  it("a NUL character in a search or filter value is not a 500", async () => {
    const a = api(t.app, owner, lang);
    for (const query of [`q=${encodeURIComponent("a\u0000b")}`, `filter=${encodeURIComponent("name:eq:a\u0000b")}`]) {
      const res = await a.get(`/api/v1/users?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBeLessThan(500);
    }
  });
});

describe("a body over GUANXI_BODY_LIMIT", () => {
  let small: TestEnv;
  let smallOwner: Session;
  beforeAll(async () => {
    small = await startTestEnv({ GUANXI_BODY_LIMIT: "2048" });
    smallOwner = await createWorkspace(small);
  });
  afterAll(async () => {
    await small?.close();
  });

  it.each(LANGS)("→ 413 PAYLOAD_TOO_LARGE with the limit, nothing created (%s)", async (lang) => {
    const a = api(small.app, smallOwner, lang);
    const teamsBefore = (await a.get("/api/v1/teams")).json<{ items: unknown[] }>().items;
    const eventsBefore = (await a.get("/api/v1/audit-events?limit=200")).json<{ items: unknown[] }>().items;

    const res = await a.post("/api/v1/teams", { name: "big", description: "x".repeat(3000) });
    expectError(res, 413, "PAYLOAD_TOO_LARGE", lang, MSG.tooLarge);
    // The caller is checked before the body is read: an anonymous oversized body learns only 401.
    const anonymous = await small.app.inject({
      method: "POST",
      url: "/api/v1/teams",
      headers: { "accept-language": lang, "content-type": "application/json" },
      payload: JSON.stringify({ name: "big", description: "y".repeat(5000) }),
    });
    expectError(anonymous, 401, "UNAUTHENTICATED", lang, MSG.signIn);
    // Multi-byte characters count as bytes, not characters: 800 × 3 bytes > 2048.
    expectError(await a.post("/api/v1/teams", { name: "大", description: "关".repeat(800) }), 413, "PAYLOAD_TOO_LARGE", lang, MSG.tooLarge);

    expect((await a.get("/api/v1/teams")).json<{ items: unknown[] }>().items).toEqual(teamsBefore);
    expect((await a.get("/api/v1/audit-events?limit=200")).json<{ items: unknown[] }>().items).toEqual(eventsBefore);

    // Just under the limit is fine.
    const ok = await a.post("/api/v1/teams", { name: `fits ${lang}`, description: "z".repeat(400) });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe("SQL and HTML in names are stored as text", () => {
  const NASTY = [
    "'); DROP TABLE users; --",
    "<script>alert(1)</script>",
    "Robert'); --",
    '张三"<b>',
    "' OR '1'='1",
    "\\'; SELECT pg_sleep(5); --",
    "100% _match_ \\",
    "<img src=x onerror=alert(1)>&amp;",
    "𝓤𝓷𝓲𝓬𝓸𝓭𝓮 👨‍👩‍👧 ‮rtl",
  ];

  it("round-trips users, teams, departments and roles byte for byte, and every table survives", async () => {
    const a = api(t.app, owner);
    const usersBefore = (await a.get("/api/v1/users?limit=200")).json<{ items: unknown[] }>().items.length;
    const teamsBefore = (await a.get("/api/v1/teams")).json<{ items: unknown[] }>().items.length;
    const deptsBefore = (await a.get("/api/v1/departments")).json<{ items: unknown[] }>().items.length;
    const rolesBefore = (await a.get("/api/v1/roles")).json<{ items: unknown[] }>().items.length;

    const ids: { user: string; team: string; department: string; role: string; name: string }[] = [];
    for (const [i, name] of NASTY.entries()) {
      const team = await a.post("/api/v1/teams", { name, description: name });
      expect(team.statusCode, team.body).toBe(201);
      expect(team.headers["content-type"]).toMatch(/^application\/json/);
      expect(team.json<{ name: string; description: string }>()).toMatchObject({ name, description: name });

      const department = await a.post("/api/v1/departments", { name });
      expect(department.statusCode, department.body).toBe(201);
      expect(department.json<{ name: string }>().name).toBe(name);

      const role = await a.post("/api/v1/roles", {
        key: `nasty_${i}_${crypto.randomBytes(3).toString("hex")}`,
        name,
        description: name,
        permissions: ["user:read"],
        visibility: "own",
      });
      expect(role.statusCode, role.body).toBe(201);
      expect(role.json<{ name: string; description: string }>()).toMatchObject({ name, description: name });

      const user = await a.post("/api/v1/users", { email: uniqueEmail("nasty"), name, roleId: salesRoleId });
      expect(user.statusCode, user.body).toBe(201);
      expect(user.json<{ name: string }>().name).toBe(name);

      ids.push({
        name,
        team: team.json<{ id: string }>().id,
        department: department.json<{ id: string }>().id,
        role: role.json<{ id: string }>().id,
        user: user.json<{ id: string }>().id,
      });
    }

    const teams = (await a.get("/api/v1/teams")).json<{ items: { id: string; name: string; description: string }[] }>().items;
    const depts = (await a.get("/api/v1/departments")).json<{ items: { id: string; name: string }[] }>().items;
    const roles = (await a.get("/api/v1/roles")).json<{ items: { id: string; name: string; description: string }[] }>().items;
    const users = (await a.get("/api/v1/users?limit=200")).json<{ items: { id: string; name: string }[] }>().items;
    expect(teams).toHaveLength(teamsBefore + NASTY.length);
    expect(depts).toHaveLength(deptsBefore + NASTY.length);
    expect(roles).toHaveLength(rolesBefore + NASTY.length);
    expect(users).toHaveLength(usersBefore + NASTY.length);

    for (const row of ids) {
      expect(teams.find((x) => x.id === row.team)).toMatchObject({ name: row.name, description: row.name });
      expect(depts.find((x) => x.id === row.department)?.name).toBe(row.name);
      expect(roles.find((x) => x.id === row.role)).toMatchObject({ name: row.name, description: row.name });
      const one = await a.get(`/api/v1/users/${row.user}`);
      expect(one.statusCode).toBe(200);
      // Byte for byte: the raw JSON decodes to exactly the bytes we sent.
      expect(Buffer.from(one.json<{ name: string }>().name, "utf8").equals(Buffer.from(row.name, "utf8"))).toBe(true);
      // The name works as a filter value too: exactly this user, nobody else.
      const filtered = await a.get(`/api/v1/users?filter=${encodeURIComponent(`name:eq:${row.name}`)}`);
      expect(filtered.statusCode, filtered.body).toBe(200);
      expect(filtered.json<{ items: { id: string }[] }>().items.map((u) => u.id)).toEqual([row.user]);
    }

    // Every table is still there and still holds its rows.
    const { rows } = await t.database.pool.query<{ name: string; exists: boolean }>(
      `select n as name, to_regclass('public.' || n) is not null as exists
         from unnest(array['users','workspaces','memberships','roles','teams','team_members','departments','events','sessions','api_tokens']) n`,
    );
    expect(rows.filter((r) => !r.exists)).toEqual([]);
    const count = await t.database.pool.query<{ n: number }>("select count(*)::int as n from users");
    expect(count.rows[0]!.n).toBeGreaterThanOrEqual(usersBefore + NASTY.length);
  });
});
