import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";
import type { Db } from "./client.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/** drizzle/ at the package root, from both src/server/db and dist/server/db. */
export const migrationsFolder = path.resolve(here, "../../../drizzle");

// Any constant works; it only has to be the same for every Guanxi process.
const MIGRATION_LOCK = 7_361_002;

/**
 * Applies pending migrations under an advisory lock (web and worker may start
 * together), then makes sure every tenant table enforces row-level security.
 */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const db = drizzle({ client });
    await migrate(db, { migrationsFolder });
    await enforceTenantIsolation(db);
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/**
 * FORCE makes the policies apply to the table owner too (the role Guanxi
 * connects as), so no code path can read across tenants by forgetting a
 * WHERE. drizzle-kit emits ENABLE and the policy but not FORCE.
 */
async function enforceTenantIsolation(db: Pick<Db, "execute">): Promise<void> {
  await db.execute(sql`
    DO $$
    DECLARE t record;
    BEGIN
      FOR t IN
        SELECT c.oid::regclass AS tbl
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
      LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t.tbl);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t.tbl);
      END LOOP;
    END $$;
  `);
}
