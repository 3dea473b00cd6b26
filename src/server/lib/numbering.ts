/**
 * Numbering patterns of codes and document numbers (customer codes, order
 * numbers): {YYYY} {YY} {MM} {DD} and {SEQ:n}, a counter of n digits that
 * restarts each period the pattern names. Dates are the server's local calendar (TZ).
 */

/** The period a pattern's counter runs in: it restarts when the date parts it names change. */
export function periodOf(pattern: string, now: Date): string {
  const y = String(now.getFullYear());
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  if (pattern.includes("{DD}")) return `${y}${m}${d}`;
  if (pattern.includes("{MM}")) return `${y}${m}`;
  if (pattern.includes("{YYYY}") || pattern.includes("{YY}")) return y;
  return "";
}

export function formatCode(pattern: string, seq: number, now: Date): string {
  const y = String(now.getFullYear());
  return pattern
    .replace("{YYYY}", y)
    .replace("{YY}", y.slice(2))
    .replace("{MM}", String(now.getMonth() + 1).padStart(2, "0"))
    .replace("{DD}", String(now.getDate()).padStart(2, "0"))
    .replace(/\{SEQ:(\d)\}/, (_, n: string) => String(seq).padStart(Number(n), "0"));
}

/** A pattern the numbering understands: exactly one {SEQ:n} (n 1–9), other text free. */
export const isNumberPattern = (pattern: string) => (pattern.match(/\{SEQ:[1-9]\}/g) ?? []).length === 1;
