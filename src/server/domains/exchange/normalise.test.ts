import { describe, expect, it } from "vitest";
import { translate } from "../../lib/i18n.js";
import { IMPORT_FIELDS } from "./mapping.js";
import {
  normaliseAmount,
  normaliseBoolean,
  normaliseCurrency,
  normaliseDate,
  normaliseDateTime,
  normaliseEmails,
  normaliseEnum,
  normaliseMinutes,
  normalisePhones,
  normaliseRate,
  splitValues,
  type Normalised,
} from "./normalise.js";

const value = <T>(r: Normalised<T>) => (r.ok ? r.value : `! ${r.issue.key}`);
const field = (object: "customer" | "contact", key: string) => IMPORT_FIELDS[object].find((f) => f.key === key)!;

describe("normalising imported cells", () => {
  it.each([
    ["2024/1/5", "2024-01-05"],
    ["2024-01-05", "2024-01-05"],
    ["2024.1.5", "2024-01-05"],
    ["2024年1月5日", "2024-01-05"],
    ["２０２４年１月５日", "2024-01-05"],
    ["2024/01/05 13:45", "2024-01-05"],
    ["20240105", "2024-01-05"],
    ["1/5/2024", "2024-01-05"],
    ["25/12/2024", "2024-12-25"],
    ["", null],
  ])("date %s → %s", (input, expected) => {
    expect(value(normaliseDate(input))).toBe(expected);
  });

  it("reads Excel serial dates, Date cells and the day-month order given", () => {
    expect(value(normaliseDate(45296))).toBe("2024-01-05");
    expect(value(normaliseDate(45296.75))).toBe("2024-01-05");
    expect(value(normaliseDate(new Date(Date.UTC(2024, 0, 5))))).toBe("2024-01-05");
    expect(value(normaliseDate("3/4/2024", "dmy"))).toBe("2024-04-03");
    expect(value(normaliseDate("3/4/2024", "mdy"))).toBe("2024-03-04");
  });

  it.each(["2024-02-30", "2024/13/1", "next tuesday", "12", "5/5"])("refuses the date %s", (input) => {
    expect(value(normaliseDate(input))).toBe("! import.value_date");
  });

  it("says when a birthday has no year", () => {
    expect(value(normaliseDate("--0315"))).toBe("! import.value_date_no_year");
  });

  it.each([
    ["¥1,234.50", "1234.5"],
    ["￥1,234.50", "1234.5"],
    ["1234.5元", "1234.5"],
    ["RMB 88", "88"],
    ["1.2万", "12000"],
    ["3亿", "300000000"],
    ["0.000123万", "1.23"],
    ["(1,000)", "-1000"],
    ["-5", "-5"],
    ["", null],
  ])("amount %s → %s", (input, expected) => {
    expect(value(normaliseAmount(input))).toBe(expected);
  });

  it("keeps numeric cells exact and refuses what is not an amount", () => {
    expect(value(normaliseAmount(1234.5))).toBe("1234.5");
    expect(value(normaliseAmount(0.1 + 0.2))).toBe("0.3");
    for (const bad of ["12,34", "1.2.3", "abc", "1,2345"]) expect(value(normaliseAmount(bad)), bad).toBe("! import.value_number");
  });

  it("maps select values by Chinese or English label, key or folded form", () => {
    const stage = field("customer", "lifecycleStage");
    expect(value(normaliseEnum("潜在客户", stage))).toBe("prospect");
    expect(value(normaliseEnum("Prospect", stage))).toBe("prospect");
    expect(value(normaliseEnum("at_risk", stage))).toBe("at_risk");
    expect(value(normaliseEnum("A级", field("customer", "grade")))).toBe("A");
    expect(value(normaliseEnum("男", field("contact", "gender")))).toBe("male");
    expect(value(normaliseEnum("決策人", field("contact", "role")))).toBe("decision_maker"); // traditional characters
    const r = normaliseEnum("VIP", stage);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(translate("zh-CN", r.issue.key, r.issue.params)).toBe("“VIP”不是可选值（prospect, new, repeat, loyal, at_risk, churned）");
  });

  it("splits and normalises phones and e-mails", () => {
    expect(value(normalisePhones("138 0013 8000；+86 010-6552 9988"))).toEqual(["+8613800138000", "+861065529988"]);
    expect(value(normalisePhones(13800138000))).toEqual(["+8613800138000"]);
    expect(value(normalisePhones(["+1 415 555 2671", "+1 (415) 555-2671"]))).toEqual(["+14155552671"]); // a vCard's TELs, one number twice
    expect(value(normalisePhones("12345"))).toBe("! import.value_phone");
    expect(value(normaliseEmails("Zhang.San@Example.COM, 李四 <li.si@example.cn>"))).toEqual(["zhang.san@example.com", "li.si@example.cn"]);
    expect(value(normaliseEmails("not-an-email"))).toBe("! import.value_email");
    const r = normaliseEmails("x@");
    if (!r.ok) expect(translate("en-US", r.issue.key, r.issue.params)).toBe("“x@” is not a valid e-mail address");
  });

  it("reads yes/no and splits tag lists", () => {
    expect([normaliseBoolean("是"), normaliseBoolean("No"), normaliseBoolean(true), normaliseBoolean("")].map(value)).toEqual([true, false, true, null]);
    expect(value(normaliseBoolean("maybe"))).toBe("! import.value_boolean");
    expect(splitValues("重点, VIP；华南、VIP|展会")).toEqual(["重点", "VIP", "华南", "展会"]);
  });

  it("reads dates with a time of day as wall-clock times in the import's zone", () => {
    const at = (cell: unknown, zone = "Asia/Shanghai") => value(normaliseDateTime(cell as never, "mdy", zone));
    expect(at("2024年1月5日")).toBe("2024-01-04T16:00:00.000Z");
    expect(at("2024年1月5日 14:30")).toBe("2024-01-05T06:30:00.000Z");
    expect(at("2024/1/5 下午2点30分")).toBe("2024-01-05T06:30:00.000Z");
    expect(at("1/5/2024 2:30 pm")).toBe("2024-01-05T06:30:00.000Z");
    expect(at("2024-01-05T14:30:00+08:00", "America/New_York")).toBe("2024-01-05T06:30:00.000Z");
    expect(at(new Date(Date.UTC(2024, 0, 5, 14, 30)))).toBe("2024-01-05T06:30:00.000Z"); // an Excel date-time cell
    // Across a change of offset: 2024-07-01 09:00 in New York is summer time (UTC−4).
    expect(at("2024-07-01 09:00", "America/New_York")).toBe("2024-07-01T13:00:00.000Z");
    expect(at("2024-01-05 25:00")).toBe("! import.value_datetime");
    expect(at("2024-01-05 abc")).toBe("! import.value_datetime");
    const r = normaliseDateTime("2024年13月1日");
    if (!r.ok) expect(translate("en-US", r.issue.key, r.issue.params)).toBe("“2024年13月1日” is not a date and time (e.g. 2024-01-05 14:30, 2024年1月5日 下午2点)");
  });

  it("reads rates, durations and currencies as people write them", () => {
    expect(["13%", "13", "0.13", "９ ％", 0.06].map((c) => value(normaliseRate(c)))).toEqual(["0.13", "0.13", "0.13", "0.09", "0.06"]);
    expect(value(normaliseRate("130%"))).toBe("! import.value_rate");
    expect(["30", "30分钟", "1.5小时", "1h30m", "1:30", 45].map((c) => value(normaliseMinutes(c)))).toEqual([30, 30, 90, 90, 90, 45]);
    expect(value(normaliseMinutes("半天"))).toBe("! import.value_duration");
    expect(["人民币", "RMB", "￥", "美元", "usd", "eur"].map((c) => value(normaliseCurrency(c)))).toEqual(["CNY", "CNY", "CNY", "USD", "USD", "EUR"]);
  });
});
