import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { conflict } from "../../lib/errors.js";
import { contactPoints, contacts, customers, customerSettings, searchDocuments } from "./schema.js";
import { normaliseCompanyName, normalisePersonName, searchTerms, type SearchSource } from "./text.js";
import { nationalDigits, normalisePhone, type Email, type Phone } from "./validation.js";

/**
 * What customers and contacts share: the search index, the contact points
 * of the duplicate check, and the duplicate check itself. All of it is
 * written in the caller's transaction, with the record.
 */
type ObjectType = "customer" | "contact";

/** A record as the search index sees it; `source` becomes the row's terms (searchTerms). Leads are indexed by their domain through this too. */
export interface IndexDoc {
  objectType: ObjectType | "lead";
  objectId: string;
  ownerId: string | null;
  /** The record's status where it has one (leads). */
  status?: string | null;
  title: string;
  subtitle: string;
  deleted: boolean;
  source: SearchSource;
}

export async function writeIndex(tx: Tx, tenantId: string, doc: IndexDoc): Promise<void> {
  const { terms, latin } = searchTerms(doc.source);
  const values = { ownerId: doc.ownerId, status: doc.status ?? null, title: doc.title, subtitle: doc.subtitle, terms, latin, deleted: doc.deleted };
  await tx
    .insert(searchDocuments)
    .values({ tenantId, objectType: doc.objectType, objectId: doc.objectId, ...values })
    .onConflictDoUpdate({ target: [searchDocuments.tenantId, searchDocuments.objectType, searchDocuments.objectId], set: values });
}

/** The contact points of a record: each distinct phone (without extension) and e-mail once. */
export function contactPointValues(phones: Phone[], emails: Email[]): { kind: "phone" | "email"; value: string }[] {
  return [...new Set(phones.map((p) => `phone\u0000${p.number.split(";")[0]}`)), ...new Set(emails.map((e) => `email\u0000${e.address}`))].map((k) => {
    const [kind, value] = k.split("\u0000") as ["phone" | "email", string];
    return { kind, value };
  });
}

export async function writeContactPoints(tx: Tx, tenantId: string, objectType: ObjectType, objectId: string, phones: Phone[], emails: Email[]): Promise<void> {
  await tx.delete(contactPoints).where(and(eq(contactPoints.objectType, objectType), eq(contactPoints.objectId, objectId)));
  const rows = contactPointValues(phones, emails).map((p) => ({ tenantId, objectType, objectId, ...p }));
  if (rows.length) await tx.insert(contactPoints).values(rows).onConflictDoNothing();
}

export const phoneDigits = (phones: Phone[]) => phones.map((p) => nationalDigits(p.number));

export type DuplicateReason = "credit_code" | "phone" | "email" | "name";
export interface Duplicate {
  objectType: ObjectType;
  id: string;
  code: string | null;
  name: string;
  ownerId: string | null;
  reasons: DuplicateReason[];
}

export interface DuplicateProbe {
  objectType: ObjectType;
  name?: string;
  creditCode?: string | null;
  phones?: string[];
  emails?: string[];
  excludeId?: string;
}

/**
 * Likely duplicates of a record being entered, across the whole workspace
 * (also records the user cannot open: that someone else already works the
 * customer is exactly what 查重 must tell). Deleted records do not count.
 */
export async function findDuplicates(tx: Tx, probe: DuplicateProbe): Promise<Duplicate[]> {
  const phones = (probe.phones ?? []).map((p) => normalisePhone(p)?.split(";")[0]).filter((p): p is string => Boolean(p));
  const emails = (probe.emails ?? []).map((e) => e.trim().toLowerCase()).filter(Boolean);
  const found = new Map<string, Duplicate>();
  const add = (row: { id: string; code: string | null; name: string; ownerId: string | null }, reason: DuplicateReason, type: ObjectType) => {
    const d = found.get(row.id) ?? { objectType: type, ...row, reasons: [] };
    if (!d.reasons.includes(reason)) d.reasons.push(reason);
    found.set(row.id, d);
  };
  const points = [...phones.map((v) => ({ kind: "phone" as const, v })), ...emails.map((v) => ({ kind: "email" as const, v }))];
  if (points.length) {
    const rows = await tx
      .select({ objectId: contactPoints.objectId, kind: contactPoints.kind })
      .from(contactPoints)
      .where(
        and(
          eq(contactPoints.objectType, probe.objectType),
          or(...points.map((p) => and(eq(contactPoints.kind, p.kind), eq(contactPoints.value, p.v)))),
          probe.excludeId ? ne(contactPoints.objectId, probe.excludeId) : undefined,
        ),
      )
      .limit(50);
    const ids = [...new Set(rows.map((r) => r.objectId))];
    if (ids.length) {
      const records = await recordsById(tx, probe.objectType, ids);
      for (const r of rows) {
        const rec = records.get(r.objectId);
        if (rec) add(rec, r.kind, probe.objectType);
      }
    }
  }
  if (probe.objectType === "customer") {
    const nameKey = probe.name ? normaliseCompanyName(probe.name) : "";
    const conds = [
      probe.creditCode ? eq(customers.creditCode, probe.creditCode) : undefined,
      nameKey.length >= 2 ? eq(customers.nameKey, nameKey) : undefined,
    ].filter(Boolean);
    if (conds.length) {
      const rows = await tx
        .select({ id: customers.id, code: customers.code, name: customers.name, ownerId: customers.ownerId, creditCode: customers.creditCode, nameKey: customers.nameKey })
        .from(customers)
        .where(and(or(...conds), isNull(customers.deletedAt), probe.excludeId ? ne(customers.id, probe.excludeId) : undefined))
        .limit(50);
      for (const r of rows) {
        if (probe.creditCode && r.creditCode === probe.creditCode) add(r, "credit_code", "customer");
        if (nameKey.length >= 2 && r.nameKey === nameKey) add(r, "name", "customer");
      }
    }
  }
  // A contact's name alone is too common to call a duplicate: contacts match on phone and e-mail only.
  return [...found.values()].sort((a, b) => b.reasons.length - a.reasons.length).slice(0, 20);
}

async function recordsById(tx: Tx, type: ObjectType, ids: string[]) {
  const map = new Map<string, { id: string; code: string | null; name: string; ownerId: string | null }>();
  if (type === "customer") {
    const rows = await tx
      .select({ id: customers.id, code: customers.code, name: customers.name, ownerId: customers.ownerId })
      .from(customers)
      .where(and(inArray(customers.id, ids), isNull(customers.deletedAt)));
    for (const r of rows) map.set(r.id, r);
  } else {
    const rows = await tx
      .select({ id: contacts.id, name: contacts.name, ownerId: contacts.ownerId })
      .from(contacts)
      .where(and(inArray(contacts.id, ids), isNull(contacts.deletedAt), eq(contacts.isSelf, false)));
    for (const r of rows) map.set(r.id, { ...r, code: null });
  }
  return map;
}

/**
 * The duplicate check on entry: likely duplicates are a 409 with the list
 * (details.duplicates) — saved anyway with `allow` when the workspace warns,
 * never when it blocks.
 */
export async function guardDuplicates(tx: Tx, probe: DuplicateProbe, allow: boolean | undefined): Promise<void> {
  const found = await findDuplicates(tx, probe);
  if (!found.length) return;
  const [settings] = await tx.select({ mode: customerSettings.duplicateMode }).from(customerSettings);
  if (settings?.mode === "block") throw conflict("errors.duplicate_blocked", { reason: "duplicate", mode: "block", duplicates: found });
  if (!allow) throw conflict("errors.duplicate_found", { reason: "duplicate", mode: "warn", duplicates: found });
}

export { normaliseCompanyName, normalisePersonName };
export const markIndexDeleted = (tx: Tx, objectType: ObjectType, objectId: string, deleted: boolean) =>
  tx
    .update(searchDocuments)
    .set({ deleted })
    .where(and(eq(searchDocuments.objectType, objectType), eq(searchDocuments.objectId, objectId)))
    .then(() => undefined);

/**
 * searchTerms of many records (imports, generated data), from cached results per name and per word
 * (names, titles and departments repeat; pinyin is the costly part).
 * searchTerms handles each name, word, phone and e-mail on its own and keeps
 * the first of equal terms, so the union of the parts in order is the same
 * array; every 100th call is checked against searchTerms itself.
 */
/** `limit`: entries kept per cache (names, words); memory grows with it. */
export function cachedSearchTerms(limit = 300_000) {
  type Part = { terms: string[]; latin: string[] };
  const names = new Map<string, Part>();
  const words = new Map<string, Part>();
  const part = (src: SearchSource): Part => {
    const r = searchTerms(src);
    return { terms: r.terms, latin: r.latin ? r.latin.split(" ") : [] };
  };
  const cached = (map: Map<string, Part>, key: string, src: SearchSource) => {
    let p = map.get(key);
    if (!p) {
      p = part(src);
      // Ids and numbers are unique: not worth keeping.
      if (map.size < limit && !/\d/.test(key)) map.set(key, p);
    }
    return p;
  };
  let calls = 0;
  return (src: SearchSource): { terms: string[]; latin: string } => {
    const parts = [
      ...src.names.map((n) => cached(names, n, { names: [n], words: [], phones: [], emails: [] })),
      ...src.words.map((w) => cached(words, w, { names: [], words: [w], phones: [], emails: [] })),
      part({ names: [], words: [], phones: src.phones, emails: src.emails }),
    ];
    const terms = new Set<string>();
    const latin = new Set<string>();
    for (const p of parts) {
      for (const t of p.terms) terms.add(t);
      for (const l of p.latin) latin.add(l);
    }
    const out = { terms: [...terms], latin: [...latin].join(" ") };
    if (calls++ % 100 === 0) {
      const direct = searchTerms(src);
      if (direct.latin !== out.latin || direct.terms.join("\u0000") !== out.terms.join("\u0000")) {
        throw new Error(`cached search terms differ from searchTerms for ${JSON.stringify(src)}`);
      }
    }
    return out;
  };
}
