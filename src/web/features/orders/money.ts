import { Decimal } from "decimal.js";

/**
 * Exact money on the client, as the server computes it (src/server/lib/money.ts,
 * orders/amounts.ts): decimal.js, half-up to cents once per line amount.
 */
const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export const money = (v: Decimal.Value) => new Money(v);
const cents = (v: Decimal.Value) => new Money(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

const SYMBOLS: Record<string, string> = { CNY: "¥", USD: "$", EUR: "€", GBP: "£", JPY: "JP¥", HKD: "HK$", TWD: "NT$", SGD: "S$" };

/**
 * "1234567.5" → "¥1,234,567.50": grouped, at least 2 decimals (up to `maxDecimals`,
 * trailing zeros beyond 2 dropped: unit prices keep their 4), the string never
 * going through a float.
 */
export function formatAmount(amount: string | null | undefined, currency?: string | null, maxDecimals = 2): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const fixed = /^-?\d+(\.\d+)?$/.test(amount) ? money(amount).toDecimalPlaces(maxDecimals, Decimal.ROUND_HALF_UP).toFixed(maxDecimals) : amount;
  const negative = fixed.startsWith("-");
  const [int = "0", frac = ""] = fixed.replace(/^-/, "").split(".");
  const decimals = frac.replace(/0+$/, "").padEnd(2, "0");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const symbol = currency ? (SYMBOLS[currency] ?? `${currency} `) : "";
  return `${negative ? "-" : ""}${symbol}${grouped}${decimals ? `.${decimals}` : ""}`;
}

export interface LinePreview {
  quantity?: string | null;
  unitPrice?: string | null;
  /** Fractions ("0.05"). */
  discountRate?: string | null;
  taxRate?: string | null;
}

const isNumber = (v: string | null | undefined): v is string => typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim());

/**
 * A line's amount including tax as the server will compute it: gross, discount
 * and tax each rounded half up to cents (orders/amounts.ts `lineAmounts`).
 * Null when the line has no typed price or discount (the server fills them on save) or no quantity.
 */
export function previewLineAmount(line: LinePreview, defaultDiscount: string | null = null): string | null {
  if (!isNumber(line.quantity) || !isNumber(line.unitPrice)) return null;
  const discountRate = isNumber(line.discountRate) ? line.discountRate : defaultDiscount;
  // An empty discount is the customer's terms, which only the server knows.
  if (discountRate === null) return null;
  const taxRate = isNumber(line.taxRate) ? line.taxRate : "0";
  const gross = cents(money(line.quantity).times(line.unitPrice));
  const discount = cents(money(gross).times(discountRate));
  const tax = cents(money(gross).minus(discount).times(taxRate));
  return cents(money(gross).minus(discount).plus(tax));
}

/** The exact sum of amounts, two decimals. */
export const sumAmounts = (values: string[]) => values.reduce((s, v) => s.plus(v), money(0)).toFixed(2);

/** How far `base + add` goes over `limit` ("0.00" or more), and the sum. */
export function overBy(base: string, add: string, limit: string): { after: string; excess: string } {
  const after = money(base).plus(add);
  const excess = Decimal.max(after.minus(limit), 0);
  return { after: after.toFixed(2), excess: money(excess).toFixed(2) };
}
