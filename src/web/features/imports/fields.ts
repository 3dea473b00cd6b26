import type { ImportObject } from "./api.js";
import type { importsZh } from "./messages.js";

/**
 * The targets a column can be mapped to, per object, as the server's
 * exchange/mapping.ts IMPORT_FIELDS names them; phones carry the kind of
 * number (`phones:mobile`), custom fields `custom.<key>`.
 */
const COMMON = ["emails", "tags", "owner"];
export const STANDARD_FIELDS: Record<ImportObject, string[]> = {
  customer: [
    "name",
    "code",
    "shortName",
    "kind",
    "type",
    "source",
    "status",
    "lifecycleStage",
    "grade",
    "industry",
    "companySize",
    "cooperationSince",
    "website",
    "remarks",
    "creditCode",
    "province",
    "city",
    "district",
    "address",
    "postcode",
    "currency",
    "creditLimit",
    "salesLimit",
    "paymentTerms",
    "discountTerms",
    "taxRules",
    "creditRating",
    "commissionCode",
    "invoiceRecipient",
    "bankName",
    "bankAccount",
    "gender",
    "birthday",
    ...COMMON,
  ],
  contact: ["name", "familyName", "givenName", "gender", "title", "department", "birthday", "wechat", "notes", "customer", "customerCode", "role", ...COMMON],
};

export const PHONE_LABELS = ["mobile", "work", "home", "fax", "other"] as const;

/** Fields that several columns may fill. */
export const isMulti = (target: string) => target.startsWith("phones") || target === "emails" || target === "tags";

/** The key of a field's label in the imports section. */
export function fieldLabelKey(object: ImportObject, key: string): `imports.fields.${keyof typeof importsZh.fields}` {
  if (key === "name") return object === "customer" ? "imports.fields.customerName" : "imports.fields.contactName";
  return `imports.fields.${key as keyof typeof importsZh.fields}`;
}
