import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

describe("A/B/C grading rules", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  const create = async (body: Record<string, unknown>) => {
    const res = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; grade: string | null; gradeManual: boolean; version: number }>();
  };
  const gradeOf = async (id: string) => (await api(t.app, owner).get(`/api/v1/customers/${id}`)).json<{ grade: string | null }>().grade;

  it("re-grades existing customers in a job when the rules change, keeping manual grades; new and edited customers follow the rules", async () => {
    const big = await create({ name: "大额授信公司", creditLimit: "2000000.00" });
    const maker = await create({ name: "制造业公司", industry: "制造业" });
    const plain = await create({ name: "普通公司" });
    const manual = await create({ name: "手工定级公司", creditLimit: "5000000.00", grade: "C" });
    expect(big.grade).toBeNull();

    const settings = (await api(t.app, owner).get("/api/v1/customer-settings")).json<{ version: number }>();
    const bad = await api(t.app, owner).patch("/api/v1/customer-settings", { version: settings.version, gradeRules: [{ grade: "A", filter: ["revenue:gte:1"] }] });
    expect(bad.statusCode).toBe(400);
    const res = await api(t.app, owner).patch("/api/v1/customer-settings", {
      version: settings.version,
      gradeRules: [
        { grade: "A", filter: ["creditLimit:gte:1000000"] },
        { grade: "B", filter: ["industry:eq:制造业"] },
      ],
      defaultGrade: "C",
    });
    expect(res.statusCode, res.body).toBe(200);
    const { regradeJobId } = res.json<{ regradeJobId: string }>();
    let state = "";
    for (let i = 0; i < 600 && state !== "completed" && state !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await api(t.app, owner).get(`/api/v1/jobs/${regradeJobId}`)).json<{ state: string }>().state;
    }
    expect(state).toBe("completed");
    expect([await gradeOf(big.id), await gradeOf(maker.id), await gradeOf(plain.id), await gradeOf(manual.id)]).toEqual(["A", "B", "C", "C"]);
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?objectId=${big.id}`)).json<{ items: { action: string }[] }>();
    expect(audit.items.map((e) => e.action)).toContain("customer.graded");

    const fresh = await create({ name: "新授信公司", creditLimit: "1000000" });
    expect(fresh.grade).toBe("A");
    const edited = await api(t.app, owner).patch(`/api/v1/customers/${fresh.id}`, { version: fresh.version, creditLimit: "10.00", industry: "制造业" });
    expect(edited.json<{ grade: string }>().grade).toBe("B");
    // Clearing a manual grade hands the customer back to the rules.
    const cleared = await api(t.app, owner).patch(`/api/v1/customers/${manual.id}`, { version: manual.version, grade: null });
    expect(cleared.json<{ grade: string; gradeManual: boolean }>()).toMatchObject({ grade: "A", gradeManual: false });
  });
});
