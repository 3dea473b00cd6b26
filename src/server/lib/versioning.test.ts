import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, uniqueEmail, type Api, type Session, type TestEnv } from "../test/harness.js";
import { AppError } from "./errors.js";
import { checkVersion, etagOf, expectedVersion } from "./versioning.js";

/** Catches what `fn` throws, so a test can look at an AppError's code and details. */
function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected an error");
}

describe("expectedVersion", () => {
  it("reads the ETag we issue from If-Match, strong or weak, with spaces around", () => {
    expect(expectedVersion('"1"', undefined)).toBe(1);
    expect(expectedVersion('"42"', undefined)).toBe(42);
    expect(expectedVersion('W/"7"', undefined)).toBe(7);
    expect(expectedVersion('  "3"  ', undefined)).toBe(3);
  });

  it("prefers If-Match over the body's version", () => {
    expect(expectedVersion('"2"', 9)).toBe(2);
  });

  it("falls back to the body's version", () => {
    expect(expectedVersion(undefined, 5)).toBe(5);
  });

  it("reads If-Match: * as \"any version\"", () => {
    expect(expectedVersion("*", undefined)).toBe("any");
    expect(expectedVersion(" * ", 3)).toBe("any");
  });

  it.each(["garbage", "3", '"abc"', '"1.5"', '"-1"', '"1", "2"', "W/3", '""', ""])(
    "refuses If-Match %j as VALIDATION version_required, even with a body version",
    (header) => {
      const err = thrown(() => expectedVersion(header, 1));
      expect(err.code).toBe("VALIDATION");
      expect(err.messageKey).toBe("errors.version_required");
    },
  );

  it("requires one of the two", () => {
    const err = thrown(() => expectedVersion(undefined, undefined));
    expect(err.code).toBe("VALIDATION");
    expect(err.messageKey).toBe("errors.version_required");
  });
});

describe("checkVersion", () => {
  it("returns the row when the versions match", () => {
    const row = { id: "x", version: 4 };
    expect(checkVersion(row, 4, "team")).toBe(row);
  });

  it("answers CONFLICT with both versions when they differ", () => {
    const err = thrown(() => checkVersion({ version: 3 }, 2, "team"));
    expect(err.code).toBe("CONFLICT");
    expect(err.messageKey).toBe("errors.version_conflict");
    expect(err.details).toEqual({ currentVersion: 3, yourVersion: 2 });
    // A version from the future is just as stale.
    expect(thrown(() => checkVersion({ version: 3 }, 4, "team")).details).toEqual({ currentVersion: 3, yourVersion: 4 });
  });

  it("answers NOT_FOUND naming the object when there is no row", () => {
    const err = thrown(() => checkVersion(undefined, 1, "department"));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.params).toEqual({ object: "department" });
  });

  it("formats ETags as quoted versions", () => {
    expect(etagOf(1)).toBe('"1"');
    expect(etagOf(12)).toBe('"12"');
    expect(expectedVersion(etagOf(12), undefined)).toBe(12);
  });
});

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv({ GUANXI_LOGIN_IP_LIMIT: "10000" });
});
afterAll(async () => {
  await t?.close();
});

/** One versioned resource as the API exposes it. */
interface Resource {
  name: string;
  /** Creates a fresh record in the owner's workspace; returns the PATCH url. */
  create(a: Api, s: Session): Promise<string>;
  /** The record now: version and name (and the ETag header where the API sends one). */
  read(a: Api, url: string): Promise<{ version: number; name: string; etag?: string | undefined }>;
  /** Whether GET and PATCH send an ETag header. */
  etag: boolean;
}

async function listItem(a: Api, list: string, url: string) {
  const id = url.split("/").pop()!;
  const res = await a.get(list);
  expect(res.statusCode).toBe(200);
  const item = res.json<{ items: { id: string; version: number; name: string }[] }>().items.find((x) => x.id === id);
  expect(item, `${id} in ${list}`).toBeDefined();
  return { version: item!.version, name: item!.name };
}

const RESOURCES: Resource[] = [
  {
    name: "users",
    etag: true,
    async create(a) {
      const roles = (await a.get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
      const res = await a.post("/api/v1/users", { email: uniqueEmail("ver"), name: "Version 1", roleId: roles.find((r) => r.key === "sales")!.id });
      expect(res.statusCode, res.body).toBe(201);
      return `/api/v1/users/${res.json<{ id: string }>().id}`;
    },
    async read(a, url) {
      const res = await a.get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ version: number; name: string }>();
      return { version: body.version, name: body.name, etag: res.headers.etag as string | undefined };
    },
  },
  {
    name: "teams",
    etag: false,
    async create(a) {
      const res = await a.post("/api/v1/teams", { name: "Version 1" });
      expect(res.statusCode, res.body).toBe(201);
      return `/api/v1/teams/${res.json<{ id: string }>().id}`;
    },
    read: (a, url) => listItem(a, "/api/v1/teams", url),
  },
  {
    name: "departments",
    etag: false,
    async create(a) {
      const res = await a.post("/api/v1/departments", { name: "Version 1" });
      expect(res.statusCode, res.body).toBe(201);
      return `/api/v1/departments/${res.json<{ id: string }>().id}`;
    },
    read: (a, url) => listItem(a, "/api/v1/departments", url),
  },
  {
    name: "roles (custom)",
    etag: false,
    async create(a) {
      const res = await a.post("/api/v1/roles", {
        key: `ver_${crypto.randomBytes(4).toString("hex")}`,
        name: "Version 1",
        permissions: ["user:read"],
        visibility: "own",
      });
      expect(res.statusCode, res.body).toBe(201);
      return `/api/v1/roles/${res.json<{ id: string }>().id}`;
    },
    read: (a, url) => listItem(a, "/api/v1/roles", url),
  },
  {
    name: "workspace",
    etag: true,
    async create() {
      return "/api/v1/workspace";
    },
    async read(a) {
      const res = await a.get("/api/v1/workspace");
      expect(res.statusCode).toBe(200);
      const body = res.json<{ version: number; name: string }>();
      return { version: body.version, name: body.name, etag: res.headers.etag as string | undefined };
    },
  },
];

describe.each(RESOURCES)("optimistic concurrency of $name over HTTP", (resource) => {
  /** A fresh workspace per test: the workspace record itself is one of the resources. */
  async function fresh() {
    const owner = await createWorkspace(t);
    const a = api(t.app, owner, "en-US");
    const url = await resource.create(a, owner);
    // Workspaces start at version 1 too; every record here is untouched.
    const start = await resource.read(a, url);
    expect(start.version).toBe(1);
    if (resource.etag) expect(start.etag).toBe('"1"');
    return { owner, a, url };
  }

  async function eventsFor(a: Api, url: string): Promise<number> {
    const objectId = url.endsWith("/workspace") ? undefined : url.split("/").pop();
    const filter = objectId ? `&filter=objectId:eq:${objectId}` : "&filter=objectType:eq:workspace";
    const res = await a.get(`/api/v1/audit-events?limit=200${filter}`);
    expect(res.statusCode).toBe(200);
    return res.json<{ items: unknown[] }>().items.length;
  }

  it("If-Match with the current version succeeds and bumps it; a stale If-Match answers 409 and changes nothing", async () => {
    const { a, url } = await fresh();
    const ok = await a.patch(url, { name: "Version 2" }, { "if-match": '"1"' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ version: number; name: string }>()).toMatchObject({ version: 2, name: "Version 2" });
    if (resource.etag) expect(ok.headers.etag).toBe('"2"');

    const events = await eventsFor(a, url);
    const stale = await a.patch(url, { name: "Stale write" }, { "if-match": '"1"' });
    expect(stale.statusCode, stale.body).toBe(409);
    const body = stale.json<ErrorBody>();
    expect(body.error.code).toBe("CONFLICT");
    expect(body.error.message).toBe("Someone else changed this record: reload it and try again");
    expect(body.error.details).toMatchObject({ currentVersion: 2, yourVersion: 1 });

    const now = await resource.read(a, url);
    expect(now).toMatchObject({ version: 2, name: "Version 2" });
    if (resource.etag) expect(now.etag).toBe('"2"');
    expect(await eventsFor(a, url)).toBe(events);
  });

  it("a weak ETag in If-Match works too", async () => {
    const { a, url } = await fresh();
    const res = await a.patch(url, { name: "Weak" }, { "if-match": 'W/"1"' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ version: number }>().version).toBe(2);
  });

  it("the body's version works the same way", async () => {
    const { a, url } = await fresh();
    const ok = await a.patch(url, { version: 1, name: "Body 2" });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ version: number; name: string }>()).toMatchObject({ version: 2, name: "Body 2" });
    if (resource.etag) expect(ok.headers.etag).toBe('"2"');

    const again = await a.patch(url, { version: 2, name: "Body 3" });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ version: number }>().version).toBe(3);

    const stale = await a.patch(url, { version: 2, name: "Stale body" });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json<ErrorBody>().error.details).toMatchObject({ currentVersion: 3, yourVersion: 2 });
    const ahead = await a.patch(url, { version: 99, name: "From the future" });
    expect(ahead.statusCode, ahead.body).toBe(409);
    expect(ahead.json<ErrorBody>().error.details).toMatchObject({ currentVersion: 3, yourVersion: 99 });
    expect(await resource.read(a, url)).toMatchObject({ version: 3, name: "Body 3" });
  });

  it("If-Match wins over a contradicting body version", async () => {
    const { a, url } = await fresh();
    const res = await a.patch(url, { version: 7, name: "Header wins" }, { "if-match": '"1"' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ version: number }>().version).toBe(2);
    const stale = await a.patch(url, { version: 2, name: "Header still wins" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(409);
  });

  it("no version at all → 400 version_required, in both languages, nothing changed", async () => {
    const { owner, a, url } = await fresh();
    const events = await eventsFor(a, url);
    const en = await a.patch(url, { name: "No version" });
    expect(en.statusCode, en.body).toBe(400);
    expect(en.json<ErrorBody>().error).toMatchObject({
      code: "VALIDATION",
      message: "Send the record's version (If-Match header or version field)",
    });
    const zh = await api(t.app, owner, "zh-CN").patch(url, { name: "No version" });
    expect(zh.statusCode).toBe(400);
    expect(zh.json<ErrorBody>().error.message).toBe("请提供记录版本（If-Match 请求头或 version 字段）");
    const now = await resource.read(a, url);
    expect(now.version).toBe(1);
    expect(now.name).not.toBe("No version");
    expect(await eventsFor(a, url)).toBe(events);
  });

  it("If-Match: * updates whatever the current version is", async () => {
    const { a, url } = await fresh();
    expect((await a.patch(url, { name: "First" }, { "if-match": '"1"' })).statusCode).toBe(200);
    const res = await a.patch(url, { name: "Any version" }, { "if-match": "*" });
    expect(res.statusCode, res.body).toBe(200);
    const now = await resource.read(a, url);
    expect(now.version).toBe(3);
    expect(now.name).toBe("Any version");
  });

  it.each(["garbage", "1", '"one"'])("If-Match %j → 400, nothing changed", async (ifMatch) => {
    const { a, url } = await fresh();
    const res = await a.patch(url, { version: 1, name: "Bad header" }, { "if-match": ifMatch });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe("VALIDATION");
    const now = await resource.read(a, url);
    expect(now.version).toBe(1);
    expect(now.name).not.toBe("Bad header");
  });

  it("two concurrent PATCHes with the same version: exactly one wins, the other gets 409", async () => {
    const { a, url } = await fresh();
    const [r1, r2] = await Promise.all([
      a.patch(url, { name: "Writer A" }, { "if-match": '"1"' }),
      a.patch(url, { name: "Writer B" }, { "if-match": '"1"' }),
    ]);
    const statuses = [r1.statusCode, r2.statusCode].sort();
    expect(statuses, `${r1.body} / ${r2.body}`).toEqual([200, 409]);
    const winner = r1.statusCode === 200 ? r1 : r2;
    const loser = r1.statusCode === 200 ? r2 : r1;
    expect(loser.json<ErrorBody>().error.details).toMatchObject({ currentVersion: 2, yourVersion: 1 });
    const now = await resource.read(a, url);
    expect(now).toMatchObject({ version: 2, name: winner.json<{ name: string }>().name });
    // Exactly one update event for this record: the loser's transaction wrote none.
    const objectFilter = url.endsWith("/workspace") ? "objectType:eq:workspace" : `objectId:eq:${url.split("/").pop()}`;
    const updates = await a.get(`/api/v1/audit-events?filter=${objectFilter}&filter=action:contains:updated`);
    expect(updates.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it("five concurrent writers with the same version: one 200, four 409", async () => {
    const { a, url } = await fresh();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => a.patch(url, { version: 1, name: `Racer ${i}` })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409]);
    expect((await resource.read(a, url)).version).toBe(2);
  });
});

describe("versions of users", () => {
  it("a 409 leaves the user's other fields (role, status) untouched too", async () => {
    const owner = await createWorkspace(t);
    const a = api(t.app, owner, "en-US");
    const roles = (await a.get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    const sales = roles.find((r) => r.key === "sales")!.id;
    const manager = roles.find((r) => r.key === "manager")!.id;
    const created = await a.post("/api/v1/users", { email: uniqueEmail("ver"), name: "Role holder", roleId: sales });
    const id = created.json<{ id: string }>().id;
    expect((await a.patch(`/api/v1/users/${id}`, { name: "Renamed" }, { "if-match": '"1"' })).statusCode).toBe(200);
    const stale = await a.patch(`/api/v1/users/${id}`, { roleId: manager, status: "disabled" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(409);
    const now = await a.get(`/api/v1/users/${id}`);
    expect(now.json<{ roleId: string; status: string; name: string; version: number }>()).toMatchObject({
      roleId: sales,
      status: "active",
      name: "Renamed",
      version: 2,
    });
    expect(now.headers.etag).toBe('"2"');
  });

  it("a new user's ETag is sent on creation", async () => {
    const owner = await createWorkspace(t);
    const a = api(t.app, owner, "en-US");
    const roles = (await a.get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    const res = await a.post("/api/v1/users", { email: uniqueEmail("ver"), name: "New", roleId: roles.find((r) => r.key === "sales")!.id });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
  });
});
