import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type Database } from "./client.js";
import { runMigrations } from "./migrate.js";

/** All migrations, from nothing, on an empty database: what a new install does. */
describe("migrations", () => {
  let database: Database;
  const name = `gxt_mig_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: inject("testDbUrl") });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
    await admin.end();
    const url = new URL(inject("testDbUrl"));
    url.pathname = `/${name}`;
    database = connect(url.toString(), "external", 4);
    await runMigrations(database.pool);
  });
  afterAll(async () => {
    await database.close();
  });

  it("applies every migration on an empty database and is idempotent", async () => {
    const { rows } = await database.pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
    await runMigrations(database.pool);
    const again = await database.pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(again.rows[0]!.n).toBe(rows[0]!.n);
  });

  it("creates a UTF-8 database with pg_trgm", async () => {
    const { rows } = await database.pool.query<{ enc: string; trgm: number }>(
      "select pg_encoding_to_char(encoding) as enc, (select count(*)::int from pg_extension where extname = 'pg_trgm') as trgm from pg_database where datname = current_database()",
    );
    expect(rows[0]).toEqual({ enc: "UTF8", trgm: 1 });
  });

  it("keys every tenant table by tenant_id first and forces row-level security on it", async () => {
    const { rows } = await database.pool.query<{ table: string; rls: boolean; forced: boolean; policies: number; pk_first: string | null }>(`
      select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies,
             (select a2.attname from pg_index i join pg_attribute a2 on a2.attrelid = i.indrelid and a2.attnum = i.indkey[0]
               where i.indrelid = c.oid and i.indisprimary) as pk_first
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
       where n.nspname = 'public' and c.relkind = 'r'
       order by 1`);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const r of rows) {
      expect(r, r.table).toMatchObject({ rls: true, forced: true, pk_first: "tenant_id" });
      expect(r.policies, r.table).toBeGreaterThan(0);
    }
  });

  it("sees no tenant rows outside a tenant transaction, and the role cannot bypass RLS", async () => {
    const role = await database.pool.query<{ su: boolean; bypass: boolean }>(
      "select rolsuper as su, rolbypassrls as bypass from pg_roles where rolname = current_user",
    );
    expect(role.rows[0]).toEqual({ su: false, bypass: false });
    await database.pool.query("insert into workspaces (id, name) values ('00000000-0000-4000-8000-000000000001', 'x')");
    // Without app.tenant_id the insert is refused by the policy's WITH CHECK.
    await expect(
      database.pool.query(
        "insert into teams (tenant_id, name) values ('00000000-0000-4000-8000-000000000001', 'sneaky')",
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
