import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.js";

export type Db = NodePgDatabase<typeof schema>;
/** A Db bound to one connection inside an open transaction (see withTenant). */
export type Tx = Db;

export interface Database {
  pool: pg.Pool;
  /** Pool-backed client for work outside tenant scope (global tables: users, sessions, workspaces). */
  db: Db;
  kind: "embedded" | "external";
  close(): Promise<void>;
}

// Return int8 (counts, bigserial ids) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function connect(url: string, kind: Database["kind"], poolSize: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: "guanxi",
  });
  // An idle client that loses its server (database restart) must not crash the process.
  pool.on("error", () => undefined);
  return {
    pool,
    db: drizzle({ client: pool, schema }),
    kind,
    async close() {
      await pool.end();
    },
  };
}

export interface TenantScope {
  tenantId: string | null;
  userId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clientDbs = new WeakMap<pg.PoolClient, Db>();

/**
 * Runs `fn` in a transaction whose row-level security scope is one tenant
 * (and user). Every tenant table's policy reads these settings, so a query
 * inside can only see and write that tenant's rows, whatever its WHERE says.
 * BEGIN and the settings go in one round trip: the ids are checked UUIDs.
 */
export async function withTenant<T>(database: Database, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const tenant = scope.tenantId ?? "";
  const user = scope.userId ?? "";
  if ((tenant && !UUID.test(tenant)) || (user && !UUID.test(user))) throw new Error("invalid tenant scope");
  const client = await database.pool.connect();
  let tx = clientDbs.get(client);
  if (!tx) {
    tx = drizzle({ client, schema });
    clientDbs.set(client, tx);
  }
  let broken: Error | undefined;
  try {
    await client.query(
      `BEGIN; SELECT set_config('app.tenant_id', '${tenant}', true), set_config('app.user_id', '${user}', true)`,
    );
    const result = await fn(tx);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** A transaction scoped to a user but no tenant: for reading the user's own memberships across workspaces. */
export function withUserScope<T>(database: Database, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(database, { tenantId: null, userId }, fn);
}
