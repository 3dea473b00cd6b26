import { describe, expect, it } from "vitest";
import { chineseCapitalAmount } from "./capitals.js";

describe("chineseCapitalAmount (大写金额)", () => {
  it.each([
    ["0", "零元整"],
    ["0.00", "零元整"],
    ["0.05", "伍分"],
    ["0.5", "伍角整"],
    ["1.05", "壹元零伍分"],
    ["10.00", "壹拾元整"],
    ["100.10", "壹佰元壹角整"],
    ["1001", "壹仟零壹元整"],
    ["1010", "壹仟零壹拾元整"],
    ["1130.50", "壹仟壹佰叁拾元伍角整"],
    ["10000", "壹万元整"],
    ["10500", "壹万零伍佰元整"],
    ["105000", "壹拾万伍仟元整"],
    ["100000001.01", "壹亿零壹元零壹分"],
    ["100010000", "壹亿零壹万元整"],
    ["3000000.99", "叁佰万元玖角玖分"],
    ["1234567890123.45", "壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分"],
  ])("%s → %s", (amount, text) => {
    expect(chineseCapitalAmount(amount)).toBe(text);
  });

  it("refuses negative, malformed and too large amounts", () => {
    expect(() => chineseCapitalAmount("-1")).toThrow(RangeError);
    expect(() => chineseCapitalAmount("-0.01")).toThrow(RangeError);
    expect(() => chineseCapitalAmount("1,000")).toThrow(RangeError);
    expect(() => chineseCapitalAmount("abc")).toThrow(RangeError);
    expect(() => chineseCapitalAmount("10000000000000000")).toThrow(RangeError);
  });
});
