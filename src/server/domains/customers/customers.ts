import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { inTenant, inTenantOr, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { memberships, teams } from "../workspaces/schema.js";
import type { CustomerCreate, CustomerUpdate } from "./contracts.js";
import { nextCustomerCode } from "./settings.js";
import { customerVisible } from "./policy.js";
import { defaultPool, maskEmail, maskInPool, maskPhone, ownerChange } from "./pool.js";
import { searchCondition } from "./search.js";
import { guardDuplicates, markIndexDeleted, phoneDigits, writeContactPoints, writeIndex, type IndexDoc } from "./records.js";
import { contacts, customerAddresses, customerCollaborators, customerContacts, customers } from "./schema.js";
import { normaliseCompanyName, normalisePersonName } from "./text.js";
import { applyCustomValues, listingFieldsFor } from "./custom-fields.js";
import { regrade } from "./grading.js";
import { checkRegion, parseAddress } from "./regions.js";
import { Solar } from "lunar-typescript";

type Row = typeof customers.$inferSelect;
type AddressRow = typeof customerAddresses.$inferSelect;

export interface CustomerView {
  id: string;
  custom: Record<string, unknown>;
  poolId: string | null;
  ownedSince: Date | null;
  lastFollowUpAt: Date | null;
  lastDealAt: Date | null;
  contactDetailsMasked: boolean;
  code: string;
  kind: Row["kind"];
  name: string;
  shortName: string;
  type: string;
  source: string;
  ownerId: string | null;
  teamId: string | null;
  collaboratorIds: string[];
  status: Row["status"];
  lifecycleStage: Row["lifecycleStage"];
  grade: Row["grade"];
  gradeManual: boolean;
  industry: string;
  companySize: Row["companySize"];
  cooperationSince: string | null;
  cooperationYears: number | null;
  website: string;
  remarks: string;
  phones: Row["phones"];
  emails: Row["emails"];
  tags: string[];
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  address: string;
  addresses: Omit<AddressRow, "tenantId" | "customerId" | "position">[];
  creditCode: string | null;
  taxRules: string;
  currency: string;
  discountTerms: string;
  paymentTerms: string;
  creditLimit: string | null;
  salesLimit: string | null;
  creditRating: string;
  commissionCode: string;
  invoiceRecipient: string;
  bankName: string;
  bankAccount: string | null;
  bankAccountMasked: boolean;
  analysis: Row["analysis"];
  gender: Row["gender"];
  birthday: string | null;
  lunarBirthday: { month: number; day: number } | null;
  ageBand: string;
  incomeBand: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  version: number;
}

/** Whole years from a date (yyyy-mm-dd) to today. */
export function yearsSince(date: string | null, today = new Date()): number | null {
  if (!date) return null;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  let years = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) years--;
  return Math.max(0, years);
}

const mask = (last4: string | null) => (last4 ? `•••• ${last4}` : null);

function present(ctx: Ctx, row: Row, addresses: AddressRow[], collaboratorIds: string[], reveal = can(ctx, "customer:view_bank")): CustomerView {
  const {
    tenantId: _t,
    nameKey: _k,
    bankAccountCipher,
    bankAccountLast4,
    lunarBirthMonth,
    lunarBirthDay,
    deletedBy: _d,
    reclaimWarnedAt: _w,
    ...rest
  } = row;
  const masked = maskInPool(ctx, row.ownerId);
  return {
    ...rest,
    phones: masked ? row.phones.map((p) => ({ ...p, number: maskPhone(p.number) })) : row.phones,
    emails: masked ? row.emails.map((e) => ({ ...e, address: maskEmail(e.address) })) : row.emails,
    contactDetailsMasked: masked,
    cooperationYears: yearsSince(row.cooperationSince),
    collaboratorIds: [...collaboratorIds].sort(),
    addresses: addresses
      .sort((a, b) => a.position - b.position)
      .map(({ tenantId: _a, customerId: _b, position: _p, ...a }) => a),
    bankAccount: bankAccountCipher ? (reveal ? ctx.services.cipher.decrypt(bankAccountCipher) : mask(bankAccountLast4)) : null,
    bankAccountMasked: Boolean(bankAccountCipher) && !reveal,
    lunarBirthday: lunarBirthMonth && lunarBirthDay ? { month: lunarBirthMonth, day: lunarBirthDay } : null,
  };
}

async function relatedOf(tx: Tx, ids: string[]) {
  const addresses = new Map<string, AddressRow[]>(ids.map((id) => [id, []]));
  const collaborators = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return { addresses, collaborators };
  const [addrRows, collabRows] = await Promise.all([
    tx.select().from(customerAddresses).where(anyUuid(customerAddresses.customerId, ids)),
    tx.select().from(customerCollaborators).where(anyUuid(customerCollaborators.customerId, ids)),
  ]);
  for (const a of addrRows) addresses.get(a.customerId)?.push(a);
  for (const c of collabRows) collaborators.get(c.customerId)?.push(c.userId);
  return { addresses, collaborators };
}

export const customerListing = defineListing({
  id: customers.id,
  defaultSort: "-updatedAt",
  fields: {
    name: { column: customers.name, type: "text", sort: true, filter: true },
    code: { column: customers.code, type: "text", sort: true, filter: true },
    kind: { column: customers.kind, type: "enum", filter: true, values: ["organization", "individual"] },
    status: { column: customers.status, type: "enum", filter: true, sort: true, values: ["active", "inactive", "blacklisted"] },
    lifecycleStage: { column: customers.lifecycleStage, type: "enum", filter: true, sort: true, values: ["prospect", "new", "repeat", "loyal", "at_risk", "churned"] },
    grade: { column: customers.grade, type: "enum", filter: true, sort: true, nullable: true, values: ["A", "B", "C"] },
    ownerId: { column: customers.ownerId, type: "uuid", filter: true },
    poolId: { column: customers.poolId, type: "uuid", filter: true },
    lastFollowUpAt: { column: customers.lastFollowUpAt, type: "date", filter: true, sort: true, nullable: true },
    teamId: { column: customers.teamId, type: "uuid", filter: true },
    industry: { column: customers.industry, type: "text", filter: true, sort: true },
    source: { column: customers.source, type: "text", filter: true },
    type: { column: customers.type, type: "text", filter: true },
    provinceCode: { column: customers.provinceCode, type: "text", filter: true },
    cityCode: { column: customers.cityCode, type: "text", filter: true },
    tag: { column: customers.tags, type: "text", filter: true, array: true },
    creditLimit: { column: customers.creditLimit, type: "number", filter: true, sort: true, nullable: true, value: (r) => (r.creditLimit === null ? null : Number(r.creditLimit)) },
    cooperationSince: { column: customers.cooperationSince, type: "text", filter: true, sort: true, nullable: true },
    createdAt: { column: customers.createdAt, type: "date", sort: true, filter: true },
    updatedAt: { column: customers.updatedAt, type: "date", sort: true, filter: true },
    deletedAt: { column: customers.deletedAt, type: "date", sort: true, nullable: true },
  },
});

export async function findCustomers(ctx: Ctx, query: ListQuery, opts: { deleted?: boolean; ids?: string[] } = {}): Promise<Page<CustomerView>> {
  requireAccess(ctx, opts.deleted ? "customer:restore" : "customer:read");
  const conditions = [
    opts.ids ? anyUuid(customers.id, opts.ids) : undefined,
    opts.deleted ? isNotNull(customers.deletedAt) : isNull(customers.deletedAt),
    // Merged records are gone for good (undone through their merge, not restored from the trash).
    opts.deleted ? isNull(customers.mergedInto) : undefined,
    customerVisible(ctx),
    query.q ? matchesSearch(ctx, query.q) : undefined,
  ];
  return readTenant(ctx, async (tx) => {
    const list = customerListing.build(query, conditions, await listingFieldsFor(tx, "customer", customers.custom));
    const rows = await tx.select().from(customers).where(list.where).orderBy(...list.orderBy).limit(list.fetch);
    const page = list.page(rows);
    const { addresses, collaborators } = await relatedOf(
      tx,
      page.items.map((r) => r.id),
    );
    return { ...page, items: page.items.map((r) => present(ctx, r, addresses.get(r.id) ?? [], collaborators.get(r.id) ?? [])) };
  });
}

export const GROUP_FIELDS = { lifecycleStage: customers.lifecycleStage, grade: customers.grade, status: customers.status, kind: customers.kind, ownerId: customers.ownerId } as const;

/** How many customers match a list query, per value of one field: kanban column headers, dashboards. */
export async function countCustomers(ctx: Ctx, query: ListQuery, groupBy: keyof typeof GROUP_FIELDS): Promise<{ value: string | null; count: number }[]> {
  requireAccess(ctx, "customer:read");
  const column = GROUP_FIELDS[groupBy];
  return readTenant(ctx, async (tx) => {
    const list = customerListing.build({ ...query, sort: undefined, cursor: undefined }, [isNull(customers.deletedAt), customerVisible(ctx), query.q ? matchesSearch(ctx, query.q) : undefined], await listingFieldsFor(tx, "customer", customers.custom));
    return tx
      .select({ value: sql<string | null>`${column}`, count: sql<number>`count(*)::int` })
      .from(customers)
      .where(list.where)
      .groupBy(column)
      .orderBy(column);
  });
}

/** `q` on a list: the record is among the search index's matches. */
function matchesSearch(_ctx: Ctx, q: string) {
  const plan = searchCondition(q);
  return plan ? sql`${customers.id} in (select search_documents.object_id from search_documents where search_documents.object_type = 'customer' and not search_documents.deleted and ${plan})` : sql`false`;
}

async function loadVisible(ctx: Ctx, tx: Tx, id: string, opts: { deleted?: boolean; lock?: boolean } = {}): Promise<Row> {
  const q = tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), customerVisible(ctx), opts.deleted === undefined ? undefined : opts.deleted ? isNotNull(customers.deletedAt) : isNull(customers.deletedAt)));
  const [row] = opts.lock ? await q.for("update") : await q;
  if (!row) throw notFound("customer");
  return row;
}

/**
 * Where a merged-away customer id lives on: its survivor (merges keep chains
 * one hop long; a few more are followed anyway), if the actor may open it.
 */
export async function customerSurvivor(ctx: Ctx, id: string): Promise<string | null> {
  requireAccess(ctx, "customer:read");
  return readTenant(ctx, async (tx) => {
    let current = id;
    for (let hop = 0; hop < 10; hop++) {
      const [row] = await tx.select({ mergedInto: customers.mergedInto, deletedAt: customers.deletedAt }).from(customers).where(eq(customers.id, current));
      if (!row) return null;
      if (!row.mergedInto) {
        if (current === id || row.deletedAt) return null;
        const [seen] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.id, current), customerVisible(ctx)));
        return seen ? current : null;
      }
      current = row.mergedInto;
    }
    return null;
  });
}

export interface CustomerDetail extends CustomerView {
  contacts: { contactId: string; name: string; title: string; role: "decision_maker" | "influencer" | "user" | "other"; isPrimary: boolean; phones: Row["phones"]; emails: Row["emails"] }[];
}

export async function getCustomer(ctx: Ctx, id: string): Promise<CustomerDetail> {
  requireAccess(ctx, "customer:read");
  return readTenant(ctx, async (tx) => {
    const row = await loadVisible(ctx, tx, id, { deleted: false });
    const { addresses, collaborators } = await relatedOf(tx, [id]);
    const links = await tx
      .select({
        contactId: contacts.id,
        name: contacts.name,
        title: contacts.title,
        role: customerContacts.role,
        isPrimary: customerContacts.isPrimary,
        phones: contacts.phones,
        emails: contacts.emails,
      })
      .from(customerContacts)
      .innerJoin(contacts, and(eq(contacts.tenantId, customerContacts.tenantId), eq(contacts.id, customerContacts.contactId)))
      .where(and(eq(customerContacts.customerId, id), isNull(contacts.deletedAt)))
      .orderBy(sql`${customerContacts.isPrimary} desc`, asc(contacts.name));
    const masked = maskInPool(ctx, row.ownerId);
    const shown = masked
      ? links.map((l) => ({ ...l, phones: l.phones.map((p) => ({ ...p, number: maskPhone(p.number) })), emails: l.emails.map((e) => ({ ...e, address: maskEmail(e.address) })) }))
      : links;
    return { ...present(ctx, row, addresses.get(id) ?? [], collaborators.get(id) ?? []), contacts: shown };
  });
}

async function checkMembers(tx: Tx, userIds: (string | null | undefined)[], field: string) {
  const ids = [...new Set(userIds.filter((u): u is string => Boolean(u)))];
  if (!ids.length) return;
  const found = await tx.select({ id: memberships.userId }).from(memberships).where(anyUuid(memberships.userId, ids));
  if (found.length !== ids.length) throw invalid("errors.not_found", { object: "user" }, { field });
}

async function checkTeam(tx: Tx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw invalid("errors.not_found", { object: "team" }, { field: "teamId" });
}

/** One default address per kind: the first marked, else the first of that kind. */
function addressRows(tenantId: string, customerId: string, input: NonNullable<CustomerCreate["addresses"]>) {
  const seenDefault = new Set<string>();
  const rows = input.map((given, position) => {
    const a = withRegions(given, given.detail, `addresses.${position}.provinceCode`);
    const isDefault = a.isDefault && !seenDefault.has(a.kind);
    if (isDefault) seenDefault.add(a.kind);
    return { tenantId, customerId, position, ...a, isDefault, provinceCode: a.provinceCode ?? null, cityCode: a.cityCode ?? null, districtCode: a.districtCode ?? null };
  });
  for (const r of rows) {
    if (!seenDefault.has(r.kind)) {
      r.isDefault = true;
      seenDefault.add(r.kind);
    }
  }
  return rows;
}

/** The duplicate check's key of a customer name: a company's without legal form and region, else a person's. */
export const customerNameKey = (name: string) => normaliseCompanyName(name) || normalisePersonName(name);

/**
 * Region codes must exist and nest; when an address comes without them they
 * are read from it (广东省深圳市南山区… → 44 / 4403 / 440305).
 */
function withRegions<T extends { provinceCode?: string | null; cityCode?: string | null; districtCode?: string | null }>(input: T, address: string | undefined, field: string): T {
  if (input.provinceCode === undefined && input.cityCode === undefined && input.districtCode === undefined && address) {
    const parsed = parseAddress(address);
    if (parsed.provinceCode) return { ...input, provinceCode: parsed.provinceCode, cityCode: parsed.cityCode, districtCode: parsed.districtCode };
    return input;
  }
  checkRegion(input.provinceCode, input.cityCode, input.districtCode, field);
  return input;
}

/** The parts of the input that map one to one on columns. */
function columnsOf(raw: CustomerUpdate, cipher: Ctx["services"]["cipher"]): Partial<typeof customers.$inferInsert> {
  const input = withRegions(raw, raw.address, "provinceCode");
  const out: Partial<typeof customers.$inferInsert> = {};
  const simple = [
    "kind", "name", "shortName", "type", "source", "ownerId", "teamId", "status", "lifecycleStage", "industry", "companySize",
    "cooperationSince", "website", "remarks", "phones", "emails", "provinceCode", "cityCode", "districtCode", "address", "taxRules",
    "currency", "discountTerms", "paymentTerms", "creditLimit", "salesLimit", "creditRating", "commissionCode", "invoiceRecipient",
    "bankName", "analysis", "gender", "birthday", "ageBand", "incomeBand",
  ] as const;
  for (const key of simple) if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
  if (input.tags !== undefined) out.tags = [...new Set(input.tags)];
  if (input.creditCode !== undefined) out.creditCode = input.creditCode || null;
  if (input.name !== undefined) out.nameKey = customerNameKey(input.name);
  if (input.grade !== undefined) {
    out.grade = input.grade;
    out.gradeManual = input.grade !== null;
  }
  if (input.bankAccount !== undefined) {
    out.bankAccountCipher = input.bankAccount ? cipher.encrypt(input.bankAccount) : null;
    out.bankAccountLast4 = input.bankAccount ? input.bankAccount.slice(-4) : null;
  }
  if (input.lunarBirthday !== undefined) {
    out.lunarBirthMonth = input.lunarBirthday?.month ?? null;
    out.lunarBirthDay = input.lunarBirthday?.day ?? null;
  } else if (input.birthday) {
    // Many celebrate the lunar birthday: derived from the solar date unless given (a leap month counts as its month).
    const [y, m, d] = input.birthday.split("-").map(Number) as [number, number, number];
    const lunar = Solar.fromYmd(y, m, d).getLunar();
    out.lunarBirthMonth = Math.abs(lunar.getMonth());
    out.lunarBirthDay = lunar.getDay();
  }
  return out;
}


const customerProbe = (row: Pick<Row, "name" | "creditCode" | "phones" | "emails">, excludeId?: string) => ({
  objectType: "customer" as const,
  name: row.name,
  creditCode: row.creditCode,
  phones: row.phones.map((p) => p.number),
  emails: row.emails.map((e) => e.address),
  excludeId,
});

/** The individual customer's own contact mirrors its name, phones, e-mails, gender and birthday. */
async function syncSelfContact(tx: Tx, ctx: Ctx, row: Row) {
  if (row.kind !== "individual") return;
  const [link] = await tx
    .select({ contactId: customerContacts.contactId })
    .from(customerContacts)
    .innerJoin(contacts, and(eq(contacts.tenantId, customerContacts.tenantId), eq(contacts.id, customerContacts.contactId)))
    .where(and(eq(customerContacts.customerId, row.id), eq(contacts.isSelf, true)));
  const values = {
    name: row.name,
    nameKey: normalisePersonName(row.name),
    phones: row.phones,
    emails: row.emails,
    gender: row.gender,
    birthday: row.birthday,
    ownerId: row.ownerId,
  };
  let contactId = link?.contactId;
  if (contactId) {
    await tx.update(contacts).set({ ...values, updatedAt: new Date(), version: sql`${contacts.version} + 1` }).where(eq(contacts.id, contactId));
  } else {
    const [c] = await tx.insert(contacts).values({ tenantId: ctx.tenantId, ...values, isSelf: true, createdBy: ctx.userId }).returning({ id: contacts.id });
    contactId = c!.id;
    await tx.insert(customerContacts).values({ tenantId: ctx.tenantId, customerId: row.id, contactId, role: "decision_maker", isPrimary: true });
  }
  await writeContactPoints(tx, ctx.tenantId, "contact", contactId, row.phones, row.emails);
}

/** What the search index holds of a customer (bench/generate.ts writes the same rows in bulk). */
export function customerIndexDoc(
  row: Pick<Row, "id" | "ownerId" | "name" | "shortName" | "code" | "creditCode" | "website" | "tags" | "phones" | "emails" | "deletedAt">,
): IndexDoc {
  return {
    objectType: "customer",
    objectId: row.id,
    ownerId: row.ownerId,
    title: row.name,
    subtitle: row.code,
    deleted: row.deletedAt !== null,
    source: {
      names: [row.name, row.shortName].filter(Boolean),
      words: [row.code, row.creditCode ?? "", row.website, ...row.tags],
      phones: phoneDigits(row.phones),
      emails: row.emails.map((e) => e.address),
    },
  };
}

async function reindex(tx: Tx, ctx: Ctx, row: Row) {
  await writeIndex(tx, ctx.tenantId, customerIndexDoc(row));
  await writeContactPoints(tx, ctx.tenantId, "customer", row.id, row.phones, row.emails);
}

export async function createCustomer(ctx: Ctx, input: CustomerCreate, outer?: Tx): Promise<CustomerView> {
  requireAccess(ctx, "customer:create");
  try {
    return await inTenantOr(ctx, outer, async (tx) => {
      const ownerId = input.ownerId === undefined ? ctx.userId : input.ownerId;
      await checkMembers(tx, [ownerId, ...(input.collaboratorIds ?? [])], "ownerId");
      await checkTeam(tx, input.teamId);
      const code = input.code ?? (await nextCustomerCode(tx, ctx.tenantId));
      // Created without an owner: straight into the default pool.
      const poolId = ownerId === null ? (await defaultPool(tx, ctx.tenantId)).id : null;
      const values = { ...columnsOf(input, ctx.services.cipher), ownerId, poolId, ownedSince: ownerId ? new Date() : null, code, tenantId: ctx.tenantId, createdBy: ctx.userId } as typeof customers.$inferInsert;
      values.custom = await applyCustomValues(tx, "customer", input.custom, {}, true);
      await guardDuplicates(tx, customerProbe({ name: input.name, creditCode: values.creditCode ?? null, phones: input.phones ?? [], emails: input.emails ?? [] }), input.allowDuplicate);
      let [row] = await tx.insert(customers).values(values).returning();
      const addresses = input.addresses ? addressRows(ctx.tenantId, row!.id, input.addresses) : [];
      const inserted = addresses.length ? await tx.insert(customerAddresses).values(addresses).returning() : [];
      const collaborators = [...new Set(input.collaboratorIds ?? [])];
      if (collaborators.length) await tx.insert(customerCollaborators).values(collaborators.map((userId) => ({ tenantId: ctx.tenantId, customerId: row!.id, userId })));
      await syncSelfContact(tx, ctx, row!);
      await reindex(tx, ctx, row!);
      if (!row!.gradeManual && (await regrade(tx, ctx, { ids: [row!.id] })).changed) [row] = await tx.select().from(customers).where(eq(customers.id, row!.id));
      const view = present(ctx, row!, inserted, collaborators, true);
      await recordEvent(tx, ctx, { action: "customer.created", objectType: "customer", objectId: row!.id, after: forEvent(view) });
      return present(ctx, row!, inserted, collaborators);
    });
  } catch (err) {
    if (isUniqueViolation(err, "customers_code_key")) throw conflict("errors.code_taken", { field: "code" });
    throw err;
  }
}

/** Events never carry the bank account in clear: only that it changed, and its last digits. */
const forEvent = (v: CustomerView) => ({ ...v, bankAccount: v.bankAccount ? mask(v.bankAccount.slice(-4)) : null, bankAccountMasked: undefined });

/** `change` may be a function of the locked current row (bulk tag edits), so nothing concurrent is lost. */
export async function updateCustomer(
  ctx: Ctx,
  id: string,
  version: ExpectedVersion,
  change: CustomerUpdate | ((current: Row) => CustomerUpdate),
  outer?: Tx,
): Promise<CustomerView> {
  requireAccess(ctx, "customer:update");
  try {
    return await inTenantOr(ctx, outer, async (tx) => {
      const current = checkVersion(await loadVisible(ctx, tx, id, { deleted: false, lock: true }), version, "customer");
      const input = typeof change === "function" ? change(current) : change;
      const related = await relatedOf(tx, [id]);
      const before = present(ctx, current, related.addresses.get(id) ?? [], related.collaborators.get(id) ?? [], true);
      if (input.ownerId !== undefined || input.collaboratorIds) await checkMembers(tx, [input.ownerId, ...(input.collaboratorIds ?? [])], "ownerId");
      if (input.teamId !== undefined) await checkTeam(tx, input.teamId);
      const values = columnsOf(input, ctx.services.cipher);
      if (input.custom !== undefined) values.custom = await applyCustomValues(tx, "customer", input.custom, current.custom, false);
      if (input.ownerId !== undefined && input.ownerId !== current.ownerId) Object.assign(values, await ownerChange(tx, ctx, current, input.ownerId, new Date()));
      const next = { ...current, ...values } as Row;
      const identityChanged = input.name !== undefined || input.creditCode !== undefined || input.phones !== undefined || input.emails !== undefined;
      if (identityChanged) await guardDuplicates(tx, customerProbe(next, id), input.allowDuplicate);
      let [row] = await tx
        .update(customers)
        .set({ ...values, ...(input.code ? { code: input.code } : {}), version: current.version + 1, updatedAt: new Date() })
        .where(eq(customers.id, id))
        .returning();
      let addresses = related.addresses.get(id) ?? [];
      if (input.addresses) {
        await tx.delete(customerAddresses).where(eq(customerAddresses.customerId, id));
        const rows = addressRows(ctx.tenantId, id, input.addresses);
        addresses = rows.length ? await tx.insert(customerAddresses).values(rows).returning() : [];
      }
      let collaborators = related.collaborators.get(id) ?? [];
      if (input.collaboratorIds) {
        collaborators = [...new Set(input.collaboratorIds)];
        await tx.delete(customerCollaborators).where(eq(customerCollaborators.customerId, id));
        if (collaborators.length) await tx.insert(customerCollaborators).values(collaborators.map((userId) => ({ tenantId: ctx.tenantId, customerId: id, userId })));
      }
      await syncSelfContact(tx, ctx, row!);
      await reindex(tx, ctx, row!);
      if (!row!.gradeManual && (await regrade(tx, ctx, { ids: [id] })).changed) [row] = await tx.select().from(customers).where(eq(customers.id, id));
      const after = present(ctx, row!, addresses, collaborators, true);
      await recordEvent(tx, ctx, { action: "customer.updated", objectType: "customer", objectId: id, before: forEvent(before), after: forEvent(after) });
      return present(ctx, row!, addresses, collaborators);
    });
  } catch (err) {
    if (isUniqueViolation(err, "customers_code_key")) throw conflict("errors.code_taken", { field: "code" });
    throw err;
  }
}

/** Soft delete: the customer goes to the trash (its contacts stay). */
export async function deleteCustomer(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "customer:delete");
  await inTenant(ctx, async (tx) => {
    const current = await loadVisible(ctx, tx, id, { deleted: false, lock: true });
    const now = new Date();
    await tx.update(customers).set({ deletedAt: now, deletedBy: ctx.userId, updatedAt: now, version: current.version + 1 }).where(eq(customers.id, id));
    await markIndexDeleted(tx, "customer", id, true);
    await recordEvent(tx, ctx, { action: "customer.deleted", objectType: "customer", objectId: id, before: { deletedAt: null }, after: { deletedAt: now } });
  });
}

export async function restoreCustomer(ctx: Ctx, id: string): Promise<CustomerView> {
  requireAccess(ctx, "customer:restore");
  return inTenant(ctx, async (tx) => {
    const current = await loadVisible(ctx, tx, id, { deleted: true, lock: true });
    if (current.mergedInto) throw notFound("customer");
    const [row] = await tx
      .update(customers)
      .set({ deletedAt: null, deletedBy: null, updatedAt: new Date(), version: current.version + 1 })
      .where(eq(customers.id, id))
      .returning();
    await markIndexDeleted(tx, "customer", id, false);
    await recordEvent(tx, ctx, { action: "customer.restored", objectType: "customer", objectId: id, before: { deletedAt: current.deletedAt }, after: { deletedAt: null } });
    const related = await relatedOf(tx, [id]);
    return present(ctx, row!, related.addresses.get(id) ?? [], related.collaborators.get(id) ?? []);
  });
}
