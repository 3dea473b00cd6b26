import i18n from "../../i18n/index.js";

const MONTHS = ["正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"];
const DIGITS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** 初一 … 初十, 十一 … 十九, 二十, 廿一 … 廿九, 三十: how lunar days are written. */
function chineseDay(day: number): string {
  if (day <= 10) return `初${DIGITS[day]}`;
  if (day < 20) return `十${DIGITS[day - 10]}`;
  if (day === 20) return "二十";
  if (day < 30) return `廿${DIGITS[day - 20]}`;
  return "三十";
}

const zh = () => i18n.language.startsWith("zh");

export const lunarMonthName = (month: number) => (zh() ? MONTHS[month - 1] ?? String(month) : i18n.t("customers.lunarMonthN", { n: month }));
export const lunarDayName = (day: number) => (zh() ? chineseDay(day) : i18n.t("customers.lunarDayN", { n: day }));
export const lunarDateName = (d: { month: number; day: number }) => (zh() ? `${lunarMonthName(d.month)}${lunarDayName(d.day)}` : `${lunarMonthName(d.month)}, ${lunarDayName(d.day)}`);
