import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { anyUuid } from "../../lib/listing.js";
import { contactVisible, customerVisible } from "../customers/policy.js";
import { maskEmail, maskInPool, maskPhone } from "../customers/pool.js";
import { contacts, customers, customFields } from "../customers/schema.js";
import type { Email, Phone } from "../customers/validation.js";
import "./merge-messages.js";

/**
 * The fields a merge chooses between, per object, and the columns each one
 * carries: a chosen field copies all of its columns from the chosen record
 * as they are stored (bank account ciphertext, lunar birthday, manual grade
 * flag, name key), so nothing is re-derived or re-validated on the way.
 */
export type MergeObject = "customer" | "contact";
export type CustomerRow = typeof customers.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type AnyRow = CustomerRow | ContactRow;

export interface FieldDef {
  field: string;
  /** Drizzle keys of the columns it carries; empty for analysis.* and custom.* (one key of a jsonb column). */
  columns: string[];
  list?: boolean;
  label?: string | null;
}

const ANALYSIS_KEYS = ["attitude", "evaluation", "contractPerformance", "frictions", "competitors", "demand", "potential", "interests", "values"] as const;

const simple = (names: string[]): FieldDef[] => names.map((n) => ({ field: n, columns: [n] }));

const CUSTOMER_FIELDS: FieldDef[] = [
  { field: "name", columns: ["name", "nameKey"] },
  ...simple(["kind", "shortName", "type", "source", "ownerId", "teamId", "status", "lifecycleStage"]),
  { field: "grade", columns: ["grade", "gradeManual"] },
  ...simple(["industry", "companySize", "cooperationSince", "website", "remarks"]),
  { field: "phones", columns: ["phones"], list: true },
  { field: "emails", columns: ["emails"], list: true },
  { field: "tags", columns: ["tags"], list: true },
  { field: "address", columns: ["provinceCode", "cityCode", "districtCode", "address"] },
  ...simple(["creditCode", "taxRules", "currency", "discountTerms", "paymentTerms", "creditLimit", "salesLimit", "creditRating", "commissionCode", "invoiceRecipient", "bankName"]),
  { field: "bankAccount", columns: ["bankAccountCipher", "bankAccountLast4"] },
  ...ANALYSIS_KEYS.map((k) => ({ field: `analysis.${k}`, columns: [] })),
  { field: "gender", columns: ["gender"] },
  { field: "birthday", columns: ["birthday", "lunarBirthMonth", "lunarBirthDay"] },
  ...simple(["ageBand", "incomeBand"]),
];

const CONTACT_FIELDS: FieldDef[] = [
  { field: "name", columns: ["name", "nameKey"] },
  ...simple(["gender", "title", "department", "birthday", "wechat"]),
  { field: "phones", columns: ["phones"], list: true },
  { field: "emails", columns: ["emails"], list: true },
  ...simple(["notes", "ownerId"]),
  { field: "tags", columns: ["tags"], list: true },
];

/** The built-in fields and the workspace's active custom fields of an object. */
export async function fieldsOf(tx: Tx, objectType: MergeObject): Promise<FieldDef[]> {
  const custom = await tx
    .select({ key: customFields.key, label: customFields.label })
    .from(customFields)
    .where(and(eq(customFields.objectType, objectType), eq(customFields.archived, false)))
    .orderBy(asc(customFields.position), asc(customFields.key));
  return [...(objectType === "customer" ? CUSTOMER_FIELDS : CONTACT_FIELDS), ...custom.map((c) => ({ field: `custom.${c.key}`, columns: [], label: c.label }))];
}

/** Every column any field may write: what an undo restores on the survivor. */
export const ALL_COLUMNS: Record<MergeObject, string[]> = {
  customer: [...new Set(CUSTOMER_FIELDS.flatMap((f) => f.columns)), "analysis", "custom", "lastFollowUpAt", "lastDealAt"],
  contact: [...new Set(CONTACT_FIELDS.flatMap((f) => f.columns)), "custom"],
};

export const tableOf = (objectType: MergeObject) => (objectType === "customer" ? customers : contacts);

/** Database column names of drizzle keys. */
export function columnNames(objectType: MergeObject, keys: string[]): string[] {
  const cols = getTableColumns(tableOf(objectType)) as Record<string, { name: string }>;
  return keys.map((k) => cols[k]!.name);
}

/** A field's value in a record, as the preview shows it and the merge compares it. */
export function rawValue(def: FieldDef, row: AnyRow): unknown {
  const r = row as unknown as Record<string, unknown>;
  if (def.field.startsWith("analysis.")) return ((r.analysis ?? {}) as Record<string, unknown>)[def.field.slice(9)] ?? null;
  if (def.field.startsWith("custom.")) return ((r.custom ?? {}) as Record<string, unknown>)[def.field.slice(7)] ?? null;
  if (def.field === "address") return { provinceCode: r.provinceCode, cityCode: r.cityCode, districtCode: r.districtCode, address: r.address };
  if (def.field === "bankAccount") return r.bankAccountLast4 ? `•••• ${String(r.bankAccountLast4)}` : null;
  if (def.field === "birthday") return r.birthday ?? null;
  return r[def.columns[0]!] ?? null;
}

export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.values(v as Record<string, unknown>).every((x) => x === null || x === undefined || x === "");
  return false;
}

/** The suggestion: union for lists, else the non-empty value of the most recently updated record (the survivor's when none has one). */
export function suggest(def: FieldDef, rows: AnyRow[], survivorId: string): string {
  if (def.list) return "union";
  const byRecency = [...rows].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  return byRecency.find((r) => !isEmpty(rawValue(def, r)))?.id ?? survivorId;
}

/** Every field's chosen record (or "union"): the caller's choices, the suggestion for the rest. */
export function resolveChoices(defs: FieldDef[], rows: AnyRow[], survivorId: string, given: Record<string, string>): Record<string, string> {
  const known = new Map(defs.map((d) => [d.field, d]));
  const ids = new Set(rows.map((r) => r.id));
  for (const [field, choice] of Object.entries(given)) {
    const def = known.get(field);
    if (!def) throw invalid("merge.unknown_field", { field }, { field: `choices.${field}` });
    if (!(ids.has(choice) || (choice === "union" && def.list))) throw invalid("merge.bad_choice", { field }, { field: `choices.${field}` });
  }
  return Object.fromEntries(defs.map((d) => [d.field, given[d.field] ?? suggest(d, rows, survivorId)]));
}

const unionBy = <T>(lists: T[][], key: (x: T) => string): T[] => [...new Map(lists.flat().map((x) => [key(x), x] as const)).values()];

/**
 * The survivor's new column values: each field's columns copied from the
 * chosen record; lists united (survivor's entries first); analysis and
 * custom values key by key over the survivor's own.
 */
export function chosenValues(defs: FieldDef[], choices: Record<string, string>, rows: AnyRow[], survivor: AnyRow): Record<string, unknown> {
  const byId = new Map(rows.map((r) => [r.id, r as unknown as Record<string, unknown>]));
  const ordered = [survivor, ...rows.filter((r) => r.id !== survivor.id)] as unknown as Record<string, unknown>[];
  const s = survivor as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const analysis = { ...((s.analysis ?? {}) as Record<string, unknown>) };
  const custom = { ...((s.custom ?? {}) as Record<string, unknown>) };
  for (const def of defs) {
    const choice = choices[def.field]!;
    if (choice === "union") {
      const col = def.columns[0]!;
      if (col === "phones") out.phones = unionBy(ordered.map((r) => r.phones as Phone[]), (p) => p.number);
      else if (col === "emails") out.emails = unionBy(ordered.map((r) => r.emails as Email[]), (e) => e.address);
      else out[col] = [...new Set(ordered.flatMap((r) => r[col] as string[]))];
      continue;
    }
    const from = byId.get(choice)!;
    if (def.field.startsWith("analysis.") || def.field.startsWith("custom.")) {
      const [bag, key] = def.field.startsWith("analysis.") ? [analysis, def.field.slice(9)] : [custom, def.field.slice(7)];
      const value = ((from[def.field.startsWith("analysis.") ? "analysis" : "custom"] ?? {}) as Record<string, unknown>)[key];
      if (value === undefined || value === null) delete bag[key];
      else bag[key] = value;
      continue;
    }
    for (const col of def.columns) out[col] = from[col];
  }
  if (defs.some((d) => d.field.startsWith("analysis."))) out.analysis = analysis;
  // The timeline moves over, so the pool's clocks count from the latest follow-up and deal of any of them.
  for (const col of ["lastFollowUpAt", "lastDealAt"]) {
    if (!(col in s)) continue;
    const dates = ordered.map((r) => r[col] as Date | null).filter((d): d is Date => d !== null);
    out[col] = dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
  }
  out.custom = custom;
  return out;
}

/** Records of a merge, visible to the actor, locked FOR UPDATE in id order when `lock` (so concurrent merges queue instead of deadlocking). */
export async function loadRecords(ctx: Ctx, tx: Tx, objectType: MergeObject, ids: string[], lock: boolean): Promise<AnyRow[]> {
  const sorted = [...ids].sort();
  if (objectType === "customer") {
    const q = tx.select().from(customers).where(and(anyUuid(customers.id, sorted), customerVisible(ctx))).orderBy(asc(customers.id));
    return lock ? q.for("update") : q;
  }
  const q = tx
    .select()
    .from(contacts)
    .where(and(anyUuid(contacts.id, sorted), contactVisible(ctx, contacts.ownerId, contacts.id)))
    .orderBy(asc(contacts.id));
  return lock ? q.for("update") : q;
}

const displayName = (objectType: MergeObject) => (objectType === "customer" ? "customer" : "contact");

/** How much hangs on each record: shown so the reviewer keeps the one that matters. */
async function relatedCounts(tx: Tx, objectType: MergeObject, ids: string[]) {
  const col = objectType === "customer" ? sql.raw("customer_id") : sql.raw("contact_id");
  const list = `{${ids.join(",")}}`;
  const rows = await tx.execute<{ id: string; contacts: number; customers: number; activities: number; tasks: number }>(sql`
    select x.id,
      (select count(*)::int from customer_contacts l where l.customer_id = x.id) as contacts,
      (select count(*)::int from customer_contacts l where l.contact_id = x.id) as customers,
      (select count(*)::int from activities a where a.${col} = x.id and a.deleted_at is null) as activities,
      (select count(*)::int from tasks t where t.${col} = x.id) as tasks
    from unnest(${list}::uuid[]) as x(id)`);
  return new Map(rows.rows.map((r) => [r.id, { contacts: r.contacts, customers: r.customers, activities: r.activities, tasks: r.tasks }]));
}

/** The records side by side with a suggested choice per field (GET /merges/preview). */
export async function previewMerge(ctx: Ctx, objectType: MergeObject, ids: string[]) {
  requireAccess(ctx, `${objectType}:update`);
  const unique = [...new Set(ids)];
  if (unique.length < 2) throw invalid("merge.too_few", {}, { field: "ids" });
  return readTenant(ctx, async (tx) => {
    const rows = await loadRecords(ctx, tx, objectType, unique, false);
    const live = rows.filter((r) => r.deletedAt === null);
    if (live.length !== unique.length) throw notFound(displayName(objectType));
    // The order asked for; the first is the suggested survivor.
    const ordered = unique.map((id) => live.find((r) => r.id === id)!);
    const survivorId = ordered[0]!.id;
    const defs = await fieldsOf(tx, objectType);
    const counts = await relatedCounts(tx, objectType, unique);
    const shown = (def: FieldDef, row: AnyRow) => {
      const v = rawValue(def, row);
      if (!maskInPool(ctx, row.ownerId)) return v;
      if (def.field === "phones") return (v as Phone[]).map((p) => ({ ...p, number: maskPhone(p.number) }));
      if (def.field === "emails") return (v as Email[]).map((e) => ({ ...e, address: maskEmail(e.address) }));
      return v;
    };
    return {
      objectType,
      survivorId,
      records: ordered.map((r) => ({
        id: r.id,
        name: r.name,
        code: "code" in r ? r.code : null,
        ownerId: r.ownerId,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        version: r.version,
        related: counts.get(r.id) ?? { contacts: 0, customers: 0, activities: 0, tasks: 0 },
      })),
      fields: defs.map((def) => {
        const values = Object.fromEntries(ordered.map((r) => [r.id, shown(def, r)]));
        const distinct = new Set(ordered.map((r) => JSON.stringify(rawValue(def, r))));
        return { field: def.field, label: def.label ?? null, list: Boolean(def.list), values, suggested: suggest(def, ordered, survivorId), differs: distinct.size > 1 };
      }),
    };
  });
}
