import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import {
  ADDRESS_KINDS,
  COMPANY_SIZES,
  CONTACT_ROLES,
  CUSTOM_FIELD_TYPES,
  CUSTOMER_KINDS,
  CUSTOMER_STATUSES,
  GENDERS,
  GRADES,
  LIFECYCLE_STAGES,
} from "./schema.js";
import { CreditCode, EmailInput, PhoneInput } from "./validation.js";

const Name = z.string().trim().min(1).max(200);
const Short = z.string().trim().max(100);
const Long = z.string().trim().max(5000);
/** Money as a decimal string (exact): "12500.00". */
export const Money = z
  .string()
  .trim()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, { message: "errors.money_invalid" })
  .meta({ description: "Decimal amount, up to 2 decimals", example: "50000.00" });
const DateOnly = z.iso.date();
const RegionCode = z.string().regex(/^\d{2,6}$/);
const Tag = z.string().trim().min(1).max(50);

/** Custom field values by key; the workspace's fields are described in GET /api/v1/openapi.json. */
const CustomValues = z
  .record(z.string().max(40), z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(200)).max(100), z.null()]))
  .meta({ description: "Custom field values by field key (see GET /api/v1/custom-fields); null clears one" });

const PhoneOut = z.object({ label: z.string(), number: z.string() });
const EmailOut = z.object({ label: z.string(), address: z.string() });

export const AnalysisSchema = z
  .strictObject({
    attitude: Long.optional(),
    evaluation: Long.optional(),
    contractPerformance: Long.optional(),
    frictions: Long.optional(),
    competitors: Long.optional(),
    demand: Long.optional(),
    potential: Long.optional(),
    interests: Long.optional(),
    values: Long.optional(),
  })
  .meta({ id: "CustomerAnalysis", description: "The analysis profile: attitude, performance, frictions, competitors, demand, potential, interests and values" });

const AddressInput = z.strictObject({
  kind: z.enum(ADDRESS_KINDS),
  isDefault: z.boolean().default(false),
  provinceCode: RegionCode.nullable().optional(),
  cityCode: RegionCode.nullable().optional(),
  districtCode: RegionCode.nullable().optional(),
  detail: z.string().trim().min(1).max(500),
  postcode: z.string().trim().regex(/^[0-9A-Za-z -]{0,12}$/).default(""),
  recipient: Short.default(""),
  phone: z.string().trim().max(40).default(""),
});

export const AddressSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ADDRESS_KINDS),
  isDefault: z.boolean(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  districtCode: z.string().nullable(),
  detail: z.string(),
  postcode: z.string(),
  recipient: z.string(),
  phone: z.string(),
});

const customerFields = {
  code: z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}_.\-/]+$/u).optional().meta({ description: "Left out: numbered by the workspace's pattern" }),
  kind: z.enum(CUSTOMER_KINDS),
  name: Name,
  shortName: Short.optional(),
  type: Short.optional(),
  source: Short.optional(),
  ownerId: z.uuid().nullable().optional().meta({ description: "Sales rep; null puts the customer in the public pool. Left out: the creator" }),
  teamId: z.uuid().nullable().optional(),
  collaboratorIds: z.array(z.uuid()).max(50).optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  grade: z.enum(GRADES).nullable().optional().meta({ description: "Setting it keeps it as a manual grade" }),
  industry: Short.optional(),
  companySize: z.enum(COMPANY_SIZES).nullable().optional(),
  cooperationSince: DateOnly.nullable().optional(),
  website: z.string().trim().max(300).optional(),
  remarks: Long.optional(),
  phones: z.array(PhoneInput).max(20).optional(),
  emails: z.array(EmailInput).max(20).optional(),
  tags: z.array(Tag).max(50).optional(),
  provinceCode: RegionCode.nullable().optional(),
  cityCode: RegionCode.nullable().optional(),
  districtCode: RegionCode.nullable().optional(),
  address: z.string().trim().max(500).optional(),
  addresses: z.array(AddressInput).max(20).optional(),
  creditCode: CreditCode.optional().meta({ description: "统一社会信用代码, checked by its check character" }),
  taxRules: Short.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  discountTerms: Short.optional(),
  paymentTerms: Short.optional(),
  creditLimit: Money.nullable().optional(),
  salesLimit: Money.nullable().optional(),
  creditRating: Short.optional(),
  commissionCode: Short.optional(),
  invoiceRecipient: Short.optional(),
  bankName: Short.optional(),
  bankAccount: z
    .string()
    .transform((v) => v.normalize("NFKC").replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^[0-9A-Za-z]{0,34}$/, { message: "errors.bank_account_invalid" }))
    .nullable()
    .optional(),
  analysis: AnalysisSchema.optional(),
  gender: z.enum(GENDERS).nullable().optional(),
  birthday: DateOnly.nullable().optional(),
  lunarBirthday: z.strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(30) }).nullable().optional(),
  ageBand: Short.optional(),
  incomeBand: Short.optional(),
  custom: CustomValues.optional(),
  allowDuplicate: z.boolean().optional().meta({ description: "Save although likely duplicates exist (only when the workspace warns instead of blocking)" }),
};

export const CustomerCreateSchema = z.strictObject(customerFields);
export const CustomerUpdateSchema = z.strictObject({ ...VersionField, ...customerFields, kind: customerFields.kind.optional(), name: Name.optional() });
export type CustomerCreate = z.infer<typeof CustomerCreateSchema>;
export type CustomerUpdate = Omit<z.infer<typeof CustomerUpdateSchema>, "version">;

export const ContactLinkSchema = z.object({
  contactId: z.uuid(),
  name: z.string(),
  title: z.string(),
  role: z.enum(CONTACT_ROLES),
  isPrimary: z.boolean(),
  phones: z.array(PhoneOut),
  emails: z.array(EmailOut),
});

export const CustomerSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    kind: z.enum(CUSTOMER_KINDS),
    name: z.string(),
    shortName: z.string(),
    poolId: z.uuid().nullable().meta({ description: "The pool (公海) it is in when ownerId is null, or returns to" }),
    ownedSince: DateTime.nullable(),
    lastFollowUpAt: DateTime.nullable(),
    lastDealAt: DateTime.nullable(),
    contactDetailsMasked: z.boolean().meta({ description: "Phones and e-mails are masked: the customer is in the pool" }),
    type: z.string(),
    source: z.string(),
    ownerId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    collaboratorIds: z.array(z.uuid()),
    status: z.enum(CUSTOMER_STATUSES),
    lifecycleStage: z.enum(LIFECYCLE_STAGES),
    grade: z.enum(GRADES).nullable(),
    gradeManual: z.boolean(),
    industry: z.string(),
    companySize: z.enum(COMPANY_SIZES).nullable(),
    cooperationSince: z.string().nullable(),
    cooperationYears: z.number().nullable().meta({ description: "Whole years since cooperationSince" }),
    website: z.string(),
    remarks: z.string(),
    phones: z.array(PhoneOut),
    emails: z.array(EmailOut),
    tags: z.array(z.string()),
    provinceCode: z.string().nullable(),
    cityCode: z.string().nullable(),
    districtCode: z.string().nullable(),
    address: z.string(),
    addresses: z.array(AddressSchema),
    creditCode: z.string().nullable(),
    taxRules: z.string(),
    currency: z.string(),
    discountTerms: z.string(),
    paymentTerms: z.string(),
    creditLimit: z.string().nullable(),
    salesLimit: z.string().nullable(),
    creditRating: z.string(),
    commissionCode: z.string(),
    invoiceRecipient: z.string(),
    bankName: z.string(),
    bankAccount: z.string().nullable().meta({ description: "Masked (•••• 1234) unless the role holds customer:view_bank" }),
    bankAccountMasked: z.boolean(),
    analysis: AnalysisSchema,
    custom: z.record(z.string(), z.unknown()),
    gender: z.enum(GENDERS).nullable(),
    birthday: z.string().nullable(),
    lunarBirthday: z.object({ month: z.number(), day: z.number() }).nullable(),
    ageBand: z.string(),
    incomeBand: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    deletedAt: DateTime.nullable(),
    version: z.number().int(),
  })
  .meta({ id: "Customer" });

export const CustomerDetailSchema = CustomerSchema.extend({ contacts: z.array(ContactLinkSchema) }).meta({ id: "CustomerDetail" });

export const DuplicateSchema = z
  .object({
    objectType: z.enum(["customer", "contact"]),
    id: z.uuid(),
    code: z.string().nullable(),
    name: z.string(),
    ownerId: z.uuid().nullable(),
    reasons: z.array(z.enum(["credit_code", "phone", "email", "name"])),
  })
  .meta({ id: "Duplicate" });

export const DuplicateQuerySchema = z.strictObject({
  objectType: z.enum(["customer", "contact"]).default("customer"),
  name: z.string().max(200).optional(),
  creditCode: z.string().max(40).optional(),
  phone: z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]).optional(),
  email: z.union([z.string().max(254), z.array(z.string().max(254)).max(20)]).optional(),
  excludeId: z.uuid().optional(),
});

const contactFields = {
  name: Name,
  gender: z.enum(GENDERS).nullable().optional(),
  title: Short.optional(),
  department: Short.optional(),
  birthday: DateOnly.nullable().optional(),
  wechat: z.string().trim().max(100).optional(),
  phones: z.array(PhoneInput).max(20).optional(),
  emails: z.array(EmailInput).max(20).optional(),
  notes: Long.optional(),
  ownerId: z.uuid().nullable().optional(),
  tags: z.array(Tag).max(50).optional(),
  customers: z
    .array(z.strictObject({ customerId: z.uuid(), role: z.enum(CONTACT_ROLES).default("other"), isPrimary: z.boolean().default(false) }))
    .max(50)
    .optional()
    .meta({ description: "The customers this person works for, with their role in the deal" }),
  custom: CustomValues.optional(),
  allowDuplicate: z.boolean().optional(),
};
export const ContactCreateSchema = z.strictObject(contactFields);
export const ContactUpdateSchema = z.strictObject({ ...VersionField, ...contactFields, name: Name.optional() });
export type ContactCreate = z.infer<typeof ContactCreateSchema>;
export type ContactUpdate = Omit<z.infer<typeof ContactUpdateSchema>, "version">;

export const ContactSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    gender: z.enum(GENDERS).nullable(),
    title: z.string(),
    department: z.string(),
    birthday: z.string().nullable(),
    wechat: z.string(),
    phones: z.array(PhoneOut),
    emails: z.array(EmailOut),
    notes: z.string(),
    ownerId: z.uuid().nullable(),
    tags: z.array(z.string()),
    isSelf: z.boolean(),
    contactDetailsMasked: z.boolean(),
    custom: z.record(z.string(), z.unknown()),
    customers: z.array(z.object({ customerId: z.uuid(), name: z.string(), code: z.string(), role: z.enum(CONTACT_ROLES), isPrimary: z.boolean() })),
    createdAt: DateTime,
    updatedAt: DateTime,
    deletedAt: DateTime.nullable(),
    version: z.number().int(),
  })
  .meta({ id: "Contact" });

export const SearchResultSchema = z
  .object({
    objectType: z.enum(["customer", "contact", "lead"]),
    id: z.uuid(),
    title: z.string(),
    subtitle: z.string(),
    ownerId: z.uuid().nullable(),
    status: z.string().nullable().meta({ description: "A lead's status (new, contacted, qualified, lost); null for customers and contacts" }),
  })
  .meta({ id: "SearchResult" });

export const SearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100),
  type: z.enum(["customer", "contact", "lead"]).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const GradeRule = z.strictObject({
  grade: z.enum(GRADES),
  filter: z.array(z.string().max(500)).max(20).meta({ description: "List filters (field:op:value) that must all match, e.g. creditLimit:gte:1000000" }),
});
export const CustomerSettingsSchema = z
  .object({
    codePattern: z.string(),
    duplicateMode: z.enum(["warn", "block"]),
    gradeRules: z.array(z.object({ grade: z.enum(GRADES), filter: z.array(z.string()) })),
    defaultGrade: z.enum(GRADES).nullable(),
    regradeJobId: z.uuid().nullable().optional().meta({ description: "Set when the change re-grades customers: follow it at /api/v1/jobs/{id}" }),
    version: z.number().int(),
  })
  .meta({ id: "CustomerSettings" });

export const CustomerSettingsUpdateSchema = z.strictObject({
  ...VersionField,
  codePattern: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^(?:[A-Za-z0-9_\-/.]|\{(?:YYYY|YY|MM|DD)\})*\{SEQ:[3-9]\}(?:[A-Za-z0-9_\-/.]|\{(?:YYYY|YY|MM|DD)\})*$/, { message: "errors.code_pattern_invalid" })
    .optional()
    .meta({ description: "Letters, {YYYY} {YY} {MM} {DD} and exactly one {SEQ:n} (n digits, 3–9); the counter restarts each period the pattern names" }),
  duplicateMode: z.enum(["warn", "block"]).optional(),
  gradeRules: z.array(GradeRule).max(20).optional().meta({ description: "Checked in order: the first rule whose filters all match gives the grade" }),
  defaultGrade: z.enum(GRADES).nullable().optional(),
});

const Days = z.number().int().min(1).max(3650);
const poolFields = {
  name: z.string().trim().min(1).max(100),
  isDefault: z.boolean().optional(),
  dailyClaimLimit: z.number().int().min(0).max(10000).optional(),
  maxHeld: z.number().int().min(0).max(1_000_000).optional(),
  reclaimNoFollowUpDays: Days.nullable().optional().meta({ description: "Owned customers go back after this many days without a follow-up (null: never)" }),
  reclaimNoDealDays: Days.nullable().optional().meta({ description: "… or without a deal (null: never)" }),
  warnDays: z.number().int().min(0).max(365).optional(),
  cooldownDays: z.number().int().min(0).max(365).optional(),
};
export const PoolCreateSchema = z.strictObject(poolFields);
export const PoolUpdateSchema = z.strictObject({ ...VersionField, ...poolFields, name: poolFields.name.optional() });
export const PoolSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean(),
    dailyClaimLimit: z.number().int(),
    maxHeld: z.number().int(),
    reclaimNoFollowUpDays: z.number().int().nullable(),
    reclaimNoDealDays: z.number().int().nullable(),
    warnDays: z.number().int(),
    cooldownDays: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: "Pool" });
export const ReleaseSchema = z.strictObject({ poolId: z.uuid().optional(), reason: z.string().trim().max(500).optional() });

export const CustomFieldSchema = z
  .object({
    id: z.uuid(),
    objectType: z.enum(["customer", "contact"]),
    key: z.string(),
    label: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.object({ value: z.string(), label: z.string() })),
    required: z.boolean(),
    position: z.number().int(),
    archived: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: "CustomField" });
const FieldOptions = z.array(z.strictObject({ value: z.string().trim().min(1).max(100), label: z.string().trim().min(1).max(100) })).max(200);
export const CustomFieldCreateSchema = z.strictObject({
  objectType: z.enum(["customer", "contact"]),
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/).meta({ description: "Stable key used in `custom` and in filters (filter=custom.<key>:eq:…)" }),
  label: z.string().trim().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: FieldOptions.optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10000).optional(),
});
export const CustomFieldUpdateSchema = z.strictObject({
  ...VersionField,
  label: z.string().trim().min(1).max(100).optional(),
  options: FieldOptions.optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10000).optional(),
  archived: z.boolean().optional(),
});
