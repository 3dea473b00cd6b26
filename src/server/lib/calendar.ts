/**
 * The business calendar: which day it is, and where a day starts, in a
 * workspace's time zone (an IANA name such as Asia/Shanghai; luxon does the
 * zone arithmetic, daylight saving included). Order, quote and payment dates,
 * "today" for tasks and overdue instalments, target periods, number periods,
 * daily claim limits and the morning digest all read their day from here,
 * never from the server's clock settings.
 */
import { sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";

/** The zone the server runs in (TZ): a workspace without its own zone uses it. */
export const serverZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Whether `zone` is an IANA time zone the runtime knows, written Area/Location
 * ("Asia/Shanghai") or UTC. Abbreviations are refused even where the database
 * has them: "CST" there is US Central, not China Standard Time.
 */
export function isTimeZone(zone: string): boolean {
  return (zone === "UTC" || /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone)) && DateTime.local().setZone(zone).isValid;
}

const at = (zone: string, instant: Date) => DateTime.fromJSDate(instant, { zone });

/** The calendar date (YYYY-MM-DD) in `zone` at `instant`. */
export const localDate = (zone: string, instant = new Date()): string => at(zone, instant).toISODate()!;

/** The hour of the day (0–23) on the clocks of `zone` at `instant`. */
export const localHour = (zone: string, instant = new Date()): number => at(zone, instant).hour;

/** The instant the day of `instant` starts in `zone`, moved by `days` whole days (local midnights, whatever DST does). */
export const startOfLocalDay = (zone: string, instant = new Date(), days = 0): Date => at(zone, instant).startOf("day").plus({ days }).toJSDate();

/** The instant a calendar date (YYYY-MM-DD) starts in `zone`. */
export const midnightOf = (zone: string, date: string): Date => DateTime.fromISO(date, { zone }).startOf("day").toJSDate();

/** A wall-clock time in `zone` (given as the UTC fields of `wall`) as an instant. */
export const zonedInstant = (wall: number, zone: string): Date =>
  DateTime.fromMillis(wall, { zone: "utc" }).setZone(zone, { keepLocalTime: true }).toJSDate();

/** SQL: the instant a calendar date (YYYY-MM-DD) starts in `zone`, to compare timestamps with a day of the business calendar. */
export const sqlMidnightOf = (date: string, zone: string): SQL => sql`(${date}::date::timestamp at time zone ${zone})`;

/** SQL: the instant the day after a calendar date starts in `zone` (the end of a period that includes `date`). */
export const sqlMidnightAfter = (date: string, zone: string): SQL => sql`((${date}::date + 1)::timestamp at time zone ${zone})`;
