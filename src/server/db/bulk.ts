import type pg from "pg";
import type { Tx } from "./client.js";

/**
 * Set-based writes for bulk work (imports, generated bench data): rows go to
 * PostgreSQL as one array per column and come back out of unnest(), several
 * tables in one statement. Every table gets `tenant_id` from the transaction's
 * scope (current_tenant_id()), so row-level security still checks each row.
 */

const quoteElement = (v: string) => (v.includes('"') || v.includes("\\") ? `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"` : `"${v}"`);
/** One value as an element of an array literal: NULL, t/f, or a quoted string. */
export const arrayElement = (v: unknown): string => (v === null || v === undefined ? "NULL" : typeof v === "boolean" ? (v ? "t" : "f") : quoteElement(String(v)));
/**
 * A text[] value as an element of an array literal of such values (a column
 * of arrays): `"{\"a\",\"b\"}"`, escaped in one pass rather than by quoting
 * the array's own literal again (search terms: fifty per row).
 */
export const textArrayElement = (values: readonly string[]): string =>
  `"{${values.map((v) => (/["\\]/.test(v) ? quoteElement(v).replace(/["\\]/g, "\\$&") : `\\"${v}\\"`)).join(",")}}"`;
/**
 * An array literal ({"a","b",NULL}). Built here rather than by node-pg,
 * whose generic array serialisation costs more than generating the row.
 */
export const arrayLiteral = (values: readonly unknown[]) => `{${values.map(arrayElement).join(",")}}`;

/**
 * Rows of one table, column by column: they go over as one array per column
 * and come back out of unnest(). Values are formatted as array elements when
 * pushed, so work done ahead (`arrayElement` on a prepared row) is not redone.
 */
export class Columns {
  readonly values: string[][];
  constructor(
    readonly table: string,
    readonly cols: readonly (readonly [name: string, type: string])[],
  ) {
    this.values = cols.map(() => []);
  }
  push(...row: unknown[]) {
    for (let i = 0; i < row.length; i++) this.values[i]!.push(arrayElement(row[i]));
  }
  /** A row whose values are already array elements (see arrayElement). */
  pushElements(row: readonly string[]) {
    for (let i = 0; i < row.length; i++) this.values[i]!.push(row[i]!);
  }
  get length() {
    return this.values[0]!.length;
  }
  /** A data-modifying CTE inserting the rows; parameters are numbered from `first`. */
  cte(alias: string, first: number): string {
    // Arrays and jsonb go over as text and are cast per row (unnest would flatten an array of arrays).
    const paramType = (t: string) => (t.endsWith("[]") || t === "jsonb" ? "text" : t);
    const select = this.cols.map(([, t], i) => (paramType(t) === t ? `u.c${i}` : `u.c${i}::${t}`)).join(", ");
    const unnest = this.cols.map(([, t], i) => `$${first + i}::${paramType(t)}[]`).join(", ");
    const names = this.cols.map(([n]) => n).join(", ");
    const aliases = this.cols.map((_, i) => `c${i}`).join(", ");
    return `${alias} as (insert into ${this.table} (tenant_id, ${names}) select current_tenant_id(), ${select} from unnest(${unnest}) as u(${aliases}))`;
  }
}

/** One statement (one transaction) inserting a batch into several tables; foreign keys are checked at its end. */
export function batchStatement(tables: Columns[]): { text: string; values: unknown[] } {
  const ctes: string[] = [];
  const values: unknown[] = [];
  for (const t of tables) {
    if (t.length === 0) continue;
    ctes.push(t.cte(`t${ctes.length}`, values.length + 1));
    values.push(...t.values.map((elements) => `{${elements.join(",")}}`));
  }
  return { text: `with ${ctes.join(",\n")} select 1`, values };
}

/** Runs one batch statement on the transaction's own connection (drizzle keeps its driver client as `$client`). */
export async function insertBatch(tx: Tx, tables: Columns[]): Promise<void> {
  const st = batchStatement(tables);
  if (!st.values.length) return;
  await (tx as unknown as { $client: Pick<pg.ClientBase, "query"> }).$client.query(st.text, st.values);
}
