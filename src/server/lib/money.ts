import { Decimal } from "decimal.js";

/**
 * Exact decimal arithmetic for money (decimal.js): amounts travel as strings
 * (PostgreSQL numeric, JSON), are computed as Decimal, and are rounded half
 * up to cents only where the business rounds them (a line's amounts, a
 * payment), never through binary floating point.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const money = (value: Decimal.Value): Decimal => new Money(value);

/** Rounded half up to cents, as a string with two decimals ("12.50"). */
export const cents = (value: Decimal.Value): string => new Money(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

/** The sum of amounts, exact. */
export const sum = (values: Iterable<Decimal.Value>): Decimal => {
  let total = new Money(0);
  for (const v of values) total = total.plus(v);
  return total;
};

/** A decimal string of at most `scale` places and `precision` digits: what a numeric(precision, scale) column takes. */
export function fitsNumeric(value: string, precision: number, scale: number): boolean {
  if (!/^-?\d+(\.\d+)?$/.test(value)) return false;
  const d = new Money(value);
  return d.decimalPlaces() <= scale && d.abs().lt(new Money(10).pow(precision - scale));
}
