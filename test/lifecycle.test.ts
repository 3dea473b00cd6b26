import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./global-setup.js";

/**
 * The real program, as a user runs it: embedded PostgreSQL in a data
 * directory, SIGTERM, and a restart that finds everything again.
 */
describe("guanxi start: shutdown and restart", () => {
  const root = path.resolve(import.meta.dirname, "..");
  let dataDir = "";
  let child: ChildProcess | undefined;

  afterAll(async () => {
    child?.kill("SIGKILL");
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  function spawnGuanxi(command: string, port: number, pgPort: number, extra: Record<string, string> = {}): { proc: ChildProcess; output: () => string } {
    let out = "";
    // The TypeScript sources (through tsx), so the test never runs a stale build.
    const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/server/cli.ts"), command], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        GUANXI_DATA_DIR: dataDir,
        PORT: String(port),
        GUANXI_EMBEDDED_PG_PORT: String(pgPort),
        GUANXI_ADMIN_EMAIL: "admin@example.com",
        GUANXI_ADMIN_PASSWORD: "first-admin-pass",
        DATABASE_URL: "",
        ...extra,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    return { proc, output: () => out };
  }

  async function start(port: number, pgPort: number, extra: Record<string, string> = {}): Promise<{ proc: ChildProcess; output: () => string }> {
    const { proc, output } = spawnGuanxi("start", port, pgPort, extra);
    for (let i = 0; i < 600; i++) {
      if (proc.exitCode !== null) throw new Error(`guanxi exited early: ${output()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) return { proc, output };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`guanxi did not become healthy: ${output()}`);
  }

  const portOpen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.on("connect", () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });

  it("finishes in-flight requests on SIGTERM, stops its database, and keeps the data for the next start", { timeout: 120_000 }, async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "guanxi-life-"));
    await fs.chmod(dataDir, 0o755);
    const port = await freePort();
    const pgPort = await freePort();
    const first = await start(port, pgPort);
    child = first.proc;
    const base = `http://127.0.0.1:${port}`;
    const health = (await (await fetch(`${base}/api/health`)).json()) as { database: string };
    expect(health.database).toBe("embedded");

    const loginRes = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.com", password: "first-admin-pass" }),
    });
    expect(loginRes.status).toBe(200);
    const cookie = loginRes.headers.get("set-cookie")!.split(";")[0]!;
    const created = await fetch(`${base}/api/v1/teams`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ name: "持久团队" }),
    });
    expect(created.status).toBe(201);

    // Requests under way when SIGTERM arrives all complete.
    const inflight = Array.from({ length: 40 }, () => fetch(`${base}/api/v1/users`, { headers: { cookie } }).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise<number | null>((resolve) => first.proc.on("exit", (code) => resolve(code)));
    first.proc.kill("SIGTERM");
    const statuses = await Promise.all(inflight.map((p) => p.catch(() => -1)));
    // Every request either completed or was refused before it started (503 while closing, or no connection): never cut mid-way.
    expect(statuses.filter((s) => s !== 200 && s !== 503 && s !== -1)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(first.output()).toMatch(/Guanxi stopped/);
    expect(await portOpen(pgPort)).toBe(false);
    const second = await start(port, pgPort);
    child = second.proc;
    const again = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.com", password: "first-admin-pass" }),
    });
    expect(again.status).toBe(200);
    const cookie2 = again.headers.get("set-cookie")!.split(";")[0]!;
    const teams = (await (await fetch(`${base}/api/v1/teams`, { headers: { cookie: cookie2 } })).json()) as { items: { name: string }[] };
    expect(teams.items.map((x) => x.name)).toEqual(["持久团队"]);
    const users = (await (await fetch(`${base}/api/v1/users`, { headers: { cookie: cookie2 } })).json()) as { items: unknown[] };
    expect(users.items).toHaveLength(1);
    const stopped = new Promise<number | null>((resolve) => second.proc.on("exit", (code) => resolve(code)));
    second.proc.kill("SIGINT");
    expect(await stopped).toBe(0);
    child = undefined;
  });
  it("runs jobs only in `guanxi worker` when GUANXI_JOBS=external, sharing the embedded database", { timeout: 120_000 }, async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const web = await start(port, pgPort, { GUANXI_JOBS: "external" });
    child = web.proc;
    const base = `http://127.0.0.1:${port}`;
    const loginRes = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.com", password: "first-admin-pass" }),
    });
    const cookie = loginRes.headers.get("set-cookie")!.split(";")[0]!;
    const { jobId } = (await (await fetch(`${base}/api/v1/demo`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: "{}" })).json()) as { jobId: string };
    const state = async () => ((await (await fetch(`${base}/api/v1/jobs/${jobId}`, { headers: { cookie } })).json()) as { state: string }).state;
    await new Promise((r) => setTimeout(r, 2500));
    expect(await state()).toBe("queued");

    const worker = spawnGuanxi("worker", port, pgPort, { GUANXI_JOBS: "external" });
    let final = "";
    for (let i = 0; i < 900 && final !== "completed" && final !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      final = await state();
    }
    expect(final, worker.output()).toBe("completed");
    const workerExit = new Promise<number | null>((resolve) => worker.proc.on("exit", (code) => resolve(code)));
    worker.proc.kill("SIGTERM");
    expect(await workerExit).toBe(0);
    // The worker borrowed the database; stopping it left the web process's database running.
    expect((await fetch(`${base}/api/v1/users?limit=5`, { headers: { cookie } })).status).toBe(200);
    const webExit = new Promise<number | null>((resolve) => web.proc.on("exit", (code) => resolve(code)));
    web.proc.kill("SIGTERM");
    expect(await webExit).toBe(0);
    child = undefined;
    expect(await portOpen(pgPort)).toBe(false);
  });
});
