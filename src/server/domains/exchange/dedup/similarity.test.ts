import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalisePhone } from "../../customers/validation.js";
import type { FixturePair, FixtureRecord } from "../../../../../test/fixtures/dedup/make-pairs.js";
import { companyName, comparePersons, editDistance, emailForm, isProbableDuplicate, personName, similarity, THRESHOLD, type DedupRecord } from "./similarity.js";

const PAIRS = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../../../test/fixtures/dedup/pairs.json"), "utf8")) as FixturePair[];

/** A fixture record as the scan reads it from the database: phones in E.164, e-mails lower case, customers by id. */
export function dedupRecord(id: string, r: FixtureRecord): DedupRecord {
  return {
    id,
    name: r.name,
    kind: r.kind ?? "organization",
    creditCode: r.creditCode ?? null,
    phones: r.phones.map((p) => normalisePhone(p)!),
    emails: r.emails.map((e) => e.trim().toLowerCase()),
    customerIds: r.customer ? [r.customer] : [],
  };
}

describe("labelled set", () => {
  it("is big enough, mixed, and labelled", () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(300);
    const share = (f: (p: FixturePair) => boolean) => PAIRS.filter(f).length / PAIRS.length;
    expect(share((p) => p.lang === "zh")).toBeGreaterThan(0.4);
    expect(share((p) => p.lang === "en")).toBeGreaterThan(0.35);
    expect(share((p) => p.duplicate)).toBeGreaterThan(0.35);
    expect(share((p) => p.duplicate)).toBeLessThan(0.5);
    expect(new Set(PAIRS.map((p) => p.id)).size).toBe(PAIRS.length);
  });

  it(`scores with precision ≥ 0.95 and recall ≥ 0.90 at the threshold ${THRESHOLD}`, () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const wrong: string[] = [];
    for (const p of PAIRS) {
      const s = similarity(p.objectType, dedupRecord("l", p.left), dedupRecord("r", p.right));
      const predicted = isProbableDuplicate(s);
      if (predicted && p.duplicate) tp++;
      else if (predicted) fp++;
      else if (p.duplicate) fn++;
      if (predicted !== p.duplicate) wrong.push(`${p.duplicate ? "missed" : "false"} ${p.id} ${p.category} ${s.score} ${p.left.name} | ${p.right.name} :: ${s.reasons.map((r) => `${r.kind}:${r.score}`).join(" ")}`);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`dedup scorer on ${PAIRS.length} labelled pairs: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})\n  ${wrong.join("\n  ")}`);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * Held out: written without reading the scorer (test/fixtures/dedup/make-holdout.ts). No longer a clean held-out set: its
 * misclassified pairs were read to find categories of weakness, and general rules were then added to the scorer (with new
 * training pairs of their own in make-pairs.ts). Its labels were not changed.
 */
const HOLDOUT = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../../../test/fixtures/dedup/holdout.json"), "utf8")) as FixturePair[];

function evaluate(pairs: FixturePair[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  for (const p of pairs) {
    const s = similarity(p.objectType, dedupRecord("l", p.left), dedupRecord("r", p.right));
    const predicted = isProbableDuplicate(s);
    if (predicted && p.duplicate) tp++;
    else if (predicted) fp++;
    else if (p.duplicate) fn++;
    if (predicted !== p.duplicate) wrong.push(`${p.duplicate ? "missed" : "false"} ${p.id} ${p.category} ${s.score} ${p.left.name} | ${p.right.name} :: ${s.reasons.map((r) => `${r.kind}:${r.score}`).join(" ")}`);
  }
  return { tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn), wrong };
}

describe("held-out set", () => {
  it("is big enough, mixed, labelled, and every phone parses", () => {
    expect(HOLDOUT.length).toBeGreaterThanOrEqual(200);
    const share = (f: (p: FixturePair) => boolean) => HOLDOUT.filter(f).length / HOLDOUT.length;
    expect(share((p) => p.lang === "zh")).toBeGreaterThan(0.4);
    expect(share((p) => p.lang === "en")).toBeGreaterThan(0.3);
    expect(share((p) => p.duplicate)).toBeGreaterThan(0.4);
    expect(share((p) => p.duplicate)).toBeLessThan(0.6);
    expect(new Set(HOLDOUT.map((p) => p.id)).size).toBe(HOLDOUT.length);
    for (const p of HOLDOUT) for (const phone of [...p.left.phones, ...p.right.phones]) expect(normalisePhone(phone), `${p.id} ${phone}`).not.toBeNull();
  });

  // First measured 0.941 / 0.842 (tp 128, fp 8, fn 24) before any rule was informed by it; after the general rules of
  // bench/reports/dedup.md ("Rules added after the held-out run") 1.000 / 0.954 (tp 145, fp 0, fn 7). The guard is the
  // issue's targets; because this set informed the rules, passing it is no longer an unbiased estimate. Do not relabel pairs to pass.
  it(`scores at the threshold ${THRESHOLD} with precision ≥ 0.95 and recall ≥ 0.90 (the issue's targets; the set informed the rules)`, () => {
    const r = evaluate(HOLDOUT);
    console.log(`dedup scorer on ${HOLDOUT.length} held-out pairs: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})\n  ${r.wrong.join("\n  ")}`);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * Second held-out set (test/fixtures/dedup/make-holdout2.ts): written after the rules informed by the first held-out set,
 * without reading the scorer, the training pairs, the first held-out set or the benchmark report; every label was fixed on
 * disk before the scorer was first run on it. No longer a clean held-out set: its misclassified pairs of the first run were
 * read to find categories of weakness, and general rules were then added to the scorer (with new training pairs of their own
 * in make-pairs.ts). Its labels and pairs were not changed. Do not relabel pairs to pass.
 */
const HOLDOUT2 = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../../../test/fixtures/dedup/holdout2.json"), "utf8")) as FixturePair[];

describe("second held-out set", () => {
  it("is big enough, mixed, labelled, and every phone parses", () => {
    expect(HOLDOUT2.length).toBeGreaterThanOrEqual(320);
    const share = (f: (p: FixturePair) => boolean) => HOLDOUT2.filter(f).length / HOLDOUT2.length;
    expect(share((p) => p.lang === "zh")).toBeGreaterThanOrEqual(0.4);
    expect(share((p) => p.lang === "en")).toBeGreaterThanOrEqual(0.3);
    expect(share((p) => p.duplicate)).toBeGreaterThanOrEqual(0.4);
    expect(share((p) => p.duplicate)).toBeLessThanOrEqual(0.6);
    expect(share((p) => p.objectType === "contact")).toBeGreaterThanOrEqual(0.35);
    expect(share((p) => p.objectType === "customer")).toBeGreaterThan(0);
    expect(new Set(HOLDOUT2.map((p) => p.id)).size).toBe(HOLDOUT2.length);
    for (const p of HOLDOUT2) expect(p.id.startsWith("h2")).toBe(true);
    for (const p of HOLDOUT2) for (const phone of [...p.left.phones, ...p.right.phones]) expect(normalisePhone(phone), `${p.id} ${phone}`).not.toBeNull();
  });

  // The clean estimate is the FIRST run, before any rule was informed by this set (labels fixed before it): precision 0.926,
  // recall 0.875 (tp 189, fp 15, fn 27 of 382 pairs) — the issue's targets (precision ≥ 0.95, recall ≥ 0.90) were NOT met.
  // After the general rules added for its categories of weakness (accents, Sr./Jr., titles, job titles in Chinese names,
  // English legal forms, abbreviations and acronyms, facility words, initials, nicknames, pinyin regions of the same sound,
  // Chinese short names, other legal entities of one name, branches in brackets) 0.991 / 0.977 (tp 211, fp 2, fn 5). The guard
  // is the issue's targets; because this set informed the rules, passing it is no longer an unbiased estimate.
  it(`scores at the threshold ${THRESHOLD} with precision ≥ 0.95 and recall ≥ 0.90 (the issue's targets; first clean run 0.926 / 0.875, the set informed the rules)`, () => {
    const r = evaluate(HOLDOUT2);
    console.log(`dedup scorer on ${HOLDOUT2.length} second held-out pairs: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})\n  ${r.wrong.join("\n  ")}`);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
  });
});

describe("names", () => {
  it("gives 北京字节跳动科技有限公司 and 字节跳动（北京）科技有限公司 one key and region", () => {
    const [a, b] = [companyName("北京字节跳动科技有限公司"), companyName("字节跳动（北京）科技有限公司")];
    expect([a.key, a.region]).toEqual(["字节跳动科技", "北京"]);
    expect([b.key, b.region]).toEqual(["字节跳动科技", "北京"]);
    expect(companyName("字节跳动科技有限公司上海分公司")).toMatchObject({ key: "字节跳动科技", branch: "上海分公司" });
    expect(companyName("The Acme & Co. Technologies (Shanghai) Co., Ltd.")).toMatchObject({ key: "acme tech", region: "上海" });
  });
  it("relates people's names in both scripts", () => {
    const rel = (a: string, b: string) => comparePersons(personName(a), personName(b))?.kind;
    expect(rel("张伟", "張偉")).toBe("name_exact");
    expect(rel("张伟", "Wei Zhang")).toBe("name_transliteration");
    expect(rel("欧阳娜娜", "Ouyang Nana")).toBe("name_transliteration");
    expect(rel("王芳", "王方")).toBe("name_homophone");
    expect(rel("王芳", "王丽")).toBe("name_conflict");
    expect(rel("Smith John", "John Smith")).toBe("name_reordered");
    expect(rel("J. Smith", "John Smith")).toBe("name_initial");
    expect(rel("Bob Miller", "Robert Miller")).toBe("name_nickname");
    expect(rel("Jonathon Pryce", "Jonathan Pryce")).toBe("name_typo");
    expect(rel("Anna Lee", "David Lee")).toBe("name_conflict");
  });
  it("measures one edit, swaps included", () => {
    expect(editDistance("jonathan", "jonahtan")).toBe(1);
    expect(editDistance("abc", "xyz", 1)).toBe(2);
  });
  it("canonicalises Gmail and plus tags", () => {
    expect(emailForm("John.Smith+crm@GoogleMail.com").canonical).toBe("johnsmith@gmail.com");
    expect(emailForm("li.ming+x@acme.cn").canonical).toBe("li.ming@acme.cn");
    expect(emailForm("info@acme.cn").role).toBe(true);
  });
});

describe("rules", () => {
  const contact = (name: string, extra: Partial<DedupRecord> = {}): DedupRecord => ({ id: name, name, phones: [], emails: [], customerIds: [], ...extra });
  it("does not call two people sharing a switchboard duplicates, but one person twice on it is", () => {
    const board = { phones: ["+861062345678"], customerIds: ["c1"] };
    expect(isProbableDuplicate(similarity("contact", contact("张伟", board), contact("李娜", board)))).toBe(false);
    expect(isProbableDuplicate(similarity("contact", contact("张伟", board), contact("张伟", board)))).toBe(true);
  });
  it("reads numerals, abbreviations, plurals, SAR regions and branches without a legal form as one name", () => {
    expect(companyName("三六五便利店有限公司").key).toBe(companyName("365便利店有限公司").key);
    expect(companyName("St. Helena Vineyards").key).toBe(companyName("Saint Helena Vineyards").key);
    expect(companyName("Brandt & Assoc.").key).toBe(companyName("Brandt & Associates").key);
    expect(companyName("Quillon Surgical Supply").key).toBe(companyName("Quillon Surgical Supplies").key);
    expect(companyName("香港嘉信貿易有限公司")).toMatchObject({ key: "嘉信贸易", region: "香港" });
    expect(companyName("星河数据科技深圳分公司")).toMatchObject({ key: companyName("星河数据科技有限公司深圳分公司").key, branch: "深圳分公司" });
    expect(companyName("Helix Labels GmbH").region).toBe("DE");
    expect(companyName("Pelham Outfitters Canada Ltd.").region).toBe("CA");
  });
  it("keeps a group's regional subsidiary, district companies and people on other extensions apart", () => {
    const org = (name: string) => ({ id: name, name, phones: [], emails: [] });
    expect(isProbableDuplicate(similarity("customer", org("天擎控股集团有限公司"), org("天擎控股集团（香港）有限公司")))).toBe(false);
    expect(isProbableDuplicate(similarity("customer", org("鲜丰果业（福田）有限公司"), org("鲜丰果业（南山）有限公司")))).toBe(false);
    const ext = (name: string, e: string) => contact(name, { phones: [`+861062345678;ext=${e}`], customerIds: ["c1"] });
    expect(similarity("contact", ext("周敏", "811"), ext("周民", "821")).reasons.map((r) => r.kind)).toContain("phone_extension");
    expect(isProbableDuplicate(similarity("contact", ext("周敏", "811"), ext("周民", "821")))).toBe(false);
  });
  it("tells short first names one letter apart from slips in long ones, and reads a new family name on a personal line", () => {
    const phone = { phones: ["+14155550199"] };
    expect(isProbableDuplicate(similarity("contact", contact("Dan Porter", phone), contact("Don Porter", phone)))).toBe(false);
    expect(isProbableDuplicate(similarity("contact", contact("Jeffrey Hale", phone), contact("Geoffrey Hale", phone)))).toBe(true);
    const line = { ...phone, customerIds: ["c1"] };
    expect(isProbableDuplicate(similarity("contact", contact("Rachel Green", line), contact("Rachel Porter", line)))).toBe(true);
    const box = { emails: ["info@acme.com"] };
    expect(isProbableDuplicate(similarity("contact", contact("Rachel Green", box), contact("Rachel Porter", box)))).toBe(false);
  });
  it("compares a Chinese and an English company name only through pinyin or strong shared evidence", () => {
    const org = (name: string, extra: Partial<DedupRecord> = {}) => ({ id: name, name, phones: [], emails: [], ...extra });
    const board = { phones: ["+861088889999"] };
    expect(isProbableDuplicate(similarity("customer", org("启航物流有限公司", board), org("Qihang Logistics Co., Ltd.", board)))).toBe(true);
    expect(isProbableDuplicate(similarity("customer", org("金穗粮油有限公司", board), org("Apex Freight Co., Ltd.", board)))).toBe(false);
    const both = { phones: ["+861088889999"], emails: ["info@egret.com"] };
    expect(isProbableDuplicate(similarity("customer", org("白鹭酒店管理有限公司", both), org("Egret Hospitality Co., Ltd.", both)))).toBe(true);
  });
  it("folds accents, strips titles and job titles, reads initials and nicknames, and keeps Sr. and Jr. apart", () => {
    const rel = (a: string, b: string) => comparePersons(personName(a), personName(b))?.kind;
    expect(rel("Inés Peña", "Ines Pena")).toBe("name_exact");
    expect(rel("Prof. Henrik Dalgaard", "Henrik Dalgaard PhD")).toBe("name_exact");
    expect(rel("孙立伟（副总经理）", "孙立伟")).toBe("name_exact");
    expect(rel("采购-郝敏", "郝敏")).toBe("name_exact");
    expect(rel("蒋小红财务", "蒋小红")).toBe("name_exact");
    expect(rel("T. W. Fennimore", "Thomas Fennimore")).toBe("name_initial");
    expect(rel("Sasha Lindgren", "Alexander Lindgren")).toBe("name_nickname");
    expect(rel("Alexander Lindgren", "Alexandra Lindgren")).toBe("name_conflict");
    expect(rel("Walter Brannigan Sr.", "Walter Brannigan Jr.")).toBe("name_conflict");
    expect(rel("Walter Brannigan Jr.", "Walter Brannigan")).toBe("name_exact");
  });
  it("reads English legal forms, branches in brackets and Chinese short names, and keeps other legal entities of one name apart", () => {
    expect(companyName("Tamsworth Dental Group, L.L.C.").key).toBe(companyName("Tamsworth Dental Group LLC").key);
    expect(companyName("Corvell Mining Public Limited Company")).toMatchObject({ key: companyName("Corvell Mining plc").key, region: "UK" });
    expect(companyName("Harrowgate Legal LLP").key).toBe("harrowgate legal");
    expect(companyName("Ironvale Climbing (Northside)").branch).toBe("northside");
    const org = (name: string, phones: string[]) => ({ id: name, name, phones, emails: [] });
    expect(isProbableDuplicate(similarity("customer", org("杭州澜川数字科技有限公司", ["+861066001122"]), org("澜川数科", ["+861066001122"])))).toBe(true);
    expect(isProbableDuplicate(similarity("customer", org("Marwick Hand Tools Ltd", ["+14155550101"]), org("Marwick Hand Tools Inc.", ["+14155550102"])))).toBe(false);
    expect(isProbableDuplicate(similarity("customer", org("Marwick Hand Tools Ltd", ["+14155550101"]), org("Marwick Hand Tools Inc.", ["+14155550101"])))).toBe(true);
  });
  it("keeps sister companies with different credit codes apart", () => {
    const a = { id: "a", name: "北京元石科技有限公司", creditCode: "91110108MA01AAAA1X", phones: [], emails: [] };
    const b = { id: "b", name: "上海元石科技有限公司", creditCode: "91310108MA01BBBB2Y", phones: [], emails: [] };
    const s = similarity("customer", a, b);
    expect(isProbableDuplicate(s)).toBe(false);
    expect(s.reasons.map((r) => r.kind)).toEqual(expect.arrayContaining(["name_key", "credit_code_conflict", "region_conflict"]));
  });
});

/**
 * Third held-out set (test/fixtures/dedup/make-holdout3.ts): written without reading the scorer, the training pairs, the
 * first two held-out sets or the benchmark report, with names, domains and numbers invented for it; every label was fixed
 * on disk before the scorer was first run on it, and no label or pair was changed after that single run. Measure only:
 * do not tune the scorer on its misclassified pairs without retiring it as a held-out set, and do not relabel pairs to pass.
 */
const HOLDOUT3 = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../../../test/fixtures/dedup/holdout3.json"), "utf8")) as FixturePair[];

describe("third held-out set", () => {
  it("is big enough, mixed, labelled, and every phone parses", () => {
    expect(HOLDOUT3.length).toBeGreaterThanOrEqual(320);
    const share = (f: (p: FixturePair) => boolean) => HOLDOUT3.filter(f).length / HOLDOUT3.length;
    expect(share((p) => p.lang === "zh")).toBeGreaterThanOrEqual(0.4);
    expect(share((p) => p.lang === "en")).toBeGreaterThanOrEqual(0.3);
    expect(share((p) => p.duplicate)).toBeGreaterThanOrEqual(0.4);
    expect(share((p) => p.duplicate)).toBeLessThanOrEqual(0.6);
    expect(share((p) => p.objectType === "contact")).toBeGreaterThanOrEqual(0.35);
    expect(new Set(HOLDOUT3.map((p) => p.id)).size).toBe(HOLDOUT3.length);
    for (const p of HOLDOUT3) expect(p.id).toMatch(/^h3-/);
    for (const p of HOLDOUT3) for (const phone of [...p.left.phones, ...p.right.phones]) expect(normalisePhone(phone), `${p.id} ${phone}`).not.toBeNull();
  });

  // The issue's targets were NOT met on this set. Single clean run (labels fixed on disk before it, 354 pairs): precision
  // 0.956 (target ≥ 0.95, met), recall 0.879 (target ≥ 0.90, NOT met); tp 175, fp 8, fn 24. The counts are pinned as a
  // regression guard only, not as a goal: if the scorer changes, re-pin after reviewing the change, never by relabelling pairs.
  it(`measures precision and recall at the threshold ${THRESHOLD} (targets not met: 0.956 / 0.879 on the first run; counts pinned)`, () => {
    const r = evaluate(HOLDOUT3);
    console.log(`dedup scorer on ${HOLDOUT3.length} third held-out pairs: precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})\n  ${r.wrong.join("\n  ")}`);
    expect({ tp: r.tp, fp: r.fp, fn: r.fn }).toEqual({ tp: 175, fp: 8, fn: 24 });
  });
});
