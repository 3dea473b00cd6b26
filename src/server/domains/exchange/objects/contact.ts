import { eq } from "drizzle-orm";
import { createContact, updateContact } from "../../customers/contacts.js";
import { ContactCreateSchema, type ContactCreate } from "../../customers/contracts.js";
import { CONTACT_ROLES, contacts, customerContacts, GENDERS } from "../../customers/schema.js";
import { GENDER_WORDS, joinName, PARTY_FIELDS, partyDuplicate } from "./party.js";
import { rowLoader, trasher, undoNeeds } from "./records.js";
import { enumOf, type ImportObjectDef } from "./types.js";

/**
 * Contacts, linked to a customer by its code or name. Rows being created go
 * a batch per statement (apply.ts prepareContactBatch / writeContactBatch,
 * the same checks made for the batch); updates and a refused batch's rows
 * go one by one through the services, here.
 */

const ROLE_WORDS = { decision_maker: ["决策人", "决策者", "关键人", "decision maker"], influencer: ["影响者", "影响人", "influencer"], user: ["使用者", "用户"], other: ["其他"] };

const loadContact = rowLoader(contacts);

export const contactImport: ImportObjectDef = {
  fields: [
    { key: "name", type: "text" },
    { key: "familyName", type: "text" },
    { key: "givenName", type: "text" },
    { key: "gender", type: "enum", values: enumOf(GENDERS, GENDER_WORDS) },
    { key: "title", type: "text" },
    { key: "department", type: "text" },
    { key: "birthday", type: "date" },
    { key: "wechat", type: "text" },
    { key: "notes", type: "text" },
    { key: "customer", type: "customer" },
    { key: "customerCode", type: "customer" },
    { key: "role", type: "enum", values: enumOf(CONTACT_ROLES, ROLE_WORDS) },
    ...PARTY_FIELDS,
  ],
  titles: {
    name: ["姓名", "联系人", "联系人姓名", "联系人名称", "名字", "全名", "name", "full name", "contact name", "display name"],
    familyName: ["姓", "姓氏", "last name", "family name", "surname", "name last name", "last_name"],
    givenName: ["名", "first name", "given name", "name first name", "first_name"],
    gender: ["性别", "gender", "sex"],
    title: ["职位", "职务", "头衔", "岗位", "title", "job title", "position", "organization title", "organization 1 title"],
    department: ["部门", "所在部门", "department", "organization department", "organization 1 department"],
    birthday: ["生日", "出生日期", "birthday", "birth date", "date of birth", "birthdate"],
    wechat: ["微信", "微信号", "微信id", "wechat", "weixin", "wechat id"],
    notes: ["备注", "说明", "描述", "notes", "note", "description", "background"],
    customer: ["公司", "公司名称", "客户", "客户名称", "所属客户", "所属公司", "单位", "单位名称", "企业名称", "company", "company name", "account name", "account", "organization", "organization name", "organization 1 name", "associated company"],
    customerCode: ["客户编码", "客户编号", "客户代码", "customer code", "account number"],
    role: ["角色", "决策角色", "联系人角色", "role", "contact role"],
    "phones:mobile": ["手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone", "cell", "cell phone", "phone 1 value"],
    "phones:work": ["电话", "联系电话", "办公电话", "座机", "固话", "工作电话", "phone", "telephone", "business phone", "work phone", "phone number", "primary phone number", "phones primary phone number", "phone 2 value", "phone work"],
    "phones:home": ["家庭电话", "住宅电话", "home phone", "phone home"],
    "phones:fax": ["传真", "fax", "business fax"],
    emails: ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e mail", "email address", "e mail address", "e mail 1 value", "e mail 2 value", "primary email", "emails primary email", "work email", "email work"],
    tags: ["标签", "tags", "tag", "labels", "group membership"],
    owner: ["负责人", "联系人负责人", "销售", "业务员", "所属人", "owner", "contact owner", "sales rep", "assigned to"],
  },
  schema: ContactCreateSchema,
  // The role is the contact's on the company the row names, not a field of the contact.
  carry: ["role"],
  shape: joinName,
  keys: ["phone", "email", "name"],
  defaultKeys: ["phone", "email"],
  customFields: true,
  ownerDefault: "nobody",
  checkUndo: undoNeeds("contact:delete", "contact:update"),
  async resolve(_ctx, tx, plan, input, resolvers) {
    const role = input.role as string | undefined;
    delete input.role;
    if (!plan.customer) return [];
    const found = await resolvers.customer(tx, plan.customer);
    if ("issue" in found) return [found.issue];
    input.customers = [{ customerId: found.id, role: role ?? "other", isPrimary: false }];
    return [];
  },
  findExisting: (_ctx, tx, input, keys) => partyDuplicate(tx, "contact", input, keys),
  create: async (ctx, tx, input) => (await createContact(ctx, { ...(input as ContactCreate), allowDuplicate: true }, tx)).id,
  async load(tx, id) {
    const row = await loadContact(tx, id);
    if (!row) return undefined;
    const links = await tx.select({ customerId: customerContacts.customerId, role: customerContacts.role, isPrimary: customerContacts.isPrimary }).from(customerContacts).where(eq(customerContacts.contactId, id));
    return { ...row, customers: links };
  },
  adjust(raw, change) {
    // A file naming a contact's company adds that link; the contact's other companies stay.
    if (!change.customers) return;
    const links = raw.customers as { customerId: string }[];
    const named = change.customers as { customerId: string }[];
    if (named.every((n) => links.some((l) => l.customerId === n.customerId))) delete change.customers;
    else change.customers = [...links.filter((l) => !named.some((n) => n.customerId === l.customerId)), ...named];
  },
  async update(ctx, tx, id, change) {
    await updateContact(ctx, id, "any", { ...(change as Partial<ContactCreate>), allowDuplicate: true }, tx);
  },
  removeCreated: trasher(contacts, "contact", { deletedBy: contacts.deletedBy, searchIndex: true }),
};
