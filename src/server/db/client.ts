import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.js";

export type Db = NodePgDatabase<typeof schema>;
/** A Db bound to one connection inside an open transaction (see withTenant). */
export type Tx = Db;

export interface Database {
  /** Connections for work outside tenant scope (global tables: users, sessions, workspaces); never carry tenant settings. */
  pool: pg.Pool;
  /** Connections used only by withTenant: read-only unless a transaction says otherwise. */
  tenantPool: pg.Pool;
  /** Pool-backed client for work outside tenant scope. */
  db: Db;
  kind: "embedded" | "external";
  close(): Promise<void>;
}

// Return int8 (counts, bigserial ids) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function connect(url: string, kind: Database["kind"], poolSize: number): Database {
  const common = { connectionString: url, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, application_name: "guanxi" };
  const pool = new pg.Pool({ ...common, max: Math.max(2, Math.ceil(poolSize / 2)) });
  // Tenant connections default to read-only: a read (see withTenant) cannot write by mistake;
  // writes open an explicit READ WRITE transaction.
  const tenantPool = new pg.Pool({ ...common, max: poolSize, options: "-c default_transaction_read_only=on" });
  // An idle client that loses its server (database restart) must not crash the process.
  pool.on("error", () => undefined);
  tenantPool.on("error", () => undefined);
  return {
    pool,
    tenantPool,
    db: drizzle({ client: pool, schema }),
    kind,
    async close() {
      await Promise.all([pool.end(), tenantPool.end()]);
    },
  };
}

export interface TenantScope {
  tenantId: string | null;
  userId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clientDbs = new WeakMap<pg.PoolClient, Db>();
/** The session-level scope a tenant connection carries now ("tenant|user"). */
const clientScopes = new WeakMap<pg.PoolClient, string>();

/** An error from the server (it has a SQLSTATE) leaves the connection usable; others may not. */
const serverError = (err: unknown) => typeof (err as { code?: unknown }).code === "string" && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);

/**
 * Runs `fn` with row-level security scoped to one tenant (and user). Every
 * tenant table's policy reads these settings, so a query inside can only see
 * and write that tenant's rows, whatever its WHERE says.
 *
 * "write" (default): one READ WRITE transaction, settings local to it, opened
 * in the same round trip as BEGIN. "read": the settings are set on the
 * connection itself (skipped when it already carries this scope) and the
 * statements run read-only — two round trips fewer for most requests. Tenant
 * connections are only ever used here, and every use sets its scope first.
 */
export async function withTenant<T>(
  database: Database,
  scope: TenantScope,
  fn: (tx: Tx) => Promise<T>,
  mode: "read" | "write" = "write",
): Promise<T> {
  const tenant = scope.tenantId ?? "";
  const user = scope.userId ?? "";
  // Inlined below: only canonical UUIDs get there.
  if ((tenant && !UUID.test(tenant)) || (user && !UUID.test(user))) throw new Error("invalid tenant scope");
  const client = await database.tenantPool.connect();
  let tx = clientDbs.get(client);
  if (!tx) {
    tx = drizzle({ client, schema });
    clientDbs.set(client, tx);
  }
  let broken: Error | undefined;
  try {
    if (mode === "read") {
      const key = `${tenant}|${user}`;
      if (clientScopes.get(client) !== key) {
        clientScopes.delete(client);
        await client.query(`SELECT set_config('app.tenant_id', '${tenant}', false), set_config('app.user_id', '${user}', false)`);
        clientScopes.set(client, key);
      }
      try {
        return await fn(tx);
      } catch (err) {
        if (!serverError(err)) broken = err as Error;
        throw err;
      }
    }
    try {
      await client.query(
        `BEGIN READ WRITE; SELECT set_config('app.tenant_id', '${tenant}', true), set_config('app.user_id', '${user}', true)`,
      );
      const result = await fn(tx);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch((e: Error) => (broken = e));
      throw err;
    }
  } finally {
    client.release(broken);
  }
}

/** Scoped to a user but no tenant: for the user's own memberships across workspaces. */
export function withUserScope<T>(database: Database, userId: string, fn: (tx: Tx) => Promise<T>, mode: "read" | "write" = "write"): Promise<T> {
  return withTenant(database, { tenantId: null, userId }, fn, mode);
}
