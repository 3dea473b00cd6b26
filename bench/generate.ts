/**
 * Deterministic large tenants for benchmarks: the same seed gives the same
 * workspace. Today it generates the organisation (departments, teams and
 * members); later issues add customers, contacts, orders…
 *
 *   npx tsx bench/generate.ts --users 5000 --seed 7          (embedded database in ./data)
 *   DATABASE_URL=postgres://… npx tsx bench/generate.ts --users 5000
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import type pg from "pg";
import { createRng, DEMO_DEPARTMENTS, fakePerson } from "../src/server/domains/demo/demo-data.js";

export interface GeneratedTenant {
  workspaceId: string;
  ownerId: string;
  userIds: string[];
}

/** UUIDs from the seeded generator, so ids are reproducible too. */
function seededUuid(rng: ReturnType<typeof createRng>): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(rng.next() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Inserts a workspace with `users` members in bulk (multi-row INSERTs in one
 * transaction under the tenant's RLS scope). `ownerId` must be an existing user.
 */
export async function generateTenant(pool: pg.Pool, opts: { seed: number; users: number; ownerId: string; name?: string }): Promise<GeneratedTenant> {
  const rng = createRng(opts.seed);
  const workspaceId = seededUuid(rng);
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("insert into workspaces (id, name) values ($1, $2)", [workspaceId, opts.name ?? `Bench ${opts.seed}`]);
    await client.query("select set_config('app.tenant_id', $1, true)", [workspaceId]);
    const { seedSystemRoles } = await import("../src/server/domains/workspaces/roles.js");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const roleIds = await seedSystemRoles(drizzle({ client }) as never, workspaceId);
    await client.query("insert into memberships (tenant_id, user_id, role_id) values ($1, $2, $3)", [workspaceId, opts.ownerId, roleIds.owner]);

    const deptIds: Record<string, string> = {};
    for (const d of DEMO_DEPARTMENTS) {
      const id = seededUuid(rng);
      const parentPath = d.parent ? (await client.query<{ path: string }>("select path from departments where id = $1", [deptIds[d.parent]])).rows[0]!.path : "/";
      await client.query("insert into departments (tenant_id, id, name, parent_id, path) values ($1, $2, $3, $4, $5)", [
        workspaceId,
        id,
        d.zh,
        d.parent ? deptIds[d.parent] : null,
        `${parentPath}${id}/`,
      ]);
      deptIds[d.key] = id;
    }
    const depts = Object.values(deptIds);
    const roles = ["sales", "sales", "sales", "service", "marketing", "manager", "read_only"];
    const userIds: string[] = [];
    const domain = `bench${opts.seed}.example.com`;
    const batch = 1000;
    for (let start = 0; start < opts.users; start += batch) {
      const n = Math.min(batch, opts.users - start);
      const uRows: unknown[] = [];
      const mRows: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const id = seededUuid(rng);
        const p = fakePerson(rng, start + i + 1, domain);
        uRows.push(id, p.email, p.name, p.locale);
        mRows.push(workspaceId, id, roleIds[rng.pick(roles)], rng.pick(depts));
        userIds.push(id);
      }
      const ph = (cols: number, rows: number) =>
        Array.from({ length: rows }, (_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(",")})`).join(",");
      await client.query(`insert into users (id, email, name, locale) values ${ph(4, n)}`, uRows);
      await client.query(`insert into memberships (tenant_id, user_id, role_id, department_id) values ${ph(4, n)}`, mRows);
    }
    await client.query("commit");
    return { workspaceId, ownerId: opts.ownerId, userIds };
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    client.release();
  }
}

async function main() {
  const { values } = parseArgs({ options: { users: { type: "string", default: "1000" }, seed: { type: "string", default: "1" } } });
  const { loadConfig } = await import("../src/server/config.js");
  const { openDatabase } = await import("../src/server/db/bootstrap.js");
  const { createUser } = await import("../src/server/domains/identity/users.js");
  const config = loadConfig();
  const rt = await openDatabase(config, (m) => console.error(m));
  try {
    const seed = Number(values.seed);
    const owner = await createUser(rt.database, {
      email: `owner.${seed}.${crypto.randomBytes(3).toString("hex")}@bench.example.com`,
      name: "Bench Owner",
      password: undefined,
      locale: "zh-CN",
    });
    const t0 = Date.now();
    const tenant = await generateTenant(rt.database.pool, { seed, users: Number(values.users), ownerId: owner.id });
    console.log(`workspace ${tenant.workspaceId}: ${tenant.userIds.length} users in ${Date.now() - t0} ms`);
  } finally {
    await rt.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
