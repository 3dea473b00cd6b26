/**
 * The records an export writes, page by page, read as the user who asked.
 *
 * Customers come from the list service itself (findCustomers), the next page
 * read while this one is written. Contacts, the lists that get large (a
 * million on the bench tenant), are read by the export's own statement with
 * the list's listing, conditions, keyset cursor and masking (contactListing,
 * contactVisible, maskInPool, as findContacts applies them; exports.test.ts
 * checks that the two agree), but:
 *   - only the fields the export's columns read (ExportColumn.reads), and of
 *     each contact's customers only their names, looked up per row in the same
 *     statement (two index probes; a `contact_id = any(ids)` lookup of a page
 *     is planned as a scan of every link once the page is large);
 *   - rows as arrays handed to the writer as they arrive from the server
 *     (node-postgres' row events), without the ORM's per-row mapping: the
 *     writer formats a row while PostgreSQL produces the next ones, and a row
 *     is garbage once formatted (the writer holds at most a chunk of text).
 */
import { isNull, sql, type SQL } from "drizzle-orm";
import { PgDialect, type AnyPgColumn } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import type { ListQuery, Page } from "../../lib/listing.js";
import { contactListing } from "../customers/contacts.js";
import { listingFieldsFor } from "../customers/custom-fields.js";
import { countCustomers, findCustomers, type CustomerView } from "../customers/customers.js";
import { contactVisible } from "../customers/policy.js";
import { maskEmail, maskInPool, maskPhone } from "../customers/pool.js";
import { contacts } from "../customers/schema.js";
import { searchCondition } from "../customers/search.js";
import type { ExportContact, ExportObject } from "./export-columns.js";

/** One page: its records go to `onRecord` in list order; resolves with how many there were and the cursor after them. */
export type PageReader<T> = (after: string | undefined, onRecord: (record: T) => void) => Promise<{ count: number; nextCursor: string | null }>;

/** The list query of an export page. */
export const listQuery = (q: { filter: string[]; sort?: string; q?: string }, limit: number, cursor?: string): ListQuery => ({ filter: q.filter, sort: q.sort, q: q.q, limit, cursor });

/**
 * The conditions of the contacts list (contacts.ts findContacts): not deleted,
 * visible to the user, matching the search. Shared by the count and the page
 * reader below.
 */
function contactConditions(ctx: Ctx, q: string | undefined) {
  const plan = q ? searchCondition(q) : null;
  return [
    isNull(contacts.deletedAt),
    contactVisible(ctx, contacts.ownerId, contacts.id),
    q
      ? plan
        ? sql`${contacts.id} in (select search_documents.object_id from search_documents where search_documents.object_type = 'contact' and not search_documents.deleted and ${plan})`
        : sql`false`
      : undefined,
  ];
}

/** How many records the query matches, for the progress bar (the same conditions as the list). */
export async function countMatches(ctx: Ctx, objectType: ExportObject, query: { filter: string[]; q?: string }): Promise<number> {
  const list = listQuery(query, 1);
  if (objectType === "customer") return (await countCustomers(ctx, list, "kind")).reduce((n, g) => n + g.count, 0);
  return readTenant(ctx, async (tx) => {
    const built = contactListing.build({ ...list, sort: undefined }, contactConditions(ctx, query.q), await listingFieldsFor(tx, "contact", contacts.custom));
    const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(contacts).where(built.where);
    return r?.n ?? 0;
  });
}

/** Customers through the list service, the next page read while the caller writes this one. */
export function customerPages(ctx: Ctx, query: { filter: string[]; sort?: string; q?: string }, pageSize: number): PageReader<CustomerView> {
  let ahead: { after: string; page: Promise<Page<CustomerView>> } | null = null;
  const read = (after: string | undefined) => findCustomers(ctx, listQuery(query, pageSize, after));
  return async (after, onRecord) => {
    const page = await (ahead && ahead.after === after ? ahead.page : read(after));
    ahead = page.nextCursor ? { after: page.nextCursor, page: read(page.nextCursor) } : null;
    // A read ahead that fails is reported to whoever awaits it (the next call), not as an unhandled rejection.
    ahead?.page.catch(() => undefined);
    for (const r of page.items) onRecord(r);
    return { count: page.items.length, nextCursor: page.nextCursor };
  };
}

/** The contact fields an export can read, as columns (`customers` and `contactDetailsMasked` are made below). */
const CONTACT_FIELDS = {
  id: contacts.id,
  name: contacts.name,
  gender: contacts.gender,
  title: contacts.title,
  department: contacts.department,
  birthday: contacts.birthday,
  wechat: contacts.wechat,
  phones: contacts.phones,
  emails: contacts.emails,
  notes: contacts.notes,
  ownerId: contacts.ownerId,
  tags: contacts.tags,
  custom: contacts.custom,
  isSelf: contacts.isSelf,
  mergedInto: contacts.mergedInto,
  deletedAt: contacts.deletedAt,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  version: contacts.version,
} satisfies Record<string, AnyPgColumn>;

/**
 * Each contact's customers (not deleted), their names in name order, as
 * findContacts lists them. An array() sublink: a little cheaper per row for
 * the server than json_agg, which matters a million times.
 */
const CUSTOMER_NAMES = sql`array(select c.name
  from customer_contacts l join customers c on c.tenant_id = l.tenant_id and c.id = l.customer_id
  where l.tenant_id = ${contacts.tenantId} and l.contact_id = ${contacts.id} and c.deleted_at is null order by c.name)`;

/**
 * The fields to select for `reads`: always the id and owner (masking), and
 * every field a sort can name, so the page's last record yields the list's
 * cursor (listing.page reads the sort field from it).
 */
export function contactSelection(reads: readonly string[], sort: string | undefined): string[] {
  const wanted = new Set(["id", "ownerId"]);
  for (const [key, field] of Object.entries(contactListing.fields)) if (field.sort) wanted.add(key);
  if (sort?.replace(/^-/, "").startsWith("custom.")) wanted.add("custom");
  for (const key of reads) wanted.add(key);
  wanted.delete("contactDetailsMasked");
  for (const key of wanted) if (key !== "customers" && !(key in CONTACT_FIELDS)) throw new Error(`exports cannot read contact field ${key}`);
  return [...wanted];
}

/** The number written from `from` to `to` (decimal digits only), else -1. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * timestamptz as PostgreSQL writes it (DateStyle ISO: `2026-11-23 04:27:14.725+00`),
 * parsed by hand: a contact has two and a page 5,000 contacts. Anything else
 * (another DateStyle, an offset with seconds, BC, infinity) is read as the
 * ORM reads it, by `new Date(text)`, which the fast path agrees with.
 */
export function parseTimestamptz(text: string): Date {
  const year = digitsAt(text, 0, 4);
  if (year < 1000 || text[4] !== "-" || text[7] !== "-" || text[10] !== " " || text[13] !== ":" || text[16] !== ":") return new Date(text);
  let i = 19;
  let ms = 0;
  if (text[i] === ".") {
    // Milliseconds; further digits are cut, as Date's parser cuts them.
    const from = ++i;
    for (let scale = 100; i < text.length; i++, scale /= 10) {
      const d = text.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) break;
      if (scale >= 1) ms += d * scale;
    }
    if (i === from) return new Date(text);
  }
  const sign = text[i] === "+" ? 1 : text[i] === "-" ? -1 : 0;
  const tail = text.length - i;
  const offHours = digitsAt(text, i + 1, i + 3);
  const offMinutes = tail === 6 && text[i + 3] === ":" ? digitsAt(text, i + 4, i + 6) : tail === 3 ? 0 : -1;
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  if (!sign || offHours < 0 || offMinutes < 0 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) return new Date(text);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - sign * (offHours * 60 + offMinutes) * 60_000);
}

/** How the page statement's values arrive: dates as the ORM gives them (timestamps as Date, days as yyyy-mm-dd), the rest as node-postgres parses them. */
const TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.TIMESTAMPTZ) return parseTimestamptz;
    if (oid === pg.types.builtins.DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

const dialect = new PgDialect();

/**
 * Runs one statement on the transaction's connection (drizzle keeps its
 * driver client as `$client`), each row to `onRow` as it is parsed; none is
 * kept. An error thrown by `onRow` ends the query's use of the rows and is
 * the statement's outcome once the server is done with it.
 */
function streamRows(tx: Tx, statement: SQL, onRow: (row: unknown[]) => void): Promise<void> {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  const client = (tx as unknown as { $client: pg.PoolClient }).$client;
  return new Promise((resolve, reject) => {
    const query = new pg.Query<unknown[]>({ text, values: params, rowMode: "array", types: TYPES } as pg.QueryConfig);
    let failed: { err: unknown } | null = null;
    query.on("row", (row) => {
      if (failed) return;
      try {
        onRow(row);
      } catch (err) {
        failed = { err };
      }
    });
    query.on("error", reject);
    query.on("end", () => (failed ? reject(failed.err) : resolve()));
    client.query(query);
  });
}

type Field = keyof typeof CONTACT_FIELDS | "customers";
/** Where each field is in a row of the page statement (-1: not selected). */
type Positions = Record<Field, number>;

const at = (row: unknown[], i: number) => (i < 0 ? undefined : row[i]);

/** A contact's customers as the columns read them (`{ name }` each). */
function customerNames(names: string[]): { name: string }[] {
  const out: { name: string }[] = [];
  for (let i = 0; i < names.length; i++) out.push({ name: names[i]! });
  return out;
}

/**
 * A row of the page statement as the list presents the contact: masked in the
 * pool as findContacts masks it. Built as one literal (every record the same
 * shape, cheap to make a million times); fields not selected stay undefined.
 */
function contactRecord(ctx: Ctx, row: unknown[], p: Positions): ExportContact {
  const ownerId = at(row, p.ownerId) as string | null;
  const masked = maskInPool(ctx, ownerId);
  let phones = at(row, p.phones) as ExportContact["phones"] | undefined;
  let emails = at(row, p.emails) as ExportContact["emails"] | undefined;
  if (masked && phones) phones = phones.map((x) => ({ ...x, number: maskPhone(x.number) }));
  if (masked && emails) emails = emails.map((x) => ({ ...x, address: maskEmail(x.address) }));
  const record: { [K in keyof ExportContact]: unknown } = {
    id: at(row, p.id),
    name: at(row, p.name),
    gender: at(row, p.gender),
    title: at(row, p.title),
    department: at(row, p.department),
    birthday: at(row, p.birthday),
    wechat: at(row, p.wechat),
    phones,
    emails,
    notes: at(row, p.notes),
    ownerId,
    tags: at(row, p.tags),
    custom: at(row, p.custom),
    isSelf: at(row, p.isSelf),
    mergedInto: at(row, p.mergedInto),
    deletedAt: at(row, p.deletedAt),
    createdAt: at(row, p.createdAt),
    updatedAt: at(row, p.updatedAt),
    version: at(row, p.version),
    customers: p.customers < 0 ? undefined : customerNames(row[p.customers] as string[]),
    contactDetailsMasked: masked,
  };
  return record as ExportContact;
}

/**
 * Contacts as the list presents them (see the file's comment), holding the
 * fields `reads` names (and the few every page needs), no others.
 */
export function contactPages(ctx: Ctx, query: { filter: string[]; sort?: string; q?: string }, pageSize: number, reads: readonly string[]): PageReader<ExportContact> {
  const fields = contactSelection(reads, query.sort);
  const columns = fields.map((key) => (key === "customers" ? CUSTOMER_NAMES : sql`${CONTACT_FIELDS[key as keyof typeof CONTACT_FIELDS]}`));
  const positions = Object.fromEntries([...Object.keys(CONTACT_FIELDS), "customers"].map((key) => [key, fields.indexOf(key)])) as Positions;
  return async (after, onRecord) => {
    requireAccess(ctx, "contact:read");
    return readTenant(ctx, async (tx) => {
      const customFields = await listingFieldsFor(tx, "contact", contacts.custom);
      const list = contactListing.build(listQuery(query, pageSize, after), contactConditions(ctx, query.q), customFields);
      let count = 0;
      let last: ExportContact | null = null;
      let more = false;
      const statement = sql`select ${sql.join(columns, sql`, `)} from ${contacts} where ${list.where} order by ${sql.join(list.orderBy, sql`, `)} limit ${list.fetch}`;
      await streamRows(tx, statement, (row) => {
        // The row after the page's last only tells that another page follows.
        if (count === pageSize) {
          more = true;
          return;
        }
        const record = contactRecord(ctx, row, positions);
        count++;
        last = record;
        onRecord(record);
      });
      // The list's own cursor after the last record: a page of one whose fetch found a second.
      const nextCursor = more && last ? contactListing.build(listQuery(query, 1, after), [], customFields).page([last, last]).nextCursor : null;
      return { count, nextCursor };
    });
  };
}
