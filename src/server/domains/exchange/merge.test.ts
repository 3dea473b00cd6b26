import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { addUser, api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";

interface Customer {
  id: string;
  name: string;
  version: number;
  tags: string[];
  phones: { number: string }[];
  creditLimit: string | null;
  industry: string;
  collaboratorIds: string[];
  addresses: { detail: string; kind: string; isDefault: boolean }[];
  contacts: { contactId: string; name: string; isPrimary: boolean }[];
}
interface Merge {
  id: string;
  survivorId: string;
  mergedIds: string[];
  choices: Record<string, string>;
}
interface Err {
  error: { code: string; message: string };
}

describe("merging duplicates", () => {
  let t: TestEnv;
  let owner: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    owner = await createWorkspace(t);
  });
  afterAll(async () => t?.close());

  const as = (s: Session = owner, lang = "en-US") => api(t.app, s, lang);
  const customer = async (body: Record<string, unknown>, s: Session = owner) => {
    const res = await as(s).post("/api/v1/customers", { kind: "organization", allowDuplicate: true, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Customer>();
  };
  const contact = async (body: Record<string, unknown>, s: Session = owner) => {
    const res = await as(s).post("/api/v1/contacts", { allowDuplicate: true, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; version: number }>();
  };
  const activity = async (body: Record<string, unknown>, s: Session = owner) => {
    const res = await as(s).post("/api/v1/activities", { kind: "visit", occurredAt: new Date(Date.now() - 60_000).toISOString(), ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>();
  };
  const rows = (text: string, s: Session = owner) => withTenant(t.database, { tenantId: s.workspaceId }, async (tx) => (await tx.execute<Record<string, unknown>>(sql.raw(text))).rows);
  const list = (ids: string[]) => `'{${ids.join(",")}}'::uuid[]`;

  /** Everything a merge touches, as stored; records without their version and update time. */
  async function state(type: "customer" | "contact", ids: string[]) {
    const table = type === "customer" ? "customers" : "contacts";
    const col = type === "customer" ? "customer_id" : "contact_id";
    return {
      records: await rows(`select to_jsonb(r) - 'version' - 'updated_at' as r from ${table} r where id = any(${list(ids)}) order by id`),
      links: await rows(`select * from customer_contacts where ${col} = any(${list(ids)}) order by customer_id, contact_id`),
      collaborators: await rows(`select * from customer_collaborators where customer_id = any(${list(ids)}) order by customer_id, user_id`),
      addresses: await rows(`select * from customer_addresses where customer_id = any(${list(ids)}) order by id`),
      activities: await rows(`select id, customer_id, contact_id, participant_contact_ids from activities where ${col} = any(${list(ids)}) or participant_contact_ids && ${list(ids)} order by id`),
      attachments: await rows(`select f.id, f.activity_id, a.customer_id, a.contact_id from attachments f join activities a on a.id = f.activity_id where a.${col} = any(${list(ids)}) order by f.id`),
      tasks: await rows(`select id, customer_id, contact_id from tasks where ${col} = any(${list(ids)}) order by id`),
      search: await rows(`select object_id, title, terms, deleted from search_documents where object_id = any(${list(ids)}) order by object_id`),
      points: await rows(`select object_id, kind, value from contact_points where object_id = any(${list(ids)}) order by object_id, kind, value`),
      pairs: await rows(`select left_id, right_id, status from duplicate_pairs where left_id = any(${list(ids)}) order by left_id, right_id`),
    };
  }

  async function pair(type: "customer" | "contact", a: string, b: string, s: Session = owner) {
    const [left, right] = [a, b].sort();
    await withTenant(t.database, { tenantId: s.workspaceId }, (tx) =>
      tx.execute(sql`insert into duplicate_pairs (tenant_id, object_type, left_id, right_id, score, reasons) values (${s.workspaceId}, ${type}, ${left}, ${right}, 0.9, '[]'::jsonb)`),
    );
  }

  it("merges two customers: chosen fields, contacts, timeline with attachments, tasks, tags, addresses move; the old id redirects; undo restores exactly", async () => {
    const colleague = await addUser(t, owner, "sales", { name: "协作同事" });
    const keep = await customer({ name: "合并保留科技有限公司", tags: ["重点"], industry: "", phones: [{ number: "13800000001" }], addresses: [{ kind: "billing", detail: "北京市海淀区一号" }] });
    const gone = await customer({
      name: "合併重複貿易公司",
      tags: ["重点", "华南"],
      industry: "制造业",
      creditLimit: "80000.00",
      phones: [{ number: "13800000002" }],
      collaboratorIds: [colleague.id],
      addresses: [{ kind: "billing", detail: "深圳市南山区二号", isDefault: true }, { kind: "delivery", detail: "深圳市宝安区仓库" }],
    });
    const shared = await contact({ name: "共用联系人", customers: [{ customerId: keep.id, isPrimary: true }, { customerId: gone.id, role: "decision_maker", isPrimary: true }] });
    const own = await contact({ name: "被合并方联系人", customers: [{ customerId: gone.id, role: "influencer" }] });
    const file = await as().post("/api/v1/attachments?filename=visit.csv", Buffer.from("a,b\n1,2\n"), { "content-type": "application/octet-stream" });
    expect(file.statusCode, file.body).toBe(201);
    const visit = await activity({ customerId: gone.id, contactId: own.id, summary: "拜访记录", attachmentIds: [file.json<{ id: string }>().id], nextFollowUpAt: new Date(Date.now() + 86_400_000).toISOString() });
    await pair("customer", keep.id, gone.id);
    const ids = [keep.id, gone.id];
    const before = await state("customer", ids);
    expect(before.tasks).toHaveLength(1);

    // The preview: side by side, suggestions = the most recent non-empty value, lists united.
    const preview = await as().get(`/api/v1/merges/preview?objectType=customer&ids=${keep.id},${gone.id}`);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json<{ survivorId: string; records: { id: string }[]; fields: { field: string; suggested: string; values: Record<string, unknown> }[] }>();
    expect(p.survivorId).toBe(keep.id);
    const suggested = Object.fromEntries(p.fields.map((f) => [f.field, f.suggested]));
    expect(suggested.industry).toBe(gone.id); // only the merged record has one
    expect(suggested.name).toBe(gone.id); // both have one; the merged record was updated last
    expect(suggested.tags).toBe("union");
    expect(p.fields.find((f) => f.field === "creditLimit")!.values[gone.id]).toBe("80000.00");

    const res = await as().post("/api/v1/merges", {
      objectType: "customer",
      survivorId: keep.id,
      mergedIds: [gone.id],
      choices: { name: keep.id, creditLimit: gone.id },
      version: { [keep.id]: keep.version, [gone.id]: gone.version },
    });
    expect(res.statusCode, res.body).toBe(201);
    const merge = res.json<Merge>();
    expect(merge).toMatchObject({ survivorId: keep.id, mergedIds: [gone.id] });
    expect(merge.choices).toMatchObject({ name: keep.id, creditLimit: gone.id, industry: gone.id, tags: "union" });

    const survivor = (await as().get(`/api/v1/customers/${keep.id}`)).json<Customer>();
    expect(survivor.name).toBe("合并保留科技有限公司");
    expect(survivor.creditLimit).toBe("80000.00");
    expect(survivor.industry).toBe("制造业");
    expect(survivor.tags).toEqual(["重点", "华南"]);
    expect(survivor.phones.map((x) => x.number)).toEqual(["+8613800000001", "+8613800000002"]);
    expect(survivor.collaboratorIds).toEqual([colleague.id]);
    // The merged record's visit counts as the survivor's latest follow-up.
    expect((survivor as unknown as { lastFollowUpAt: string | null }).lastFollowUpAt).not.toBeNull();
    expect(survivor.addresses.map((a) => [a.detail, a.isDefault]).sort()).toEqual(
      [
        ["北京市海淀区一号", true],
        ["深圳市南山区二号", false],
        ["深圳市宝安区仓库", true],
      ].sort(),
    );
    // The shared contact once, still the survivor's primary; the other one moved over.
    expect(survivor.contacts.map((c) => [c.name, c.isPrimary]).sort()).toEqual([
      ["共用联系人", true],
      ["被合并方联系人", false],
    ]);
    expect(survivor.contacts.filter((c) => c.contactId === shared.id)).toEqual([expect.objectContaining({ isPrimary: true })]);
    const timeline = (await as().get(`/api/v1/customers/${keep.id}/timeline`)).json<{ items: { id: string; attachments: unknown[] }[] }>();
    expect(timeline.items.map((i) => [i.id, i.attachments.length])).toEqual([[visit.id, 1]]);
    const tasks = (await as().get(`/api/v1/tasks?filter=customerId:eq:${keep.id}`)).json<{ items: unknown[] }>();
    expect(tasks.items).toHaveLength(1);

    // The old id answers 308 to the survivor; lists, trash and search no longer show it.
    const old = await as().get(`/api/v1/customers/${gone.id}`);
    expect(old.statusCode).toBe(308);
    expect(old.headers.location).toBe(`/api/v1/customers/${keep.id}`);
    const oldTimeline = await as().get(`/api/v1/customers/${gone.id}/timeline`);
    expect([oldTimeline.statusCode, oldTimeline.headers.location]).toEqual([308, `/api/v1/customers/${keep.id}/timeline`]);
    const listed = (await as().get("/api/v1/customers?limit=200")).json<{ items: { id: string }[] }>().items.map((c) => c.id);
    expect(listed).toContain(keep.id);
    expect(listed).not.toContain(gone.id);
    const trash = (await as().get("/api/v1/customers/trash")).json<{ items: { id: string }[] }>().items.map((c) => c.id);
    expect(trash).not.toContain(gone.id);
    expect((await as().post(`/api/v1/customers/${gone.id}/restore`)).statusCode).toBe(404);
    const search = async (q: string) => (await as().get(`/api/v1/search?q=${encodeURIComponent(q)}`)).json<{ items: { id: string }[] }>().items.map((i) => i.id);
    expect(await search("合并保留")).toEqual([keep.id]);
    // The merged name was not chosen: nobody is found by it any more.
    expect(await search("重複貿易")).toEqual([]);
    // Its phone was kept (union): the survivor is found by it.
    expect(await search("00000002")).toContain(keep.id);
    const afterMerge = await state("customer", ids);
    expect(afterMerge.pairs).toEqual([expect.objectContaining({ status: "merged" })]);
    expect(afterMerge.points.filter((x) => x.object_id === gone.id)).toEqual([]);
    const audit = (await as().get(`/api/v1/audit-events?filter=objectId:eq:${keep.id}`)).json<{ items: { action: string; changes: Record<string, unknown> }[] }>();
    const merged = audit.items.find((e) => e.action === "customer.merged");
    expect(merged?.changes).toMatchObject({ creditLimit: { before: null, after: "80000.00" }, industry: { before: "", after: "制造业" } });

    // Added to the survivor after the merge: stays there through the undo.
    const later = await activity({ customerId: keep.id, kind: "note", summary: "合并后新增" });

    const undo = await as().post(`/api/v1/merges/${merge.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    const restored = await state("customer", ids);
    expect(restored.records).toEqual(before.records);
    expect(restored.links).toEqual(before.links);
    expect(restored.collaborators).toEqual(before.collaborators);
    expect(restored.addresses).toEqual(before.addresses);
    expect(restored.activities.filter((a) => a.id !== later.id)).toEqual(before.activities);
    expect(restored.activities.find((a) => a.id === later.id)).toMatchObject({ customer_id: keep.id });
    expect(restored.attachments).toEqual(before.attachments);
    expect(restored.tasks).toEqual(before.tasks);
    expect(restored.search).toEqual(before.search);
    expect(restored.points).toEqual(before.points);
    expect(restored.pairs).toEqual(before.pairs);
    expect((await as().get(`/api/v1/customers/${gone.id}`)).statusCode).toBe(200);
    expect(await search("重複貿易")).toEqual([gone.id]);

    const again = await as(owner, "zh-CN").post(`/api/v1/merges/${merge.id}/undo`);
    expect(again.statusCode).toBe(409);
    expect(again.json<Err>().error.message).toBe("该合并已撤销");
    expect((await as().get(`/api/v1/merges/${merge.id}`)).json<{ undoneAt: string | null }>().undoneAt).not.toBeNull();
  });

  it("merges three customers at once, and follows a chain: A into B, then B into C sends A to C", async () => {
    const [a, b, c, d] = [await customer({ name: "链式甲" }), await customer({ name: "链式乙" }), await customer({ name: "链式丙" }), await customer({ name: "链式丁" })];
    const three = await as().post("/api/v1/merges", { objectType: "customer", survivorId: a.id, mergedIds: [c.id, d.id], choices: { name: c.id } });
    expect(three.statusCode, three.body).toBe(201);
    // The merged record's name was chosen: the survivor is found by it, under it.
    const found = (await as().get(`/api/v1/search?q=${encodeURIComponent("链式丙")}`)).json<{ items: { id: string; title: string }[] }>().items;
    expect(found.map((i) => [i.id, i.title])).toEqual([[a.id, "链式丙"]]);
    for (const id of [c.id, d.id]) expect((await as().get(`/api/v1/customers/${id}`)).headers.location).toBe(`/api/v1/customers/${a.id}`);

    const first = (await as().post("/api/v1/merges", { objectType: "customer", survivorId: b.id, mergedIds: [a.id] })).json<Merge>();
    const e = await customer({ name: "链式戊" });
    const second = await as().post("/api/v1/merges", { objectType: "customer", survivorId: e.id, mergedIds: [b.id] });
    expect(second.statusCode, second.body).toBe(201);
    for (const id of [a.id, b.id, c.id, d.id]) {
      const res = await as().get(`/api/v1/customers/${id}`);
      expect(res.statusCode).toBe(308);
      expect(res.headers.location).toBe(`/api/v1/customers/${e.id}`);
    }
    // The first merge's survivor has itself been merged: that undo is refused, in the user's language.
    const refused = await as(owner, "zh-CN").post(`/api/v1/merges/${first.id}/undo`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<Err>().error.message).toBe("保留的记录此后已被合并或删除，无法再撤销此次合并");
    expect((await as().post(`/api/v1/merges/${second.json<Merge>().id}/undo`)).statusCode).toBe(200);
    expect((await as().get(`/api/v1/customers/${a.id}`)).headers.location).toBe(`/api/v1/customers/${b.id}`);
    expect((await as().get(`/api/v1/customers/${b.id}`)).statusCode).toBe(200);
  });

  it("merges contacts: customer links, timeline entries and participations move, phones unite; undo puts them back", async () => {
    const c1 = await customer({ name: "联系人合并客户一" });
    const c2 = await customer({ name: "联系人合并客户二" });
    const keep = await contact({ name: "张伟", phones: [{ number: "13900000011" }], customers: [{ customerId: c1.id }] });
    const gone = await contact({ name: "张伟（旧）", title: "采购经理", phones: [{ number: "13900000012" }], customers: [{ customerId: c1.id }, { customerId: c2.id, isPrimary: true }] });
    const entry = await activity({ customerId: c2.id, contactId: gone.id, participantContactIds: [gone.id, keep.id] });
    const ids = [keep.id, gone.id];
    const before = await state("contact", ids);
    const res = await as().post("/api/v1/merges", { objectType: "contact", survivorId: keep.id, mergedIds: [gone.id], choices: { name: keep.id } });
    expect(res.statusCode, res.body).toBe(201);
    const survivor = (await as().get(`/api/v1/contacts/${keep.id}`)).json<{ name: string; title: string; phones: { number: string }[]; customers: { customerId: string }[] }>();
    expect(survivor.name).toBe("张伟");
    expect(survivor.title).toBe("采购经理");
    expect(survivor.phones.map((x) => x.number)).toEqual(["+8613900000011", "+8613900000012"]);
    expect(survivor.customers.map((x) => x.customerId).sort()).toEqual([c1.id, c2.id].sort());
    const moved = (await rows(`select contact_id, participant_contact_ids from activities where id = '${entry.id}'`))[0]!;
    expect(moved).toEqual({ contact_id: keep.id, participant_contact_ids: [keep.id] });
    const old = await as().get(`/api/v1/contacts/${gone.id}`);
    expect([old.statusCode, old.headers.location]).toEqual([308, `/api/v1/contacts/${keep.id}`]);
    // Its timeline too, with the query kept; an id that never existed stays 404.
    const oldTimeline = await as().get(`/api/v1/contacts/${gone.id}/timeline?limit=5`);
    expect([oldTimeline.statusCode, oldTimeline.headers.location]).toEqual([308, `/api/v1/contacts/${keep.id}/timeline?limit=5`]);
    const timeline = (await as().get(String(oldTimeline.headers.location))).json<{ items: { id: string }[] }>();
    expect(timeline.items.map((x) => x.id)).toContain(entry.id);
    expect((await as().get(`/api/v1/contacts/${crypto.randomUUID()}/timeline`)).statusCode).toBe(404);
    expect((await as().get("/api/v1/contacts/trash")).json<{ items: { id: string }[] }>().items.map((x) => x.id)).not.toContain(gone.id);

    const merge = res.json<Merge>();
    expect((await as().post(`/api/v1/merges/${merge.id}/undo`)).statusCode).toBe(200);
    const restored = await state("contact", ids);
    expect(restored).toEqual(before);
  });

  it("merges individual customers: the merged one's own contact goes with it and leads to the survivor's; undo brings it back", async () => {
    const keep = await customer({ kind: "individual", name: "刘洋", phones: [{ number: "13600000001" }] });
    const gone = await customer({ kind: "individual", name: "刘洋", phones: [{ number: "13600000002" }] });
    const selfOf = async (id: string) => (await rows(`select k.id from contacts k join customer_contacts l on l.contact_id = k.id where l.customer_id = '${id}' and k.is_self`))[0]!.id as string;
    const [keepSelf, goneSelf] = [await selfOf(keep.id), await selfOf(gone.id)];
    const before = await state("contact", [keepSelf, goneSelf]);
    const res = await as().post("/api/v1/merges", { objectType: "customer", survivorId: keep.id, mergedIds: [gone.id] });
    expect(res.statusCode, res.body).toBe(201);
    const detail = (await as().get(`/api/v1/customers/${keep.id}`)).json<Customer>();
    expect(detail.contacts.map((c) => c.contactId)).toEqual([keepSelf]);
    const old = await as().get(`/api/v1/contacts/${goneSelf}`);
    expect([old.statusCode, old.headers.location]).toEqual([308, `/api/v1/contacts/${keepSelf}`]);
    // The survivor's own contact mirrors its phones, now both.
    expect((await rows(`select phones from contacts where id = '${keepSelf}'`))[0]!.phones).toEqual([
      { label: "mobile", number: "+8613600000001" },
      { label: "mobile", number: "+8613600000002" },
    ]);
    expect((await as().post(`/api/v1/merges/${res.json<Merge>().id}/undo`)).statusCode).toBe(200);
    expect(await state("contact", [keepSelf, goneSelf])).toEqual(before);
  });

  it("refuses without delete permission or with a record the user cannot see, changing nothing", async () => {
    const rep = await addUser(t, owner, "sales");
    const mine = await customer({ name: "销售自己的客户" }, rep);
    const mine2 = await customer({ name: "销售自己的客户二" }, rep);
    const ids = [mine.id, mine2.id];
    const before = await state("customer", ids);
    const noDelete = await as(rep, "zh-CN").post("/api/v1/merges", { objectType: "customer", survivorId: mine.id, mergedIds: [mine2.id] });
    expect(noDelete.statusCode).toBe(403);
    expect(noDelete.json<Err>().error.message).toBe("您没有执行此操作的权限");

    const role = await as().post("/api/v1/roles", { key: "merger", name: "Merger", permissions: ["customer:read", "customer:create", "customer:update", "customer:delete", "contact:read"], visibility: "own" });
    expect(role.statusCode, role.body).toBe(201);
    const merger = await addUser(t, owner, "merger");
    const theirs = await customer({ name: "合并者自己的客户" }, merger);
    const theirsBefore = await state("customer", [theirs.id]);
    const hidden = await as(merger).post("/api/v1/merges", { objectType: "customer", survivorId: theirs.id, mergedIds: [mine.id] });
    expect(hidden.statusCode).toBe(404);
    const hiddenPreview = await as(merger).get(`/api/v1/merges/preview?objectType=customer&ids=${theirs.id},${mine.id}`);
    expect(hiddenPreview.statusCode).toBe(404);
    expect(await state("customer", [theirs.id])).toEqual(theirsBefore);
    // Merges of records they cannot see are not theirs to list or open.
    const all = (await as().get("/api/v1/merges?objectType=customer")).json<{ items: Merge[] }>().items;
    expect(all.length).toBeGreaterThan(0);
    expect((await as(merger).get("/api/v1/merges")).json<{ items: Merge[] }>().items).toEqual([]);
    expect((await as(merger).get(`/api/v1/merges/${all[0]!.id}`)).statusCode).toBe(404);
    expect((await as(merger).post(`/api/v1/merges/${all[0]!.id}/undo`)).statusCode).toBe(404);
    expect(await state("customer", ids)).toEqual(before);

    // A stale version is a conflict too, and changes nothing.
    const stale = await as().post("/api/v1/merges", { objectType: "customer", survivorId: mine.id, mergedIds: [mine2.id], version: { [mine2.id]: mine2.version + 5 } });
    expect(stale.statusCode).toBe(409);
    expect(await state("customer", ids)).toEqual(before);
  });

  it("lets one of two concurrent merges of overlapping records win; the other gets a localized 409", async () => {
    const x = await customer({ name: "并发合并甲" });
    const y = await customer({ name: "并发合并乙" });
    const z = await customer({ name: "并发合并丙" });
    const results = await Promise.all([
      as(owner, "zh-CN").post("/api/v1/merges", { objectType: "customer", survivorId: x.id, mergedIds: [y.id] }),
      as(owner, "zh-CN").post("/api/v1/merges", { objectType: "customer", survivorId: z.id, mergedIds: [y.id, x.id] }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const lost = results.find((r) => r.statusCode === 409)!;
    expect(lost.json<Err>().error.message).toBe("其中有记录刚刚已被合并到其他记录，请刷新后重新核对");
    const won = results.find((r) => r.statusCode === 201)!.json<Merge>();
    const merged = await rows(`select id, merged_into from customers where id = any(${list([x.id, y.id, z.id])}) and merged_into is not null order by id`);
    expect(merged.map((r) => r.id).sort()).toEqual([...won.mergedIds].sort());
    expect(merged.every((r) => r.merged_into === won.survivorId)).toBe(true);
  });

  it("refuses nonsense: the survivor among the merged, unknown fields, choices from elsewhere", async () => {
    const a = await customer({ name: "校验甲" });
    const b = await customer({ name: "校验乙" });
    const c = await customer({ name: "校验丙" });
    const same = await as(owner, "zh-CN").post("/api/v1/merges", { objectType: "customer", survivorId: a.id, mergedIds: [a.id] });
    expect(same.statusCode).toBe(400);
    expect(same.json<Err>().error.message).toBe("保留的记录不能同时作为被合并的记录");
    const unknown = await as().post("/api/v1/merges", { objectType: "customer", survivorId: a.id, mergedIds: [b.id], choices: { bogus: a.id } });
    expect(unknown.json<Err>().error.message).toBe("There is no field “bogus” to choose");
    const elsewhere = await as().post("/api/v1/merges", { objectType: "customer", survivorId: a.id, mergedIds: [b.id], choices: { name: c.id } });
    expect(elsewhere.statusCode).toBe(400);
    const unionOfName = await as().post("/api/v1/merges", { objectType: "customer", survivorId: a.id, mergedIds: [b.id], choices: { name: "union" } });
    expect(unionOfName.statusCode).toBe(400);
    expect((await as().get(`/api/v1/customers/${b.id}`)).statusCode).toBe(200);
  });
});
