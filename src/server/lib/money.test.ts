import { describe, expect, it } from "vitest";
import { cents, fitsNumeric, money, sum } from "./money.js";

describe("money", () => {
  it("adds without binary floating point error", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(money("0.1").plus("0.2").toFixed(2)).toBe("0.30");
    expect(sum(Array.from({ length: 1000 }, () => "0.01")).toFixed(2)).toBe("10.00");
  });

  it("rounds half up to cents, also for negative and long values", () => {
    expect(cents("2.675")).toBe("2.68"); // 2.675 as a double is 2.67499…
    expect(cents("2.665")).toBe("2.67");
    expect(cents("-2.675")).toBe("-2.68");
    expect(cents("1234567890123456.005")).toBe("1234567890123456.01");
    expect(cents(money("19.99").times("3.3333"))).toBe("66.63");
  });

  it("tells whether a value fits a numeric column", () => {
    expect(fitsNumeric("12.3456", 18, 4)).toBe(true);
    expect(fitsNumeric("12.34567", 18, 4)).toBe(false);
    expect(fitsNumeric("99999999999999.9999", 18, 4)).toBe(true);
    expect(fitsNumeric("100000000000000", 18, 4)).toBe(false);
    expect(fitsNumeric("1e3", 18, 4)).toBe(false);
    expect(fitsNumeric("abc", 18, 4)).toBe(false);
  });
});
