import { createCustomer, updateCustomer } from "../../customers/customers.js";
import { CustomerCreateSchema, type CustomerCreate } from "../../customers/contracts.js";
import { COMPANY_SIZES, CUSTOMER_KINDS, CUSTOMER_STATUSES, customers, GENDERS, GRADES, LIFECYCLE_STAGES } from "../../customers/schema.js";
import { customerByCode, GENDER_WORDS, PARTY_FIELDS, partyDuplicate } from "./party.js";
import { rowLoader, trasher, undoNeeds } from "./records.js";
import { enumOf, type ImportObjectDef } from "./types.js";

/** Customers, one row at a time through the customer services (codes, regions, grading, own contacts). */

const STAGE_WORDS = { prospect: ["潜在客户", "潜在", "意向客户", "lead", "prospect"], new: ["新客户", "new customer", "customer"], repeat: ["复购客户", "老客户", "repeat customer"], loyal: ["忠诚客户", "loyal customer", "evangelist"], at_risk: ["流失风险", "at risk"], churned: ["已流失", "流失客户", "lost", "former customer"] };
const SIZE_WORDS = { micro: ["微型", "1-9", "1-10"], small: ["小型", "10-49", "11-50"], medium: ["中型", "50-249", "51-200"], large: ["大型", "250-999", "201-1000"], enterprise: ["集团", "特大型", "1000+", "1000以上", "1001+"] };
const KIND_WORDS = { organization: ["企业", "公司", "单位", "机构", "company", "business", "b2b"], individual: ["个人", "个体", "person", "consumer", "b2c"] };
const STATUS_WORDS = { active: ["正常", "有效", "启用"], inactive: ["停用", "无效", "休眠"], blacklisted: ["黑名单", "blacklist", "blocked"] };
const GRADE_WORDS = { A: ["a", "a级", "重要客户", "hot"], B: ["b", "b级", "普通客户", "warm"], C: ["c", "c级", "一般客户", "cold"] };

export const customerImport: ImportObjectDef = {
  fields: [
    { key: "name", type: "text" },
    { key: "code", type: "text" },
    { key: "shortName", type: "text" },
    { key: "kind", type: "enum", values: enumOf(CUSTOMER_KINDS, KIND_WORDS) },
    { key: "type", type: "text" },
    { key: "source", type: "text" },
    { key: "status", type: "enum", values: enumOf(CUSTOMER_STATUSES, STATUS_WORDS) },
    { key: "lifecycleStage", type: "enum", values: enumOf(LIFECYCLE_STAGES, STAGE_WORDS) },
    { key: "grade", type: "enum", values: enumOf(GRADES, GRADE_WORDS) },
    { key: "industry", type: "text" },
    { key: "companySize", type: "enum", values: enumOf(COMPANY_SIZES, SIZE_WORDS) },
    { key: "cooperationSince", type: "date" },
    { key: "website", type: "text" },
    { key: "remarks", type: "text" },
    { key: "creditCode", type: "text" },
    { key: "province", type: "region" },
    { key: "city", type: "region" },
    { key: "district", type: "region" },
    { key: "address", type: "text" },
    { key: "postcode", type: "text" },
    { key: "currency", type: "text" },
    { key: "creditLimit", type: "money" },
    { key: "salesLimit", type: "money" },
    { key: "paymentTerms", type: "text" },
    { key: "discountTerms", type: "text" },
    { key: "taxRules", type: "text" },
    { key: "creditRating", type: "text" },
    { key: "commissionCode", type: "text" },
    { key: "invoiceRecipient", type: "text" },
    { key: "bankName", type: "text" },
    { key: "bankAccount", type: "text" },
    { key: "gender", type: "enum", values: enumOf(GENDERS, GENDER_WORDS) },
    { key: "birthday", type: "date" },
    ...PARTY_FIELDS,
  ],
  titles: {
    name: ["客户名称", "客户名", "客户", "公司名称", "公司名", "公司", "企业名称", "企业", "单位名称", "单位", "客户全称", "名称", "account name", "company name", "company", "organization", "organisation", "name", "account"],
    code: ["客户编码", "客户编号", "客户代码", "编号", "编码", "客户号", "customer code", "customer number", "account number", "code", "customer id"],
    shortName: ["简称", "客户简称", "公司简称", "short name", "abbreviation"],
    kind: ["客户性质", "客户类别", "性质", "kind", "customer kind"],
    type: ["客户类型", "类型", "account type", "type", "company type"],
    source: ["客户来源", "来源", "来源渠道", "渠道", "线索来源", "source", "lead source", "account source", "original source"],
    status: ["状态", "客户状态", "status"],
    lifecycleStage: ["生命周期", "生命周期阶段", "客户阶段", "阶段", "lifecycle stage", "lifecycle", "stage"],
    grade: ["客户等级", "等级", "级别", "客户级别", "分级", "grade", "rating", "tier"],
    industry: ["行业", "所属行业", "行业类别", "industry"],
    companySize: ["公司规模", "企业规模", "人员规模", "规模", "员工人数", "员工数", "company size", "employees", "number of employees", "employee count", "size"],
    cooperationSince: ["合作开始日期", "开始合作日期", "开始合作时间", "合作日期", "合作时间", "首次合作", "customer since", "cooperation since"],
    website: ["网站", "网址", "官网", "公司网站", "主页", "website", "web site", "domain", "company domain name", "domain name", "url"],
    remarks: ["备注", "说明", "描述", "客户描述", "remarks", "description", "notes", "note", "comments"],
    creditCode: ["统一社会信用代码", "社会信用代码", "信用代码", "税号", "纳税人识别号", "营业执照号", "credit code", "tax id", "tax number", "vat number", "uscc"],
    province: ["省", "省份", "所在省", "省市", "state", "province", "billing state", "billing state province", "state region"],
    city: ["城市", "市", "所在城市", "地市", "city", "billing city"],
    district: ["区县", "区", "县", "区 县", "district", "county"],
    address: ["地址", "详细地址", "公司地址", "办公地址", "注册地址", "通讯地址", "联系地址", "街道地址", "address", "street address", "billing street", "billing address", "street", "address 1"],
    postcode: ["邮编", "邮政编码", "postcode", "postal code", "zip", "zip code", "billing zip postal code", "billing postal code"],
    currency: ["币种", "货币", "结算币种", "currency", "currency code"],
    creditLimit: ["信用额度", "授信额度", "信用限额", "credit limit"],
    salesLimit: ["销售限额", "销售额度", "sales limit"],
    paymentTerms: ["付款条件", "付款方式", "账期", "结算方式", "payment terms"],
    discountTerms: ["折扣条件", "折扣", "discount terms", "discount"],
    taxRules: ["税务规则", "税率", "开票类型", "tax rules", "tax"],
    creditRating: ["信用等级", "信用评级", "credit rating"],
    commissionCode: ["佣金代码", "提成代码", "commission code"],
    invoiceRecipient: ["发票接收人", "收票人", "开票抬头", "invoice recipient"],
    bankName: ["开户行", "开户银行", "银行名称", "开户行名称", "bank name", "bank"],
    bankAccount: ["银行账号", "银行账户", "账号", "开户账号", "bank account", "account no", "iban"],
    gender: ["性别", "gender", "sex"],
    birthday: ["生日", "出生日期", "birthday", "birth date", "date of birth", "birthdate"],
    "phones:mobile": ["手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone", "cell", "cell phone", "mobile phone number"],
    "phones:work": ["电话", "联系电话", "公司电话", "办公电话", "座机", "固话", "总机", "phone", "telephone", "business phone", "work phone", "phone number", "account phone", "company phone", "primary phone number"],
    "phones:fax": ["传真", "fax", "business fax"],
    emails: ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e mail", "email address", "e mail address", "primary email", "work email"],
    tags: ["标签", "tags", "tag", "labels"],
    owner: ["负责人", "客户负责人", "销售", "销售代表", "业务员", "客户经理", "所属人", "归属人", "跟进人", "owner", "account owner", "company owner", "sales rep", "assigned to", "owner email"],
  },
  schema: CustomerCreateSchema,
  schemaFields: { provinceCode: "province", cityCode: "city", districtCode: "district" },
  shape(values) {
    values.kind ??= "organization";
  },
  keys: ["code", "creditCode", "phone", "email", "name"],
  defaultKeys: ["phone", "email", "creditCode", "code"],
  customFields: true,
  ownerDefault: "importer",
  checkUndo: undoNeeds("customer:delete", "customer:update"),
  async findExisting(_ctx, tx, input, keys) {
    // The code first: it names one customer, where a phone may be shared.
    const byCode = keys.includes("code") && input.code ? await customerByCode(tx, input.code as string) : undefined;
    return byCode ?? (await partyDuplicate(tx, "customer", input, keys));
  },
  create: async (ctx, tx, input) => (await createCustomer(ctx, { ...(input as CustomerCreate), allowDuplicate: true }, tx)).id,
  load: rowLoader(customers),
  async update(ctx, tx, id, change) {
    await updateCustomer(ctx, id, "any", { ...(change as Partial<CustomerCreate>), allowDuplicate: true }, tx);
  },
  removeCreated: trasher(customers, "customer", { deletedBy: customers.deletedBy, searchIndex: true }),
};
