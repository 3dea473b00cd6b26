import { describe, expect, it } from "vitest";
import { money } from "../../lib/money.js";
import { lineAmounts, totalsOf } from "./amounts.js";

describe("order amounts", () => {
  it("computes a line: gross, discount before tax, tax, each rounded to cents once", () => {
    expect(lineAmounts({ quantity: "3", unitPrice: "19.99", discountRate: "0.05", taxRate: "0.13" })).toEqual({
      grossAmount: "59.97",
      discountAmount: "3.00", // 2.9985
      taxAmount: "7.41", // 56.97 × 0.13 = 7.4061
      amount: "64.38",
    });
  });

  it("rounds half up where binary floating point would round down", () => {
    // 1.005 × 1 as a double is 1.00499…; 0.145 × 100 … exact here.
    expect(lineAmounts({ quantity: "1", unitPrice: "1.005", discountRate: "0", taxRate: "0" }).amount).toBe("1.01");
    expect(lineAmounts({ quantity: "0.5", unitPrice: "0.01", discountRate: "0", taxRate: "0" }).amount).toBe("0.01");
    expect(lineAmounts({ quantity: "2.5", unitPrice: "0.0001", discountRate: "0", taxRate: "0.13" })).toEqual({ grossAmount: "0.00", discountAmount: "0.00", taxAmount: "0.00", amount: "0.00" });
  });

  it("keeps totals equal to the sum of the lines' printed amounts, over many lines", () => {
    const lines = Array.from({ length: 500 }, (_, i) => lineAmounts({ quantity: String(1 + (i % 7)), unitPrice: `${i}.${String(i % 100).padStart(2, "0")}33`, discountRate: "0.0333", taxRate: i % 2 ? "0.13" : "0.06" }));
    const t = totalsOf(lines);
    const recomputed = lines.reduce((acc, l) => acc.plus(l.amount), money(0));
    expect(t.total).toBe(recomputed.toFixed(2));
    expect(money(t.subtotal).minus(t.discountTotal).plus(t.taxTotal).toFixed(2)).toBe(t.total);
  });

  it("handles amounts beyond double precision", () => {
    const l = lineAmounts({ quantity: "99999999.9999", unitPrice: "99999.9999", discountRate: "0", taxRate: "0" });
    expect(l.grossAmount).toBe("9999999989990.00"); // (1e8 − 1e-4)(1e5 − 1e-4) = 9999999989990.00000001
  });
});
