import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type TestEnv } from "../../test/harness.js";

describe("system routes", () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await startTestEnv();
  });
  afterAll(async () => t?.close());

  it("reports health and which database it runs on", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "ok", database: "embedded", version: expect.any(String) });
    expect(res.headers["x-request-id"]).toBeTruthy();
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(res.headers["content-security-policy"])).toContain("default-src 'self'");
  });

  it("serves an OpenAPI 3.1 document describing every route", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    expect(doc.openapi).toBe("3.1.0");
    for (const r of t.app.apiRoutes.filter((x) => x.url.startsWith("/api/v1/"))) {
      const path = r.url.replace(/:(\w+)/g, "{$1}");
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    expect(Object.keys(doc.paths["/api/v1/users"]!.get!.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403"]));
    const page = await t.app.inject({ method: "GET", url: "/api/reference/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("/api/openapi.json");
  });

  it("allows first-run set-up exactly once, even when two browsers race", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/setup/status" })).json()).toEqual({ needsSetup: true });
    const body = (email: string) => ({ workspaceName: "并发", name: "X", email, password: "Setup-password-1", locale: "zh-CN" });
    const [a, b] = await Promise.all([
      t.app.inject({ method: "POST", url: "/api/v1/setup", payload: body("a@example.com") }),
      t.app.inject({ method: "POST", url: "/api/v1/setup", payload: body("b@example.com") }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/setup/status" })).json()).toEqual({ needsSetup: false });
  });

  it("fills a workspace with demo data as a job whose progress can be polled", { timeout: 180_000 }, async () => {
    const owner = await createWorkspace(t);
    const { jobId } = (await api(t.app, owner).post("/api/v1/demo", {})).json<{ jobId: string }>();
    let job: { state: string; progressDone: number; progressTotal: number | null; result: Record<string, number> | null } | undefined;
    for (let i = 0; i < 800; i++) {
      job = (await api(t.app, owner).get(`/api/v1/jobs/${jobId}`)).json();
      if (job?.state === "completed" || job?.state === "failed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job).toMatchObject({ state: "completed", result: { users: 17, teams: 3, departments: 7, customers: 48 } });
    expect(job!.progressDone).toBe(job!.progressTotal);
    const users = (await api(t.app, owner).get("/api/v1/users?limit=100")).json<{ items: { name: string }[] }>();
    expect(users.items).toHaveLength(18);
    expect(users.items.some((u) => /[\u4e00-\u9fff]/.test(u.name))).toBe(true);
    // Running it again adds nothing: the job is idempotent.
    const again = (await api(t.app, owner).post("/api/v1/demo", {})).json<{ jobId: string }>();
    for (let i = 0; i < 800; i++) {
      job = (await api(t.app, owner).get(`/api/v1/jobs/${again.jobId}`)).json();
      if (job?.state === "completed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await api(t.app, owner).get("/api/v1/users?limit=100")).json<{ items: unknown[] }>().items).toHaveLength(18);
  });
});
