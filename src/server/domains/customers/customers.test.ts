import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Customer {
  id: string;
  code: string;
  name: string;
  version: number;
  ownerId: string | null;
  phones: { label: string; number: string }[];
  emails: { address: string }[];
  bankAccount: string | null;
  bankAccountMasked: boolean;
  creditCode: string | null;
  creditLimit: string | null;
  addresses: { kind: string; isDefault: boolean; detail: string }[];
  contacts?: { contactId: string; name: string; role: string; isPrimary: boolean }[];
  cooperationYears: number | null;
  grade: string | null;
  gradeManual: boolean;
  tags: string[];
}

const VALID_CREDIT_CODE = "91350100M000100Y43";

describe("customers", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  it("creates a company customer with a finance profile: numbered code, E.164 phones, encrypted bank account, audit", async () => {
    const res = await api(t.app, owner).post("/api/v1/customers", {
      kind: "organization",
      name: "元石科技（北京）有限公司",
      phones: [{ label: "work", number: "010-6234 5678" }],
      emails: [{ address: "Info@YuanShi.example.com" }],
      creditCode: " 91350100m000100y43 ",
      creditLimit: "500000.00",
      bankName: "招商银行北京分行",
      bankAccount: "6225 8801 2345 6789",
      cooperationSince: "2019-03-01",
      grade: "A",
      tags: ["重点", "重点", "制造业"],
      addresses: [
        { kind: "billing", detail: "北京市海淀区中关村大街 1 号", provinceCode: "11", cityCode: "1101", districtCode: "110108" },
        { kind: "delivery", detail: "北京市朝阳区望京 SOHO", isDefault: true },
        { kind: "delivery", detail: "天津市滨海新区仓库", isDefault: true },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json<Customer>();
    expect(c.code).toMatch(new RegExp(`^C${new Date().getFullYear()}00001$`));
    expect(c.phones).toEqual([{ label: "work", number: "+861062345678" }]);
    expect(c.emails[0]!.address).toBe("info@yuanshi.example.com");
    expect(c.creditCode).toBe(VALID_CREDIT_CODE);
    expect(c.creditLimit).toBe("500000.00");
    expect(c.bankAccount).toBe("6225880123456789"); // the owner holds customer:view_bank
    expect(c.tags).toEqual(["重点", "制造业"]);
    expect(c.grade).toBe("A");
    expect(c.gradeManual).toBe(true);
    expect(c.cooperationYears).toBeGreaterThanOrEqual(7);
    expect(c.addresses.filter((a) => a.kind === "delivery" && a.isDefault).map((a) => a.detail)).toEqual(["北京市朝阳区望京 SOHO"]);
    expect(c.addresses.find((a) => a.kind === "billing")!.isDefault).toBe(true);

    // Ciphertext at rest, never the number.
    const { rows } = await t.database.pool.query("select bank_account_cipher from customers where id = $1", [c.id]).catch(() => ({ rows: [] }));
    for (const r of rows as { bank_account_cipher: string }[]) expect(r.bank_account_cipher).not.toContain("6225880123456789");
    const audit = (await api(t.app, owner).get(`/api/v1/audit-events?objectId=${c.id}`)).json<{ items: { action: string; changes: Record<string, { after: unknown }> }[] }>();
    expect(audit.items[0]!.action).toBe("customer.created");
    expect(JSON.stringify(audit.items[0]!.changes)).not.toContain("6225880123456789");
  });

  it("reads region codes from a written address and refuses codes that do not nest", async () => {
    const res = await api(t.app, owner).post("/api/v1/customers", {
      kind: "organization",
      name: "地址解析测试公司",
      address: "广东省深圳市南山区科技园南区 A 栋",
      addresses: [{ kind: "delivery", detail: "上海浦东新区世纪大道100号" }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json<{ provinceCode: string; cityCode: string; districtCode: string; addresses: { provinceCode: string; districtCode: string }[] }>();
    expect([c.provinceCode, c.cityCode, c.districtCode]).toEqual(["44", "4403", "440305"]);
    expect(c.addresses[0]).toMatchObject({ provinceCode: "31", districtCode: "310115" });
    const bad = await api(t.app, owner, "zh-CN").post("/api/v1/customers", { kind: "organization", name: "错配地区公司", provinceCode: "44", cityCode: "1101" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toBe("省、市、区不匹配，请重新选择");
    const parsed = await api(t.app, owner).post("/api/v1/regions/parse", { address: "北京海淀区中关村" });
    expect(parsed.json()).toMatchObject({ provinceCode: "11", districtCode: "110108", names: { province: "北京市", district: "海淀区" } });
    const cities = (await api(t.app, owner).get("/api/v1/regions?parent=44")).json<{ items: { code: string; name: string }[] }>();
    expect(cities.items.find((x) => x.code === "4403")?.name).toBe("深圳市");
  });

  it("masks the bank account for roles without customer:view_bank", async () => {
    const sales = await addUser(t, owner, "sales");
    const res = await api(t.app, sales).post("/api/v1/customers", { kind: "organization", name: "掩码测试有限公司", bankAccount: "6222020200112233445" });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json<Customer>();
    expect(c.bankAccount).toBe("•••• 3445");
    expect(c.bankAccountMasked).toBe(true);
    const asOwner = (await api(t.app, owner).get(`/api/v1/customers/${c.id}`)).json<Customer>();
    expect(asOwner.bankAccount).toBe("6222020200112233445");
  });

  it("refuses invalid credit codes, phones, e-mails and amounts in both languages, changing nothing", async () => {
    const before = (await api(t.app, owner).get("/api/v1/customers?limit=200")).json<{ items: unknown[] }>().items.length;
    const bad = [
      { creditCode: "91350100M000100Y44" },
      { phones: [{ number: "12345" }] },
      { emails: [{ address: "not-an-email" }] },
      { creditLimit: "-5" },
      { creditLimit: "1,000" },
      { unknownField: 1 },
    ];
    for (const extra of bad) {
      const res = await api(t.app, owner, "zh-CN").post("/api/v1/customers", { kind: "organization", name: "坏数据公司", ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const en = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "Bad", creditCode: "91350100M000100Y44" });
    expect(JSON.stringify(en.json())).toContain("unified social credit code");
    const after = (await api(t.app, owner).get("/api/v1/customers?limit=200")).json<{ items: unknown[] }>().items.length;
    expect(after).toBe(before);
  });

  it("warns about likely duplicates (credit code, phone, e-mail, normalised name) and saves on confirmation", async () => {
    const first = (await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "深圳市蓝海贸易有限公司", phones: [{ number: "13800138000" }] })).json<Customer>();
    const dup = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "藍海貿易（深圳）有限責任公司" });
    expect(dup.statusCode).toBe(409);
    const details = dup.json<{ error: { details: { mode: string; duplicates: { id: string; reasons: string[] }[] } } }>().error.details;
    expect(details.mode).toBe("warn");
    expect(details.duplicates).toEqual([expect.objectContaining({ id: first.id, reasons: ["name"] })]);
    const byPhone = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "别的公司", phones: [{ number: "+86 138 0013 8000" }] });
    expect(byPhone.json<{ error: { details: { duplicates: { reasons: string[] }[] } } }>().error.details.duplicates[0]!.reasons).toEqual(["phone"]);
    const check = await api(t.app, owner).get(`/api/v1/customers/duplicates?name=${encodeURIComponent("蓝海贸易集团")}`);
    expect(check.json<{ items: { id: string }[] }>().items.map((d) => d.id)).toEqual([first.id]);
    const saved = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "藍海貿易（深圳）有限責任公司", allowDuplicate: true });
    expect(saved.statusCode).toBe(201);

    // In block mode there is no way around it.
    const settings = (await api(t.app, owner).get("/api/v1/customer-settings")).json<{ version: number }>();
    expect((await api(t.app, owner).patch("/api/v1/customer-settings", { version: settings.version, duplicateMode: "block" })).statusCode).toBe(200);
    const blocked = await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "蓝海贸易", allowDuplicate: true });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json<{ error: { details: { mode: string } } }>().error.details.mode).toBe("block");
    const s2 = (await api(t.app, owner).get("/api/v1/customer-settings")).json<{ version: number }>();
    await api(t.app, owner).patch("/api/v1/customer-settings", { version: s2.version, duplicateMode: "warn" });
  });

  it("numbers codes without gaps or duplicates under concurrent creates, by the workspace's pattern", async () => {
    const ws = await createWorkspace(t);
    const s = (await api(t.app, ws).get("/api/v1/customer-settings")).json<{ version: number }>();
    const bad = await api(t.app, ws).patch("/api/v1/customer-settings", { version: s.version, codePattern: "KH-{SEQ:2}" });
    expect(bad.statusCode).toBe(400);
    expect((await api(t.app, ws).patch("/api/v1/customer-settings", { version: s.version, codePattern: "KH-{YY}{MM}-{SEQ:4}" })).statusCode).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api(t.app, ws).post("/api/v1/customers", { kind: "individual", name: `并发客户${i}`, phones: [{ number: `139${String(i).padStart(8, "0")}` }] })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(30).fill(201));
    const codes = results.map((r) => r.json<Customer>().code).sort();
    const now = new Date();
    const prefix = `KH-${String(now.getFullYear()).slice(2)}${String(now.getMonth() + 1).padStart(2, "0")}-`;
    expect(codes).toEqual(Array.from({ length: 30 }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}`));
    // A code given by hand must be unique too.
    const taken = await api(t.app, ws).post("/api/v1/customers", { kind: "organization", name: "手工编码", code: codes[0] });
    expect(taken.statusCode).toBe(409);
  });

  it("keeps an individual customer's own contact in step and links company contacts with their role", async () => {
    const person = (await api(t.app, owner).post("/api/v1/customers", { kind: "individual", name: "王小明", phones: [{ number: "13912345678" }], gender: "male", birthday: "1990-05-01" })).json<Customer & { lunarBirthday: unknown }>();
    // 1990-05-01 is the 7th day of the 4th lunar month.
    expect(person.lunarBirthday).toEqual({ month: 4, day: 7 });
    let detail = (await api(t.app, owner).get(`/api/v1/customers/${person.id}`)).json<Customer>();
    expect(detail.contacts).toEqual([expect.objectContaining({ name: "王小明", isPrimary: true })]);
    const upd = await api(t.app, owner).patch(`/api/v1/customers/${person.id}`, { version: person.version, name: "王晓明" });
    expect(upd.statusCode, upd.body).toBe(200);
    detail = (await api(t.app, owner).get(`/api/v1/customers/${person.id}`)).json<Customer>();
    expect(detail.contacts!.map((c) => c.name)).toEqual(["王晓明"]);
    const selfEdit = await api(t.app, owner).patch(`/api/v1/contacts/${detail.contacts![0]!.contactId}`, { version: 1, name: "x" }, { "if-match": "*" });
    expect(selfEdit.statusCode).toBe(409);

    const company = (await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "华南精密制造股份有限公司" })).json<Customer>();
    for (const [name, role, phone] of [["李娜", "decision_maker", "13711112222"], ["Tom Chen", "influencer", "13711113333"]] as const) {
      const res = await api(t.app, owner).post("/api/v1/contacts", { name, phones: [{ number: phone }], customers: [{ customerId: company.id, role, isPrimary: role === "decision_maker" }] });
      expect(res.statusCode, res.body).toBe(201);
    }
    detail = (await api(t.app, owner).get(`/api/v1/customers/${company.id}`)).json<Customer>();
    expect(detail.contacts!.map((c) => [c.name, c.role, c.isPrimary])).toEqual([
      ["李娜", "decision_maker", true],
      ["Tom Chen", "influencer", false],
    ]);
    const listedRes = await api(t.app, owner).get(`/api/v1/contacts?filter=customerId:eq:${company.id}&sort=name`);
    expect(listedRes.statusCode, listedRes.body).toBe(200);
    const listed = listedRes.json<{ items: { name: string }[] }>();
    expect(listed.items.map((c) => c.name).sort()).toEqual(["Tom Chen", "李娜"].sort());
  });

  it("soft-deletes to a trash that admins restore from", async () => {
    const c = (await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "回收站测试有限公司" })).json<Customer>();
    expect((await api(t.app, owner).del(`/api/v1/customers/${c.id}`)).statusCode).toBe(204);
    expect((await api(t.app, owner).get(`/api/v1/customers/${c.id}`)).statusCode).toBe(404);
    expect((await api(t.app, owner).get(`/api/v1/search?q=${encodeURIComponent("回收站")}`)).json<{ items: unknown[] }>().items).toHaveLength(0);
    const trash = (await api(t.app, owner).get("/api/v1/customers/trash")).json<{ items: { id: string }[] }>();
    expect(trash.items.map((x) => x.id)).toContain(c.id);
    const sales = await addUser(t, owner, "sales");
    expect((await api(t.app, sales).get("/api/v1/customers/trash")).statusCode).toBe(403);
    expect((await api(t.app, sales).del(`/api/v1/customers/${c.id}`)).statusCode).toBe(403);
    expect((await api(t.app, owner).post(`/api/v1/customers/${c.id}/restore`)).statusCode).toBe(200);
    expect((await api(t.app, owner).get(`/api/v1/customers/${c.id}`)).statusCode).toBe(200);
    expect((await api(t.app, owner).get(`/api/v1/search?q=${encodeURIComponent("回收站")}`)).json<{ items: { id: string }[] }>().items.map((x) => x.id)).toEqual([c.id]);
  });

  it("rejects a stale version with 409 and keeps the record", async () => {
    const c = (await api(t.app, owner).post("/api/v1/customers", { kind: "organization", name: "版本冲突有限公司" })).json<Customer>();
    expect((await api(t.app, owner).patch(`/api/v1/customers/${c.id}`, { version: c.version, remarks: "first" })).statusCode).toBe(200);
    const stale = await api(t.app, owner).patch(`/api/v1/customers/${c.id}`, { version: c.version, remarks: "second" });
    expect(stale.statusCode).toBe(409);
    expect((await api(t.app, owner).get(`/api/v1/customers/${c.id}`)).json<{ remarks: string }>().remarks).toBe("first");
  });

  it("shows sales reps their own customers, pool customers and those they collaborate on; managers their department's", async () => {
    const ws = await createWorkspace(t);
    const dept = (await api(t.app, ws).post("/api/v1/departments", { name: "华东大区" })).json<{ id: string }>();
    const repA = await addUser(t, ws, "sales", { departmentId: dept.id });
    const repB = await addUser(t, ws, "sales");
    const manager = await addUser(t, ws, "manager", { departmentId: dept.id });
    const mine = (await api(t.app, repA).post("/api/v1/customers", { kind: "organization", name: "甲方客户" })).json<Customer>();
    const theirs = (await api(t.app, repB).post("/api/v1/customers", { kind: "organization", name: "乙方客户" })).json<Customer>();
    const pooled = (await api(t.app, ws).post("/api/v1/customers", { kind: "organization", name: "公海客户", ownerId: null })).json<Customer>();
    const shared = (await api(t.app, repB).post("/api/v1/customers", { kind: "organization", name: "协作客户", collaboratorIds: [repA.id] })).json<Customer>();
    const names = async (s: Session) => (await api(t.app, s).get("/api/v1/customers?sort=name")).json<{ items: { name: string }[] }>().items.map((c) => c.name).sort();
    expect(await names(repA)).toEqual(["公海客户", "协作客户", "甲方客户"].sort());
    expect(await names(manager)).toEqual(["公海客户", "甲方客户"].sort());
    expect((await api(t.app, repA).get(`/api/v1/customers/${theirs.id}`)).statusCode).toBe(404);
    expect((await api(t.app, repA).patch(`/api/v1/customers/${theirs.id}`, { version: 1, remarks: "x" })).statusCode).toBe(404);
    expect((await api(t.app, repA).get(`/api/v1/customers/${shared.id}`)).statusCode).toBe(200);
    expect((await api(t.app, repA).get(`/api/v1/search?q=${encodeURIComponent("乙方")}`)).json<{ items: unknown[] }>().items).toHaveLength(0);
    expect((await api(t.app, repB).get(`/api/v1/search?q=${encodeURIComponent("乙方")}`)).json<{ items: { id: string }[] }>().items.map((x) => x.id)).toEqual([theirs.id]);
    void mine;
    void pooled;
  });
});

describe("search", () => {
  let t: TestEnv;
  let owner: Session;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
    const customers = [
      ["zhangsan", { kind: "individual", name: "张三", phones: [{ number: "13800138000" }], emails: [{ address: "zhang.san@example.com" }] }],
      ["zhangshan", { kind: "individual", name: "张珊珊" }],
      ["yuanshi", { kind: "organization", name: "北京元石科技有限公司", shortName: "元石" }],
      ["acme", { kind: "organization", name: "Acme Robotics Inc." }],
      ["taiwan", { kind: "organization", name: "台湾银行" }],
    ] as const;
    for (const [key, body] of customers) {
      const res = await api(t.app, owner).post("/api/v1/customers", body);
      if (res.statusCode !== 201) throw new Error(res.body);
      ids[key] = res.json<{ id: string }>().id;
    }
    const contact = await api(t.app, owner).post("/api/v1/contacts", { name: "李四", phones: [{ number: "13655557777" }], customers: [{ customerId: ids.yuanshi!, role: "user" }] });
    ids.lisi = contact.json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  const find = async (q: string) =>
    (await api(t.app, owner).get(`/api/v1/search?q=${encodeURIComponent(q)}`)).json<{ items: { id: string; objectType: string }[] }>().items.map((i) => i.id);

  it.each([
    ["张三", "zhangsan", "2-character Chinese name"],
    ["元石", "yuanshi", "part of a company name"],
    ["zhangsan", "zhangsan", "pinyin"],
    ["zhang san", "zhangsan", "pinyin with a space"],
    ["zs", "zhangsan", "initials"],
    ["張三", "zhangsan", "traditional characters"],
    ["臺灣", "taiwan", "traditional variant"],
    ["ＡＣＭＥ", "acme", "full-width"],
    ["acme", "acme", "Latin word"],
    ["acne robotcs", "acme", "typo in a Latin name"],
    ["8000", "zhangsan", "last 4 digits of a phone"],
    ["38000", "zhangsan", "last 5 digits of a phone"],
    ["zhang.san@example.com", "zhangsan", "e-mail"],
    ["李四", "lisi", "contact name"],
    ["57777", "lisi", "contact phone fragment"],
  ])("finds %s (%s: %s)", async (q, key) => {
    const found = await find(q);
    expect(found[0], `${q} → ${JSON.stringify(found)}`).toBe(ids[key]);
  });

  it("ranks and narrows: 张 finds both 张 customers, 张三 only one; lists filter by q", async () => {
    expect((await find("张")).sort()).toEqual([ids.zhangsan, ids.zhangshan].sort());
    expect(await find("张三")).toEqual([ids.zhangsan]);
    const listed = (await api(t.app, owner).get(`/api/v1/customers?q=${encodeURIComponent("元石")}`)).json<{ items: { id: string }[] }>();
    expect(listed.items.map((i) => i.id)).toEqual([ids.yuanshi]);
    expect((await api(t.app, owner).get("/api/v1/search?q=")).statusCode).toBe(400);
  });
});
