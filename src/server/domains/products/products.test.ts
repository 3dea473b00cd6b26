import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Product {
  id: string;
  sku: string;
  name: string;
  currency: string;
  listPrice: string;
  taxRate: string;
  categoryId: string | null;
  active: boolean;
  version: number;
}
interface Category {
  id: string;
  name: string;
  parentId: string | null;
  productCount: number;
  version: number;
  children?: Category[];
}
interface ErrorBody {
  error: { code: string; message: string; details: { issues?: { path: string[]; message: string }[]; field?: string } };
}

let seq = 0;
const sku = (prefix = "SKU") => `${prefix}-${Date.now().toString(36)}-${++seq}`;

describe("products and categories", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  const put = (who: Session, url: string, payload: unknown, headers: Record<string, string> = {}, lang = "en-US") =>
    t.app.inject({ method: "PUT", url, payload: payload as object, headers: { cookie: who.cookie, "accept-language": lang, ...headers } });
  const audit = async (id: string) =>
    (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${id}`)).json<{ items: { action: string; changes: Record<string, { before: unknown; after: unknown }> }[] }>().items;

  it("creates, reads, updates with If-Match, archives and unarchives a product, each audited", async () => {
    const created = await api(t.app, owner).post("/api/v1/products", { sku: sku(), name: "工业传感器 A1", unit: "台", listPrice: "1280.5", taxRate: "0.13", productLine: "传感器" });
    expect(created.statusCode, created.body).toBe(201);
    const p = created.json<Product>();
    expect(p).toMatchObject({ currency: "CNY", listPrice: "1280.5000", taxRate: "0.1300", active: true, version: 1 });

    const got = await api(t.app, owner).get(`/api/v1/products/${p.id}`);
    expect(got.headers.etag).toBe('"1"');

    const stale = await api(t.app, owner).patch(`/api/v1/products/${p.id}`, { name: "改名" }, { "if-match": '"7"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe("CONFLICT");
    const noVersion = await api(t.app, owner).patch(`/api/v1/products/${p.id}`, { name: "改名" });
    expect(noVersion.statusCode).toBe(400);

    const updated = await api(t.app, owner).patch(`/api/v1/products/${p.id}`, { listPrice: "1300" }, { "if-match": got.headers.etag as string });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(updated.json<Product>().listPrice).toBe("1300.0000");

    const archived = await api(t.app, owner).patch(`/api/v1/products/${p.id}`, { active: false, version: 2 });
    expect(archived.json<Product>().active).toBe(false);
    const back = await api(t.app, owner).patch(`/api/v1/products/${p.id}`, { active: true, version: 3 });
    expect(back.json<Product>().active).toBe(true);

    const events = await audit(p.id);
    expect(events.map((e) => e.action).sort()).toEqual(["product.archived", "product.created", "product.unarchived", "product.updated"]);
    expect(events.find((e) => e.action === "product.updated")!.changes.listPrice).toEqual({ before: "1280.5000", after: "1300.0000" });
  });

  it("refuses a SKU used by another product with 409 and a clear message, in create and update", async () => {
    const code = sku("DUP");
    const first = await api(t.app, owner).post("/api/v1/products", { sku: code, name: "First" });
    expect(first.statusCode).toBe(201);
    const dup = await api(t.app, owner, "zh-CN").post("/api/v1/products", { sku: code, name: "Second" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<ErrorBody>().error.message).toBe(`SKU“${code}”已被其他产品使用`);
    const other = (await api(t.app, owner).post("/api/v1/products", { sku: sku("DUP"), name: "Other" })).json<Product>();
    const renamed = await api(t.app, owner).patch(`/api/v1/products/${other.id}`, { sku: code, version: 1 });
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json<ErrorBody>().error.message).toContain(code);
    // The same SKU in another workspace is fine.
    const elsewhere = await createWorkspace(t);
    expect((await api(t.app, elsewhere).post("/api/v1/products", { sku: code, name: "Theirs" })).statusCode).toBe(201);
  });

  it("refuses bad input with 400 and zh-CN messages, creating nothing", async () => {
    const marker = sku("BAD");
    const bad: Record<string, unknown>[] = [
      { listPrice: "-5" },
      { listPrice: "1.23456" },
      { listPrice: 12.5 },
      { taxRate: "2" },
      { currency: "rmb" },
      { currency: "XYZ" },
      { colour: "red" },
    ];
    const messages: string[] = [];
    for (const extra of bad) {
      const res = await api(t.app, owner, "zh-CN").post("/api/v1/products", { sku: marker, name: "坏数据", ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.message).toBe("部分字段不合法");
      const issue = body.error.details.issues![0]!;
      expect(issue.message, JSON.stringify(extra)).toMatch(/[\u4e00-\u9fff]/);
      messages.push(issue.message);
    }
    expect(messages[0]).toContain("4 位小数的价格");
    expect(messages[3]).toContain("税率");
    expect(messages[4]).toContain("ISO 4217");
    const en = await api(t.app, owner).post("/api/v1/products", { sku: marker, name: "Bad", taxRate: "2" });
    expect(en.json<ErrorBody>().error.details.issues![0]!.message).toContain("A tax rate is a fraction from 0 to 1");
    const found = (await api(t.app, owner).get(`/api/v1/products?filter=sku:eq:${marker}`)).json<{ items: unknown[] }>().items;
    expect(found).toEqual([]);
  });

  it("lists with q on name or SKU in any case, filters, sorts by list price and pages by cursor", async () => {
    const ws = await createWorkspace(t);
    const cat = (await api(t.app, ws).post("/api/v1/product-categories", { name: "阀门" })).json<Category>();
    const make = (body: Record<string, unknown>) => api(t.app, ws).post("/api/v1/products", body).then((r) => r.json<Product>());
    const a = await make({ sku: "VALVE-100", name: "Ball valve", listPrice: "99.9", categoryId: cat.id, productLine: "flow" });
    const b = await make({ sku: "PUMP-7", name: "离心泵 Valve-free", listPrice: "1000", currency: "USD" });
    const c = await make({ sku: "X-1", name: "Gasket", listPrice: "0.0125", active: false });
    const get = async (qs: string) => (await api(t.app, ws).get(`/api/v1/products?${qs}`)).json<{ items: Product[]; nextCursor: string | null }>();
    expect((await get("q=valve")).items.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    expect((await get("q=pump-")).items.map((p) => p.id)).toEqual([b.id]);
    expect((await get(`filter=categoryId:eq:${cat.id}`)).items.map((p) => p.id)).toEqual([a.id]);
    expect((await get("filter=active:eq:false")).items.map((p) => p.id)).toEqual([c.id]);
    expect((await get("filter=currency:eq:USD")).items.map((p) => p.id)).toEqual([b.id]);
    expect((await get("filter=productLine:eq:flow")).items.map((p) => p.id)).toEqual([a.id]);
    // Numeric order (as text "1000" < "99.9"), across pages.
    const first = await get("sort=listPrice&limit=2");
    expect(first.items.map((p) => p.id)).toEqual([c.id, a.id]);
    const second = await get(`sort=listPrice&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((p) => p.id)).toEqual([b.id]);
    expect(second.nextCursor).toBeNull();
    expect((await get("sort=-sku")).items.map((p) => p.sku)).toEqual(["X-1", "VALVE-100", "PUMP-7"]);
    expect((await api(t.app, ws).get("/api/v1/products?sort=description")).statusCode).toBe(400);
  });

  it("keeps categories a tree: nests, moves, refuses loops and names taken at the same level", async () => {
    const ws = await createWorkspace(t);
    const as = api(t.app, ws, "zh-CN");
    const root = (await as.post("/api/v1/product-categories", { name: "设备" })).json<Category>();
    const child = (await as.post("/api/v1/product-categories", { name: "泵", parentId: root.id })).json<Category>();
    const grandchild = (await as.post("/api/v1/product-categories", { name: "离心泵", parentId: child.id })).json<Category>();
    const other = (await as.post("/api/v1/product-categories", { name: "耗材", position: 1 })).json<Category>();

    const loop = await as.patch(`/api/v1/product-categories/${root.id}`, { parentId: grandchild.id, version: 1 });
    expect(loop.statusCode).toBe(400);
    expect(loop.json<ErrorBody>().error.message).toBe("分类不能移动到自身或其下级分类之下");
    expect((await as.patch(`/api/v1/product-categories/${child.id}`, { parentId: child.id, version: 1 })).statusCode).toBe(400);

    const taken = await as.post("/api/v1/product-categories", { name: "泵", parentId: root.id });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.message).toBe("同一级下已存在同名分类");
    expect((await as.post("/api/v1/product-categories", { name: "泵" })).statusCode).toBe(201); // another level
    const unknownParent = await as.post("/api/v1/product-categories", { name: "孤儿", parentId: "00000000-0000-4000-8000-000000000000" });
    expect(unknownParent.statusCode).toBe(400);
    expect(unknownParent.json<ErrorBody>().error.message).toBe("未找到产品分类");

    const moved = await as.patch(`/api/v1/product-categories/${grandchild.id}`, { parentId: other.id, name: "水泵" }, { "if-match": '"1"' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Category>()).toMatchObject({ parentId: other.id, name: "水泵", version: 2 });

    const tree = (await as.get("/api/v1/product-categories/tree")).json<{ items: Category[] }>().items;
    const shape = (nodes: Category[]): unknown => nodes.map((n) => ({ name: n.name, children: shape(n.children ?? []) }));
    expect(shape(tree)).toEqual([
      { name: "泵", children: [] },
      { name: "设备", children: [{ name: "泵", children: [] }] },
      { name: "耗材", children: [{ name: "水泵", children: [] }] },
    ]);
    const flat = (await as.get("/api/v1/product-categories")).json<{ items: Category[] }>().items;
    expect(flat).toHaveLength(5);
    expect(flat.every((c) => c.children === undefined)).toBe(true);
  });

  it("deletes a category only when it has neither products nor sub-categories", async () => {
    const ws = await createWorkspace(t);
    const as = api(t.app, ws, "zh-CN");
    const parent = (await as.post("/api/v1/product-categories", { name: "电机" })).json<Category>();
    const child = (await as.post("/api/v1/product-categories", { name: "伺服电机", parentId: parent.id })).json<Category>();
    const product = (await as.post("/api/v1/products", { sku: sku(), name: "伺服电机 1kW", categoryId: child.id })).json<Product>();

    const withChild = await as.del(`/api/v1/product-categories/${parent.id}`);
    expect(withChild.statusCode).toBe(409);
    expect(withChild.json<ErrorBody>().error.message).toBe("该分类下仍有 0 个产品和 1 个子分类，请先移走");
    const withProduct = await as.del(`/api/v1/product-categories/${child.id}`);
    expect(withProduct.statusCode).toBe(409);
    expect((await as.get(`/api/v1/product-categories/${child.id}`)).json<Category>().productCount).toBe(1);

    await as.patch(`/api/v1/products/${product.id}`, { categoryId: null, version: 1 });
    expect((await as.del(`/api/v1/product-categories/${child.id}`)).statusCode).toBe(204);
    expect((await as.del(`/api/v1/product-categories/${parent.id}`)).statusCode).toBe(204);
    expect((await as.get(`/api/v1/product-categories/${parent.id}`)).statusCode).toBe(404);
    expect((await audit(parent.id)).length).toBe(0); // another workspace's events are not the owner's
    const own = (await api(t.app, ws).get(`/api/v1/audit-events?filter=objectId:eq:${parent.id}`)).json<{ items: { action: string }[] }>().items;
    expect(own.map((e) => e.action).sort()).toEqual(["product_category.created", "product_category.deleted"]);
  });

  describe("price lists, rates and permissions", () => {
    it("lets a sales rep read products and price lists and add products, but not manage prices or rates (403)", async () => {
      const sales = await addUser(t, owner, "sales");
      const list = (await api(t.app, owner).post("/api/v1/price-lists", { name: `经销价 ${sku()}`, currency: "CNY" })).json<{ id: string; version: number }>();
      expect((await api(t.app, sales).get("/api/v1/products")).statusCode).toBe(200);
      expect((await api(t.app, sales).get("/api/v1/price-lists")).statusCode).toBe(200);
      expect((await api(t.app, sales).get(`/api/v1/price-lists/${list.id}`)).statusCode).toBe(200);
      expect((await api(t.app, sales).get("/api/v1/exchange-rates")).statusCode).toBe(200);
      const repProduct = await api(t.app, sales).post("/api/v1/products", { sku: sku(), name: "Rep's product", listPrice: "99" });
      expect(repProduct.statusCode, repProduct.body).toBe(201);
      const { id: repProductId } = repProduct.json<Product>();
      // The rep keeps the description current, but the list price and its currency are prices: 403, nothing changed.
      const described = await api(t.app, sales).patch(`/api/v1/products/${repProductId}`, { description: "热敏", listPrice: "99.00", version: 1 });
      expect(described.statusCode, described.body).toBe(200);
      const repriced = await api(t.app, sales, "zh-CN").patch(`/api/v1/products/${repProductId}`, { description: "降价", listPrice: "89", version: 2 });
      expect(repriced.statusCode, repriced.body).toBe(403);
      expect(repriced.json<{ error: { message: string; details: { field: string } } }>().error).toMatchObject({
        message: "修改产品的标准价或币种需要价格管理权限，请联系经理",
        details: { field: "listPrice" },
      });
      expect((await api(t.app, sales).patch(`/api/v1/products/${repProductId}`, { currency: "USD", version: 2 })).statusCode).toBe(403);
      expect((await api(t.app, owner).get(`/api/v1/products/${repProductId}`)).json<Product>()).toMatchObject({ listPrice: "99.0000", description: "热敏", version: 2 });

      const refused = [
        await api(t.app, sales).post("/api/v1/price-lists", { name: "Rep list", currency: "CNY" }),
        await api(t.app, sales).patch(`/api/v1/price-lists/${list.id}`, { priority: 9, version: list.version }),
        await put(sales, `/api/v1/price-lists/${list.id}/items`, { items: [], version: list.version }),
        await api(t.app, sales).del(`/api/v1/price-lists/${list.id}`),
        await api(t.app, sales).post("/api/v1/exchange-rates", { currency: "USD", validFrom: "2026-01-01", rate: "7" }),
        await api(t.app, sales).patch("/api/v1/pricing-settings", { baseCurrency: "USD", version: 1 }),
      ];
      for (const res of refused) expect(res.statusCode, res.body).toBe(403);
      expect((await api(t.app, owner).get(`/api/v1/price-lists/${list.id}`)).json<{ version: number }>().version).toBe(1);

      const manager = await addUser(t, owner, "manager");
      expect((await api(t.app, manager).patch(`/api/v1/price-lists/${list.id}`, { priority: 9, version: 1 })).statusCode).toBe(200);
      const readOnly = await addUser(t, owner, "read_only");
      expect((await api(t.app, readOnly).post("/api/v1/products", { sku: sku(), name: "No" })).statusCode).toBe(403);
      expect((await api(t.app, readOnly).get("/api/v1/price-lists")).statusCode).toBe(200);
    });

    it("creates a price list, replaces its tiered prices, refuses duplicate tiers and other workspaces' products, changing nothing", async () => {
      const as = api(t.app, owner, "zh-CN");
      const p1 = (await as.post("/api/v1/products", { sku: sku("A"), name: "A" })).json<Product>();
      const p2 = (await as.post("/api/v1/products", { sku: sku("B"), name: "B" })).json<Product>();
      const created = await as.post("/api/v1/price-lists", { name: `大客户价 ${sku()}`, currency: "CNY", customerTypes: ["大客户", "大客户"], priority: 5, validFrom: "2026-01-01" });
      expect(created.statusCode, created.body).toBe(201);
      const list = created.json<{ id: string; customerTypes: string[]; validFrom: string; validTo: string | null; items: unknown[] }>();
      expect(list).toMatchObject({ customerTypes: ["大客户"], validFrom: "2026-01-01", validTo: null, items: [] });

      const items = [
        { productId: p1.id, unitPrice: "100" },
        { productId: p1.id, minQuantity: "10", unitPrice: "90.5" },
        { productId: p2.id, minQuantity: "1", unitPrice: "0.0001" },
      ];
      const replaced = await put(owner, `/api/v1/price-lists/${list.id}/items`, { items }, { "if-match": '"1"' });
      expect(replaced.statusCode, replaced.body).toBe(200);
      expect(replaced.headers.etag).toBe('"2"');
      const detail = (await as.get(`/api/v1/price-lists/${list.id}`)).json<{ version: number; items: { productId: string; minQuantity: string; unitPrice: string; sku: string }[] }>();
      expect(detail.items.map((i) => [i.sku, i.minQuantity, i.unitPrice])).toEqual([
        [p1.sku, "0.0000", "100.0000"],
        [p1.sku, "10.0000", "90.5000"],
        [p2.sku, "1.0000", "0.0001"],
      ]);

      const dup = await put(owner, `/api/v1/price-lists/${list.id}/items`, { items: [...items, { productId: p1.id, minQuantity: "10.00", unitPrice: "80" }], version: 2 }, {}, "zh-CN");
      expect(dup.statusCode).toBe(400);
      expect(dup.json<ErrorBody>().error.message).toBe("同一产品的起订数量 10.00 重复出现");

      const elsewhere = await createWorkspace(t);
      const theirs = (await api(t.app, elsewhere).post("/api/v1/products", { sku: sku("T"), name: "Theirs" })).json<Product>();
      const foreign = await put(owner, `/api/v1/price-lists/${list.id}/items`, { items: [{ productId: theirs.id, unitPrice: "1" }], version: 2 }, {}, "zh-CN");
      expect(foreign.statusCode).toBe(400);
      expect(foreign.json<ErrorBody>()).toMatchObject({ error: { message: "未找到产品", details: { field: "items.0.productId" } } });

      const negative = await put(owner, `/api/v1/price-lists/${list.id}/items`, { items: [{ productId: p1.id, minQuantity: "-1", unitPrice: "1" }], version: 2 }, {}, "zh-CN");
      expect(negative.statusCode).toBe(400);
      expect(negative.json<ErrorBody>().error.details.issues![0]!.message).toContain("数量");
      const stale = await put(owner, `/api/v1/price-lists/${list.id}/items`, { items: [], version: 1 });
      expect(stale.statusCode).toBe(409);

      const after = (await as.get(`/api/v1/price-lists/${list.id}`)).json<typeof detail>();
      expect(after.version).toBe(2);
      expect(after.items).toHaveLength(3);
      const event = (await audit(list.id)).find((e) => e.action === "price_list.items_replaced")!;
      expect(event.changes[`${p1.id}@10.0000`]).toEqual({ before: null, after: "90.5000" });
    });

    it("updates and deletes price lists: names unique, validity ordered, If-Match checked", async () => {
      const as = api(t.app, owner, "zh-CN");
      const name = `零售价 ${sku()}`;
      const list = (await as.post("/api/v1/price-lists", { name, currency: "USD", validFrom: "2026-01-01", validTo: "2026-12-31" })).json<{ id: string }>();
      const taken = await as.post("/api/v1/price-lists", { name, currency: "CNY" });
      expect(taken.statusCode).toBe(409);
      expect(taken.json<ErrorBody>().error.message).toBe("已存在同名的价格表");
      const backwards = await as.patch(`/api/v1/price-lists/${list.id}`, { validTo: "2025-06-30", version: 1 });
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json<ErrorBody>().error.message).toBe("有效期的结束日期不能早于开始日期");
      expect((await as.patch(`/api/v1/price-lists/${list.id}`, { active: false }, { "if-match": '"3"' })).statusCode).toBe(409);
      const ok = await as.patch(`/api/v1/price-lists/${list.id}`, { active: false, customerTypes: ["经销商"] }, { "if-match": '"1"' });
      expect(ok.json()).toMatchObject({ active: false, customerTypes: ["经销商"], version: 2 });
      const listed = (await as.get("/api/v1/price-lists?filter=customerType:eq:" + encodeURIComponent("经销商"))).json<{ items: { id: string }[] }>();
      expect(listed.items.map((l) => l.id)).toEqual([list.id]);
      expect((await as.del(`/api/v1/price-lists/${list.id}`)).statusCode).toBe(204);
      expect((await as.get(`/api/v1/price-lists/${list.id}`)).statusCode).toBe(404);
    });

    it("sets, replaces, lists and deletes exchange rates; guards the base currency", async () => {
      const ws = await createWorkspace(t);
      const as = api(t.app, ws, "zh-CN");
      expect((await as.get("/api/v1/pricing-settings")).json()).toEqual({ baseCurrency: "CNY", version: 1 });
      const set = (body: Record<string, unknown>) => as.post("/api/v1/exchange-rates", body);
      expect((await set({ currency: "USD", validFrom: "2026-01-01", rate: "7.1" })).json()).toMatchObject({ currency: "USD", validFrom: "2026-01-01", rate: "7.10000000" });
      await set({ currency: "USD", validFrom: "2026-03-01", rate: "7.2" });
      await set({ currency: "EUR", validFrom: "2026-02-01", rate: "7.9" });
      const replaced = await set({ currency: "USD", validFrom: "2026-01-01", rate: "7.12345678" });
      expect(replaced.statusCode).toBe(200);
      const all = (await as.get("/api/v1/exchange-rates")).json<{ items: { currency: string; validFrom: string; rate: string }[] }>().items;
      expect(all.map((r) => `${r.currency} ${r.validFrom} ${r.rate}`)).toEqual(["USD 2026-03-01 7.20000000", "EUR 2026-02-01 7.90000000", "USD 2026-01-01 7.12345678"]);
      expect((await as.get("/api/v1/exchange-rates?currency=EUR")).json<{ items: unknown[] }>().items).toHaveLength(1);

      for (const rate of ["0", "-1", "0.000000001", "abc"]) {
        const res = await set({ currency: "JPY", validFrom: "2026-01-01", rate });
        expect(res.statusCode, rate).toBe(400);
        expect(res.json<ErrorBody>().error.details.issues![0]!.message).toBe("汇率应为大于 0、最多 8 位小数的数值");
      }
      const base = await set({ currency: "CNY", validFrom: "2026-01-01", rate: "1" });
      expect(base.statusCode).toBe(400);
      expect(base.json<ErrorBody>().error.message).toContain("CNY 是本位币");

      // Another workspace cannot touch these rates.
      expect((await api(t.app, owner).del("/api/v1/exchange-rates/USD/2026-03-01")).statusCode).toBe(404);
      expect((await as.get("/api/v1/exchange-rates")).json<{ items: unknown[] }>().items).toHaveLength(3);

      const blocked = await as.patch("/api/v1/pricing-settings", { baseCurrency: "USD" }, { "if-match": '"1"' });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json<ErrorBody>().error.message).toBe("现有汇率均以当前本位币为基准，请先删除这些汇率再更换本位币");
      for (const r of all) expect((await as.del(`/api/v1/exchange-rates/${r.currency}/${r.validFrom}`)).statusCode).toBe(204);
      expect((await as.del("/api/v1/exchange-rates/USD/2026-01-01")).statusCode).toBe(404);
      const changed = await as.patch("/api/v1/pricing-settings", { baseCurrency: "USD" }, { "if-match": '"1"' });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toEqual({ baseCurrency: "USD", version: 2 });
      expect((await as.patch("/api/v1/pricing-settings", { baseCurrency: "EUR", version: 1 })).statusCode).toBe(409);
      // New products default to the base currency.
      expect((await as.post("/api/v1/products", { sku: sku(), name: "Priced in USD" })).json<Product>().currency).toBe("USD");
    });
  });
});
