import { describe, expect, it } from "vitest";
import { checkRegion, parseAddress } from "./regions.js";
import { formatCode, periodOf } from "./settings.js";
import { fold, normaliseCompanyName, planSearch, searchTerms, typoVariants } from "./text.js";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { creditCodeCheckChar, isValidCreditCode, nationalDigits, normaliseCreditCode, normalisePhone } from "./validation.js";

describe("unified social credit code", () => {
  it.each(["91350100M000100Y43", "91110000802100433B", "91440300708461136T"])("accepts %s", (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });
  it("rejects a wrong check character, forbidden letters and wrong lengths", () => {
    expect(isValidCreditCode("91350100M000100Y44")).toBe(false);
    expect(isValidCreditCode("91350100M000100YI3")).toBe(false); // I is not in the character set
    expect(isValidCreditCode("91350100M000100Y4")).toBe(false);
    expect(creditCodeCheckChar("91350100M000100Y4")).toBe("3");
    expect(normaliseCreditCode(" ９１350100m000100y43 ")).toBe("91350100M000100Y43");
  });
});

describe("phones", () => {
  it.each([
    ["13800138000", "+8613800138000"],
    ["+86 138-0013-8000", "+8613800138000"],
    ["010-6234 5678", "+861062345678"],
    ["（0755）8888 8888 转 123", "+8675588888888;ext=123"],
    ["+1 650 253 0000", "+16502530000"],
  ])("normalises %s", (raw, e164) => expect(normalisePhone(raw)).toBe(e164));
  it.each(["12345", "138001380001234", "abc", ""])("refuses %s", (raw) => expect(normalisePhone(raw)).toBeNull());
  it("answers from its memo of recent numbers exactly as libphonenumber does, in any region, past the memo's size", () => {
    const typed = Array.from({ length: 9000 }, (_, i) => {
      const national = `13${(800000000 + i * 7919).toString().slice(0, 9)}`;
      return i % 3 === 0 ? national : i % 3 === 1 ? `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}` : `1${national.slice(1, 5)}`;
    });
    for (const region of ["CN", "US"] as const) {
      for (const raw of [...typed, ...typed]) {
        const parsed = parsePhoneNumberFromString(raw.normalize("NFKC").trim(), region);
        const expected = parsed?.isValid() ? parsed.number : null;
        expect(normalisePhone(raw, region)).toBe(expected);
        if (expected) {
          expect(normalisePhone(expected, region)).toBe(expected);
          expect(nationalDigits(expected)).toBe(String(parsed!.nationalNumber));
        }
      }
    }
  });
});

describe("folding and company names", () => {
  it("folds full-width, traditional characters and case", () => {
    expect(fold("ＡＢＣ　臺灣銀行")).toBe("abc 台湾银行");
  });
  it.each([
    ["元石科技（北京）有限公司", "元石科技"],
    ["北京元石科技有限公司", "元石科技"],
    ["元石科技集团股份有限公司", "元石科技"],
    ["深圳市腾讯计算机系统有限公司", "腾讯计算机系统"],
    ["廣州市藍海貿易有限責任公司", "蓝海贸易"],
    ["Acme Co., Ltd.", "acme"],
    ["ACME Inc", "acme"],
    ["Costco Wholesale", "costcowholesale"],
    ["北京", "北京"],
  ])("%s → %s", (name, key) => expect(normaliseCompanyName(name)).toBe(key));
});

describe("search terms", () => {
  it("indexes CJK bigrams, pinyin, initials, phone suffixes and typo variants", () => {
    const { terms, latin } = searchTerms({ names: ["張三", "John"], words: ["C0001"], phones: ["13800138000"], emails: ["Zhang.San@Example.com"] });
    expect(terms).toEqual(expect.arrayContaining(["c:张", "c:三", "c:张三", "p:zhangsan", "i:zs", "w:john", "t:jhn", "w:c0001", "d:8000", "d:13800138000", "e:zhang.san@example.com"]));
    expect(terms).not.toContain("d:000");
    expect(latin).toContain("zhangsan");
  });
  it("plans queries by their kind", () => {
    expect(planSearch("138 0013 8000")).toEqual({ kind: "phone", terms: ["d:13800138000"] });
    expect(planSearch("+86 13800138000")).toEqual({ kind: "phone", terms: ["d:13800138000"] });
    expect(planSearch("元石科技")).toMatchObject({ kind: "cjk", terms: ["c:元石", "c:石科", "c:科技"] });
    expect(planSearch("张")).toMatchObject({ kind: "cjk", terms: ["c:张"] });
    expect(planSearch("  ")).toBeNull();
    expect(typoVariants("john")).toEqual(["john", "ohn", "jhn", "jon", "joh"]);
    expect(typoVariants("li")).toEqual([]);
  });
});

describe("customer codes", () => {
  const day = "2026-11-05";
  it("formats patterns and restarts the count each period the pattern names", () => {
    expect(formatCode("C{YYYY}{SEQ:5}", 42, day)).toBe("C202600042");
    expect(formatCode("KH-{YY}{MM}{DD}-{SEQ:3}", 7, day)).toBe("KH-261105-007");
    expect(periodOf("C{YYYY}{SEQ:5}", day)).toBe("2026");
    expect(periodOf("KH{YY}{MM}{SEQ:4}", day)).toBe("202611");
    expect(periodOf("KH{SEQ:6}", day)).toBe("");
  });
});

describe("addresses and regions", () => {
  it.each([
    ["广东省深圳市南山区科技园南区 A 栋", ["44", "4403", "440305", "科技园南区 A 栋"]],
    ["深圳市南山区粤海街道", ["44", "4403", "440305", "粤海街道"]],
    ["北京海淀区中关村大街1号", ["11", "1101", "110108", "中关村大街1号"]],
    ["上海浦东新区世纪大道100号", ["31", "3101", "310115", "世纪大道100号"]],
    ["广西壮族自治区南宁市青秀区民族大道", ["45", "4501", "450103", "民族大道"]],
    ["中国浙江杭州西湖区文三路", ["33", "3301", "330106", "文三路"]],
    ["Room 5, 88 Queensway", [null, null, null, "Room 5, 88 Queensway"]],
  ])("parses %s", (address, [p, c, d, detail]) => {
    expect(parseAddress(address)).toEqual({ provinceCode: p, cityCode: c, districtCode: d, detail });
  });
  it("checks that codes exist and nest", () => {
    expect(() => checkRegion("44", "4403", "440305")).not.toThrow();
    expect(() => checkRegion("11", null, "110108")).not.toThrow();
    expect(() => checkRegion("44", "1101", null)).toThrow();
    expect(() => checkRegion("44", "4403", "110108")).toThrow();
    expect(() => checkRegion(null, "4403", null)).toThrow();
    expect(() => checkRegion("99", null, null)).toThrow();
  });
});
