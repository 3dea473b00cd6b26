import { describe, expect, it } from "vitest";
import { discountRateOf } from "./discount-terms.js";

describe("discountRateOf", () => {
  it.each([
    ["95折", "0.05"],
    ["9.5折", "0.05"],
    ["8折", "0.2"],
    ["85折", "0.15"],
    ["8.5折", "0.15"],
    ["九五折", "0.05"],
    ["八折", "0.2"],
    ["九点五折", "0.05"],
    ["９５折", "0.05"],
    ["打 9 折", "0.1"],
    ["10%", "0.1"],
    ["10% off", "0.1"],
    ["优惠10%", "0.1"],
    ["优惠１０％", "0.1"],
    ["12.5%", "0.125"],
    ["半价", "0.5"],
    ["老客户9折，满10万再优惠5%", "0.1"],
    ["满10万优惠5%，否则9折", "0.05"],
  ])("%s → %s", (terms, rate) => {
    expect(discountRateOf(terms)).toBe(rate);
  });

  it.each([[""], ["   "], ["月结30天"], ["无折扣"], ["0折"], ["10折"], ["100折"], ["0%"], ["100%"], ["150%"], ["see contract"]])("%j → 0", (terms) => {
    expect(discountRateOf(terms)).toBe("0");
  });
});
