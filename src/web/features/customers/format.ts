import { parsePhoneNumberFromString } from "libphonenumber-js";
import i18n from "../../i18n/index.js";

/**
 * A stored phone (E.164, "+8675588886666;ext=123") as people write it:
 * national for Chinese numbers ("138 0013 8000", "0755 8888 6666"),
 * international for the rest. Unparseable input is shown as it is.
 */
export function formatPhone(stored: string): string {
  const [main = stored, ext] = stored.split(";ext=");
  const parsed = parsePhoneNumberFromString(main);
  if (!parsed) return stored;
  const text = parsed.countryCallingCode === "86" ? parsed.formatNational() : parsed.formatInternational();
  return ext ? `${text} ${i18n.t("customers.ext", { ext })}` : text;
}

/** tel: link target (extensions dial after a pause). */
export const phoneHref = (stored: string) => `tel:${stored.replace(";ext=", ",")}`;

/** "50000.00" → "¥50,000.00" in the customer's currency; the string stays exact (no float). */
export function formatMoney(amount: string | null | undefined, currency = "CNY"): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const [int = "0", frac] = amount.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const symbol = CURRENCY_SYMBOLS[currency] ?? `${currency} `;
  return `${symbol}${grouped}${frac ? `.${frac.padEnd(2, "0")}` : ".00"}`;
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: "¥", USD: "$", EUR: "€", GBP: "£", JPY: "JP¥", HKD: "HK$", TWD: "NT$", SGD: "S$" };

export const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY", "GBP", "TWD", "SGD", "KRW", "AUD", "CAD"] as const;

export const GRADE_COLORS: Record<string, string> = { A: "volcano", B: "gold", C: "default" };
export const STAGE_COLORS: Record<string, string> = {
  prospect: "default",
  new: "blue",
  repeat: "cyan",
  loyal: "green",
  at_risk: "orange",
  churned: "red",
};
export const STATUS_COLORS: Record<string, string> = { active: "success", inactive: "default", blacklisted: "error" };
