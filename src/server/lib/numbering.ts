/**
 * Numbering patterns of codes and document numbers (customer codes, order
 * numbers): {YYYY} {YY} {MM} {DD} and {SEQ:n}, a counter of n digits that
 * restarts each period the pattern names. `day` is a calendar date (YYYY-MM-DD)
 * in the workspace's time zone (lib/calendar.ts).
 */

/** The period a pattern's counter runs in: it restarts when the date parts it names change. */
export function periodOf(pattern: string, day: string): string {
  const [y, m, d] = day.split("-") as [string, string, string];
  if (pattern.includes("{DD}")) return `${y}${m}${d}`;
  if (pattern.includes("{MM}")) return `${y}${m}`;
  if (pattern.includes("{YYYY}") || pattern.includes("{YY}")) return y;
  return "";
}

export function formatCode(pattern: string, seq: number, day: string): string {
  const [y, m, d] = day.split("-") as [string, string, string];
  return pattern
    .replace("{YYYY}", y)
    .replace("{YY}", y.slice(2))
    .replace("{MM}", m)
    .replace("{DD}", d)
    .replace(/\{SEQ:(\d)\}/, (_, n: string) => String(seq).padStart(Number(n), "0"));
}

/** A pattern the numbering understands: exactly one {SEQ:n} (n 1–9), other text free. */
export const isNumberPattern = (pattern: string) => (pattern.match(/\{SEQ:[1-9]\}/g) ?? []).length === 1;
