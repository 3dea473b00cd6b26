import dayjs from "dayjs";
import "dayjs/locale/zh-cn.js";
import localizedFormat from "dayjs/plugin/localizedFormat.js";
import relativeTime from "dayjs/plugin/relativeTime.js";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { enUS } from "./en-US.js";
import { zhCN } from "./zh-CN.js";

export const LOCALES = ["zh-CN", "en-US"] as const;
export type Locale = (typeof LOCALES)[number];

dayjs.extend(localizedFormat);
dayjs.extend(relativeTime);

const STORAGE_KEY = "guanxi.locale";

export const isLocale = (v: unknown): v is Locale => typeof v === "string" && (LOCALES as readonly string[]).includes(v);

/**
 * The language before we know the user: the last one used in this browser,
 * else Chinese (Guanxi's home market); the user's own setting wins once /auth/me answers.
 */
function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage can be blocked (private mode); fall through.
  }
  return "zh-CN";
}

const DAYJS_LOCALE: Record<Locale, string> = { "zh-CN": "zh-cn", "en-US": "en" };

function applyLocale(locale: Locale): void {
  dayjs.locale(DAYJS_LOCALE[locale]);
  document.documentElement.lang = locale;
  document.title = i18n.t("app.name");
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not fatal: the server-side preference still applies after sign-in.
  }
}

void i18n.use(initReactI18next).init({
  resources: {
    "zh-CN": { translation: zhCN },
    "en-US": { translation: enUS },
  },
  lng: initialLocale(),
  fallbackLng: "zh-CN",
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // React escapes.
  returnNull: false,
  // Resources are bundled, so initialise synchronously: the first render already has its strings.
  initAsync: false,
});
applyLocale(isLocale(i18n.language) ? i18n.language : "zh-CN");
i18n.on("languageChanged", (lng) => {
  if (isLocale(lng)) applyLocale(lng);
});

/** Switches the UI language (no-op when it is already active). */
export async function setLocale(locale: Locale): Promise<void> {
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

export const currentLocale = (): Locale => (isLocale(i18n.language) ? i18n.language : "zh-CN");

export default i18n;

/** For keys built at run time (server-defined object and action names): the translation, or the fallback. */
export function translateOr(key: string, fallback: string): string {
  return i18n.exists(key) ? (i18n.t as (k: string) => string)(key) : fallback;
}
