import type { DUPLICATE_POLICIES, DuplicateKey, ImportObject } from "./api.js";
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
  product: ["sku", "name", "category", "unit", "currency", "listPrice", "taxRate", "description", "productLine", "active"],
  lead: ["name", "familyName", "givenName", "company", "title", "emails", "wechat", "source", "campaign", "province", "city", "address", "productLine", "industry", "notes", "tags", "owner"],
  activity: ["kind", "occurredAt", "subject", "summary", "channel", "durationMinutes", "place", "costAmount", "discountAmount", "gift", "currency", "customer", "customerCode", "contact", "owner"],
  order: [
    "number",
    "customer",
    "customerCode",
    "orderDate",
    "status",
    "currency",
    "owner",
    "channel",
    "deliveryAddress",
    "paymentTerms",
    "notes",
    "paid",
    "paidOn",
    "sku",
    "product",
    "unit",
    "quantity",
    "unitPrice",
    "discountRate",
    "taxRate",
  ],
};

type Policy = (typeof DUPLICATE_POLICIES)[number];

/**
 * What each object is, for the wizard: whether columns can hold phones and custom fields, its duplicate keys,
 * the duplicate policies it allows (all when left out), who may undo, its list.
 */
export const OBJECT_TRAITS: Record<ImportObject, { phones: boolean; custom: boolean; owner: boolean; keys: DuplicateKey[]; policies?: Policy[]; undo: string[]; list: string | null }> = {
  customer: { phones: true, custom: true, owner: true, keys: ["code", "creditCode", "phone", "email", "name"], undo: ["customer:delete", "customer:update"], list: "/customers" },
  contact: { phones: true, custom: true, owner: true, keys: ["phone", "email", "name"], undo: ["contact:delete", "contact:update"], list: "/contacts" },
  // Products are archived, not deleted, by an undo: an update of the catalogue.
  product: { phones: false, custom: false, owner: false, keys: ["sku", "name"], undo: ["product:update"], list: "/products" },
  lead: { phones: true, custom: false, owner: true, keys: ["phone", "email", "name"], undo: ["lead:delete", "lead:update"], list: "/leads" },
  // Authors may take back their own entries; the server refuses an undo of others' without activity:delete.
  activity: { phones: false, custom: false, owner: true, keys: ["occurrence"], undo: ["activity:update"], list: null },
  // Historical orders are never rewritten by an import: an order number already used is skipped. Undo cancels them
  // and voids the payments recorded with them (the server asks for payment:void when there are any).
  order: { phones: false, custom: false, owner: true, keys: ["number"], policies: ["skip"], undo: ["order:update"], list: "/orders" },
};

export const PHONE_LABELS = ["mobile", "work", "home", "fax", "other"] as const;

/** Fields that several columns may fill. */
export const isMulti = (target: string) => target.startsWith("phones") || target === "emails" || target === "tags";

type FieldLabel = keyof typeof importsZh.fields;

/** Fields whose label depends on the object (a customer's name, a lead's source, an activity's kind). */
const LABELS: Partial<Record<ImportObject, Record<string, FieldLabel>>> = {
  customer: { name: "customerName" },
  contact: { name: "contactName" },
  product: { name: "productName" },
  lead: { name: "leadName", source: "leadSource" },
  activity: { kind: "activityKind", owner: "author" },
  order: { status: "orderStatus", customer: "orderCustomer", customerCode: "orderCustomerCode", sku: "lineSku", unit: "lineUnit", taxRate: "lineTaxRate" },
};

/** The key of a field's label in the imports section. */
export function fieldLabelKey(object: ImportObject, key: string): `imports.fields.${FieldLabel}` {
  return `imports.fields.${LABELS[object]?.[key] ?? (key as FieldLabel)}`;
}
