import { hasMessage } from "../../lib/i18n.js";
import { fold } from "../customers/text.js";
import { fieldOf, type ImportField, type ImportObject } from "./mapping.js";
import {
  cellText,
  normaliseAmount,
  normaliseBoolean,
  normaliseCurrency,
  normaliseDate,
  normaliseDateTime,
  normaliseEmails,
  normaliseEnum,
  normaliseMinutes,
  normalisePhones,
  normaliseRate,
  splitValues,
  type CellIssue,
  type DateOrder,
  type Normalised,
} from "./normalise.js";
import { OBJECTS } from "./objects/index.js";
import type { Cell, SourceRow } from "./readers/types.js";

/**
 * One source row turned into what the object's create service takes (its
 * schema, objects/), with every problem found on the way named by its column.
 * References that need the database (owner by e-mail or name, a customer by
 * name or code, a product's category, an activity's contact) are left as text
 * for the import to resolve.
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
  /** The customer the row names (a contact's company, an activity's customer). */
  customer: { name: string | null; code: string | null } | null;
  /** Other records the row names by text, per field (a product's `category`, an activity's `contact`). */
  refs: Record<string, string>;
  /** A blank row (every mapped cell empty): not imported and not counted. */
  blank: boolean;
  /** The column title each filled field came from (`name`, `custom.<key>` …), to name the column of a later problem. */
  columns: Record<string, string>;
  /** Objects whose rows make a record together (ImportObjectDef.groupBy): the row's value of that field (an order's number). */
  group?: string;
}

export interface PlanContext {
  object: ImportObject;
  headers: readonly string[];
  mapping: readonly (string | null)[];
  dateOrder: DateOrder;
  /** Where the file's times of day are (IANA); the server's zone when left out. */
  timeZone?: string;
  customFields: readonly CustomFieldDef[];
}

export function planRow(row: SourceRow, p: PlanContext): RowPlan {
  const def = OBJECTS[p.object];
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
  const refs: Record<string, string> = {};
  /** Fields whose cell was refused: the schema's complaint that they are missing would say it twice. */
  const refused = new Set<string>();
  let blank = true;

  p.mapping.forEach((target, i) => {
    if (!target) return;
    const cell: Cell = row.cells[i] ?? null;
    const column = p.headers[i] ?? `#${i + 1}`;
    if (cellText(cell) === "") return;
    blank = false;
    const field = fieldOf(p.object, target);
    if (!field) return;
    const take = <T>(r: Normalised<T>, apply: (v: T) => void) => {
      if (r.ok) apply(r.value);
      else {
        issues.push({ column, ...r.issue });
        refused.add(field.key);
      }
    };
    columnOf.set(field.key, column);
    if (target.startsWith("custom.")) {
      const cf = p.customFields.find((f) => `custom.${f.key}` === target);
      if (cf) take(customValue(cell, cf, p.dateOrder), (v) => (custom[cf.key] = v));
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
      case "ref":
        refs[field.key] = cellText(cell);
        return;
      case "region":
        address[field.key as "province" | "city" | "district"] = cellText(cell);
        return;
      default:
        take(scalar(cell, field, p), (v) => {
          if (field.key === "address") address.address = String(v);
          else values[field.key] = v;
        });
    }
  });

  // The customer services parse a free-text Chinese address into its division codes.
  const fullAddress = `${address.province}${address.city}${address.district}${address.address}`.trim();
  if (fullAddress) values.address = fullAddress;
  if (phones.length) values.phones = phones;
  if (emails.length) values.emails = emails.map((address) => ({ address }));
  if (tags.length) values.tags = tags;
  if (Object.keys(custom).length) values.custom = custom;
  def.shape?.(values);
  const carried = Object.fromEntries((def.carry ?? []).filter((k) => values[k] !== undefined && values[k] !== null).map((k) => [k, values[k]]));
  for (const k of def.carry ?? []) delete values[k];

  const columns = Object.fromEntries(columnOf);
  const group = def.groupBy && typeof values[def.groupBy] === "string" && values[def.groupBy] !== "" ? { group: values[def.groupBy] as string } : {};
  if (blank) return { source: row.source, input: null, issues: [], owner, customer: null, refs, blank, columns, ...group };
  // Everything else the services check (lengths, the credit code's check character …), named by column;
  // in the service's own words where it has them (products.price_invalid …).
  const checked = def.schema.safeParse(values);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const key = String(issue.path[0] ?? "");
      if (refused.has(key) || refused.has(def.schemaFields?.[key] ?? "")) continue;
      const column = columnOf.get(key) ?? columnOf.get(def.schemaFields?.[key] ?? "") ?? null;
      if (issue.input === undefined) issues.push({ column, key: "import.required", params: { field: key } });
      else issues.push({ column, key: hasMessage(issue.message) ? issue.message : "import.value_invalid", params: { value: issue.input === undefined ? "" : cellText(issue.input as Cell) } });
    }
  }
  const hasCustomer = customer.name !== null || customer.code !== null;
  return {
    source: row.source,
    // The parsed values: defaults filled (phone and e-mail labels) and transforms applied, as the API route would.
    input: issues.length || !checked.success ? null : { ...(checked.data as Record<string, unknown>), ...carried },
    issues,
    owner,
    customer: hasCustomer ? customer : null,
    refs,
    blank,
    columns,
    ...group,
  };
}

function scalar(cell: Cell, field: ImportField, p: PlanContext): Normalised<unknown> {
  switch (field.type) {
    case "date":
      return normaliseDate(cell, p.dateOrder);
    case "datetime":
      return normaliseDateTime(cell, p.dateOrder, p.timeZone);
    case "money":
      return normaliseAmount(cell);
    case "rate":
      return normaliseRate(cell);
    case "minutes":
      return normaliseMinutes(cell);
    case "currency":
      return normaliseCurrency(cell);
    case "enum":
      return normaliseEnum(cell, field);
    case "boolean":
      return normaliseBoolean(cell, field);
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
