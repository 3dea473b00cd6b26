import { fold } from "../customers/text.js";
import { OBJECTS } from "./objects/index.js";
import type { IMPORT_OBJECTS } from "./schema.js";

/**
 * The fields an import can fill, per object, and the automatic mapping of a
 * file's column titles onto them: Chinese and English titles as people write
 * them in spreadsheets, and the export titles of Salesforce, HubSpot, Zoho,
 * Twenty and Atomic CRM. Each object declares its fields and titles in its
 * file under objects/.
 */
export type ImportObject = (typeof IMPORT_OBJECTS)[number];

/**
 * How a cell becomes a value (normalise.ts): `datetime` keeps the time of day, `rate` is a fraction
 * (13% → 0.13), `minutes` a duration, `customer` and `ref` name other records the import looks up.
 */
export type FieldType =
  | "text"
  | "phone"
  | "email"
  | "date"
  | "datetime"
  | "money"
  | "number"
  | "rate"
  | "minutes"
  | "currency"
  | "enum"
  | "tags"
  | "user"
  | "boolean"
  | "region"
  | "customer"
  | "ref";

export interface ImportField {
  key: string;
  type: FieldType;
  /** Several columns may feed it (phones, e-mails, tags). */
  multi?: boolean;
  /** Enum fields: each value with the words a file may use for it (Chinese and English labels, codes); booleans: extra words for true and false. */
  values?: Record<string, readonly string[]>;
  /** Phones: the label a column gives its numbers (手机 → mobile, 传真 → fax). */
  labels?: readonly string[];
}

export const IMPORT_FIELDS = Object.fromEntries(Object.entries(OBJECTS).map(([o, def]) => [o, def.fields])) as Record<ImportObject, ImportField[]>;

/**
 * Column titles per field (the objects' `titles`). Matched after folding (full-width, 繁→简, case)
 * and with `_ - / .` read as spaces, so "Phones / Primary Phone Number"
 * (Twenty), "first_name" (Atomic CRM) and "E-mail Address" meet their words.
 * A `:label` suffix on a phone target says what kind of number the column holds.
 */
const TITLES = Object.fromEntries(Object.entries(OBJECTS).map(([o, def]) => [o, def.titles])) as Record<ImportObject, Record<string, readonly string[]>>;

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
