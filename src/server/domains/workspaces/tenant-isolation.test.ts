import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

/**
 * A user of workspace A must never reach anything of workspace B. This walks
 * every registered route, so a route added later is covered without edits.
 */
describe("tenant isolation", () => {
  let t: TestEnv;
  let a: Session;
  let b: Session;
  /** Ids of workspace B's objects, by the route parameter's object. */
  const bIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestEnv();
    a = await createWorkspace(t, "Workspace A");
    b = await createWorkspace(t, "Workspace B");
    const asB = api(t.app, b);
    const dept = (await asB.post("/api/v1/departments", { name: "B dept" })).json<{ id: string }>();
    const team = (await asB.post("/api/v1/teams", { name: "B team" })).json<{ id: string }>();
    const role = (await asB.post("/api/v1/roles", { key: "b_role", name: "B role", permissions: ["user:read"], visibility: "own" })).json<{ id: string }>();
    const user = await addUser(t, b, "sales", { departmentId: dept.id, teamIds: [team.id] });
    const token = (await asB.post("/api/v1/me/tokens", { name: "b token", scopes: ["*"] })).json<{ item: { id: string } }>();
    const customer = (await asB.post("/api/v1/customers", { kind: "organization", name: "乙方隔离测试有限公司", phones: [{ number: "13800001111" }] })).json<{ id: string }>();
    const contact = (await asB.post("/api/v1/contacts", { name: "隔离联系人", customers: [{ customerId: customer.id }] })).json<{ id: string }>();
    const file = (await asB.post("/api/v1/attachments?filename=b.csv", Buffer.from("a,b\n"), { "content-type": "application/octet-stream" })).json<{ id: string }>();
    const activity = (
      await asB.post("/api/v1/activities", { customerId: customer.id, kind: "visit", occurredAt: new Date().toISOString(), nextFollowUpAt: new Date().toISOString(), attachmentIds: [file.id] })
    ).json<{ id: string }>();
    const task = (await asB.get("/api/v1/tasks")).json<{ items: { id: string }[] }>().items[0]!;
    const field = (await asB.post("/api/v1/custom-fields", { objectType: "customer", key: "b_secret", label: "B secret", type: "text" })).json<{ id: string }>();
    const view = (await asB.post("/api/v1/views", { objectType: "customer", name: "B view", shared: true, query: { filter: [] } })).json<{ id: string }>();
    const pool = (await asB.get("/api/v1/pools")).json<{ items: { id: string }[] }>().items[0]!;
    const upload = (await asB.post("/api/v1/imports?objectType=customer&fileName=b.csv", Buffer.from("客户名称\nb_secret\n"), { "content-type": "application/octet-stream" })).json<{ id: string }>();
    const template = (await asB.post("/api/v1/import-templates", { objectType: "customer", name: "B template", columns: [{ title: "客户名称", target: "name" }] })).json<{ id: string }>();
    const exported = (await asB.post("/api/v1/exports", { objectType: "customer", format: "csv" })).json<{ id: string }>();
    const twin = (await asB.post("/api/v1/customers", { kind: "organization", name: "乙方隔离测试副本", allowDuplicate: true })).json<{ id: string }>();
    const merge = (await asB.post("/api/v1/merges", { objectType: "customer", survivorId: customer.id, mergedIds: [twin.id] })).json<{ id: string }>();
    const { notify } = await import("../notifications/notifications.js");
    await withTenant(t.database, { tenantId: b.workspaceId }, (tx) => notify(tx, b.workspaceId, { userId: b.userId, kind: "customer_reclaimed", data: { name: "x", pool: "y" } }));
    const [notification] = await withTenant(t.database, { tenantId: b.workspaceId }, async (tx) => (await tx.execute<{ id: string }>("select id from notifications")).rows);
    const category = (await asB.post("/api/v1/product-categories", { name: "B 类别" })).json<{ id: string }>();
    const product = (await asB.post("/api/v1/products", { sku: "B-SKU-1", name: "B 产品", categoryId: category.id, listPrice: "10" })).json<{ id: string }>();
    const priceList = (await asB.post("/api/v1/price-lists", { name: "B 价格表", currency: "CNY" })).json<{ id: string }>();
    if (!priceList.id) throw new Error(JSON.stringify(priceList));
    const flow = (await asB.post("/api/v1/approval-flows", { kind: "discount", name: "B flow", steps: [{ name: "B step", approver: { type: "managers" } }] })).json<{ id: string }>();
    const tight = (await asB.post("/api/v1/customers", { kind: "organization", name: "乙方授信测试有限公司", creditLimit: "1" })).json<{ id: string }>();
    const order = (await asB.post("/api/v1/orders", { customerId: tight.id, lines: [{ productId: product.id, quantity: "1" }] })).json<{ id: string; version: number }>();
    const submitted = (await asB.post(`/api/v1/orders/${order.id}/submit`, { version: order.version })).json<{ approvalId: string }>();
    const pipeline = (await asB.get("/api/v1/pipelines")).json<{ items: { id: string }[] }>().items[0]!;
    const opportunity = (await asB.post("/api/v1/opportunities", { name: "乙方商机", customerId: customer.id })).json<{ id: string }>();
    const paidOrder = (await asB.post("/api/v1/orders", { customerId: customer.id, lines: [{ productId: product.id, quantity: "2" }] })).json<{ id: string; version: number }>();
    await asB.post(`/api/v1/orders/${paidOrder.id}/submit`, { version: paidOrder.version });
    const payment = (await asB.post("/api/v1/payments", { customerId: customer.id, amount: "5", currency: "CNY", receivedOn: "2026-01-05" })).json<{ id: string }>();
    const invoice = (await asB.post(`/api/v1/orders/${paidOrder.id}/invoices`, { type: "vat_normal", number: "B0001", amount: "5", issuedOn: "2026-01-05" })).json<{ id: string }>();
    const lead = (await asB.post("/api/v1/leads", { name: "乙方线索", phone: "13800002222" })).json<{ id: string }>();
    const leadRule = (await asB.post("/api/v1/lead-assignment-rules", { name: "B rule", userIds: [b.userId] })).json<{ id: string }>();
    const quote = (await asB.post("/api/v1/quotes", { customerId: customer.id, lines: [{ productId: product.id, quantity: "1" }] })).json<{ id: string }>();
    const target = (await asB.post("/api/v1/targets", { metric: "order_amount", periodType: "month", periodStart: "2026-01-01", scope: "company", amount: "1000" })).json<{ id: string }>();
    const job = (await asB.post("/api/v1/demo", {})).json<{ jobId: string }>();
    // Let the demo job finish: it adds to B, and the tests below count B's rows.
    for (let i = 0; i < 1200; i++) {
      const state = (await asB.get(`/api/v1/jobs/${job.jobId}`)).json<{ state: string }>().state;
      if (state === "completed" || state === "failed") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    Object.assign(bIds, {
      departments: dept.id,
      teams: team.id,
      roles: role.id,
      users: user.id,
      tokens: token.item.id,
      jobs: job.jobId,
      customers: customer.id,
      contacts: contact.id,
      pools: pool.id,
      activities: activity.id,
      attachments: file.id,
      tasks: task.id,
      views: view.id,
      "custom-fields": field.id,
      notifications: notification!.id,
      imports: upload.id,
      merges: merge.id,
      "import-templates": template.id,
      exports: exported.id,
      "product-categories": category.id,
      products: product.id,
      "price-lists": priceList.id,
      "approval-flows": flow.id,
      approvals: submitted.approvalId,
      orders: order.id,
      pipelines: pipeline.id,
      opportunities: opportunity.id,
      payments: payment.id,
      invoices: invoice.id,
      leads: lead.id,
      "lead-assignment-rules": leadRule.id,
      quotes: quote.id,
      targets: target.id,
    });
  });
  afterAll(async () => t?.close());

  const routeObject = (url: string) => {
    const parts = url.split("/").filter(Boolean);
    return parts[parts.indexOf(":id") - 1] ?? "";
  };

  it("knows every route that takes an id", () => {
    const withId = t.app.apiRoutes.filter((r) => r.url.includes(":id"));
    expect(withId.length).toBeGreaterThanOrEqual(11);
    for (const r of withId) expect(bIds[routeObject(r.url)], `no workspace-B object for ${r.method} ${r.url}`).toBeDefined();
  });

  it("answers 404 to A for every object of B, on every route with an id, and changes nothing", async () => {
    const before = await withTenant(t.database, { tenantId: b.workspaceId }, async (tx) =>
      (await tx.execute<{ n: number }>("select (select count(*) from memberships) + (select count(*) from teams) + (select count(*) from departments) + (select count(*) from roles) + (select count(*) from api_tokens where revoked_at is null) + (select count(*) from customers where deleted_at is null) + (select count(*) from contacts where deleted_at is null) + (select count(*) from activities where deleted_at is null) + (select count(*) from tasks where status = 'open') as n")).rows[0]!.n,
    );
    // Routes whose body is checked before the object is looked up get a valid one.
    const bodies: Record<string, Record<string, unknown>> = {
      "/api/v1/imports/:id/template": { templateId: bIds["import-templates"]!, version: 1 },
      "/api/v1/price-lists/:id/items": { items: [], version: 1 },
      "/api/v1/approvals/:id/return": { toStep: 0 },
      "/api/v1/approvals/:id/comment": { comment: "x" },
      "/api/v1/orders/:id/cancel": { reason: "x", version: 1 },
      "/api/v1/opportunities/:id/move": { stageId: "00000000-0000-4000-8000-000000000000", version: 1 },
      "/api/v1/orders/:id/payment-plan": { instalments: [{ dueDate: "2026-01-01", amount: "1" }], version: 1 },
      "/api/v1/orders/:id/invoices": { type: "vat_normal", number: "A1", amount: "1", issuedOn: "2026-01-01" },
      "/api/v1/payments/:id/void": { reason: "x", version: 1 },
      "/api/v1/leads/:id/follow-up": { note: "x" },
      "/api/v1/leads/:id/lose": { lostReason: "x" },
      "/api/v1/leads/:id/assign": { userId: "00000000-0000-4000-8000-000000000000" },
      "/api/v1/leads/:id/convert": { customer: {} },
      "/api/v1/quotes/:id/send": { to: "a@example.com", version: 1 },
      "/api/v1/quotes/:id/reject": { reason: "x", version: 1 },
      "/api/v1/targets/:id/breakdown": { children: [] },
    };
    for (const r of t.app.apiRoutes.filter((x) => x.url.includes(":id"))) {
      const url = r.url.replace(":id", bIds[routeObject(r.url)]!);
      const res = await t.app.inject({
        method: r.method as "GET",
        url,
        headers: { cookie: a.cookie, "if-match": '"1"' },
        ...(r.method === "PATCH" ? { payload: { version: 1 } } : {}),
        ...(bodies[r.url] ? { payload: bodies[r.url] } : {}),
      });
      expect(res.statusCode, `${r.method} ${url}: ${res.body}`).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe("NOT_FOUND");
    }
    const after = await withTenant(t.database, { tenantId: b.workspaceId }, async (tx) =>
      (await tx.execute<{ n: number }>("select (select count(*) from memberships) + (select count(*) from teams) + (select count(*) from departments) + (select count(*) from roles) + (select count(*) from api_tokens where revoked_at is null) + (select count(*) from customers where deleted_at is null) + (select count(*) from contacts where deleted_at is null) + (select count(*) from activities where deleted_at is null) + (select count(*) from tasks where status = 'open') as n")).rows[0]!.n,
    );
    expect(after).toBe(before);
  });

  it("never lists B's objects on A's list routes", async () => {
    const asA = api(t.app, a);
    const aPair = [];
    for (const name of ["甲方预览一", "甲方预览二"]) aPair.push((await asA.post("/api/v1/customers", { kind: "organization", name, allowDuplicate: true })).json<{ id: string }>().id);
    const lists = t.app.apiRoutes.filter((r) => r.method === "GET" && !r.url.includes(":") && r.url.startsWith("/api/v1/") && !r.public);
    expect(lists.length).toBeGreaterThanOrEqual(10);
    const bValues = Object.values(bIds).concat(b.workspaceId, b.userId, "b_secret");
    // Routes that need a query get one that B's data would answer.
    const queries: Record<string, string> = { "/api/v1/search": "?q=" + encodeURIComponent("乙方"), "/api/v1/customers/duplicates": "?phone=13800001111&name=" + encodeURIComponent("乙方隔离测试"),
      "/api/v1/customers/counts": "?groupBy=ownerId",
      "/api/v1/views": "?objectType=customer",
      "/api/v1/import-templates": "?objectType=customer",
      "/api/v1/users/names": `?ids=${b.userId},${a.userId}`,
      "/api/v1/merges/preview": `?objectType=customer&ids=${aPair.join(",")}`,
    };
    for (const r of lists) {
      const res = await asA.get(r.url + (queries[r.url] ?? ""));
      expect(res.statusCode, `${r.url}: ${res.body}`).toBe(200);
      const body = res.body;
      for (const id of bValues) {
        // The workspace switcher lists only A's workspaces for A's user.
        expect(body.includes(id), `${r.url} leaks ${id}`).toBe(false);
      }
    }
  });

  it("refuses switching into a workspace one is not a member of", async () => {
    const res = await api(t.app, a).post("/api/v1/auth/switch-workspace", { workspaceId: b.workspaceId });
    expect(res.statusCode).toBe(404);
  });

  it("requires authentication on every non-public route", async () => {
    const closed = t.app.apiRoutes.filter((r) => !r.public && r.url.startsWith("/api/v1/"));
    expect(closed.length).toBeGreaterThan(20);
    for (const r of closed) {
      const url = r.url.replace(":id", "00000000-0000-4000-8000-000000000000");
      const res = await t.app.inject({ method: r.method as "GET", url, ...(r.method === "GET" || r.method === "DELETE" ? {} : { payload: {} }) });
      expect(res.statusCode, `${r.method} ${url}`).toBe(401);
    }
  });

  it("shows a member of two workspaces only the current workspace's membership", async () => {
    const asA = api(t.app, a);
    const roles = (await asA.get("/api/v1/roles")).json<{ items: { id: string; key: string }[] }>().items;
    // B's owner joins A as well.
    const added = await asA.post("/api/v1/users", { email: b.email, name: "B owner", roleId: roles.find((r) => r.key === "sales")!.id });
    expect(added.statusCode).toBe(201);
    const inB = await withTenant(t.database, { tenantId: b.workspaceId, userId: b.userId }, async (tx) =>
      (await tx.execute<{ tenant_id: string }>(`select tenant_id from memberships where user_id = '${b.userId}'`)).rows,
    );
    expect(inB.map((r) => r.tenant_id)).toEqual([b.workspaceId]);
    const anywhere = await withTenant(t.database, { tenantId: null, userId: b.userId }, async (tx) =>
      (await tx.execute<{ tenant_id: string }>("select tenant_id from memberships order by created_at")).rows,
    );
    expect(anywhere.map((r) => r.tenant_id).sort()).toEqual([a.workspaceId, b.workspaceId].sort());
  });

  it("re-scopes a reused connection on every read, and a read cannot write", async () => {
    // One tenant connection only: every read below reuses it.
    const single = connect(t.dbUrl, "embedded", 1);
    try {
      const count = (tenantId: string) =>
        withTenant(single, { tenantId }, async (tx) => (await tx.execute<{ tenant_id: string }>("select distinct tenant_id from teams")).rows, "read");
      expect(await count(a.workspaceId)).toEqual([]);
      expect((await count(b.workspaceId)).map((r) => r.tenant_id)).toEqual([b.workspaceId]);
      expect(await count(a.workspaceId)).toEqual([]);
      await expect(
        withTenant(single, { tenantId: a.workspaceId }, (tx) => tx.execute(`insert into teams (tenant_id, name) values ('${a.workspaceId}', 'from a read')`), "read"),
      ).rejects.toMatchObject({ cause: { code: "25006" } }); // read_only_sql_transaction
      // A write transaction on the same connection works, and does not change what later reads see.
      await withTenant(single, { tenantId: a.workspaceId }, (tx) => tx.execute(`insert into teams (tenant_id, name) values ('${a.workspaceId}', 'written')`));
      expect((await count(b.workspaceId)).map((r) => r.tenant_id)).toEqual([b.workspaceId]);
      expect((await count(a.workspaceId)).map((r) => r.tenant_id)).toEqual([a.workspaceId]);
    } finally {
      await single.close();
    }
  });

  it("keeps B's rows out of a transaction scoped to A even without a WHERE", async () => {
    const rows = await withTenant(t.database, { tenantId: a.workspaceId }, async (tx) =>
      (await tx.execute<{ tenant_id: string }>("select tenant_id from teams union all select tenant_id from memberships union all select tenant_id from events")).rows,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tenant_id === a.workspaceId)).toBe(true);
  });
});
