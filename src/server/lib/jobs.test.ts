import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../test/harness.js";
import { allPermissions } from "./access.js";
import { systemCtx } from "./context.js";
import { defineJob } from "./jobs.js";

// Items each attempt handled, by job id: across attempts every item must appear exactly once.
const handled = new Map<string, number[]>();
const attempts = new Map<string, number>();

defineJob("test_resume", async ({ id, input, checkpoint }, tools) => {
  attempts.set(id, (attempts.get(id) ?? 0) + 1);
  const total = Number(input.items);
  const start = Number(checkpoint?.next ?? 0);
  for (let i = start; i < total; i++) {
    handled.set(id, [...(handled.get(id) ?? []), i]);
    await tools.checkpoint({ next: i + 1 });
    await tools.progress(i + 1, total, true);
    // The first attempt dies half-way, as a worker killed mid-job would.
    if (attempts.get(id) === 1 && i + 1 === Number(input.crashAfter)) throw new Error("simulated crash");
  }
  return { items: total };
});

defineJob("test_always_fails", async () => {
  throw new Error("broken input");
});

describe("background jobs", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  async function waitFor(jobId: string, states: string[], timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = (await api(t.app, owner).get(`/api/v1/jobs/${jobId}`)).json<{ state: string; progressDone: number; progressTotal: number; error: string | null; result: Record<string, unknown> | null }>();
      if (states.includes(job.state) || Date.now() > until) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it("retries a job that died and resumes from its checkpoint: nothing lost, nothing twice", { timeout: 60_000 }, async () => {
    const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions(), owner.userId);
    const jobId = await t.services.jobs.enqueue(ctx, "test_resume", { items: 10, crashAfter: 4 });
    const job = await waitFor(jobId, ["completed", "failed"]);
    expect(job.state).toBe("completed");
    expect(attempts.get(jobId)).toBe(2);
    expect(handled.get(jobId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(job).toMatchObject({ progressDone: 10, progressTotal: 10, result: { items: 10 } });
  });

  it("marks a job failed with its reason once retries are spent, and only its creator (or job:read) sees it", { timeout: 60_000 }, async () => {
    const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions(), owner.userId);
    const jobId = await t.services.jobs.enqueue(ctx, "test_always_fails", {});
    const job = await waitFor(jobId, ["failed"], 45_000);
    expect(job.state).toBe("failed");
    expect(job.error).toBe("broken input");
    const other = await createWorkspace(t);
    expect((await api(t.app, other).get(`/api/v1/jobs/${jobId}`)).statusCode).toBe(404);
  });

  it("retries within seconds a job whose worker process was killed, resuming from its checkpoint", { timeout: 120_000 }, async () => {
    // Registered only now, after this process's queue started: the spawned workers run it, not this process.
    const { SLOW_JOB } = await import("../../../test/fixtures/slow-job.js");
    const root = path.resolve(import.meta.dirname, "../../..");
    const children: ChildProcess[] = [];
    const spawnWorker = async () => {
      const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/fixtures/job-worker.ts")], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: t.dbUrl },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(proc);
      let out = "";
      proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 300 && !out.includes("worker ready"); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain("worker ready");
      return { proc, output: () => out };
    };
    try {
      const first = await spawnWorker();
      const ctx = systemCtx(t.database, t.services, owner.workspaceId, allPermissions(), owner.userId);
      const jobId = await t.services.jobs.enqueue(ctx, SLOW_JOB, { items: 40 });
      const running = await waitFor(jobId, ["running"]);
      expect(running.state).toBe("running");
      for (let i = 0; i < 200; i++) {
        const now = (await api(t.app, owner).get(`/api/v1/jobs/${jobId}`)).json<{ progressDone: number }>();
        if (now.progressDone >= 8) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const exited = new Promise((resolve) => first.proc.on("exit", resolve));
      first.proc.kill("SIGKILL");
      await exited;
      const killedAt = Date.now();
      const second = await spawnWorker();
      const job = await waitFor(jobId, ["completed", "failed"], 90_000);
      expect(job.state, second.output()).toBe("completed");
      // pg-boss alone would wait for the attempt's expiry (hours); the lease makes it seconds.
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      const resumedAt = Number(/attempt starts at (\d+)/.exec(second.output())?.[1]);
      expect(resumedAt, `first: ${first.output()}\nsecond: ${second.output()}`).toBeGreaterThanOrEqual(8);
      expect(job).toMatchObject({ progressDone: 40, progressTotal: 40, result: { items: 40, pid: second.proc.pid, attemptStart: resumedAt } });
    } finally {
      for (const c of children) c.kill("SIGKILL");
    }
  });
});
