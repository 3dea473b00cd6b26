import { fold } from "../customers/text.js";
import { COMPANY_SIZES, CONTACT_ROLES, CUSTOMER_KINDS, CUSTOMER_STATUSES, GENDERS, GRADES, LIFECYCLE_STAGES } from "../customers/schema.js";

/**
 * The fields an import can fill, per object, and the automatic mapping of a
 * file's column titles onto them: Chinese and English titles as people write
 * them in spreadsheets, and the export titles of Salesforce, HubSpot, Zoho,
 * Twenty and Atomic CRM.
 */
export type ImportObject = "customer" | "contact";

export type FieldType = "text" | "phone" | "email" | "date" | "money" | "number" | "enum" | "tags" | "user" | "boolean" | "region" | "customer";

export interface ImportField {
  key: string;
  type: FieldType;
  /** Several columns may feed it (phones, e-mails, tags). */
  multi?: boolean;
  /** Enum fields: each value with the words a file may use for it (Chinese and English labels, codes). */
  values?: Record<string, readonly string[]>;
  /** Phones: the label a column gives its numbers (手机 → mobile, 传真 → fax). */
  labels?: readonly string[];
}

const enumOf = (values: readonly string[], words: Record<string, readonly string[]>) => Object.fromEntries(values.map((v) => [v, [v, ...(words[v] ?? [])]]));

const STAGE_WORDS = { prospect: ["潜在客户", "潜在", "意向客户", "lead", "prospect"], new: ["新客户", "new customer", "customer"], repeat: ["复购客户", "老客户", "repeat customer"], loyal: ["忠诚客户", "loyal customer", "evangelist"], at_risk: ["流失风险", "at risk"], churned: ["已流失", "流失客户", "lost", "former customer"] };
const SIZE_WORDS = { micro: ["微型", "1-9", "1-10"], small: ["小型", "10-49", "11-50"], medium: ["中型", "50-249", "51-200"], large: ["大型", "250-999", "201-1000"], enterprise: ["集团", "特大型", "1000+", "1000以上", "1001+"] };
const KIND_WORDS = { organization: ["企业", "公司", "单位", "机构", "company", "business", "b2b"], individual: ["个人", "个体", "person", "consumer", "b2c"] };
const STATUS_WORDS = { active: ["正常", "有效", "启用"], inactive: ["停用", "无效", "休眠"], blacklisted: ["黑名单", "blacklist", "blocked"] };
const GENDER_WORDS = { male: ["男", "先生", "m"], female: ["女", "女士", "f"], other: ["其他", "未知"] };
const ROLE_WORDS = { decision_maker: ["决策人", "决策者", "关键人", "decision maker"], influencer: ["影响者", "影响人", "influencer"], user: ["使用者", "用户"], other: ["其他"] };
const GRADE_WORDS = { A: ["a", "a级", "重要客户", "hot"], B: ["b", "b级", "普通客户", "warm"], C: ["c", "c级", "一般客户", "cold"] };

const COMMON: ImportField[] = [
  { key: "phones", type: "phone", multi: true },
  { key: "emails", type: "email", multi: true },
  { key: "tags", type: "tags", multi: true },
  { key: "owner", type: "user" },
];

export const IMPORT_FIELDS: Record<ImportObject, ImportField[]> = {
  customer: [
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
    ...COMMON,
  ],
  contact: [
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
    ...COMMON,
  ],
};

/**
 * Column titles per field. Matched after folding (full-width, 繁→简, case)
 * and with `_ - / .` read as spaces, so "Phones / Primary Phone Number"
 * (Twenty), "first_name" (Atomic CRM) and "E-mail Address" meet their words.
 * A `:label` suffix on a phone target says what kind of number the column holds.
 */
const TITLES: Record<ImportObject, Record<string, readonly string[]>> = {
  customer: {
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
  contact: {
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
};

/** A column title folded for matching. */
export function normaliseTitle(title: string): string {
  return fold(title)
    .replace(/[*＊:：()（）[\]【】「」<>《》"'“”‘’#]/g, " ")
    .replace(/必填|选填|required|optional/g, " ")
    .replace(/[_\-/\\.|·,，、]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const hasCjk = (s: string) => /\p{Script=Han}/u.test(s);

/**
 * How well a folded title matches a field's folded synonyms: exactly 100 (plus
 * up to 1 for synonyms early in the list, the field's most usual names, so 客户名称
 * beats 公司 for the name); a synonym as whole words of the title (or inside a
 * Chinese title) 50 + its length; else 0.
 */
function score(title: string, synonyms: readonly string[]): number {
  return Math.max(0, ...synonyms.map((s, i) => (title === s ? 100 + (synonyms.length - i) / synonyms.length : partial(title, s))));
}

function partial(title: string, synonym: string): number {
  if (hasCjk(synonym)) return synonym.length >= 2 && title.includes(synonym) ? 50 + synonym.length : 0;
  return ` ${title} `.includes(` ${synonym} `) ? 50 + synonym.length : 0;
}

export interface CustomFieldTitle {
  key: string;
  label: string;
}

/**
 * The target of each column (a field key, `phones:<label>`, `custom.<key>`),
 * or null when nothing fits. A single-valued field goes to the column that
 * matches it best; phones, e-mails and tags may take several columns.
 */
export function suggestMapping(object: ImportObject, titles: readonly string[], customFields: readonly CustomFieldTitle[] = []): (string | null)[] {
  const synonyms = Object.entries(TITLES[object]).map(([target, words]) => [target, words.map(normaliseTitle)] as const);
  const custom = customFields.map((f) => [`custom.${f.key}`, [normaliseTitle(f.label), normaliseTitle(f.key)]] as const);
  const candidates = titles.map((raw, column) => {
    const title = normaliseTitle(raw);
    let best: { target: string; score: number } | null = null;
    if (!title) return { column, best };
    // A custom field's own label beats a built-in synonym: the admin named it so.
    for (const [target, words] of [...custom, ...synonyms]) {
      const s = score(title, words) + (target.startsWith("custom.") ? 2 : 0);
      if (s > 0 && (!best || s > best.score)) best = { target, score: s };
    }
    return { column, best };
  });
  const result: (string | null)[] = titles.map(() => null);
  const taken = new Set<string>();
  for (const c of [...candidates].sort((a, b) => (b.best?.score ?? 0) - (a.best?.score ?? 0))) {
    if (!c.best) continue;
    const field = fieldOf(object, c.best.target);
    if (!field) continue;
    if (!field.multi && taken.has(field.key)) continue;
    taken.add(field.key);
    result[c.column] = c.best.target;
  }
  return result;
}

/** The field a mapping target fills (`phones:mobile` → phones), or undefined for an unknown target. */
export function fieldOf(object: ImportObject, target: string): ImportField | undefined {
  if (target.startsWith("custom.")) return { key: target, type: "text" };
  const [key, label] = target.split(":");
  const field = IMPORT_FIELDS[object].find((f) => f.key === key);
  if (!field) return undefined;
  if (label !== undefined && (field.type !== "phone" || !["mobile", "work", "home", "fax", "other"].includes(label))) return undefined;
  return field;
}
