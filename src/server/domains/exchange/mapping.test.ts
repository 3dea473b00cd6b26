import { describe, expect, it } from "vitest";
import { fieldOf, normaliseTitle, suggestMapping, type ImportObject } from "./mapping.js";

const mapped = (object: ImportObject, titles: string[], custom: { key: string; label: string }[] = []) =>
  Object.fromEntries(suggestMapping(object, titles, custom).map((target, i) => [titles[i], target]));

describe("suggestMapping", () => {
  it("maps a Chinese customer sheet, preferring the exact title over a title that merely contains a word", () => {
    expect(
      mapped("customer", ["客户编码", "客户名称", "统一社会信用代码", "联系电话", "手机", "邮箱", "公司地址", "所属行业", "客户等级", "负责人", "信用额度", "开户行", "银行账号", "备注", "随便一列"]),
    ).toEqual({
      客户编码: "code",
      客户名称: "name",
      统一社会信用代码: "creditCode",
      联系电话: "phones:work",
      手机: "phones:mobile",
      邮箱: "emails",
      公司地址: "address",
      所属行业: "industry",
      客户等级: "grade",
      负责人: "owner",
      信用额度: "creditLimit",
      开户行: "bankName",
      银行账号: "bankAccount",
      备注: "remarks",
      随便一列: null,
    });
  });

  it("folds full-width, traditional characters, asterisks and required marks", () => {
    expect(mapped("customer", ["*客戶名稱（必填）", "ＥＭＡＩＬ", "電話"])).toEqual({ "*客戶名稱（必填）": "name", ＥＭＡＩＬ: "emails", 電話: "phones:work" });
    expect(normaliseTitle("Phones / Primary Phone Number")).toBe("phones primary phone number");
  });

  it("gives a single-valued field to one column only; phones and e-mails may take several", () => {
    const m = suggestMapping("customer", ["公司", "客户名称", "电话", "电话2", "Email", "Work Email"]);
    expect(m).toEqual([null, "name", "phones:work", "phones:work", "emails", "emails"]);
  });

  it.each([
    ["Salesforce contacts", ["First Name", "Last Name", "Title", "Account Name", "Phone", "Mobile", "Email", "Mailing Street", "Contact Owner"], { "First Name": "givenName", "Last Name": "familyName", Title: "title", "Account Name": "customer", Phone: "phones:work", Mobile: "phones:mobile", Email: "emails", "Mailing Street": null, "Contact Owner": "owner" }],
    ["HubSpot contacts", ["First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Job Title", "Company Name", "Contact owner"], { "First Name": "givenName", "Last Name": "familyName", Email: "emails", "Phone Number": "phones:work", "Mobile Phone Number": "phones:mobile", "Job Title": "title", "Company Name": "customer", "Contact owner": "owner" }],
    ["Zoho contacts", ["First Name", "Last Name", "Account Name", "Email", "Phone", "Mobile", "Department", "Description", "Date of Birth"], { "First Name": "givenName", "Last Name": "familyName", "Account Name": "customer", Email: "emails", Phone: "phones:work", Mobile: "phones:mobile", Department: "department", Description: "notes", "Date of Birth": "birthday" }],
    ["Twenty people", ["Name / First Name", "Name / Last Name", "Emails / Primary Email", "Phones / Primary Phone Number", "Job Title", "City"], { "Name / First Name": "givenName", "Name / Last Name": "familyName", "Emails / Primary Email": "emails", "Phones / Primary Phone Number": "phones:work", "Job Title": "title", City: null }],
    ["Atomic CRM contacts", ["first_name", "last_name", "gender", "title", "background", "company", "email_work", "email_home", "phone_work", "phone_home", "tags", "status"], { first_name: "givenName", last_name: "familyName", gender: "gender", title: "title", background: "notes", company: "customer", email_work: "emails", email_home: "emails", phone_work: "phones:work", phone_home: "phones:home", tags: "tags", status: null }],
    ["Google contacts", ["First Name", "Last Name", "Organization Name", "Organization Title", "E-mail 1 - Value", "Phone 1 - Value", "Birthday", "Notes"], { "First Name": "givenName", "Last Name": "familyName", "Organization Name": "customer", "Organization Title": "title", "E-mail 1 - Value": "emails", "Phone 1 - Value": "phones:mobile", Birthday: "birthday", Notes: "notes" }],
  ])("maps the export titles of %s", (_name, titles, expected) => {
    expect(mapped("contact", titles)).toEqual(expected);
  });

  it("maps Salesforce and HubSpot company exports", () => {
    expect(mapped("customer", ["Account Name", "Account Number", "Phone", "Website", "Industry", "Billing Street", "Billing City", "Account Owner", "Employees"])).toEqual({
      "Account Name": "name",
      "Account Number": "code",
      Phone: "phones:work",
      Website: "website",
      Industry: "industry",
      "Billing Street": "address",
      "Billing City": "city",
      "Account Owner": "owner",
      Employees: "companySize",
    });
    expect(mapped("customer", ["Name", "Company Domain Name", "Company owner", "Lifecycle Stage"])).toEqual({ Name: "name", "Company Domain Name": "website", "Company owner": "owner", "Lifecycle Stage": "lifecycleStage" });
  });

  it("maps custom fields by their label, ahead of a built-in synonym", () => {
    expect(mapped("customer", ["客户名称", "年采购额", "来源"], [{ key: "annual_purchase", label: "年采购额" }, { key: "channel", label: "来源" }])).toEqual({ 客户名称: "name", 年采购额: "custom.annual_purchase", 来源: "custom.channel" });
  });

  it("maps product, lead and activity sheets, in Chinese and as other CRMs export them", () => {
    expect(mapped("product", ["Product Code", "Product Name", "Product Family", "List Price", "Active", "Product Description"])).toEqual({
      "Product Code": "sku",
      "Product Name": "name",
      "Product Family": "category",
      "List Price": "listPrice",
      Active: "active",
      "Product Description": "description",
    });
    expect(mapped("product", ["物料编码", "品名", "规格型号", "计量单位", "销售单价", "增值税率(%)"])).toEqual({
      物料编码: "sku",
      品名: "name",
      规格型号: "description",
      计量单位: "unit",
      销售单价: "listPrice",
      "增值税率(%)": "taxRate",
    });
    expect(mapped("lead", ["First Name", "Last Name", "Company", "Mobile", "Phone", "Lead Source", "State/Province", "Lead Owner"])).toEqual({
      "First Name": "givenName",
      "Last Name": "familyName",
      Company: "company",
      Mobile: "phones:mobile",
      Phone: "phones:work",
      "Lead Source": "source",
      "State/Province": "province",
      "Lead Owner": "owner",
    });
    expect(mapped("activity", ["客户编码", "拜访对象", "跟进方式", "跟进日期", "跟进内容", "通话时长", "招待费", "跟进人"])).toEqual({
      客户编码: "customerCode",
      拜访对象: "contact",
      跟进方式: "kind",
      跟进日期: "occurredAt",
      跟进内容: "summary",
      通话时长: "durationMinutes",
      招待费: "costAmount",
      跟进人: "owner",
    });
  });

  it("knows which targets exist", () => {
    expect(fieldOf("product", "phones:mobile")).toBeUndefined();
    expect(fieldOf("activity", "occurredAt")?.type).toBe("datetime");
    expect(fieldOf("contact", "phones:mobile")?.key).toBe("phones");
    expect(fieldOf("contact", "phones:pager")).toBeUndefined();
    expect(fieldOf("contact", "name:mobile")).toBeUndefined();
    expect(fieldOf("customer", "creditCode")?.type).toBe("text");
    expect(fieldOf("contact", "creditCode")).toBeUndefined();
  });
});
