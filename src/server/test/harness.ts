import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { LightMyRequestResponse } from "fastify";
import { simpleParser } from "mailparser";
import pg from "pg";
import { pino } from "pino";
import { SMTPServer } from "smtp-server";
import { inject } from "vitest";
import { buildApp } from "../app.js";
import { loadConfig, type Config } from "../config.js";
import { connect, type Database } from "../db/client.js";
import { createCipher } from "../lib/crypto.js";
import type { App } from "../lib/http.js";
import { createJobQueue } from "../lib/jobs.js";
import { createMailer } from "../lib/mail.js";
import type { Services } from "../lib/services.js";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
export async function startSmtp(): Promise<{ url: string; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to[0]?.text : m.to?.text;
          mails.push({ to: to ?? "", subject: m.subject ?? "", text: m.text ?? "" });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A fresh database for one test file, copied from the migrated template. */
export async function createTestDatabase(): Promise<{ url: string; name: string }> {
  const base = inject("testDbUrl");
  const name = `gxt_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject("templateDb")}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

export interface TestEnv {
  app: App;
  database: Database;
  services: Services;
  config: Config;
  mails: ReceivedMail[];
  dbUrl: string;
  close(): Promise<void>;
}

/** The whole API in-process (app.inject) on its own database, with a real SMTP server and job queue. */
export async function startTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const { url } = await createTestDatabase();
  const smtp = await startSmtp();
  // Files (attachments) go to a directory of this environment's own, removed on close.
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "guanxi-test-"));
  const config = loadConfig({
    NODE_ENV: "test",
    GUANXI_DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    LOG_LEVEL: "silent",
    ...env,
  });
  const database = connect(url, "embedded", 10);
  const log = pino({ level: "silent" });
  const services = {} as Services;
  const jobs = createJobQueue(database, url, log, () => services);
  Object.assign(services, {
    config,
    mailer: createMailer(config.mail.smtpUrl, config.mail.from, log),
    cipher: createCipher(crypto.randomBytes(32).toString("base64")),
    jobs,
  } satisfies Services);
  // GUANXI_JOBS=external: jobs are queued here and run by worker processes the test starts.
  await jobs.start(config.jobs === "inprocess");
  const app = await buildApp({ database, services, serveWeb: false });
  await app.ready();
  return {
    app,
    database,
    services,
    config,
    mails: smtp.mails,
    dbUrl: url,
    async close() {
      await app.close();
      await jobs.stop();
      await database.close();
      await smtp.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  userId: string;
  workspaceId: string;
  email: string;
  password: string;
}

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}.${process.pid}.${Date.now().toString(36)}.${++counter}@example.com`;
export const PASSWORD = "Guanxi-test-pass-1";

function cookieFrom(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const c = list.find((x) => x.startsWith("gx_session="));
  if (!c) throw new Error("no session cookie");
  return c.split(";")[0]!;
}

/** Logs in through the API and returns the session. */
export async function login(app: App, email: string, password = PASSWORD, extra: Record<string, string> = {}): Promise<Session> {
  const res = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password, ...extra } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const me = res.json<{ user: { id: string }; workspace: { id: string } }>();
  return { cookie: cookieFrom(res.headers["set-cookie"]), userId: me.user.id, workspaceId: me.workspace.id, email, password };
}

/**
 * A new workspace with its owner signed in. The first-run endpoint only works
 * once per database, so later workspaces come from POST /api/v1/workspaces of
 * a bootstrap owner — the same code path, owner then switches.
 */
export async function createWorkspace(t: TestEnv, name = `WS ${++counter}`): Promise<Session> {
  const email = uniqueEmail("owner");
  const status = await t.app.inject({ method: "GET", url: "/api/v1/setup/status" });
  if (status.json<{ needsSetup: boolean }>().needsSetup) {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/setup",
      payload: { workspaceName: name, name: "Owner", email, password: PASSWORD, locale: "en-US" },
    });
    if (res.statusCode === 201) {
      const me = res.json<{ user: { id: string }; workspace: { id: string } }>();
      return { cookie: cookieFrom(res.headers["set-cookie"]), userId: me.user.id, workspaceId: me.workspace.id, email, password: PASSWORD };
    }
  }
  // Create the owner account with the CLI-equivalent service, then its workspace.
  const { createUser } = await import("../domains/identity/users.js");
  const { createWorkspace: create } = await import("../domains/workspaces/workspaces.js");
  const user = await createUser(t.database, { email, name: "Owner", password: PASSWORD, locale: "en-US" });
  await create(t.database, t.services, { name, ownerId: user.id, defaultLocale: "en-US" });
  return login(t.app, email);
}

type Reply = Promise<LightMyRequestResponse>;
export interface Api {
  get(url: string, headers?: Record<string, string>): Reply;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Reply;
  patch(url: string, payload?: unknown, headers?: Record<string, string>): Reply;
  put(url: string, payload?: unknown, headers?: Record<string, string>): Reply;
  del(url: string, headers?: Record<string, string>): Reply;
}

/** Requests as a session (cookie) or API token (bearer). */
export function api(app: App, auth: Session | string | null, lang = "en-US"): Api {
  const authHeaders = (): Record<string, string> =>
    auth === null ? {} : typeof auth === "string" ? { authorization: `Bearer ${auth}` } : { cookie: auth.cookie };
  const h = (extra?: Record<string, string>) => ({ "accept-language": lang, ...authHeaders(), ...extra });
  return {
    get: (url, headers) => app.inject({ method: "GET", url, headers: h(headers) }),
    post: (url, payload, headers) => app.inject({ method: "POST", url, payload: (payload ?? {}) as object, headers: h(headers) }),
    patch: (url, payload, headers) => app.inject({ method: "PATCH", url, payload: (payload ?? {}) as object, headers: h(headers) }),
    put: (url, payload, headers) => app.inject({ method: "PUT", url, payload: (payload ?? {}) as object, headers: h(headers) }),
    del: (url, headers) => app.inject({ method: "DELETE", url, headers: h(headers) }),
  };
}

/** Adds a user with a password and the given system role; returns their signed-in session. */
export async function addUser(
  t: TestEnv,
  owner: Session,
  roleKey: string,
  extra: { departmentId?: string; teamIds?: string[]; name?: string } = {},
): Promise<Session & { id: string }> {
  const roles = (await api(t.app, owner).get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
  const role = roles.find((r) => r.key === roleKey);
  if (!role) throw new Error(`no role ${roleKey}`);
  const email = uniqueEmail(roleKey);
  const res = await api(t.app, owner).post("/api/v1/users", {
    email,
    name: extra.name ?? `${roleKey} user`,
    password: PASSWORD,
    roleId: role.id,
    ...(extra.departmentId ? { departmentId: extra.departmentId } : {}),
    ...(extra.teamIds ? { teamIds: extra.teamIds } : {}),
  });
  if (res.statusCode !== 201) throw new Error(`add user failed: ${res.statusCode} ${res.body}`);
  const id = res.json<{ id: string }>().id;
  const session = await login(t.app, email);
  // A user added to a second workspace may land in their first one: switch.
  if (session.workspaceId !== owner.workspaceId) {
    await api(t.app, session).post("/api/v1/auth/switch-workspace", { workspaceId: owner.workspaceId });
    session.workspaceId = owner.workspaceId;
  }
  return { ...session, id };
}

/** A service's view type as the API sends it: dates become ISO strings (for typing `res.json<…>()`). */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
