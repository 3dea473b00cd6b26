/**
 * API overhead benchmark: an authenticated list endpoint (GET /api/v1/users,
 * 50 per page, of a 2,000-member workspace) at 32 connections, beside a
 * raw-SQL baseline of the same queries in the same run:
 *   - "raw SQL over HTTP": node:http + pg running the same two statements,
 *     with an explicit tenant WHERE instead of RLS, no auth, no validation;
 *   - "raw SQL in-process": 32 concurrent pg clients, no HTTP at all.
 * Load comes from autocannon in a separate process.  npm run bench
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { pino } from "pino";
import { buildApp } from "../src/server/app.js";
import { loadConfig } from "../src/server/config.js";
import { ensureAppDatabase } from "../src/server/db/bootstrap.js";
import { connect } from "../src/server/db/client.js";
import { startEmbeddedCluster } from "../src/server/db/embedded.js";
import { runMigrations } from "../src/server/db/migrate.js";
import { createUser } from "../src/server/domains/identity/users.js";
import { createCipher } from "../src/server/lib/crypto.js";
import { createJobQueue } from "../src/server/lib/jobs.js";
import { createMailer } from "../src/server/lib/mail.js";
import type { Services } from "../src/server/lib/services.js";
import { freePort } from "../test/global-setup.js";
import { generateTenant } from "./generate.js";

const exec = promisify(execFile);
const CONNECTIONS = 32;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = 2000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function autocannon(name: string, url: string, headers: Record<string, string>): Promise<Result> {
  const bin = path.resolve("node_modules/.bin/autocannon");
  const args = ["-j", "-c", String(CONNECTIONS), "-d", String(DURATION), "--warmup", "[", "-c", "8", "-d", "2", "]"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}=${v}`);
  const { stdout } = await exec(bin, [...args, url], { maxBuffer: 64 * 1024 * 1024 });
  // With --warmup, autocannon prints the warm-up's JSON first: the last line is the run.
  const last = stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop() ?? "{}";
  const r = JSON.parse(last) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
}

const LIST_SQL = `
  select u.id, u.email, u.name, u.locale, m.role_id, r.key, r.name as role_name, r.is_system, m.department_id, m.status,
         m.created_at, m.updated_at, m.version
    from memberships m
    join users u on u.id = m.user_id
    join roles r on r.tenant_id = m.tenant_id and r.id = m.role_id
   where m.tenant_id = $1
   order by u.name asc, u.id asc
   limit 51`;
const TEAMS_SQL = `select user_id, team_id from team_members where tenant_id = $1 and user_id = any($2::uuid[]) order by team_id`;

async function rawQuery(pool: pg.Pool, tenantId: string) {
  const { rows } = await pool.query(LIST_SQL, [tenantId]);
  const teams = await pool.query(TEAMS_SQL, [tenantId, rows.slice(0, 50).map((r: { id: string }) => r.id)]);
  return { rows, teams: teams.rows };
}

async function inProcessBaseline(pool: pg.Pool, tenantId: string): Promise<Result> {
  const latencies: number[] = [];
  const until = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const t = process.hrtime.bigint();
        await rawQuery(pool, tenantId);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { name: "raw SQL in-process (pg, 32 clients)", rps: latencies.length / DURATION, p50: pct(50), p99: pct(99), errors: 0 };
}

async function main() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "guanxi-bench-"));
  await fs.chmod(dir, 0o755);
  const cluster = await startEmbeddedCluster({ dir: path.join(dir, "pg"), port: await freePort(), superuserPassword: crypto.randomBytes(12).toString("hex") });
  const servers: http.Server[] = [];
  try {
    const appPassword = crypto.randomBytes(12).toString("hex");
    await ensureAppDatabase(cluster.superuserUrl(), { role: "guanxi", password: appPassword, database: "guanxi" });
    const url = `postgres://guanxi:${appPassword}@127.0.0.1:${cluster.port}/guanxi`;
    // The pool size Guanxi would use on this machine (GUANXI_DB_POOL_SIZE or its CPU-based default); the baseline gets the same.
    const database = connect(url, "embedded", loadConfig({ ...process.env, LOG_LEVEL: "silent" }).poolSize);
    await runMigrations(database.pool);

    const password = "bench-password-1";
    const owner = await createUser(database, { email: "owner@bench.example.com", name: "Owner", password, locale: "zh-CN" });
    const tenant = await generateTenant(database.pool, { seed: 42, users: USERS, ownerId: owner.id });
    // A second tenant of the same size, so the tenant filter has work to do.
    const other = await createUser(database, { email: "other@bench.example.com", name: "Other", password, locale: "zh-CN" });
    await generateTenant(database.pool, { seed: 43, users: USERS, ownerId: other.id });
    await database.pool.query("analyze");

    const log = pino({ level: "silent" });
    const services = {} as Services;
    Object.assign(services, {
      config: loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", GUANXI_LOGIN_IP_LIMIT: "100000" }),
      mailer: createMailer(undefined, "bench", log),
      cipher: createCipher(crypto.randomBytes(32).toString("base64")),
      jobs: createJobQueue(database, url, log, () => services),
    } satisfies Services);
    const app = await buildApp({ database, services, serveWeb: false });
    const port = await freePort();
    await app.listen({ port, host: "127.0.0.1" });
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: owner.email, password }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const check = (await (await fetch(`http://127.0.0.1:${port}/api/v1/users?limit=50`, { headers: { cookie } })).json()) as { items: unknown[] };
    if (check.items.length !== 50) throw new Error("list endpoint did not return 50 users");

    // Baseline: same statements, superuser pool (RLS bypassed, explicit tenant filter), bare node:http.
    const rawPool = new pg.Pool({ connectionString: cluster.superuserUrl("guanxi"), max: database.pool.options.max });
    rawPool.on("error", () => undefined);
    const raw = http.createServer((_req, res) => {
      rawQuery(rawPool, tenant.workspaceId).then(
        (body) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
    });
    servers.push(raw);
    const rawPort = await freePort();
    await new Promise<void>((r) => raw.listen(rawPort, "127.0.0.1", r));

    if (process.env.BENCH_ONLY === "guanxi") {
      // For profiling one endpoint: BENCH_ONLY=guanxi BENCH_PATH=/api/v1/…
      console.log(await autocannon("Guanxi", `http://127.0.0.1:${port}${process.env.BENCH_PATH ?? "/api/v1/users?limit=50"}`, { cookie }));
    } else {
      // Rounds alternate baseline and Guanxi, so drift on a shared machine hits both; medians are reported.
      const rows: Result[] = [await inProcessBaseline(rawPool, tenant.workspaceId)];
      const ratios: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const rawHttp = await autocannon(`raw SQL over HTTP (node:http + pg), round ${round}`, `http://127.0.0.1:${rawPort}/`, {});
        const guanxi = await autocannon(`Guanxi GET /api/v1/users?limit=50, round ${round}`, `http://127.0.0.1:${port}/api/v1/users?limit=50`, { cookie });
        rows.push(rawHttp, guanxi);
        ratios.push(guanxi.p50 / rawHttp.p50);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const lines = [
        `# bench/api.ts — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds`,
        "",
        `Workspace of ${USERS} members (plus a second tenant of ${USERS}); authenticated list of 50 users with their teams; database pool ${database.pool.options.max} for both.`,
        "",
        "| run | req/s | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
        ...rows.map((r) => `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`),
        "",
        `Guanxi p50 / raw SQL over HTTP p50 per round: ${ratios.map((r) => r.toFixed(2) + "×").join(", ")}`,
        `Median: **${median(ratios).toFixed(2)}×** (target ≤ 1.5×)`,
      ];
      console.log(lines.join("\n"));
      if (process.env.BENCH_REPORT) await fs.writeFile(process.env.BENCH_REPORT, lines.join("\n") + "\n");
    }

    await app.close();
    await rawPool.end();
    await database.close();
  } finally {
    for (const s of servers) s.close();
    await cluster.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
