import { money } from "../../lib/money.js";

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const SMALL = ["仟", "佰", "拾", ""];

/** One group of four digits ("0305" → 叁佰零伍): leading zeros dropped, a run of inner zeros read as one 零, trailing zeros silent. */
function groupText(four: string): string {
  let out = "";
  let zero = false;
  for (let i = 0; i < 4; i++) {
    const d = Number(four[i]);
    if (d === 0) {
      zero = out !== "";
      continue;
    }
    if (zero) out += "零";
    zero = false;
    out += DIGITS[d]! + SMALL[i]!;
  }
  return out;
}

/** Digits below 亿 (at most 8): 壹万零伍佰, with a 零 before a group below a thousand or after an empty one. */
function belowYi(digits: string): string {
  const high = Number(digits.slice(0, -4) || "0");
  const low = Number(digits.slice(-4));
  if (high === 0) return low === 0 ? "" : groupText(String(low).padStart(4, "0"));
  const wan = `${groupText(String(high).padStart(4, "0"))}万`;
  return low === 0 ? wan : `${wan}${low < 1000 ? "零" : ""}${groupText(String(low).padStart(4, "0"))}`;
}

/** An integer: 亿 counts recursively (12345亿 is 壹万贰仟叁佰肆拾伍亿, not 壹万亿贰仟…). */
function integerText(digits: string): string {
  if (digits.length <= 8) return belowYi(digits);
  const high = integerText(digits.slice(0, -8).replace(/^0+/, ""));
  const low = digits.slice(-8);
  const rest = belowYi(low);
  return `${high}亿${rest && Number(low) < 10000000 ? "零" : ""}${rest}`;
}

/**
 * An amount in Chinese capital numerals (大写金额) as printed on quotes and
 * invoices: 1130.50 → 壹仟壹佰叁拾元伍角整, 1001 → 壹仟零壹元整, 1.05 →
 * 壹元零伍分. Rounded half up to 分; "整" closes an amount without 分. No 零
 * is written between 元 and 角 (both forms are allowed; this is the common
 * one). Negative amounts and amounts of 10^16 or more are refused.
 */
export function chineseCapitalAmount(amount: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(amount.trim())) throw new RangeError(`not an amount: ${amount}`);
  const value = money(amount.trim()).toDecimalPlaces(2);
  if (value.isNegative() && !value.isZero()) throw new RangeError(`negative amount: ${amount}`);
  const [int, frac] = value.abs().toFixed(2).split(".") as [string, string];
  if (int.length > 16) throw new RangeError(`amount too large: ${amount}`);
  const jiao = Number(frac[0]);
  const fen = Number(frac[1]);
  const yuan = int === "0" ? "" : `${integerText(int)}元`;
  if (jiao === 0 && fen === 0) return `${yuan || "零元"}整`;
  if (jiao === 0) return `${yuan ? `${yuan}零` : ""}${DIGITS[fen]}分`;
  return `${yuan}${DIGITS[jiao]}角${fen === 0 ? "整" : `${DIGITS[fen]}分`}`;
}
