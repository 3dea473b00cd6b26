import type { z } from "zod";
import { ContactCreateSchema, CustomerCreateSchema } from "../customers/contracts.js";
import { fold, hasCjk } from "../customers/text.js";
import { fieldOf, type ImportField, type ImportObject } from "./mapping.js";
import {
  cellText,
  normaliseAmount,
  normaliseBoolean,
  normaliseDate,
  normaliseEmails,
  normaliseEnum,
  normalisePhones,
  splitValues,
  type CellIssue,
  type DateOrder,
  type Normalised,
} from "./normalise.js";
import type { Cell, SourceRow } from "./readers/types.js";

/**
 * One source row turned into what the customer services take (CustomerCreate
 * or ContactCreate), with every problem found on the way named by its column.
 * References that need the database (owner by e-mail or name, a contact's
 * customer by name or code) are left as text for the import to resolve.
 */

export interface RowIssue extends CellIssue {
  /** The column title the problem is in; null for the row as a whole. */
  column: string | null;
}

export interface CustomFieldDef {
  key: string;
  type: "text" | "number" | "money" | "date" | "select" | "multiselect" | "boolean" | "user" | "url";
  options: { value: string; label: string }[];
}

export interface RowPlan {
  source: number;
  /** The services' input, before the references are resolved; null when the row has problems. */
  input: Record<string, unknown> | null;
  issues: RowIssue[];
  /** Owner as the file names it (e-mail or name). */
  owner: string | null;
  /** A contact's customer as the file names it. */
  customer: { name: string | null; code: string | null } | null;
  /** A blank row (every mapped cell empty): not imported and not counted. */
  blank: boolean;
  /** The column title each filled field came from (`name`, `custom.<key>` …), to name the column of a later problem. */
  columns: Record<string, string>;
}

export interface PlanContext {
  object: ImportObject;
  headers: readonly string[];
  mapping: readonly (string | null)[];
  dateOrder: DateOrder;
  customFields: readonly CustomFieldDef[];
}

const SCHEMAS: Record<ImportObject, z.ZodType> = { customer: CustomerCreateSchema, contact: ContactCreateSchema };

/** What the services' schema calls a field, as the mapping target that fills it (for naming the column of an issue). */
const SCHEMA_FIELD: Record<string, string> = { province: "provinceCode", city: "cityCode", district: "districtCode" };

export function planRow(row: SourceRow, p: PlanContext): RowPlan {
  const issues: RowIssue[] = [];
  const values: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const columnOf = new Map<string, string>();
  const phones: { label: string; number: string }[] = [];
  const emails: string[] = [];
  const tags: string[] = [];
  const address: Record<"province" | "city" | "district" | "address", string> = { province: "", city: "", district: "", address: "" };
  let owner: string | null = null;
  const customer = { name: null as string | null, code: null as string | null };
  let blank = true;

  p.mapping.forEach((target, i) => {
    if (!target) return;
    const cell: Cell = row.cells[i] ?? null;
    const column = p.headers[i] ?? `#${i + 1}`;
    if (cellText(cell) === "") return;
    blank = false;
    const field = fieldOf(p.object, target);
    if (!field) return;
    const take = <T>(r: Normalised<T>, apply: (v: T) => void) => (r.ok ? apply(r.value) : issues.push({ column, ...r.issue }));
    columnOf.set(field.key, column);
    if (target.startsWith("custom.")) {
      const def = p.customFields.find((f) => `custom.${f.key}` === target);
      if (def) take(customValue(cell, def, p.dateOrder), (v) => (custom[def.key] = v));
      return;
    }
    switch (field.type) {
      case "phone":
        take(normalisePhones(cell), (v) => v.forEach((number) => phones.some((x) => x.number === number) || phones.push({ label: target.split(":")[1] ?? "mobile", number })));
        return;
      case "email":
        take(normaliseEmails(cell), (v) => v.forEach((e) => emails.includes(e) || emails.push(e)));
        return;
      case "tags":
        splitValues(cell).forEach((t) => tags.includes(t) || tags.push(t));
        return;
      case "user":
        owner = cellText(cell);
        return;
      case "customer":
        customer[field.key === "customerCode" ? "code" : "name"] = cellText(cell);
        return;
      case "region":
        address[field.key as "province" | "city" | "district"] = cellText(cell);
        return;
      default:
        take(scalar(cell, field, p.dateOrder), (v) => {
          if (field.key === "address") address.address = String(v);
          else values[field.key] = v;
        });
    }
  });

  if (p.object === "contact" && !values.name && (values.familyName || values.givenName)) {
    const [family, given] = [String(values.familyName ?? ""), String(values.givenName ?? "")];
    // 张 + 三 → 张三; John + Smith → John Smith.
    values.name = hasCjk(family + given) ? family + given : [given, family].filter(Boolean).join(" ");
  }
  delete values.familyName;
  delete values.givenName;
  // The customer services parse a free-text Chinese address into its division codes.
  const fullAddress = `${address.province}${address.city}${address.district}${address.address}`.trim();
  if (fullAddress) values.address = fullAddress;
  if (phones.length) values.phones = phones;
  if (emails.length) values.emails = emails.map((address) => ({ address }));
  if (tags.length) values.tags = tags;
  if (Object.keys(custom).length) values.custom = custom;
  if (p.object === "customer" && !values.kind) values.kind = "organization";
  const role = values.role;
  delete values.role;

  const columns = Object.fromEntries(columnOf);
  if (blank) return { source: row.source, input: null, issues: [], owner, customer: null, blank, columns };
  // Everything else the services check (lengths, the credit code's check character …), named by column.
  const checked = SCHEMAS[p.object].safeParse(values);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const key = String(issue.path[0] ?? "");
      const column = columnOf.get(key) ?? columnOf.get(Object.keys(SCHEMA_FIELD).find((k) => SCHEMA_FIELD[k] === key) ?? "") ?? null;
      if (issue.code === "invalid_type" && issue.input === undefined) issues.push({ column, key: "import.required", params: { field: key } });
      else issues.push({ column, key: issue.message.startsWith("errors.") ? issue.message : "import.value_invalid", params: { value: issue.input === undefined ? "" : cellText(issue.input as Cell) } });
    }
  }
  const hasCustomer = customer.name !== null || customer.code !== null;
  return {
    source: row.source,
    // The parsed values: defaults filled (phone and e-mail labels) and transforms applied, as the API route would.
    input: issues.length || !checked.success ? null : { ...(checked.data as Record<string, unknown>), ...(role ? { role } : {}) },
    issues,
    owner,
    customer: p.object === "contact" && hasCustomer ? customer : null,
    blank,
    columns,
  };
}

function scalar(cell: Cell, field: ImportField, order: DateOrder): Normalised<unknown> {
  switch (field.type) {
    case "date":
      return normaliseDate(cell, order);
    case "money":
      return normaliseAmount(cell);
    case "enum":
      return normaliseEnum(cell, field);
    case "boolean":
      return normaliseBoolean(cell);
    default:
      // Long digit strings typed into Excel as numbers (codes, bank accounts) come back as numbers: keep their digits.
      return { ok: true, value: typeof cell === "number" && Number.isInteger(cell) ? String(cell) : cellText(cell) };
  }
}

function customValue(cell: Cell, def: CustomFieldDef, order: DateOrder): Normalised<unknown> {
  switch (def.type) {
    case "number": {
      const r = normaliseAmount(cell);
      return r.ok ? { ok: true, value: r.value === null ? null : Number(r.value) } : r;
    }
    case "money":
      return normaliseAmount(cell);
    case "date":
      return normaliseDate(cell, order);
    case "boolean":
      return normaliseBoolean(cell);
    case "select":
    case "multiselect": {
      const wanted = def.type === "select" ? [cellText(cell)] : splitValues(cell);
      const out: string[] = [];
      for (const w of wanted) {
        const option = def.options.find((o) => fold(o.value) === fold(w) || fold(o.label) === fold(w));
        if (!option) return { ok: false, issue: { key: "import.value_option", params: { value: w, options: def.options.map((o) => o.label).join(", ") } } };
        out.push(option.value);
      }
      return { ok: true, value: def.type === "select" ? out[0] : out };
    }
    default:
      return { ok: true, value: cellText(cell) };
  }
}
