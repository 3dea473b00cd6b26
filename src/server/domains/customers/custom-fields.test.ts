import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

describe("custom fields", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    const defs = [
      { objectType: "customer", key: "erp_code", label: "ERP 编号", type: "text", required: true },
      { objectType: "customer", key: "employees", label: "员工数", type: "number" },
      { objectType: "customer", key: "annual_budget", label: "年度预算", type: "money" },
      { objectType: "customer", key: "signed_on", label: "签约日", type: "date" },
      { objectType: "customer", key: "channel", label: "渠道", type: "select", options: [{ value: "online", label: "线上" }, { value: "agent", label: "代理" }] },
      { objectType: "customer", key: "products", label: "关注产品", type: "multiselect", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }] },
      { objectType: "customer", key: "vip", label: "VIP", type: "boolean" },
      { objectType: "customer", key: "homepage", label: "官网", type: "url" },
      { objectType: "customer", key: "account_manager", label: "客户经理", type: "user" },
      { objectType: "contact", key: "hobby", label: "爱好", type: "text" },
    ];
    for (const d of defs) {
      const res = await api(t.app, owner).post("/api/v1/custom-fields", d);
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  });
  afterAll(async () => t?.close());

  const create = (name: string, custom: Record<string, unknown>, who: Session = owner, lang = "en-US") =>
    api(t.app, who, lang).post("/api/v1/customers", { kind: "organization", name, custom });

  it("stores typed values, and refuses wrong types, unknown keys and missing required ones field by field", async () => {
    const ok = await create("自定义字段甲公司", {
      erp_code: "ERP-001",
      employees: 120,
      annual_budget: "880000.00",
      signed_on: "2024-01-05",
      channel: "agent",
      products: ["a", "c", "a"],
      vip: true,
      homepage: "https://jia.example.com",
      account_manager: owner.userId,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ custom: Record<string, unknown> }>().custom).toMatchObject({ employees: 120, products: ["a", "c"], vip: true, account_manager: owner.userId });

    const bad = await create(
      "自定义字段乙公司",
      { employees: "many", annual_budget: "1,000", signed_on: "2024/01/05", channel: "tv", products: ["z"], vip: "yes", homepage: "javascript:alert(1)", account_manager: "00000000-0000-4000-8000-000000000000", nope: 1 },
      owner,
      "zh-CN",
    );
    expect(bad.statusCode).toBe(400);
    const issues = bad.json<{ error: { details: { issues: { path: string[]; message: string }[] } } }>().error.details.issues;
    expect(issues.map((i) => i.path[1]).sort()).toEqual(["account_manager", "annual_budget", "channel", "employees", "erp_code", "homepage", "nope", "products", "signed_on", "vip"].sort());
    expect(issues.find((i) => i.path[1] === "erp_code")!.message).toBe("此字段为必填项");
    expect(issues.find((i) => i.path[1] === "signed_on")!.message).toBe("请按 YYYY-MM-DD 输入日期");
  });

  it("filters and sorts lists by custom fields, with stable pages", async () => {
    for (let i = 0; i < 7; i++) {
      const res = await create(`排序测试${i}号`, { erp_code: `S${i}`, employees: i % 3 === 0 ? null : i * 10, channel: i % 2 ? "online" : "agent", products: i % 2 ? ["b"] : ["a", "b"] });
      expect(res.statusCode, res.body).toBe(201);
    }
    const names = async (qs: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api(t.app, owner).get(`/api/v1/customers?limit=2&${qs}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<{ items: { name: string }[]; nextCursor: string | null }>();
        out.push(...page.items.map((c) => c.name));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };
    expect(await names("filter=custom.channel:eq:online&sort=name")).toEqual(["排序测试1号", "排序测试3号", "排序测试5号"]);
    expect((await names("filter=custom.products:eq:a&filter=name:contains:排序")).sort()).toEqual(["排序测试0号", "排序测试2号", "排序测试4号", "排序测试6号"]);
    // Empty values sort last in both directions, and paging crosses them without losing rows.
    const desc = await names("filter=name:contains:排序&sort=-custom.employees");
    expect(desc.slice(0, 4)).toEqual(["排序测试5号", "排序测试4号", "排序测试2号", "排序测试1号"]);
    expect(desc.slice(4).sort()).toEqual(["排序测试0号", "排序测试3号", "排序测试6号"]);
    expect(await names("filter=custom.employees:gte:40&sort=custom.employees")).toEqual(["排序测试4号", "排序测试5号", "自定义字段甲公司"]);
    expect((await api(t.app, owner).get("/api/v1/customers?filter=custom.unknown:eq:1")).statusCode).toBe(400);
  });

  it("keeps values on partial updates and clears them with null; only admins define fields", async () => {
    const c = (await create("更新测试公司", { erp_code: "U1", vip: true, employees: 5 })).json<{ id: string; version: number }>();
    const upd = await api(t.app, owner).patch(`/api/v1/customers/${c.id}`, { version: c.version, custom: { employees: null, channel: "online" } });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json<{ custom: Record<string, unknown> }>().custom).toEqual({ erp_code: "U1", vip: true, channel: "online" });
    const clearRequired = await api(t.app, owner).patch(`/api/v1/customers/${c.id}`, { version: c.version + 1, custom: { erp_code: null } });
    expect(clearRequired.statusCode).toBe(400);
    const sales = await addUser(t, owner, "sales");
    expect((await api(t.app, sales).post("/api/v1/custom-fields", { objectType: "customer", key: "x1", label: "X", type: "text" })).statusCode).toBe(403);
    expect((await api(t.app, owner).post("/api/v1/custom-fields", { objectType: "customer", key: "bad", label: "X", type: "select" })).statusCode).toBe(400);
    expect((await api(t.app, owner).post("/api/v1/custom-fields", { objectType: "customer", key: "vip", label: "again", type: "text" })).statusCode).toBe(409);
  });

  it("describes the workspace's fields in its OpenAPI document, and contacts take their own", async () => {
    const doc = (await api(t.app, owner).get("/api/v1/openapi.json")).json<{ components: { schemas: Record<string, { properties: Record<string, { properties?: Record<string, { type?: string; enum?: string[] }> }> }> } }>();
    const custom = doc.components.schemas.Customer!.properties.custom!.properties!;
    expect(custom.employees).toMatchObject({ type: "number" });
    expect(custom.channel).toMatchObject({ enum: ["online", "agent"] });
    expect(doc.components.schemas.Contact!.properties.custom!.properties!.hobby).toMatchObject({ type: "string" });
    const contact = await api(t.app, owner).post("/api/v1/contacts", { name: "有爱好的人", custom: { hobby: "钓鱼" } });
    expect(contact.json<{ custom: Record<string, unknown> }>().custom).toEqual({ hobby: "钓鱼" });
    expect((await api(t.app, owner).post("/api/v1/contacts", { name: "x", custom: { erp_code: "no" } })).statusCode).toBe(400);
    // The public document is the workspace-independent one.
    const pub = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(pub.body).not.toContain("annual_budget");
  });
});
