import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, inTenantOr, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { memberships } from "../workspaces/schema.js";
import type { ContactCreate, ContactUpdate } from "./contracts.js";
import { contactVisible, customerVisible } from "./policy.js";
import { maskEmail, maskInPool, maskPhone } from "./pool.js";
import { guardDuplicates, markIndexDeleted, phoneDigits, writeContactPoints, writeIndex, type IndexDoc } from "./records.js";
import { contacts, customerContacts, customers } from "./schema.js";
import { searchCondition } from "./search.js";
import { applyCustomValues, listingFieldsFor } from "./custom-fields.js";
import { normalisePersonName } from "./text.js";

type Row = typeof contacts.$inferSelect;
type Link = { customerId: string; name: string; code: string; role: "decision_maker" | "influencer" | "user" | "other"; isPrimary: boolean };

export type ContactView = Omit<Row, "tenantId" | "nameKey" | "createdBy" | "deletedBy"> & { customers: Link[]; contactDetailsMasked: boolean };

/** A contact without owner belongs to a pool customer: its phones and e-mails are masked until claimed. */
const present = (ctx: Ctx, row: Row, links: Link[]): ContactView => {
  const { tenantId: _t, nameKey: _k, createdBy: _cb, deletedBy: _db, ...rest } = row;
  const masked = maskInPool(ctx, row.ownerId);
  return {
    ...rest,
    phones: masked ? row.phones.map((p) => ({ ...p, number: maskPhone(p.number) })) : row.phones,
    emails: masked ? row.emails.map((e) => ({ ...e, address: maskEmail(e.address) })) : row.emails,
    contactDetailsMasked: masked,
    customers: links,
  };
};

const visible = (ctx: Ctx) => contactVisible(ctx, contacts.ownerId, contacts.id);

async function linksOf(tx: Tx, ids: string[]): Promise<Map<string, Link[]>> {
  const map = new Map<string, Link[]>(ids.map((id) => [id, []]));
  if (!ids.length) return map;
  const rows = await tx
    .select({ contactId: customerContacts.contactId, customerId: customers.id, name: customers.name, code: customers.code, role: customerContacts.role, isPrimary: customerContacts.isPrimary })
    .from(customerContacts)
    .innerJoin(customers, and(eq(customers.tenantId, customerContacts.tenantId), eq(customers.id, customerContacts.customerId)))
    .where(and(anyUuid(customerContacts.contactId, ids), isNull(customers.deletedAt)))
    .orderBy(asc(customers.name));
  for (const { contactId, ...link } of rows) map.get(contactId)?.push(link);
  return map;
}

export const contactListing = defineListing({
  id: contacts.id,
  defaultSort: "-updatedAt",
  fields: {
    name: { column: contacts.name, type: "text", sort: true, filter: true },
    title: { column: contacts.title, type: "text", filter: true },
    department: { column: contacts.department, type: "text", filter: true },
    ownerId: { column: contacts.ownerId, type: "uuid", filter: true },
    customerId: { column: sql`array(select l.customer_id from customer_contacts l where l.contact_id = ${contacts.id})`, type: "uuid", filter: true, array: true },
    tag: { column: contacts.tags, type: "text", filter: true, array: true },
    createdAt: { column: contacts.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: contacts.updatedAt, type: "date", sort: true, filter: true },
    deletedAt: { column: contacts.deletedAt, type: "date", sort: true, nullable: true },
  },
});

export async function findContacts(ctx: Ctx, query: ListQuery, opts: { deleted?: boolean } = {}): Promise<Page<ContactView>> {
  requireAccess(ctx, opts.deleted ? "customer:restore" : "contact:read");
  const plan = query.q ? searchCondition(query.q) : null;
  const conditions = [
    opts.deleted ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt),
    // Merged records are gone for good (undone through their merge, not restored from the trash).
    opts.deleted ? isNull(contacts.mergedInto) : undefined,
    visible(ctx),
    query.q
      ? plan
        ? sql`${contacts.id} in (select search_documents.object_id from search_documents where search_documents.object_type = 'contact' and not search_documents.deleted and ${plan})`
        : sql`false`
      : undefined,
  ];
  return readTenant(ctx, async (tx) => {
    const list = contactListing.build(query, conditions, await listingFieldsFor(tx, "contact", contacts.custom));
    const rows = await tx.select().from(contacts).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    const links = await linksOf(
      tx,
      page.items.map((r) => r.id),
    );
    return { ...page, items: page.items.map((r) => present(ctx, r, links.get(r.id) ?? [])) };
  });
}

async function loadVisible(ctx: Ctx, tx: Tx, id: string, deleted: boolean, lock = false): Promise<Row> {
  const q = tx.select().from(contacts).where(and(eq(contacts.id, id), visible(ctx), deleted ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt)));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound("contact");
  return row;
}

/** Where a merged-away contact id lives on: its survivor, if the actor may open it (see customerSurvivor). */
export async function contactSurvivor(ctx: Ctx, id: string): Promise<string | null> {
  requireAccess(ctx, "contact:read");
  return readTenant(ctx, async (tx) => {
    let current = id;
    for (let hop = 0; hop < 10; hop++) {
      const [row] = await tx.select({ mergedInto: contacts.mergedInto, deletedAt: contacts.deletedAt }).from(contacts).where(eq(contacts.id, current));
      if (!row) return null;
      if (!row.mergedInto) {
        if (current === id || row.deletedAt) return null;
        const [seen] = await tx.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, current), visible(ctx)));
        return seen ? current : null;
      }
      current = row.mergedInto;
    }
    return null;
  });
}

export async function getContact(ctx: Ctx, id: string): Promise<ContactView> {
  requireAccess(ctx, "contact:read");
  return readTenant(ctx, async (tx) => present(ctx, await loadVisible(ctx, tx, id, false), (await linksOf(tx, [id])).get(id) ?? []));
}

/** Links to customers the actor can see (a contact cannot be attached to a customer one may not open). */
async function setLinks(ctx: Ctx, tx: Tx, contactId: string, links: NonNullable<ContactCreate["customers"]>) {
  const unique = [...new Map(links.map((l) => [l.customerId, l])).values()];
  if (unique.length) {
    const found = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(anyUuid(customers.id, unique.map((l) => l.customerId)), isNull(customers.deletedAt), customerVisible(ctx)));
    if (found.length !== unique.length) throw invalid("errors.not_found", { object: "customer" }, { field: "customers" });
  }
  await tx.delete(customerContacts).where(eq(customerContacts.contactId, contactId));
  if (unique.length) {
    await tx.insert(customerContacts).values(unique.map((l) => ({ tenantId: ctx.tenantId, contactId, customerId: l.customerId, role: l.role, isPrimary: l.isPrimary })));
  }
}

async function checkOwner(tx: Tx, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [m] = await tx.select({ id: memberships.userId }).from(memberships).where(eq(memberships.userId, ownerId));
  if (!m) throw invalid("errors.not_found", { object: "user" }, { field: "ownerId" });
}


/** A contact's name alone is too common to call a duplicate: phones and e-mails are compared. */
const contactProbe = (row: Pick<Row, "phones" | "emails">, excludeId?: string) => ({
  objectType: "contact" as const,
  phones: row.phones.map((p) => p.number),
  emails: row.emails.map((e) => e.address),
  excludeId,
});

/** What the search index holds of a contact; `links` are its customers, by name (bench/generate.ts writes the same rows in bulk). */
export function contactIndexDoc(
  row: Pick<Row, "id" | "ownerId" | "name" | "title" | "department" | "wechat" | "tags" | "phones" | "emails" | "deletedAt" | "isSelf">,
  links: Pick<Link, "name">[],
): IndexDoc {
  return {
    objectType: "contact",
    objectId: row.id,
    ownerId: row.ownerId,
    title: row.name,
    subtitle: links.map((l) => l.name).join(" · ") || row.title,
    deleted: row.deletedAt !== null || row.isSelf,
    source: { names: [row.name], words: [row.title, row.department, row.wechat, ...row.tags], phones: phoneDigits(row.phones), emails: row.emails.map((e) => e.address) },
  };
}

async function reindex(tx: Tx, ctx: Ctx, row: Row, links: Link[]) {
  await writeIndex(tx, ctx.tenantId, contactIndexDoc(row, links));
  await writeContactPoints(tx, ctx.tenantId, "contact", row.id, row.phones, row.emails);
}

function columnsOf(input: ContactUpdate): Partial<typeof contacts.$inferInsert> {
  const out: Partial<typeof contacts.$inferInsert> = {};
  for (const key of ["name", "gender", "title", "department", "birthday", "wechat", "phones", "emails", "notes", "ownerId"] as const) {
    if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
  }
  if (input.tags !== undefined) out.tags = [...new Set(input.tags)];
  if (input.name !== undefined) out.nameKey = normalisePersonName(input.name);
  return out;
}

export async function createContact(ctx: Ctx, input: ContactCreate, outer?: Tx): Promise<ContactView> {
  requireAccess(ctx, "contact:create");
  return inTenantOr(ctx, outer, async (tx) => {
    const ownerId = input.ownerId === undefined ? ctx.userId : input.ownerId;
    await checkOwner(tx, ownerId);
    const custom = await applyCustomValues(tx, "contact", input.custom, {}, true);
    await guardDuplicates(tx, contactProbe({ phones: input.phones ?? [], emails: input.emails ?? [] }), input.allowDuplicate);
    const [row] = await tx
      .insert(contacts)
      .values({ ...(columnsOf(input) as typeof contacts.$inferInsert), custom, ownerId, tenantId: ctx.tenantId, createdBy: ctx.userId })
      .returning();
    if (input.customers) await setLinks(ctx, tx, row!.id, input.customers);
    const links = (await linksOf(tx, [row!.id])).get(row!.id) ?? [];
    await reindex(tx, ctx, row!, links);
    const view = present(ctx, row!, links);
    await recordEvent(tx, ctx, { action: "contact.created", objectType: "contact", objectId: row!.id, after: { ...view } });
    return view;
  });
}

export async function updateContact(ctx: Ctx, id: string, version: ExpectedVersion, input: ContactUpdate, outer?: Tx): Promise<ContactView> {
  requireAccess(ctx, "contact:update");
  return inTenantOr(ctx, outer, async (tx) => {
    const current = checkVersion(await loadVisible(ctx, tx, id, false, true), version, "contact");
    // An individual customer's own contact is edited through the customer.
    if (current.isSelf) throw conflict("errors.self_contact", { field: "id" });
    const before = present(ctx, current, (await linksOf(tx, [id])).get(id) ?? []);
    if (input.ownerId !== undefined) await checkOwner(tx, input.ownerId);
    const values = columnsOf(input);
    if (input.custom !== undefined) values.custom = await applyCustomValues(tx, "contact", input.custom, current.custom, false);
    if (input.phones !== undefined || input.emails !== undefined) await guardDuplicates(tx, contactProbe({ ...current, ...values } as Row, id), input.allowDuplicate);
    const [row] = await tx.update(contacts).set({ ...values, version: current.version + 1, updatedAt: new Date() }).where(eq(contacts.id, id)).returning();
    if (input.customers) await setLinks(ctx, tx, id, input.customers);
    const links = (await linksOf(tx, [id])).get(id) ?? [];
    await reindex(tx, ctx, row!, links);
    const after = present(ctx, row!, links);
    await recordEvent(tx, ctx, { action: "contact.updated", objectType: "contact", objectId: id, before: { ...before }, after: { ...after } });
    return after;
  });
}

export async function deleteContact(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "contact:delete");
  await inTenant(ctx, async (tx) => {
    const current = await loadVisible(ctx, tx, id, false, true);
    if (current.isSelf) throw conflict("errors.self_contact", { field: "id" });
    const now = new Date();
    await tx.update(contacts).set({ deletedAt: now, deletedBy: ctx.userId, updatedAt: now, version: current.version + 1 }).where(eq(contacts.id, id));
    await markIndexDeleted(tx, "contact", id, true);
    await recordEvent(tx, ctx, { action: "contact.deleted", objectType: "contact", objectId: id, before: { deletedAt: null }, after: { deletedAt: now } });
  });
}

export async function restoreContact(ctx: Ctx, id: string): Promise<ContactView> {
  requireAccess(ctx, "customer:restore");
  return inTenant(ctx, async (tx) => {
    const current = await loadVisible(ctx, tx, id, true, true);
    if (current.mergedInto) throw notFound("contact");
    const [row] = await tx.update(contacts).set({ deletedAt: null, deletedBy: null, updatedAt: new Date(), version: current.version + 1 }).where(eq(contacts.id, id)).returning();
    await markIndexDeleted(tx, "contact", id, false);
    await recordEvent(tx, ctx, { action: "contact.restored", objectType: "contact", objectId: id, before: { deletedAt: current.deletedAt }, after: { deletedAt: null } });
    return present(ctx, row!, (await linksOf(tx, [id])).get(id) ?? []);
  });
}
