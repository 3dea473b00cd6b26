import { cents, money, sum } from "../../lib/money.js";

/** A line as priced: decimal strings. Prices exclude tax; the discount comes off before tax. */
export interface PricedLine {
  quantity: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
}

export interface LineAmounts {
  grossAmount: string;
  discountAmount: string;
  taxAmount: string;
  amount: string;
}

/**
 * A line's amounts, each rounded half up to cents once: gross = quantity ×
 * unit price; discount = gross × rate; tax = (gross − discount) × tax rate;
 * amount = gross − discount + tax. Rounding per line (not per total) is what
 * an invoice shows, so the totals are exact sums of what the lines print.
 */
export function lineAmounts(line: PricedLine): LineAmounts {
  const gross = cents(money(line.quantity).times(line.unitPrice));
  const discount = cents(money(gross).times(line.discountRate));
  const tax = cents(money(gross).minus(discount).times(line.taxRate));
  return { grossAmount: gross, discountAmount: discount, taxAmount: tax, amount: cents(money(gross).minus(discount).plus(tax)) };
}

export interface Totals {
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
}

/** The order's totals: sums of its lines' rounded amounts (exact). */
export function totalsOf(lines: LineAmounts[]): Totals {
  return {
    subtotal: sum(lines.map((l) => l.grossAmount)).toFixed(2),
    discountTotal: sum(lines.map((l) => l.discountAmount)).toFixed(2),
    taxTotal: sum(lines.map((l) => l.taxAmount)).toFixed(2),
    total: sum(lines.map((l) => l.amount)).toFixed(2),
  };
}
