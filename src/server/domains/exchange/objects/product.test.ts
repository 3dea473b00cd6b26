import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../../test/harness.js";
import { importDriver } from "./test-support.js";

interface Product {
  id: string;
  sku: string;
  name: string;
  categoryId: string | null;
  unit: string;
  currency: string;
  listPrice: string;
  taxRate: string;
  active: boolean;
  version: number;
}

describe("product imports", () => {
  let t: TestEnv;
  let owner: Session;
  let imports: ReturnType<typeof importDriver>;
  let network = "";
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    imports = importDriver(t, "product");
    const res = await api(t.app, owner).post("/api/v1/product-categories", { name: "网络设备" });
    expect(res.statusCode, res.body).toBe(201);
    network = res.json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  const bySku = async (sku: string) => (await api(t.app, owner).get(`/api/v1/products?q=${encodeURIComponent(sku)}`)).json<{ items: Product[] }>().items.filter((p) => p.sku === sku);

  const CSV = [
    "产品编码,产品名称,产品分类,单位,标准价,税率,币种,状态",
    'P-001,工业路由器,网络设备,台,"¥1,280.50",13%,人民币,在售',
    'P-002,千兆交换机,网络设备,台,"2,000元",9,,下架',
    "P-003,坏价格,,件,abc,13%,,",
    "P-004,未知分类,不存在的分类,件,10,,,",
    "P-005,税率太高,,件,10,130%,,",
  ].join("\r\n");

  it("maps Chinese titles, normalises prices, rates, currencies and states, reports bad rows in the reader's language, and a second run creates nothing", async () => {
    const uploaded = (await imports.upload(owner, CSV)).json<{ mapping: (string | null)[]; options: { keys: string[]; ownerId: string | null } }>();
    expect(uploaded.mapping).toEqual(["sku", "name", "category", "unit", "listPrice", "taxRate", "currency", "active"]);
    expect(uploaded.options).toMatchObject({ keys: ["sku"], ownerId: null });

    const checked = await imports.run(owner, CSV, undefined, "check");
    expect(checked.checkCounts).toMatchObject({ total: 5, created: 2, failed: 3 });
    expect(await bySku("P-001")).toEqual([]);

    const done = await imports.run(owner, CSV);
    expect(done.counts).toMatchObject({ total: 5, created: 2, skipped: 0, failed: 3 });
    const [router] = await bySku("P-001");
    expect(router).toMatchObject({ name: "工业路由器", categoryId: network, unit: "台", currency: "CNY", listPrice: "1280.5000", taxRate: "0.1300", active: true });
    const [sw] = await bySku("P-002");
    expect(sw).toMatchObject({ listPrice: "2000.0000", taxRate: "0.0900", active: false });
    expect(await imports.issues(owner, done.id)).toEqual([
      [4, [["标准价", "“abc”不是有效金额或数字"]]],
      [5, [["产品分类", "找不到产品分类“不存在的分类”"]]],
      [6, [["税率", "“130%”不是有效的比率（例如 13%、0.13）"]]],
    ]);
    expect((await imports.issues(owner, done.id, "en-US"))[1]).toEqual([5, [["产品分类", "No product category “不存在的分类”"]]]);

    // The same file again: every good row is found by its SKU.
    const again = await imports.run(owner, CSV);
    expect(again.counts).toMatchObject({ created: 0, skipped: 2, failed: 3 });
    expect(await bySku("P-001")).toHaveLength(1);
  });

  it("finds a category by its path when its name is not unique", async () => {
    const parent = (await api(t.app, owner).post("/api/v1/product-categories", { name: "配件" })).json<{ id: string }>().id;
    const nested = (await api(t.app, owner).post("/api/v1/product-categories", { name: "网络设备", parentId: parent })).json<{ id: string }>().id;
    const done = await imports.run(owner, ["SKU,名称,分类", "P-010,网线,配件/网络设备", "P-011,光模块,网络设备"].join("\n"));
    expect(done.counts).toMatchObject({ created: 1, failed: 1 });
    expect((await bySku("P-010"))[0]!.categoryId).toBe(nested);
    expect(await imports.issues(owner, done.id)).toEqual([[3, [["分类", "有多个分类叫“网络设备”，请填写完整路径，例如“电子产品/手机”"]]]]);
  });

  it("updates products by SKU and undoes: created products are archived, updated ones get their prices back", async () => {
    const base = (await api(t.app, owner).post("/api/v1/products", { sku: "P-100", name: "旧产品", listPrice: "100" })).json<Product>();
    const done = await imports.run(owner, ["产品编码,产品名称,售价", "P-100,旧产品,¥120", "P-101,新产品,50"].join("\n"), { duplicatePolicy: "update" });
    expect(done.counts).toMatchObject({ updated: 1, created: 1 });
    expect((await bySku("P-100"))[0]).toMatchObject({ name: "旧产品", listPrice: "120.0000" });

    expect(await imports.undo(owner, done.id)).toEqual({ removed: 1, restored: 1, kept: 0 });
    expect((await bySku("P-100"))[0]).toMatchObject({ id: base.id, listPrice: "100.0000", active: true });
    // Products are never deleted (orders point at them): the created one is archived.
    expect((await bySku("P-101"))[0]).toMatchObject({ active: false });
  });

  it("is refused without product:create; a sales rep may import and undo (archiving is an update)", async () => {
    const service = await addUser(t, owner, "service");
    const refused = await imports.upload(service, "SKU,名称\nP-200,某产品\n", "zh-CN");
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { message: string } }>().error.message).toBe("您没有执行此操作的权限");

    const rep = await addUser(t, owner, "sales");
    const done = await imports.run(rep, "SKU,名称\nP-201,销售导入\n");
    expect(done.counts).toMatchObject({ created: 1 });
    expect(await imports.undo(rep, done.id)).toEqual({ removed: 1, restored: 0, kept: 0 });
  });
});
