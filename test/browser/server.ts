import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningGuanxi {
  url: string;
  process: ChildProcess;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  /** SIGTERM, then the exit code (null if it had to be killed). */
  stop: (timeoutMs?: number) => Promise<number | null>;
  cleanup: () => void;
}

/**
 * Starts `guanxi start` from the built dist/ on a fresh data directory and waits until /api/health answers.
 * `env` adds to this process's environment (e.g. TZ, or a small upload limit).
 */
export async function startGuanxi(env: Record<string, string> = {}): Promise<RunningGuanxi> {
  const dataDir = mkdtempSync(join(tmpdir(), "guanxi-browser-"));
  // mkdtemp makes it 0700; run as root, embedded PostgreSQL drops to the
  // "postgres" user, which must be able to reach its cluster directory inside.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const pgPort = await freePort();
  const child = spawn(process.execPath, [join(ROOT, "bin/guanxi.js"), "start"], {
    cwd: ROOT,
    env: { ...process.env, ...env, GUANXI_DATA_DIR: dataDir, PORT: String(port), GUANXI_EMBEDDED_PG_PORT: String(pgPort), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`guanxi exited with ${child.exitCode} before it was ready:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`guanxi did not become healthy within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    process: child,
    output: () => log,
    stop: async (timeoutMs = 30_000) => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    cleanup: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
