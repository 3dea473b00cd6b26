import dayjs, { type Dayjs } from "dayjs";
import {
  ANALYSIS_FIELDS,
  type AddressKind,
  type Analysis,
  type CompanySize,
  type Customer,
  type CustomerInput,
  type CustomerKind,
  type CustomerStatus,
  type Email,
  type Gender,
  type Grade,
  type LifecycleStage,
  type Phone,
} from "./api.js";
import { formatPhone } from "./format.js";
import { text } from "./form-utils.js";

/*
 * The customer form's values and their mapping to and from the API. Both
 * directions go through the same functions, so an edit can send exactly the
 * fields whose API value changed.
 */

export interface AddressValues {
  kind: AddressKind;
  isDefault: boolean;
  region: string[];
  detail: string;
  postcode: string;
  recipient: string;
  phone: string;
}

export interface FormValues {
  code: string;
  kind: CustomerKind;
  name: string;
  shortName: string;
  type: string;
  source: string;
  ownerId: string | undefined;
  teamId: string | undefined;
  collaboratorIds: string[];
  status: CustomerStatus;
  lifecycleStage: LifecycleStage;
  grade: Grade | undefined;
  industry: string;
  companySize: CompanySize | undefined;
  cooperationSince: Dayjs | null;
  website: string;
  tags: string[];
  phones: Phone[];
  emails: Email[];
  region: string[];
  address: string;
  remarks: string;
  creditCode: string;
  taxRules: string;
  currency: string;
  discountTerms: string;
  paymentTerms: string;
  creditLimit: string | null;
  salesLimit: string | null;
  creditRating: string;
  commissionCode: string;
  invoiceRecipient: string;
  bankName: string;
  bankAccount: string;
  addresses: AddressValues[];
  analysis: Analysis;
  gender: Gender | undefined;
  birthday: Dayjs | null;
  lunarMonth: number | undefined;
  lunarDay: number | undefined;
  ageBand: string;
  incomeBand: string;
  /** Custom field values by key, in the API's shapes (see features/custom-fields). */
  custom: Record<string, unknown>;
}

const FINANCE_FIELDS = new Set([
  "creditCode", "taxRules", "currency", "discountTerms", "paymentTerms", "creditLimit", "salesLimit", "creditRating",
  "commissionCode", "invoiceRecipient", "bankName", "bankAccount", "addresses",
]);
const ANALYSIS_TAB_FIELDS = new Set(["analysis", "gender", "birthday", "lunarMonth", "lunarDay", "lunarBirthday", "ageBand", "incomeBand"]);
/** The tab of the customer form that holds a field. */
export const tabOf = (field: string) => (field === "custom" ? "custom" : FINANCE_FIELDS.has(field) ? "finance" : ANALYSIS_TAB_FIELDS.has(field) ? "analysis" : "basic");

const regionOf = (...codes: (string | null)[]) => codes.filter((c): c is string => Boolean(c));
const toDate = (v: string | null) => (v ? dayjs(v) : null);

export function valuesOf(c: Customer): FormValues {
  return {
    code: c.code,
    kind: c.kind,
    name: c.name,
    shortName: c.shortName,
    type: c.type,
    source: c.source,
    ownerId: c.ownerId ?? undefined,
    teamId: c.teamId ?? undefined,
    collaboratorIds: c.collaboratorIds,
    status: c.status,
    lifecycleStage: c.lifecycleStage,
    grade: c.grade ?? undefined,
    industry: c.industry,
    companySize: c.companySize ?? undefined,
    cooperationSince: toDate(c.cooperationSince),
    website: c.website,
    tags: c.tags,
    // Shown as people write them; the server normalises to E.164 again.
    phones: c.phones.map((p) => ({ label: p.label, number: formatPhone(p.number) })),
    emails: c.emails,
    region: regionOf(c.provinceCode, c.cityCode, c.districtCode),
    address: c.address,
    remarks: c.remarks,
    creditCode: c.creditCode ?? "",
    taxRules: c.taxRules,
    currency: c.currency,
    discountTerms: c.discountTerms,
    paymentTerms: c.paymentTerms,
    creditLimit: c.creditLimit,
    salesLimit: c.salesLimit,
    creditRating: c.creditRating,
    commissionCode: c.commissionCode,
    invoiceRecipient: c.invoiceRecipient,
    bankName: c.bankName,
    // A masked account is never put back into the form: it would be saved as the account.
    bankAccount: c.bankAccountMasked ? "" : (c.bankAccount ?? ""),
    addresses: c.addresses.map((a) => ({
      kind: a.kind,
      isDefault: a.isDefault,
      region: regionOf(a.provinceCode, a.cityCode, a.districtCode),
      detail: a.detail,
      postcode: a.postcode,
      recipient: a.recipient,
      phone: a.phone,
    })),
    analysis: Object.fromEntries(ANALYSIS_FIELDS.map((k) => [k, c.analysis[k] ?? ""])),
    gender: c.gender ?? undefined,
    birthday: toDate(c.birthday),
    lunarMonth: c.lunarBirthday?.month,
    lunarDay: c.lunarBirthday?.day,
    ageBand: c.ageBand,
    incomeBand: c.incomeBand,
    custom: { ...c.custom },
  };
}

export function inputOf(v: FormValues, bankMasked: boolean): CustomerInput {
  const analysis = Object.fromEntries(ANALYSIS_FIELDS.map((k) => [k, text(v.analysis?.[k])]).filter(([, value]) => value !== ""));
  const bankAccount = text(v.bankAccount);
  return {
    code: text(v.code) || undefined,
    kind: v.kind,
    name: text(v.name),
    shortName: text(v.shortName),
    type: text(v.type),
    source: text(v.source),
    ownerId: v.ownerId ?? null,
    teamId: v.teamId ?? null,
    collaboratorIds: v.collaboratorIds ?? [],
    status: v.status,
    lifecycleStage: v.lifecycleStage,
    grade: v.grade ?? null,
    industry: text(v.industry),
    companySize: v.kind === "organization" ? (v.companySize ?? null) : undefined,
    cooperationSince: v.cooperationSince ? v.cooperationSince.format("YYYY-MM-DD") : null,
    website: text(v.website),
    tags: v.tags ?? [],
    phones: (v.phones ?? []).filter((p) => text(p.number)).map((p) => ({ label: p.label, number: text(p.number) })),
    emails: (v.emails ?? []).filter((e) => text(e.address)).map((e) => ({ label: e.label, address: text(e.address) })),
    provinceCode: v.region?.[0] ?? null,
    cityCode: v.region?.[1] ?? null,
    districtCode: v.region?.[2] ?? null,
    address: text(v.address),
    remarks: text(v.remarks),
    creditCode: v.kind === "organization" ? text(v.creditCode) : undefined,
    taxRules: text(v.taxRules),
    currency: v.currency,
    discountTerms: text(v.discountTerms),
    paymentTerms: text(v.paymentTerms),
    creditLimit: v.creditLimit || null,
    salesLimit: v.salesLimit || null,
    creditRating: text(v.creditRating),
    commissionCode: text(v.commissionCode),
    invoiceRecipient: text(v.invoiceRecipient),
    bankName: text(v.bankName),
    // Masked: only a newly typed account is sent; clear otherwise means "no account".
    bankAccount: bankAccount ? bankAccount : bankMasked ? undefined : null,
    addresses: (v.addresses ?? []).map((a) => ({
      kind: a.kind,
      isDefault: Boolean(a.isDefault),
      provinceCode: a.region?.[0] ?? null,
      cityCode: a.region?.[1] ?? null,
      districtCode: a.region?.[2] ?? null,
      detail: text(a.detail),
      postcode: text(a.postcode),
      recipient: text(a.recipient),
      phone: text(a.phone),
    })),
    analysis,
    gender: v.kind === "individual" ? (v.gender ?? null) : undefined,
    birthday: v.kind === "individual" ? (v.birthday ? v.birthday.format("YYYY-MM-DD") : null) : undefined,
    lunarBirthday: v.kind === "individual" ? (v.lunarMonth && v.lunarDay ? { month: v.lunarMonth, day: v.lunarDay } : null) : undefined,
    ageBand: v.kind === "individual" ? text(v.ageBand) : undefined,
    incomeBand: v.kind === "individual" ? text(v.incomeBand) : undefined,
  };
}
