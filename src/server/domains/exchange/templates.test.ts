import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { imports } from "./schema.js";
import { templateMapping } from "./templates.js";

interface Imp {
  id: string;
  status: string;
  headers: string[];
  mapping: (string | null)[];
  options: { duplicatePolicy: string; keys: string[]; dateOrder: string; ownerId: string | null; tags: string[] };
  version: number;
}
interface Template {
  id: string;
  objectType: string;
  name: string;
  columns: { title: string; target: string | null }[];
  options: Record<string, unknown>;
  version: number;
}
type Err = { error: { code: string; message: string } };

describe("import templates", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  const upload = (session: Session, objectType: string, csv: string) =>
    api(t.app, session).post(`/api/v1/imports?objectType=${objectType}&fileName=t.csv`, Buffer.from(csv, "utf8"), { "content-type": "application/octet-stream" });
  const templateIdOf = (session: Session, id: string) =>
    withTenant(t.database, { tenantId: session.workspaceId, userId: session.userId }, async (tx) => (await tx.select({ templateId: imports.templateId }).from(imports).where(eq(imports.id, id)))[0]?.templateId, "read");

  it("maps columns by folded title and keeps the suggestion for the others", () => {
    const columns = [
      { title: "客户名称", target: "name" },
      { title: "ERP 编号", target: "code" },
      { title: "联系人", target: null },
      { title: "ERP标识", target: "remarks" }, // same title folded once spaces collapse? no: "erp 编号" vs "erp编号" differ
    ];
    // Full-width letters, traditional characters and case fold to the template's titles.
    expect(templateMapping(["客戶名稱", "ｅｒｐ 编号", "聯系人", "手机", "备注"], ["name", null, "remarks", "phones:mobile", "remarks"], columns)).toEqual([
      "name",
      "code",
      null,
      "phones:mobile",
      "remarks",
    ]);
    // A title that only the template knows does not invent columns.
    expect(templateMapping([], [], columns)).toEqual([]);
  });

  it("saves an import's mapping as a template and applies it to the next file with the same titles", async () => {
    const first = (await upload(owner, "customer", "客户名称,ERP标识,联系人,手机\r\n甲公司,E001,张三,13800138000\r\n")).json<Imp>();
    expect(first.mapping).toEqual(["name", null, null, "phones:mobile"]);
    const patched = await api(t.app, owner).patch(`/api/v1/imports/${first.id}`, {
      version: first.version,
      mapping: ["name", "code", null, "phones:work"],
      options: { duplicatePolicy: "update", keys: ["code"], tags: ["ERP"] },
    });
    expect(patched.statusCode, patched.body).toBe(200);

    const saved = await api(t.app, owner).post("/api/v1/import-templates", { fromImport: first.id, name: "ERP 导出" });
    expect(saved.statusCode, saved.body).toBe(201);
    const template = saved.json<Template>();
    expect(template.objectType).toBe("customer");
    expect(template.columns).toEqual([
      { title: "客户名称", target: "name" },
      { title: "ERP标识", target: "code" },
      { title: "联系人", target: null },
      { title: "手机", target: "phones:work" },
    ]);
    expect(template.options).toEqual({ duplicatePolicy: "update", keys: ["code"], dateOrder: "mdy", tags: ["ERP"] });

    // The next file: other order, traditional characters, an extra column that keeps its suggestion.
    const second = (await upload(owner, "customer", "手機,ERP標識,客戶名稱,邮箱\r\n13900139000,E002,乙公司,b@example.cn\r\n")).json<Imp>();
    expect(second.mapping).toEqual(["phones:mobile", null, "name", "emails"]);
    const applied = await api(t.app, owner).post(`/api/v1/imports/${second.id}/template`, { version: second.version, templateId: template.id });
    expect(applied.statusCode, applied.body).toBe(200);
    const after = applied.json<Imp>();
    expect(after.mapping).toEqual(["phones:work", "code", "name", "emails"]);
    expect(after.options).toMatchObject({ duplicatePolicy: "update", keys: ["code"], tags: ["ERP"], ownerId: owner.userId });
    expect(after.version).toBe(second.version + 1);
    expect(applied.headers.etag).toBe(`"${after.version}"`);
    expect(await templateIdOf(owner, second.id)).toBe(template.id);
    // The stale version is refused.
    expect((await api(t.app, owner).post(`/api/v1/imports/${second.id}/template`, { version: second.version, templateId: template.id })).statusCode).toBe(409);

    const events = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${second.id}`)).json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(["import.updated", "import.template_applied"]));
  });

  it("lists, renames and deletes templates per object, with versions, unique names and checked targets", async () => {
    const make = (body: unknown, lang = "en-US") => api(t.app, owner, lang).post("/api/v1/import-templates", body);
    const a = await make({ objectType: "contact", name: "名片", columns: [{ title: "姓名", target: "name" }, { title: "单位", target: "customer" }], options: { dateOrder: "dmy" } });
    expect(a.statusCode, a.body).toBe(201);
    const tpl = a.json<Template>();

    const taken = await make({ objectType: "contact", name: "名片", columns: [{ title: "姓名", target: "name" }] }, "zh-CN");
    expect(taken.statusCode).toBe(409);
    expect(taken.json<Err>().error.message).toBe("已存在名为“名片”的模板");
    // The same name for the other object is another template.
    expect((await make({ objectType: "customer", name: "名片", columns: [{ title: "名称", target: "name" }] })).statusCode).toBe(201);

    const unknown = await make({ objectType: "contact", name: "坏", columns: [{ title: "信用代码", target: "creditCode" }] }, "zh-CN");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Err>().error.message).toBe("列“信用代码”：不存在字段“creditCode”");
    const unknownEn = await make({ objectType: "contact", name: "bad", columns: [{ title: "Phone", target: "phones:pager" }] });
    expect(unknownEn.json<Err>().error.message).toBe("Column “Phone”: there is no field “phones:pager”");

    // A custom field can be a target until it is archived.
    const field = await api(t.app, owner).post("/api/v1/custom-fields", { objectType: "contact", key: "hobby", label: "爱好", type: "text" });
    expect(field.statusCode, field.body).toBe(201);
    const withCustom = await make({ objectType: "contact", name: "带爱好", columns: [{ title: "爱好", target: "custom.hobby" }] });
    expect(withCustom.statusCode, withCustom.body).toBe(201);
    const f = field.json<{ id: string; version: number }>();
    expect((await api(t.app, owner).patch(`/api/v1/custom-fields/${f.id}`, { version: f.version, archived: true })).statusCode).toBe(200);
    const archived = await make({ objectType: "contact", name: "带爱好2", columns: [{ title: "爱好", target: "custom.hobby" }] }, "zh-CN");
    expect(archived.json<Err>().error.message).toBe("列“爱好”：不存在字段“custom.hobby”");
    // Applying the template now fails with the import's own message.
    const imp = (await upload(owner, "contact", "姓名,爱好\r\n张三,钓鱼\r\n")).json<Imp>();
    const applied = await api(t.app, owner, "zh-CN").post(`/api/v1/imports/${imp.id}/template`, { version: imp.version, templateId: withCustom.json<Template>().id });
    expect(applied.statusCode).toBe(400);
    expect(applied.json<Err>().error.message).toBe("列“爱好”：不存在字段“custom.hobby”");
    // A template of the other object does not apply.
    const customerTemplate = (await api(t.app, owner).get("/api/v1/import-templates?objectType=customer")).json<{ items: Template[] }>().items[0]!;
    const mismatch = await api(t.app, owner, "zh-CN").post(`/api/v1/imports/${imp.id}/template`, { version: imp.version, templateId: customerTemplate.id });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json<Err>().error.message).toBe("该模板适用于其他类型的数据");

    const list = (await api(t.app, owner).get("/api/v1/import-templates?objectType=contact")).json<{ items: Template[] }>().items;
    expect(list.map((x) => x.name)).toEqual(["名片", "带爱好"].sort());

    const renamed = await api(t.app, owner).patch(`/api/v1/import-templates/${tpl.id}`, { name: "名片夹", columns: [{ title: "姓名", target: "name" }] }, { "if-match": `"${tpl.version}"` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<Template>()).toMatchObject({ name: "名片夹", version: tpl.version + 1, columns: [{ title: "姓名", target: "name" }], options: { dateOrder: "dmy" } });
    expect((await api(t.app, owner).patch(`/api/v1/import-templates/${tpl.id}`, { name: "x" }, { "if-match": `"${tpl.version}"` })).statusCode).toBe(409);
    expect((await api(t.app, owner).patch(`/api/v1/import-templates/${tpl.id}`, { name: "x" })).statusCode).toBe(400); // no version

    expect((await api(t.app, owner).del(`/api/v1/import-templates/${tpl.id}`)).statusCode).toBe(204);
    expect((await api(t.app, owner).del(`/api/v1/import-templates/${tpl.id}`)).statusCode).toBe(404);
    const actions = (await api(t.app, owner).get(`/api/v1/audit-events?filter=objectId:eq:${tpl.id}`)).json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(actions.sort()).toEqual(["import_template.created", "import_template.deleted", "import_template.updated"]);
  });

  it("is shared by everyone who may import, and by nobody else", async () => {
    const sales = await addUser(t, owner, "sales");
    const reader = await addUser(t, owner, "read_only");
    const other = await createWorkspace(t);
    const made = (await api(t.app, owner).post("/api/v1/import-templates", { objectType: "customer", name: "共享", columns: [{ title: "名称", target: "name" }] })).json<Template>();

    const seen = (await api(t.app, sales).get("/api/v1/import-templates?objectType=customer")).json<{ items: Template[] }>().items;
    expect(seen.map((x) => x.id)).toContain(made.id);
    const imp = (await upload(sales, "customer", "名称\r\n丙公司\r\n")).json<Imp>();
    expect((await api(t.app, sales).post(`/api/v1/imports/${imp.id}/template`, { version: imp.version, templateId: made.id })).statusCode).toBe(200);

    expect((await api(t.app, reader).get("/api/v1/import-templates?objectType=customer")).statusCode).toBe(403);
    expect((await api(t.app, reader).post("/api/v1/import-templates", { objectType: "customer", name: "r", columns: [{ title: "名称", target: "name" }] })).statusCode).toBe(403);
    expect((await api(t.app, reader).del(`/api/v1/import-templates/${made.id}`)).statusCode).toBe(403);
    expect((await api(t.app, other).get("/api/v1/import-templates?objectType=customer")).json<{ items: Template[] }>().items).toEqual([]);
    expect((await api(t.app, other).del(`/api/v1/import-templates/${made.id}`)).statusCode).toBe(404);
    // Another workspace's import cannot be saved as a template, nor receive one.
    expect((await api(t.app, other).post("/api/v1/import-templates", { fromImport: imp.id, name: "偷" })).statusCode).toBe(404);
  });
});
