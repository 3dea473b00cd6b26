import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { z } from "zod";

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set
 * (no I, O, S, V, Z); the last is a check character over the first 17,
 * weighted by 3^i mod 31. The algorithm is the standard's; no npm package
 * carries it, so it is written here.
 */
const CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CHARS.indexOf(first17[i] ?? "");
    if (v < 0) return null;
    sum += v * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Upper-cases and drops spaces/full-width forms, as people type and paste it. */
export const normaliseCreditCode = (raw: string) => raw.normalize("NFKC").replace(/\s+/g, "").toUpperCase();

export const CreditCode = z
  .string()
  .max(40)
  .transform(normaliseCreditCode)
  .refine((v) => v === "" || isValidCreditCode(v), { message: "errors.credit_code_invalid" });

export const DEFAULT_REGION: CountryCode = "CN";

/**
 * The numbers parsed last (as typed → E.164, and E.164 → national digits):
 * one number is normalised by the import, checked again by the services'
 * schema and indexed for search, and each is a full libphonenumber parse.
 * Bounded; emptied when full.
 */
const RECENT_PHONES = 4096;
const recentE164 = new Map<string, string | null>();
const recentNational = new Map<string, string>();
const remember = <V>(map: Map<string, V>, key: string, value: V) => {
  if (map.size >= RECENT_PHONES) map.clear();
  map.set(key, value);
};

/** A phone number as typed → E.164 (+8613800138000), or null when it is not a possible number. */
export function normalisePhone(raw: string, region: CountryCode = DEFAULT_REGION): string | null {
  const key = `${region}\u0000${raw}`;
  const hit = recentE164.get(key);
  if (hit !== undefined) return hit;
  // Chinese extensions: "0755-88888888 转 123", "分机 123".
  const trimmed = raw.normalize("NFKC").trim().replace(/\s*(?:转|分机|ext\.?|x)\s*(\d{1,6})$/i, " ext. $1");
  const parsed = trimmed && trimmed.length <= 40 ? parsePhoneNumberFromString(trimmed, region) : undefined;
  const e164 = !parsed?.isValid() ? null : parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number;
  remember(recentE164, key, e164);
  if (parsed && e164 && !parsed.ext) {
    // An E.164 number normalises to itself, whatever the region.
    remember(recentE164, `${region}\u0000${e164}`, e164);
    remember(recentNational, e164, String(parsed.nationalNumber));
  }
  return e164;
}

/** Digits of the national number (13800138000), for fragment search. */
export function nationalDigits(e164: string): string {
  const number = e164.split(";")[0]!;
  const hit = recentNational.get(number);
  if (hit !== undefined) return hit;
  const parsed = parsePhoneNumberFromString(number);
  const digits = parsed ? String(parsed.nationalNumber) : e164.replace(/\D/g, "");
  remember(recentNational, number, digits);
  return digits;
}

export const PhoneInput = z.object({
  label: z.enum(["mobile", "work", "home", "fax", "other"]).default("mobile"),
  number: z
    .string()
    .max(40)
    .transform((v, c) => {
      const n = normalisePhone(v);
      if (!n) {
        c.addIssue({ code: "custom", message: "errors.phone_invalid", input: v });
        return z.NEVER;
      }
      return n;
    }),
});

export const EmailInput = z.object({
  label: z.enum(["work", "personal", "other"]).default("work"),
  address: z
    .string()
    .trim()
    .max(254)
    .transform((v) => v.normalize("NFKC").toLowerCase())
    .pipe(z.email({ message: "errors.email_invalid" })),
});

export type Phone = { label: "mobile" | "work" | "home" | "fax" | "other"; number: string };
export type Email = { label: "work" | "personal" | "other"; address: string };
