/**
 * The generated bench tenant (300,000 customers and 1,000,000 contacts by
 * default), shared by the benchmarks: generated once per seed and size, then
 * reused, in its own embedded PostgreSQL under BENCH_DATA_DIR (default: the
 * system temp dir, guanxi-bench-search), or in DATABASE_URL. Never in ./data.
 *
 *   BENCH_SEED BENCH_CUSTOMERS BENCH_CONTACTS BENCH_USERS BENCH_DATA_DIR
 */
import crypto from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../src/server/config.js";
import { ensureAppDatabase, markSearchOperatorsLeakproof } from "../src/server/db/bootstrap.js";
import { connect, type Database } from "../src/server/db/client.js";
import { startEmbeddedCluster, type EmbeddedCluster } from "../src/server/db/embedded.js";
import { runMigrations } from "../src/server/db/migrate.js";
import { createUser } from "../src/server/domains/identity/users.js";
import { freePort } from "../test/global-setup.js";
import { generateCustomers, generateTenant } from "./generate.js";

const env = process.env;
export const SEED = Number(env.BENCH_SEED ?? 42);
export const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 300_000);
export const CONTACTS = Number(env.BENCH_CONTACTS ?? 1_000_000);
export const USERS = Number(env.BENCH_USERS ?? 200);
export const workspaceName = () => WORKSPACE;
const WORKSPACE = `Bench search ${SEED}: ${CUSTOMERS} customers, ${CONTACTS} contacts, ${USERS} users`;
/** Where the bench cluster and its caches live. */
export const BENCH_DIR = path.resolve(env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), "guanxi-bench-search"));

interface Meta {
  superuserPassword: string;
  appPassword: string;
  tenants: Record<string, { workspaceId: string; ownerId: string; generatedMs: number; generatedAt: string; customers: number; contacts: number }>;
}

export interface BenchTenant {
  database: Database;
  /** App role, this tenant's scope set on every connection: sampling and the ILIKE baseline. */
  raw: pg.Pool;
  superuserUrl: string | null;
  tenantId: string;
  ownerId: string;
  generation: string;
  close(): Promise<void>;
}

/** Opens (and the first time generates) the bench tenant; `raw` connections carry its scope. */
export async function openBenchTenant(opts: { rawConnections?: number } = {}): Promise<BenchTenant> {
  const poolSize = loadConfig({ ...env, LOG_LEVEL: "silent" }).poolSize;
  let cluster: EmbeddedCluster | undefined;
  let url: string;
  let meta: Meta | undefined;
  const dir = BENCH_DIR;
  const metaFile = path.join(dir, "bench-search.json");
  if (env.DATABASE_URL) {
    url = env.DATABASE_URL;
  } else {
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(dir, 0o755);
    meta = existsSync(metaFile)
      ? (JSON.parse(await fs.readFile(metaFile, "utf8")) as Meta)
      : { superuserPassword: crypto.randomBytes(12).toString("hex"), appPassword: crypto.randomBytes(12).toString("hex"), tenants: {} };
    await fs.writeFile(metaFile, JSON.stringify(meta, null, 2), { mode: 0o600 });
    // A benchmark cache, regenerated at will: no fsync.
    cluster = await startEmbeddedCluster({ dir: path.join(dir, "pg"), port: await freePort(), superuserPassword: meta.superuserPassword, durable: false });
    await ensureAppDatabase(cluster.superuserUrl(), { role: "guanxi", password: meta.appPassword, database: "guanxi" });
    url = `postgres://guanxi:${meta.appPassword}@127.0.0.1:${cluster.port}/guanxi`;
  }
  const database = connect(url, env.DATABASE_URL ? "external" : "embedded", poolSize);
  try {
    await runMigrations(database.pool);
    // As openDatabase does for the embedded database (an external one: as its DBA left it; see the report).
    if (cluster) await markSearchOperatorsLeakproof(cluster.superuserUrl("guanxi"));
    const found = await database.pool.query<{ id: string; name: string }>("select id, name from workspaces where name like $1", [`${WORKSPACE}%`]);
    let tenantId = found.rows.find((r) => r.name === WORKSPACE)?.id;
    let ownerId: string | undefined;
    let generation: string;
    if (found.rows.some((r) => r.name !== WORKSPACE)) {
      throw new Error(
        `A generation of "${WORKSPACE}" did not finish. ` + (cluster ? `Delete ${dir} and run again.` : "Delete that workspace's rows, or use another BENCH_SEED."),
      );
    }
    if (!tenantId) {
      console.log(`Generating "${WORKSPACE}" (once; later runs reuse it) …`);
      const owner = await createUser(database, { email: `owner.${SEED}.${crypto.randomBytes(3).toString("hex")}@bench-search.example.com`, name: "Bench Owner", locale: "zh-CN" });
      const t0 = Date.now();
      const tenant = await generateTenant(database.pool, { seed: SEED, users: USERS, ownerId: owner.id, name: `${WORKSPACE} (generating)` });
      console.log(`  workspace and ${USERS} users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      // Our own cluster: nobody searches while we load, so the search indexes are built once at the end.
      const made = await generateCustomers(database.pool, tenant, { seed: SEED, customers: CUSTOMERS, contacts: CONTACTS, rebuildSearchIndexes: Boolean(cluster), log: (m) => console.log(m) });
      await database.pool.query("update workspaces set name = $1 where id = $2", [WORKSPACE, tenant.workspaceId]);
      const ms = Date.now() - t0;
      generation = `generated in this run: ${(ms / 1000).toFixed(0)} s (${made.customers.toLocaleString("en")} customers, ${made.contacts.toLocaleString("en")} contacts)`;
      console.log(`  ${generation}`);
      tenantId = tenant.workspaceId;
      ownerId = owner.id;
      if (meta) {
        meta.tenants[WORKSPACE] = { workspaceId: tenantId, ownerId, generatedMs: ms, generatedAt: new Date().toISOString(), customers: made.customers, contacts: made.contacts };
        await fs.writeFile(metaFile, JSON.stringify(meta, null, 2), { mode: 0o600 });
      }
    } else {
      const m = meta?.tenants[WORKSPACE];
      generation = m ? `reused; generated on ${m.generatedAt.slice(0, 10)} in ${(m.generatedMs / 1000).toFixed(0)} s` : "reused";
    }
    // The tenant scope as a startup option, so every connection of this pool carries it.
    const raw = new pg.Pool({ connectionString: url, max: opts.rawConnections ?? 8, options: `-c app.tenant_id=${tenantId}` });
    raw.on("error", () => undefined);
    if (!ownerId) {
      const { rows } = await raw.query<{ user_id: string }>("select m.user_id from memberships m join roles r on r.tenant_id = m.tenant_id and r.id = m.role_id where r.key = 'owner' limit 1");
      ownerId = rows[0]!.user_id;
    }
    return {
      database,
      raw,
      superuserUrl: cluster ? cluster.superuserUrl("guanxi") : null,
      tenantId,
      ownerId,
      generation,
      async close() {
        await raw.end();
        await database.close();
        await cluster?.stop();
      },
    };
  } catch (err) {
    await database.close();
    await cluster?.stop();
    throw err;
  }
}
