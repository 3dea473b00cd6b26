import { money, type Money } from "../../lib/money.js";

const CHINESE_DIGITS: Record<string, string> = { 零: "0", 〇: "0", 一: "1", 二: "2", 两: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };

/**
 * The price share a "折" states. 折 counts tenths of the price paid: 8折 is
 * 80 %, 9.5折 is 95 %; two digits are read as a percentage, as on price
 * tags (85折 = 85 %, 95折 = 95 %). Anything else (0折, 100折) means nothing.
 */
function paidShare(figure: string): Money | undefined {
  const n = money(figure);
  if (figure.includes(".")) return n.gt(0) && n.lt(10) ? n.dividedBy(10) : undefined;
  if (n.gte(1) && n.lte(10)) return n.dividedBy(10);
  if (n.gt(10) && n.lt(100)) return n.dividedBy(100);
  return undefined;
}

/**
 * The discount a customer's terms (free text of the master file) grant, as a
 * fraction of the price: "95折" and "9.5折" → "0.05", "8折" → "0.2",
 * "八五折" → "0.15", "10%", "10% off", "优惠10%" → "0.1", "半价" → "0.5".
 * The first term the text states counts; text without one, or with a value
 * that cannot be a discount, gives "0" (no discount rather than a wrong one).
 */
export function discountRateOf(terms: string): string {
  const text = terms
    .normalize("NFKC") // full-width digits and ％
    .replace(/\s+/g, "")
    .replace(/[零〇一二两三四五六七八九]/g, (d) => CHINESE_DIGITS[d]!)
    .replace(/(\d)点(\d)/g, "$1.$2"); // 九点五折
  const found = [
    { at: text.search(/\d+(\.\d+)?折/), rate: () => paidShare(/(\d+(?:\.\d+)?)折/.exec(text)![1]!)?.negated().plus(1) },
    {
      at: text.search(/\d+(\.\d+)?%/),
      rate: () => {
        const p = money(/(\d+(?:\.\d+)?)%/.exec(text)![1]!);
        return p.gt(0) && p.lt(100) ? p.dividedBy(100) : undefined;
      },
    },
    { at: text.indexOf("半价"), rate: () => money("0.5") },
  ]
    .filter((f) => f.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  const rate = found?.rate();
  return rate && rate.gt(0) ? rate.toFixed() : "0";
}
