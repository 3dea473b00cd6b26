import path from "node:path";
import pg from "pg";
import type { Config } from "../config.js";
import { loadSecrets } from "../lib/secrets.js";
import { connect, type Database } from "./client.js";
import { startEmbeddedCluster, type EmbeddedCluster } from "./embedded.js";
import { runMigrations } from "./migrate.js";

export const APP_ROLE = "guanxi";
export const APP_DATABASE = "guanxi";

export interface DatabaseRuntime {
  database: Database;
  cluster: EmbeddedCluster | undefined;
  /** Connection string of the application role (pg-boss uses it too). */
  url: string;
  secretKey: string;
  stop(): Promise<void>;
}

/**
 * Creates the application role (no superuser, no BYPASSRLS, so row-level
 * security applies to it) and its UTF-8 database, if missing.
 */
export async function ensureAppDatabase(
  superuserUrl: string,
  opts: { role: string; password: string; database: string; createdb?: boolean },
): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const role = client.escapeIdentifier(opts.role);
    const exists = await client.query("select 1 from pg_roles where rolname = $1", [opts.role]);
    const flags = `LOGIN NOSUPERUSER NOBYPASSRLS ${opts.createdb ? "CREATEDB" : "NOCREATEDB"}`;
    await client.query(
      `${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${role} ${flags} PASSWORD ${client.escapeLiteral(opts.password)}`,
    );
    const db = await client.query("select 1 from pg_database where datname = $1", [opts.database]);
    if (!db.rowCount) {
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(opts.database)} OWNER ${role} ENCODING 'UTF8' TEMPLATE template0`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * Operator functions of the search conditions (`terms @> …`, `terms && …`,
 * `q <% latin`). Under row-level security PostgreSQL uses a condition as an
 * index condition only when its function is LEAKPROOF, and none of these is
 * by default: without it every search reads the whole search_documents
 * table. They raise no errors that depend on the values they compare, and in
 * Guanxi any SQL session picks its tenant itself (row-level security guards
 * against application bugs, not hostile SQL), so marking them is safe here.
 * Only a superuser may: done for the embedded database, printed for the DBA
 * of an external one.
 */
const SEARCH_OPERATORS = ["pg_catalog.arraycontains(anyarray, anyarray)", "pg_catalog.arrayoverlap(anyarray, anyarray)", "word_similarity_op(text, text)"];

/** The functions of SEARCH_OPERATORS not yet LEAKPROOF in the database `client` is connected to, as SQL to make them so. */
export async function missingLeakproof(client: Pick<pg.Client, "query">): Promise<string[]> {
  const { rows } = await client.query<{ fn: string }>(
    `select f.oid::regprocedure::text as fn
       from unnest($1::text[]) as s(name), lateral (select to_regprocedure(s.name) as oid) f
       join pg_proc p on p.oid = f.oid
      where not p.proleakproof`,
    [SEARCH_OPERATORS],
  );
  return rows.map((r) => `ALTER FUNCTION ${r.fn} LEAKPROOF;`);
}

/**
 * Marks the search operators LEAKPROOF in the database of `superuserUrl`, as the
 * superuser (after the migrations, which install pg_trgm); `on: false` undoes it
 * (the state of an external database before its DBA's step: benchmarks, tests).
 */
export async function markSearchOperatorsLeakproof(superuserUrl: string, on = true): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    if (on) for (const statement of await missingLeakproof(client)) await client.query(statement);
    else for (const fn of SEARCH_OPERATORS) await client.query(`ALTER FUNCTION ${fn} NOT LEAKPROOF`);
  } finally {
    await client.end();
  }
}

/** Refuses an external database Guanxi cannot run on safely, with the reason. */
async function checkExternal(database: Database): Promise<void> {
  const { rows } = await database.pool.query<{ v: number; enc: string; su: boolean; bypass: boolean }>(
    `select current_setting('server_version_num')::int as v,
            pg_encoding_to_char(encoding) as enc,
            r.rolsuper as su, r.rolbypassrls as bypass
       from pg_database d, pg_roles r
      where d.datname = current_database() and r.rolname = current_user`,
  );
  const info = rows[0];
  if (!info) throw new Error("Cannot read the database's settings");
  if (info.v < 150000) throw new Error(`PostgreSQL ${info.v} is too old: Guanxi needs PostgreSQL 15 or later`);
  if (info.enc !== "UTF8") throw new Error(`The database encoding is ${info.enc}: Guanxi needs a UTF8 database`);
  if (info.su || info.bypass) {
    throw new Error(
      "DATABASE_URL connects as a superuser or a role with BYPASSRLS, which would bypass tenant isolation. " +
        "Create an ordinary role that owns the database, e.g.\n" +
        "  CREATE ROLE guanxi LOGIN PASSWORD '…';\n  CREATE DATABASE guanxi OWNER guanxi ENCODING 'UTF8' TEMPLATE template0;",
    );
  }
}

/** Starts (embedded) or reaches (external) PostgreSQL, migrates it, and returns a pool as the app role. */
export async function openDatabase(config: Config, log: (msg: string, level?: "info" | "warn") => void): Promise<DatabaseRuntime> {
  const secrets = loadSecrets(config.dataDir);
  const secretKey = config.secretKey ?? secrets.secretKey;
  if (config.databaseUrl) {
    const database = connect(config.databaseUrl, "external", config.poolSize);
    try {
      await checkExternal(database);
      await runMigrations(database.pool);
      const missing = await missingLeakproof(database.pool);
      if (missing.length) {
        log(
          "Search will read whole tables until a superuser runs, in this database:\n  " +
            missing.join("\n  ") +
            "\n(README: \"Running against your own PostgreSQL\")",
          "warn",
        );
      }
    } catch (err) {
      await database.close();
      throw err;
    }
    return { database, cluster: undefined, url: config.databaseUrl, secretKey, stop: () => database.close() };
  }

  const cluster = await startEmbeddedCluster({
    dir: path.join(config.dataDir, "pg"),
    port: config.embeddedPgPort,
    superuserPassword: secrets.pgSuperuserPassword,
    log,
  });
  try {
    await ensureAppDatabase(cluster.superuserUrl(), { role: APP_ROLE, password: secrets.pgAppPassword, database: APP_DATABASE });
    const url = `postgres://${APP_ROLE}:${encodeURIComponent(secrets.pgAppPassword)}@127.0.0.1:${cluster.port}/${APP_DATABASE}`;
    const database = connect(url, "embedded", config.poolSize);
    await runMigrations(database.pool);
    await markSearchOperatorsLeakproof(cluster.superuserUrl(APP_DATABASE));
    return {
      database,
      cluster,
      url,
      secretKey,
      async stop() {
        await database.close();
        await cluster.stop();
      },
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
