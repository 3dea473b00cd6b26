import { and, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { invalid } from "./errors.js";

/**
 * The list conventions every endpoint shares:
 *   ?limit=50&cursor=…&sort=-createdAt&filter=status:eq:active&filter=createdAt:gte:2026-01-01&q=…
 * Keyset (cursor) pagination on the sort field plus the id, so pages stay
 * stable and fast at any depth.
 */
export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
  sort: z.string().max(100).optional(),
  filter: z
    .union([z.string().max(500), z.array(z.string().max(500)).max(20)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  q: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

type FieldType = "text" | "number" | "date" | "uuid" | "enum" | "boolean";

export interface FieldSpec {
  column: AnyPgColumn | SQL;
  type: FieldType;
  sort?: boolean;
  filter?: boolean;
  values?: readonly string[];
  /** The column is an array: eq means "contains the value", in "contains any of them". */
  array?: boolean;
  /** The column may be NULL: it sorts last in both directions, and cursors handle it. */
  nullable?: boolean;
  /** How to read the sort value from a fetched row, when it is not the property of the field's name. */
  value?: (row: Record<string, unknown>) => unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `column = any($1::uuid[])`: one array parameter instead of an IN list of
 * many, so PostgreSQL parses and plans the statement the same way whatever
 * the page size (an IN list of 50 parameters costs ~1 ms of planning).
 */
export function anyUuid(column: AnyPgColumn | SQL, ids: readonly string[]): SQL {
  for (const id of ids) if (!UUID.test(id)) throw invalid("errors.validation", {}, { reason: "bad_id" });
  return sql`${column} = any(${`{${ids.join(",")}}`}::uuid[])`;
}

/**
 * A text[] parameter. (Drizzle spreads a JS array in sql`` into a list of
 * parameters, so arrays go over as one PostgreSQL array literal.)
 */
export function textArray(values: readonly string[]): SQL {
  const literal = `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => "\\" + c)}"`).join(",")}}`;
  return sql`${literal}::text[]`;
}

/** Escapes LIKE wildcards so user text matches literally. */
export const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => "\\" + c);

const OPS = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "null"] as const;
type Op = (typeof OPS)[number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface BuiltList {
  where: SQL | undefined;
  orderBy: SQL[];
  /** One more than the page size: the extra row tells whether a next page exists. */
  fetch: number;
  page<T extends Record<string, unknown>>(rows: T[]): Page<T>;
}

/**
 * A cursor is untrusted input: it must name the current sort, carry an id of
 * the right kind and a value of the sort field's type, or it is refused (400).
 */
function decodeCursor(cursor: string, sortExpr: string, field: FieldSpec, idIsNumber: boolean): { v: unknown; id: string | number } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("errors.bad_cursor");
  }
  const c = decoded as { s?: unknown; v?: unknown; id?: unknown } | null;
  if (!c || typeof c !== "object" || c.s !== sortExpr) throw invalid("errors.bad_cursor");
  const idOk = idIsNumber ? Number.isSafeInteger(c.id) : typeof c.id === "string" && UUID.test(c.id);
  if (!idOk) throw invalid("errors.bad_cursor");
  if (c.v === null && field.nullable) return { v: null, id: c.id as string | number };
  let v: unknown = c.v;
  switch (field.type) {
    case "date": {
      const d = typeof c.v === "string" ? new Date(c.v) : null;
      if (!d || Number.isNaN(d.getTime())) throw invalid("errors.bad_cursor");
      v = d;
      break;
    }
    case "number":
      if (typeof c.v !== "number" || !Number.isFinite(c.v)) throw invalid("errors.bad_cursor");
      break;
    case "uuid":
      if (typeof c.v !== "string" || !UUID.test(c.v)) throw invalid("errors.bad_cursor");
      break;
    case "boolean":
      if (typeof c.v !== "boolean") throw invalid("errors.bad_cursor");
      break;
    default:
      if (typeof c.v !== "string" || c.v.includes("\u0000")) throw invalid("errors.bad_cursor");
  }
  return { v, id: c.id as string | number };
}

export function defineListing(spec: {
  fields: Record<string, FieldSpec>;
  defaultSort: string;
  id: AnyPgColumn;
  idKey?: string;
  /** The id column is a number (bigserial), not a uuid. */
  numericId?: boolean;
}) {
  const idKey = spec.idKey ?? "id";
  const idIsNumber = spec.numericId ?? false;

  function convert(field: string, f: FieldSpec, raw: string, original: string): unknown {
    const bad = () => invalid("errors.bad_filter", { filter: original }, { field });
    switch (f.type) {
      case "number": {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(n)) throw bad();
        return n;
      }
      case "date": {
        const d = new Date(raw);
        if (Number.isNaN(d.getTime())) throw bad();
        return d;
      }
      case "uuid":
        if (!UUID.test(raw)) throw bad();
        return raw.toLowerCase();
      case "boolean":
        if (raw !== "true" && raw !== "false") throw bad();
        return raw === "true";
      case "enum":
        if (f.values && !f.values.includes(raw)) throw bad();
        return raw;
      case "text":
        return raw;
    }
  }

  function filterSql(expr: string, fields: Record<string, FieldSpec>): SQL {
    const first = expr.indexOf(":");
    const second = first < 0 ? -1 : expr.indexOf(":", first + 1);
    const field = first < 0 ? expr : expr.slice(0, first);
    const op = (second < 0 ? expr.slice(first + 1) : expr.slice(first + 1, second)) as Op;
    const raw = second < 0 ? "" : expr.slice(second + 1);
    const f = fields[field];
    if (!f?.filter || first < 0 || !OPS.includes(op)) throw invalid("errors.bad_filter", { filter: expr }, { field });
    const col = f.column;
    if (f.array) {
      if (op === "eq") return sql`${convert(field, f, raw, expr)} = any(${col})`;
      if (op === "in") {
        const values = raw.split("|").map((v) => String(convert(field, f, v, expr)));
        if (values.length === 0 || values.length > 100) throw invalid("errors.bad_filter", { filter: expr });
        return sql`${col} && ${textArray(values)}`;
      }
      throw invalid("errors.bad_filter", { filter: expr }, { field });
    }
    switch (op) {
      case "null":
        return raw === "false" ? sql`${col} is not null` : sql`${col} is null`;
      case "in": {
        const values = raw.split("|").map((v) => convert(field, f, v, expr));
        if (values.length === 0 || values.length > 100) throw invalid("errors.bad_filter", { filter: expr });
        return sql`${col} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
      }
      case "contains":
        if (f.type !== "text") throw invalid("errors.bad_filter", { filter: expr }, { field });
        return sql`${col} ilike ${"%" + likeEscape(raw) + "%"}`;
      default: {
        const v = convert(field, f, raw, expr);
        const cmp = { eq: sql`=`, ne: sql`<>`, lt: sql`<`, lte: sql`<=`, gt: sql`>`, gte: sql`>=` }[op];
        return sql`${col} ${cmp} ${v}`;
      }
    }
  }

  return {
    fields: spec.fields,
    /** The WHERE of filter expressions alone (rules that reuse the list filter syntax). */
    where(filters: string[], dynamic: Record<string, FieldSpec> = {}): SQL | undefined {
      const fields = { ...dynamic, ...spec.fields };
      return and(...filters.map((f) => filterSql(f, fields)));
    },
    /** `dynamic`: fields known only at run time (a workspace's custom fields), by name. */
    build(query: ListQuery, extra: (SQL | undefined)[] = [], dynamic: Record<string, FieldSpec> = {}): BuiltList {
      const fields = { ...dynamic, ...spec.fields };
      const sortExpr = query.sort ?? spec.defaultSort;
      const desc = sortExpr.startsWith("-");
      const sortField = desc ? sortExpr.slice(1) : sortExpr;
      const sf = fields[sortField];
      if (!sf?.sort) throw invalid("errors.bad_sort", { field: sortField });
      const conditions: (SQL | undefined)[] = [...extra, ...query.filter.map((f) => filterSql(f, fields))];

      if (query.cursor) {
        const value = decodeCursor(query.cursor, sortExpr, sf, idIsNumber);
        const cmp = desc ? sql`<` : sql`>`;
        if (!sf.nullable) conditions.push(sql`(${sf.column}, ${spec.id}) ${cmp} (${value.v}, ${value.id})`);
        // Nulls come last either way: after a null only nulls follow (by id); after a value, nulls too.
        else if (value.v === null) conditions.push(sql`(${sf.column} is null and ${spec.id} ${cmp} ${value.id})`);
        else conditions.push(sql`((${sf.column}, ${spec.id}) ${cmp} (${value.v}, ${value.id}) or ${sf.column} is null)`);
      }
      const dir = desc ? sql`desc` : sql`asc`;
      return {
        where: and(...conditions.filter((c): c is SQL => c !== undefined)),
        orderBy: [sf.nullable ? sql`${sf.column} ${dir} nulls last` : sql`${sf.column} ${dir}`, sql`${spec.id} ${dir}`],
        fetch: query.limit + 1,
        page<T extends Record<string, unknown>>(rows: T[]): Page<T> {
          const items = rows.slice(0, query.limit);
          const last = items[items.length - 1];
          if (rows.length <= query.limit || !last) return { items, nextCursor: null };
          const v = sf.value ? sf.value(last) : last[sortField];
          const cursor = { s: sortExpr, v: v instanceof Date ? v.toISOString() : v, id: last[idKey] };
          return { items, nextCursor: Buffer.from(JSON.stringify(cursor)).toString("base64url") };
        },
      };
    },
  };
}
