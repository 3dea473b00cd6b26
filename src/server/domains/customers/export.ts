import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { eq } from "drizzle-orm";
import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import type { ListQuery } from "../../lib/listing.js";
import type { Locale } from "../../lib/i18n.js";
import { users } from "../identity/schema.js";
import { memberships } from "../workspaces/schema.js";
import { customFieldsOf } from "./custom-fields.js";
import { findCustomers, type CustomerView } from "./customers.js";
import { regionName } from "./regions.js";

const HEADERS: Record<string, Record<Locale, string>> = {
  code: { "zh-CN": "客户编码", "en-US": "Code" },
  name: { "zh-CN": "客户名称", "en-US": "Name" },
  shortName: { "zh-CN": "简称", "en-US": "Short name" },
  kind: { "zh-CN": "类型", "en-US": "Kind" },
  owner: { "zh-CN": "负责人", "en-US": "Owner" },
  status: { "zh-CN": "状态", "en-US": "Status" },
  lifecycleStage: { "zh-CN": "生命周期阶段", "en-US": "Lifecycle stage" },
  grade: { "zh-CN": "等级", "en-US": "Grade" },
  industry: { "zh-CN": "行业", "en-US": "Industry" },
  phones: { "zh-CN": "电话", "en-US": "Phones" },
  emails: { "zh-CN": "邮箱", "en-US": "E-mails" },
  tags: { "zh-CN": "标签", "en-US": "Tags" },
  province: { "zh-CN": "省份", "en-US": "Province" },
  city: { "zh-CN": "城市", "en-US": "City" },
  district: { "zh-CN": "区县", "en-US": "District" },
  address: { "zh-CN": "地址", "en-US": "Address" },
  creditCode: { "zh-CN": "统一社会信用代码", "en-US": "Credit code" },
  currency: { "zh-CN": "币种", "en-US": "Currency" },
  creditLimit: { "zh-CN": "信用额度", "en-US": "Credit limit" },
  salesLimit: { "zh-CN": "销售限额", "en-US": "Sales limit" },
  paymentTerms: { "zh-CN": "付款条件", "en-US": "Payment terms" },
  bankName: { "zh-CN": "开户银行", "en-US": "Bank" },
  bankAccount: { "zh-CN": "银行账号", "en-US": "Bank account" },
  cooperationSince: { "zh-CN": "合作起始日期", "en-US": "Customer since" },
  createdAt: { "zh-CN": "创建时间", "en-US": "Created" },
  updatedAt: { "zh-CN": "更新时间", "en-US": "Updated" },
};

/**
 * A spreadsheet program runs a cell that starts with = + - @ (or tab/CR) as a
 * formula: such cells get a leading apostrophe (OWASP CSV injection).
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The customers a list query matches (or the selected ids), as CSV, UTF-8
 * with BOM so Excel opens Chinese correctly. Streamed page by page: memory
 * stays flat however many rows. Masking follows the reader's rights, as in
 * the API.
 */
export async function exportCustomersCsv(ctx: Ctx, query: ListQuery, ids?: string[]): Promise<Readable> {
  requireAccess(ctx, "customer:export");
  const { fields, owners } = await readTenant(ctx, async (tx) => ({
    fields: (await customFieldsOf(tx, "customer")).filter((f) => !f.archived),
    owners: new Map(
      (await tx.select({ id: users.id, name: users.name }).from(memberships).innerJoin(users, eq(users.id, memberships.userId))).map((u) => [u.id, u.name]),
    ),
  }));
  const keys = Object.keys(HEADERS);
  const header = [...keys.map((k) => HEADERS[k]![ctx.locale]), ...fields.map((f) => f.label)];
  const row = (c: CustomerView): string[] => {
    const cells: Record<string, string> = {
      code: c.code,
      name: c.name,
      shortName: c.shortName,
      kind: c.kind,
      owner: c.ownerId ? (owners.get(c.ownerId) ?? "") : "",
      status: c.status,
      lifecycleStage: c.lifecycleStage,
      grade: c.grade ?? "",
      industry: c.industry,
      phones: c.phones.map((p) => p.number).join("; "),
      emails: c.emails.map((e) => e.address).join("; "),
      tags: c.tags.join("; "),
      province: regionName(c.provinceCode) ?? "",
      city: regionName(c.cityCode) ?? "",
      district: regionName(c.districtCode) ?? "",
      address: c.address,
      creditCode: c.creditCode ?? "",
      currency: c.currency,
      creditLimit: c.creditLimit ?? "",
      salesLimit: c.salesLimit ?? "",
      paymentTerms: c.paymentTerms,
      bankName: c.bankName,
      bankAccount: c.bankAccount ?? "",
      cooperationSince: c.cooperationSince ?? "",
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
    const custom = fields.map((f) => {
      const v = c.custom[f.key];
      if (v === undefined || v === null) return "";
      if (Array.isArray(v)) return v.map((x) => f.options.find((o) => o.value === x)?.label ?? String(x)).join("; ");
      if (f.type === "select") return f.options.find((o) => o.value === v)?.label ?? String(v);
      if (f.type === "user") return owners.get(String(v)) ?? "";
      return String(v);
    });
    return [...keys.map((k) => cells[k]!), ...custom].map(neutralise);
  };

  async function* rows() {
    yield header;
    let cursor: string | undefined;
    do {
      const page = await findCustomers(ctx, { ...query, limit: 500, cursor }, { ids: ids?.length ? ids : undefined });
      for (const c of page.items) yield row(c);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const csv = stringify({ bom: true, record_delimiter: "windows" });
  Readable.from(rows()).on("error", (err) => csv.destroy(err)).pipe(csv);
  return csv;
}
