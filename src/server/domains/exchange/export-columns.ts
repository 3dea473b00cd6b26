/**
 * The columns of exported customers and contacts: localized titles, and how a
 * record (as the list API presents it, masking included) becomes cells. Shared
 * by the export jobs (exports.ts) and the customers list's selection export
 * (customers/export.ts), so both files read the same.
 */
import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { Locale } from "../../lib/i18n.js";
import type { ContactView } from "../customers/contacts.js";
import { customFieldsOf } from "../customers/custom-fields.js";
import type { CustomerView } from "../customers/customers.js";
import { regionName } from "../customers/regions.js";
import { users } from "../identity/schema.js";
import { memberships } from "../workspaces/schema.js";

export type ExportObject = "customer" | "contact";
/** A cell before a writer formats it: text, an amount, a day (yyyy-mm-dd) or a point in time. */
export type Cell = string | number | Date | null;
export type CellKind = "text" | "phone" | "number" | "date" | "datetime";

export interface ExportColumn<T> {
  key: string;
  header: string;
  kind: CellKind;
  /** The record's fields `value` reads: an export reads only these from the database (exports.ts). */
  reads: readonly string[];
  value(row: T): Cell;
}

/**
 * A contact as the export's columns and cards read it: the list's record
 * (ContactView), of whose customers only the names are needed.
 */
export type ExportContact = Omit<ContactView, "customers"> & { customers: Pick<ContactView["customers"][number], "name">[] };

type Titles = Record<Locale, string>;
type CustomFieldRow = Awaited<ReturnType<typeof customFieldsOf>>[number];

/** Names of the workspace's members and its active custom fields: what a row needs besides itself. */
export interface ExportLookups {
  owners: Map<string, string>;
  fields: CustomFieldRow[];
}

export async function loadLookups(tx: Tx, objectType: ExportObject): Promise<ExportLookups> {
  const fields = (await customFieldsOf(tx, objectType)).filter((f) => !f.archived);
  const members = await tx.select({ id: users.id, name: users.name }).from(memberships).innerJoin(users, eq(users.id, memberships.userId));
  return { fields, owners: new Map(members.map((u) => [u.id, u.name])) };
}

const ENUMS: Record<string, Record<string, Titles>> = {
  kind: { organization: { "zh-CN": "企业", "en-US": "Organization" }, individual: { "zh-CN": "个人", "en-US": "Individual" } },
  status: { active: { "zh-CN": "正常", "en-US": "Active" }, inactive: { "zh-CN": "停用", "en-US": "Inactive" }, blacklisted: { "zh-CN": "黑名单", "en-US": "Blacklisted" } },
  lifecycleStage: {
    prospect: { "zh-CN": "潜在客户", "en-US": "Prospect" },
    new: { "zh-CN": "新客户", "en-US": "New" },
    repeat: { "zh-CN": "复购客户", "en-US": "Repeat" },
    loyal: { "zh-CN": "忠诚客户", "en-US": "Loyal" },
    at_risk: { "zh-CN": "流失风险", "en-US": "At risk" },
    churned: { "zh-CN": "已流失", "en-US": "Churned" },
  },
  gender: { male: { "zh-CN": "男", "en-US": "Male" }, female: { "zh-CN": "女", "en-US": "Female" }, other: { "zh-CN": "其他", "en-US": "Other" } },
};
const enumLabel = (group: string, value: string | null, locale: Locale) => (value ? (ENUMS[group]?.[value]?.[locale] ?? value) : "");

const list = (values: string[]) => values.join("; ");
/** One property of each item, joined as list() joins them (null as ""), without the intermediate array: a million rows call it. */
function listOf<T, K extends keyof T>(items: readonly T[], key: K): string {
  let out = "";
  for (let i = 0; i < items.length; i++) {
    const v = items[i]![key];
    if (i) out += "; ";
    if (v !== null && v !== undefined) out += String(v);
  }
  return out;
}
const day = (v: string | null): Cell => v;

interface Base<T> {
  key: string;
  title: Titles;
  kind?: CellKind;
  /** The fields of T that `value` reads (exports-columns tests check that nothing else is read). */
  reads: readonly (keyof T & string)[];
  value(row: T, l: ExportLookups, locale: Locale): Cell;
}

const owner = <T extends { ownerId: string | null }>(): Base<T> => ({
  key: "owner",
  title: { "zh-CN": "负责人", "en-US": "Owner" },
  reads: ["ownerId"],
  value: (r, l) => (r.ownerId ? (l.owners.get(r.ownerId) ?? "") : ""),
});

const CUSTOMER: Base<CustomerView>[] = [
  { key: "code", title: { "zh-CN": "客户编码", "en-US": "Code" }, reads: ["code"], value: (c) => c.code },
  { key: "name", title: { "zh-CN": "客户名称", "en-US": "Name" }, reads: ["name"], value: (c) => c.name },
  { key: "shortName", title: { "zh-CN": "简称", "en-US": "Short name" }, reads: ["shortName"], value: (c) => c.shortName },
  { key: "kind", title: { "zh-CN": "类型", "en-US": "Kind" }, reads: ["kind"], value: (c, _l, loc) => enumLabel("kind", c.kind, loc) },
  owner<CustomerView>(),
  { key: "status", title: { "zh-CN": "状态", "en-US": "Status" }, reads: ["status"], value: (c, _l, loc) => enumLabel("status", c.status, loc) },
  { key: "lifecycleStage", title: { "zh-CN": "生命周期阶段", "en-US": "Lifecycle stage" }, reads: ["lifecycleStage"], value: (c, _l, loc) => enumLabel("lifecycleStage", c.lifecycleStage, loc) },
  { key: "grade", title: { "zh-CN": "等级", "en-US": "Grade" }, reads: ["grade"], value: (c) => c.grade ?? "" },
  { key: "industry", title: { "zh-CN": "行业", "en-US": "Industry" }, reads: ["industry"], value: (c) => c.industry },
  { key: "phone", title: { "zh-CN": "电话", "en-US": "Phones" }, kind: "phone", reads: ["phones"], value: (c) => listOf(c.phones, "number") },
  { key: "email", title: { "zh-CN": "邮箱", "en-US": "E-mails" }, reads: ["emails"], value: (c) => listOf(c.emails, "address") },
  { key: "tags", title: { "zh-CN": "标签", "en-US": "Tags" }, reads: ["tags"], value: (c) => list(c.tags) },
  { key: "province", title: { "zh-CN": "省份", "en-US": "Province" }, reads: ["provinceCode"], value: (c) => regionName(c.provinceCode) ?? "" },
  { key: "city", title: { "zh-CN": "城市", "en-US": "City" }, reads: ["cityCode"], value: (c) => regionName(c.cityCode) ?? "" },
  { key: "district", title: { "zh-CN": "区县", "en-US": "District" }, reads: ["districtCode"], value: (c) => regionName(c.districtCode) ?? "" },
  { key: "address", title: { "zh-CN": "地址", "en-US": "Address" }, reads: ["address"], value: (c) => c.address },
  { key: "creditCode", title: { "zh-CN": "统一社会信用代码", "en-US": "Credit code" }, reads: ["creditCode"], value: (c) => c.creditCode ?? "" },
  { key: "website", title: { "zh-CN": "网站", "en-US": "Website" }, reads: ["website"], value: (c) => c.website },
  { key: "currency", title: { "zh-CN": "币种", "en-US": "Currency" }, reads: ["currency"], value: (c) => c.currency },
  { key: "creditLimit", title: { "zh-CN": "信用额度", "en-US": "Credit limit" }, kind: "number", reads: ["creditLimit"], value: (c) => (c.creditLimit === null ? null : Number(c.creditLimit)) },
  { key: "salesLimit", title: { "zh-CN": "销售限额", "en-US": "Sales limit" }, kind: "number", reads: ["salesLimit"], value: (c) => (c.salesLimit === null ? null : Number(c.salesLimit)) },
  { key: "paymentTerms", title: { "zh-CN": "付款条件", "en-US": "Payment terms" }, reads: ["paymentTerms"], value: (c) => c.paymentTerms },
  { key: "bankName", title: { "zh-CN": "开户银行", "en-US": "Bank" }, reads: ["bankName"], value: (c) => c.bankName },
  { key: "bankAccount", title: { "zh-CN": "银行账号", "en-US": "Bank account" }, reads: ["bankAccount"], value: (c) => c.bankAccount ?? "" },
  { key: "cooperationSince", title: { "zh-CN": "合作起始日期", "en-US": "Customer since" }, kind: "date", reads: ["cooperationSince"], value: (c) => day(c.cooperationSince) },
  { key: "remarks", title: { "zh-CN": "备注", "en-US": "Remarks" }, reads: ["remarks"], value: (c) => c.remarks },
  { key: "createdAt", title: { "zh-CN": "创建时间", "en-US": "Created" }, kind: "datetime", reads: ["createdAt"], value: (c) => c.createdAt },
  { key: "updatedAt", title: { "zh-CN": "更新时间", "en-US": "Updated" }, kind: "datetime", reads: ["updatedAt"], value: (c) => c.updatedAt },
];

const CONTACT: Base<ExportContact>[] = [
  { key: "name", title: { "zh-CN": "姓名", "en-US": "Name" }, reads: ["name"], value: (c) => c.name },
  { key: "gender", title: { "zh-CN": "性别", "en-US": "Gender" }, reads: ["gender"], value: (c, _l, loc) => enumLabel("gender", c.gender, loc) },
  { key: "customers", title: { "zh-CN": "所属客户", "en-US": "Customers" }, reads: ["customers"], value: (c) => listOf(c.customers, "name") },
  { key: "title", title: { "zh-CN": "职务", "en-US": "Title" }, reads: ["title"], value: (c) => c.title },
  { key: "department", title: { "zh-CN": "部门", "en-US": "Department" }, reads: ["department"], value: (c) => c.department },
  { key: "phone", title: { "zh-CN": "电话", "en-US": "Phones" }, kind: "phone", reads: ["phones"], value: (c) => listOf(c.phones, "number") },
  { key: "email", title: { "zh-CN": "邮箱", "en-US": "E-mails" }, reads: ["emails"], value: (c) => listOf(c.emails, "address") },
  { key: "wechat", title: { "zh-CN": "微信", "en-US": "WeChat" }, reads: ["wechat"], value: (c) => c.wechat },
  { key: "birthday", title: { "zh-CN": "生日", "en-US": "Birthday" }, kind: "date", reads: ["birthday"], value: (c) => day(c.birthday) },
  owner<ExportContact>(),
  { key: "tags", title: { "zh-CN": "标签", "en-US": "Tags" }, reads: ["tags"], value: (c) => list(c.tags) },
  { key: "notes", title: { "zh-CN": "备注", "en-US": "Notes" }, reads: ["notes"], value: (c) => c.notes },
  { key: "createdAt", title: { "zh-CN": "创建时间", "en-US": "Created" }, kind: "datetime", reads: ["createdAt"], value: (c) => c.createdAt },
  { key: "updatedAt", title: { "zh-CN": "更新时间", "en-US": "Updated" }, kind: "datetime", reads: ["updatedAt"], value: (c) => c.updatedAt },
];

/** Column names the list screens use for the same data. */
const ALIASES: Record<string, string> = { phones: "phone", emails: "email", ownerId: "owner", provinceCode: "province", cityCode: "city", districtCode: "district" };
/** Always exported, whatever columns the list shows: a row without them cannot be told apart. */
const ALWAYS: Record<ExportObject, string[]> = { customer: ["code", "name"], contact: ["name"] };

function customColumn<T extends { custom: Record<string, unknown> }>(f: CustomFieldRow): Base<T> {
  // The first option of a value names it (as a search of the list would).
  const labels = new Map<unknown, string>();
  for (const o of f.options) if (!labels.has(o.value)) labels.set(o.value, o.label);
  const kind: CellKind = f.type === "number" || f.type === "money" ? "number" : f.type === "date" ? "date" : "text";
  return {
    key: `custom.${f.key}`,
    title: { "zh-CN": f.label, "en-US": f.label },
    kind,
    reads: ["custom"],
    value: (r, l, loc) => {
      const v = r.custom[f.key];
      if (v === undefined || v === null || v === "") return null;
      const option = (x: unknown) => labels.get(x) ?? String(x);
      if (Array.isArray(v)) return list(v.map(option));
      switch (f.type) {
        case "select":
          return option(v);
        case "user":
          return l.owners.get(String(v)) ?? "";
        case "boolean":
          return v === true ? (loc === "zh-CN" ? "是" : "Yes") : loc === "zh-CN" ? "否" : "No";
        case "number":
        case "money": {
          const n = Number(v);
          return Number.isFinite(n) ? n : String(v);
        }
        default:
          return String(v);
      }
    },
  };
}

/**
 * The columns of an export: all of them, or those the list shows (`visible`,
 * the list screen's column keys, in its order) after the identifying ones.
 * Unknown keys are ignored (a column of an archived custom field).
 */
export function exportColumns(objectType: "customer", locale: Locale, lookups: ExportLookups, visible?: string[]): ExportColumn<CustomerView>[];
export function exportColumns(objectType: "contact", locale: Locale, lookups: ExportLookups, visible?: string[]): ExportColumn<ExportContact>[];
export function exportColumns(objectType: ExportObject, locale: Locale, lookups: ExportLookups, visible?: string[]): ExportColumn<CustomerView>[] | ExportColumn<ExportContact>[];
export function exportColumns(objectType: ExportObject, locale: Locale, lookups: ExportLookups, visible?: string[]) {
  const base = (objectType === "customer" ? CUSTOMER : CONTACT) as Base<CustomerView & ExportContact>[];
  const all = [...base, ...lookups.fields.map((f) => customColumn<CustomerView & ExportContact>(f))];
  let chosen = all;
  if (visible && visible.length) {
    const byKey = new Map(all.map((c) => [c.key, c]));
    const keys = [...new Set([...ALWAYS[objectType], ...visible.map((k) => ALIASES[k] ?? k)])];
    chosen = keys.map((k) => byKey.get(k)).filter((c): c is (typeof all)[number] => c !== undefined);
  }
  return chosen.map((c) => ({ key: c.key, header: c.title[locale], kind: c.kind ?? "text", reads: c.reads, value: (row: CustomerView & ExportContact) => c.value(row, lookups, locale) }));
}
