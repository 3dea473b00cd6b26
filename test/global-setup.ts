import crypto from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureAppDatabase, markSearchOperatorsLeakproof } from "../src/server/db/bootstrap.js";
import { connect } from "../src/server/db/client.js";
import { startEmbeddedCluster, type EmbeddedCluster } from "../src/server/db/embedded.js";
import { runMigrations } from "../src/server/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A role that may create databases (not a superuser): tests connect as it. */
    testDbUrl: string;
    templateDb: string;
    /** The embedded cluster's superuser (database "postgres"); empty when the suite runs on TEST_DATABASE_URL. */
    testSuperuserUrl: string;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * One PostgreSQL per test run, migrated once into a template database; each
 * test file copies the template (CREATE DATABASE … TEMPLATE) in milliseconds.
 * TEST_DATABASE_URL (a role with CREATEDB, not a superuser) runs the suite
 * against an external server instead of the embedded one.
 */
export default async function setup(project: TestProject) {
  let cluster: EmbeddedCluster | undefined;
  let dir: string | undefined;
  let baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "guanxi-test-"));
    // The cluster may run as the postgres user (when we are root): let it reach its directory.
    await fs.chmod(dir, 0o755);
    const superPassword = crypto.randomBytes(12).toString("hex");
    cluster = await startEmbeddedCluster({ dir: path.join(dir, "pg"), port: await freePort(), superuserPassword: superPassword, durable: false });
    const password = crypto.randomBytes(12).toString("hex");
    await ensureAppDatabase(cluster.superuserUrl(), { role: "guanxi_test", password, database: "guanxi_test", createdb: true });
    baseUrl = `postgres://guanxi_test:${password}@127.0.0.1:${cluster.port}/guanxi_test`;
  }
  const templateDb = `guanxi_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDb}`);
  await admin.query(`CREATE DATABASE ${templateDb} ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${templateDb}`;
  const db = connect(url.toString(), "external", 2);
  await runMigrations(db.pool);
  await db.close();
  // As openDatabase does for the embedded database; copies of the template inherit it. An external server keeps its own setting.
  if (cluster) await markSearchOperatorsLeakproof(cluster.superuserUrl(templateDb));

  project.provide("testDbUrl", baseUrl);
  project.provide("templateDb", templateDb);
  project.provide("testSuperuserUrl", cluster ? cluster.superuserUrl() : "");

  return async () => {
    if (cluster) await cluster.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (!cluster) {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      const { rows } = await c.query<{ datname: string }>(
        `select datname from pg_database where datname like 'gxt\\_%' or datname = $1`,
        [templateDb],
      );
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    }
  };
}
