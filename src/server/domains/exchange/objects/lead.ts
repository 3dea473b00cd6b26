import { and, isNull, sql } from "drizzle-orm";
import { LeadCreateSchema, type LeadCreateInput, type LeadUpdateInput } from "../../leads/contracts.js";
import { createLead, updateLead } from "../../leads/leads.js";
import { leads } from "../../leads/schema.js";
import { parseAddress, regionName } from "../../customers/regions.js";
import { joinName } from "./party.js";
import { rowLoader, trasher, undoNeeds } from "./records.js";
import type { ImportObjectDef } from "./types.js";

/**
 * Leads, through the lead services and their rules: the owner the row names
 * (another member than oneself needs lead:manage), else the import's default
 * owner, else the assignment rules and, when none matches, the lead pool;
 * status new; source and campaign as the file says.
 */

export const leadImport: ImportObjectDef = {
  fields: [
    { key: "name", type: "text" },
    { key: "familyName", type: "text" },
    { key: "givenName", type: "text" },
    { key: "company", type: "text" },
    { key: "title", type: "text" },
    { key: "phones", type: "phone", multi: true },
    { key: "emails", type: "email", multi: true },
    { key: "wechat", type: "text" },
    { key: "source", type: "text" },
    { key: "campaign", type: "text" },
    { key: "province", type: "region" },
    { key: "city", type: "region" },
    { key: "address", type: "text" },
    { key: "productLine", type: "text" },
    { key: "industry", type: "text" },
    { key: "notes", type: "text" },
    { key: "tags", type: "tags", multi: true },
    { key: "owner", type: "user" },
  ],
  titles: {
    name: ["姓名", "联系人", "联系人姓名", "线索名称", "线索", "名字", "客户姓名", "name", "full name", "lead name", "contact name"],
    familyName: ["姓", "姓氏", "last name", "family name", "surname"],
    givenName: ["名", "first name", "given name"],
    company: ["公司", "公司名称", "单位", "单位名称", "企业", "企业名称", "客户名称", "company", "company name", "organization", "organisation", "account name"],
    title: ["职位", "职务", "头衔", "岗位", "title", "job title", "position"],
    "phones:mobile": ["手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone", "cell", "cell phone"],
    "phones:work": ["电话", "联系电话", "办公电话", "公司电话", "座机", "固话", "phone", "telephone", "business phone", "work phone", "phone number"],
    emails: ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e mail", "email address", "e mail address", "work email"],
    wechat: ["微信", "微信号", "wechat", "weixin", "wechat id"],
    source: ["线索来源", "来源", "来源渠道", "渠道", "获客渠道", "source", "lead source", "original source"],
    campaign: ["市场活动", "推广活动", "活动", "活动名称", "campaign", "campaign name", "utm campaign"],
    province: ["省", "省份", "所在省", "state", "province", "state province"],
    city: ["城市", "市", "所在城市", "city"],
    address: ["地址", "详细地址", "公司地址", "联系地址", "address", "street", "street address"],
    productLine: ["产品线", "意向产品", "感兴趣的产品", "产品", "product line", "product interest", "product"],
    industry: ["行业", "所属行业", "industry"],
    notes: ["备注", "说明", "描述", "需求", "需求描述", "notes", "note", "description", "comments"],
    tags: ["标签", "tags", "tag", "labels"],
    owner: ["负责人", "线索负责人", "销售", "销售代表", "业务员", "跟进人", "所属人", "owner", "lead owner", "sales rep", "assigned to"],
  },
  schema: LeadCreateSchema,
  schemaFields: { phone: "phones", email: "emails", provinceCode: "province", cityCode: "city" },
  shape(values) {
    joinName(values);
    // A lead has one phone and one e-mail: the first; any others stay in the notes rather than being lost.
    const phones = ((values.phones as { number: string }[] | undefined) ?? []).map((p) => p.number);
    const emails = ((values.emails as { address: string }[] | undefined) ?? []).map((e) => e.address);
    delete values.phones;
    delete values.emails;
    if (phones.length) values.phone = phones[0];
    if (emails.length) values.email = emails[0];
    const others = [...phones.slice(1), ...emails.slice(1)];
    if (others.length) values.notes = [values.notes, others.join(", ")].filter(Boolean).join("\n");
    // The address as its province and city codes plus the rest (a lead has no district: it stays in the text).
    if (typeof values.address === "string") {
      const parsed = parseAddress(values.address);
      values.address = `${regionName(parsed.districtCode) ?? ""}${parsed.detail}`;
      if (parsed.provinceCode) values.provinceCode = parsed.provinceCode;
      if (parsed.cityCode) values.cityCode = parsed.cityCode;
    }
  },
  keys: ["phone", "email", "name"],
  defaultKeys: ["phone", "email"],
  customFields: false,
  ownerDefault: "nobody",
  checkUndo: undoNeeds("lead:delete", "lead:update"),
  async findExisting(_ctx, tx, input, keys) {
    const phone = keys.includes("phone") && input.phone ? sql`${leads.phone} = ${input.phone as string}` : sql`false`;
    const email = keys.includes("email") && input.email ? sql`${leads.email} = ${input.email as string}` : sql`false`;
    // A name is a person's: the same name at the same company (or both without one).
    const name = keys.includes("name")
      ? sql`(lower(${leads.name}) = lower(${input.name as string}) and lower(${leads.company}) = lower(${(input.company as string | undefined) ?? ""}))`
      : sql`false`;
    const [row] = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(isNull(leads.deletedAt), sql`(${phone} or ${email} or ${name})`))
      .orderBy(leads.createdAt)
      .limit(1);
    return row?.id;
  },
  async create(ctx, tx, input) {
    // No owner: the lead domain decides (assignment rules, else the pool).
    const { ownerId, ...rest } = input as LeadCreateInput & { ownerId?: string | null };
    return (await createLead(ctx, { ...rest, ...(ownerId ? { ownerId } : { toPool: true }) }, tx)).id;
  },
  load: rowLoader(leads),
  async update(ctx, tx, id, change) {
    // Owners move by assignment (lead:manage), not by an import's update.
    const { ownerId: _o, toPool: _p, ...rest } = change;
    await updateLead(ctx, id, "any", rest as LeadUpdateInput, tx);
  },
  removeCreated: trasher(leads, "lead", { searchIndex: true }),
};
