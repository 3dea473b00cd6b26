/**
 * Deterministic fake data: the same seed gives the same people, so demo
 * workspaces and benchmark tenants are reproducible.
 */
export function createRng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}
export type Rng = ReturnType<typeof createRng>;

// Common surnames and given names (百家姓 order of frequency), and English names.
const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "欧阳", "司马"];
const GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "晓东", "建国", "海燕", "志强", "婷婷", "子涵", "浩然", "雨萱", "思远", "嘉怡", "一鸣", "欣怡", "俊杰"];
const FIRST_EN = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "Emma", "Oliver", "Sophia", "Lucas", "Mia", "Ethan", "Chloe", "Noah"];
const LAST_EN = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee", "Walker"];

const PINYIN: Record<string, string> = {
  王: "wang", 李: "li", 张: "zhang", 刘: "liu", 陈: "chen", 杨: "yang", 黄: "huang", 赵: "zhao", 吴: "wu", 周: "zhou",
  徐: "xu", 孙: "sun", 马: "ma", 朱: "zhu", 胡: "hu", 郭: "guo", 何: "he", 高: "gao", 林: "lin", 罗: "luo", 郑: "zheng",
  梁: "liang", 谢: "xie", 宋: "song", 唐: "tang", 许: "xu", 韩: "han", 冯: "feng", 邓: "deng", 曹: "cao", 彭: "peng",
  曾: "zeng", 肖: "xiao", 田: "tian", 董: "dong", 袁: "yuan", 潘: "pan", 于: "yu", 蒋: "jiang", 蔡: "cai", 欧阳: "ouyang", 司马: "sima",
};

export interface FakePerson {
  name: string;
  email: string;
  locale: "zh-CN" | "en-US";
}

/** A person; about one in four has an English name. `n` keeps e-mails unique. */
export function fakePerson(rng: Rng, n: number, domain: string): FakePerson {
  if (rng.next() < 0.25) {
    const first = rng.pick(FIRST_EN);
    const last = rng.pick(LAST_EN);
    return { name: `${first} ${last}`, email: `${first}.${last}.${n}@${domain}`.toLowerCase(), locale: "en-US" };
  }
  const surname = rng.pick(SURNAMES);
  const given = rng.pick(GIVEN);
  return { name: surname + given, email: `${PINYIN[surname] ?? "user"}.${n}@${domain}`, locale: "zh-CN" };
}

export const DEMO_DEPARTMENTS: { key: string; zh: string; en: string; parent?: string }[] = [
  { key: "hq", zh: "总经办", en: "General Management" },
  { key: "sales", zh: "销售部", en: "Sales", parent: "hq" },
  { key: "east", zh: "华东大区", en: "East China", parent: "sales" },
  { key: "north", zh: "华北大区", en: "North China", parent: "sales" },
  { key: "intl", zh: "海外业务部", en: "International", parent: "sales" },
  { key: "service", zh: "客户服务部", en: "Customer Service", parent: "hq" },
  { key: "marketing", zh: "市场部", en: "Marketing", parent: "hq" },
];

export const DEMO_TEAMS = [
  { zh: "大客户组", en: "Key Accounts", members: ["east", "north"] },
  { zh: "电商渠道组", en: "E-commerce", members: ["east", "marketing"] },
  { zh: "售后支持组", en: "After-sales Support", members: ["service"] },
];

/** Role and department of each demo user, in order. */
export const DEMO_STAFF: { role: string; dept: string }[] = [
  { role: "admin", dept: "hq" },
  { role: "manager", dept: "sales" },
  { role: "manager", dept: "east" },
  { role: "sales", dept: "east" },
  { role: "sales", dept: "east" },
  { role: "sales", dept: "east" },
  { role: "manager", dept: "north" },
  { role: "sales", dept: "north" },
  { role: "sales", dept: "north" },
  { role: "sales", dept: "intl" },
  { role: "sales", dept: "intl" },
  { role: "manager", dept: "service" },
  { role: "service", dept: "service" },
  { role: "service", dept: "service" },
  { role: "marketing", dept: "marketing" },
  { role: "marketing", dept: "marketing" },
  { role: "read_only", dept: "hq" },
];
