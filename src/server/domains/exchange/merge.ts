/**
 * Merging duplicate customers or contacts into one survivor, and undoing it.
 *
 * What happens to each table that references a customer or contact id
 * (from src/server/domains/* /schema.ts):
 * - customers / contacts: the merged rows stay, soft-deleted with
 *   `merged_into = survivor` (kept out of lists, trash and search; their ids
 *   answer 308 to the survivor). Rows merged earlier into a now-merged record
 *   are re-pointed to the survivor, so every chain is one hop.
 * - customer_contacts: moved to the survivor (either side); a link the
 *   survivor already has is dropped (kept in `before` for the undo). A
 *   merged individual customer's own contact (is_self) stays linked to it and
 *   is deleted with it, `merged_into` the survivor's own contact if any.
 * - customer_collaborators: moved, same de-duplication.
 * - customer_addresses: moved; the survivor's defaults stay the defaults.
 * - activities (timeline): customer_id / contact_id moved; contacts also in
 *   participant_contact_ids. attachments hang on activities and follow them.
 * - tasks: customer_id / contact_id moved.
 * - search_documents: the merged records' marked deleted; contact_points
 *   removed (the duplicate check must not find them); both rewritten on undo.
 * - duplicate_pairs: pairs among the merged records marked `merged`.
 * - pool_moves: left: it is the history of who held the merged record; the
 *   daily limit counts by user, and the cooldown of a record that no longer
 *   exists does not matter.
 * - events, notifications (object_id), import_rows (object_id), saved_views
 *   (filters): left as written: history; their links resolve through the
 *   redirect.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { can, requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid } from "../../lib/listing.js";
import { contactIndexDoc, updateContact } from "../customers/contacts.js";
import { customerIndexDoc, updateCustomer } from "../customers/customers.js";
import { markIndexDeleted, writeContactPoints, writeIndex } from "../customers/records.js";
import { contactPoints, contacts, customers } from "../customers/schema.js";
import type { MergeCreate } from "./merge-contracts.js";
import { ALL_COLUMNS, chosenValues, columnNames, fieldsOf, loadRecords, resolveChoices, tableOf, type AnyRow, type ContactRow, type CustomerRow, type MergeObject } from "./merge-fields.js";
import { duplicatePairs, merges } from "./schema.js";

type MergeRow = typeof merges.$inferSelect;
export type MergeView = Omit<MergeRow, "tenantId" | "before"> & { names: Record<string, string> };

/** What an undo needs: the records as they were and every related row moved. */
interface Before {
  /** Full rows (database column names) of all records before the merge. */
  records: Record<string, Record<string, unknown>>;
  repointed: { id: string; mergedInto: string }[];
  links: { customerId: string; contactId: string; role: string; isPrimary: boolean; dropped: boolean }[];
  collaborators: { customerId: string; userId: string; dropped: boolean }[];
  addresses: { id: string; customerId: string; isDefault: boolean; position: number }[];
  activities: { id: string; from: string }[];
  participants: { id: string; from: string[]; to: string[] }[];
  tasks: { id: string; from: string }[];
  /** Own contacts of merged individual customers, deleted with them (absent in merges written before it existed). */
  selfContacts?: string[];
  pairs: { leftId: string; rightId: string; status: string; reviewedBy: string | null; reviewedAt: string | Date | null }[];
}

/** `records`: the merge's records, for their names (the survivor's current one). */
const present = ({ tenantId: _t, before: _b, ...rest }: MergeRow, records: AnyRow[]): MergeView => ({ ...rest, names: Object.fromEntries(records.map((r) => [r.id, r.name])) });

/** Fields of a row an audit may see (never the bank account's ciphertext). */
function auditable(objectType: MergeObject, row: AnyRow): Record<string, unknown> {
  const keep = new Set(ALL_COLUMNS[objectType].filter((c) => c !== "bankAccountCipher" && c !== "nameKey"));
  return Object.fromEntries(Object.entries(row).filter(([k]) => keep.has(k)));
}

async function snapshot(tx: Tx, objectType: MergeObject, ids: string[]): Promise<Record<string, Record<string, unknown>>> {
  const table = sql.raw(objectType === "customer" ? "customers" : "contacts");
  const rows = await tx.execute<{ id: string; row: Record<string, unknown> }>(sql`select t.id, to_jsonb(t) as row from ${table} t where ${anyUuid(sql`t.id`, ids)}`);
  return Object.fromEntries(rows.rows.map((r) => [r.id, r.row]));
}

/**
 * Writes stored column values back (from a snapshot), through
 * jsonb_populate_record so every type comes back exactly; the version moves
 * on, never back, so a stale ETag cannot overwrite the restored record.
 */
async function restoreColumns(tx: Tx, objectType: MergeObject, id: string, row: Record<string, unknown>, dbColumns: string[]) {
  const table = sql.raw(objectType === "customer" ? "customers" : "contacts");
  const cols = sql.raw(dbColumns.map((c) => `"${c}"`).join(", "));
  await tx.execute(sql`update ${table} set (${cols}) = (select ${cols} from jsonb_populate_record(null::${table}, ${JSON.stringify(row)}::jsonb)),
    version = version + 1, updated_at = now() where id = ${id}`);
}

/** The survivor through the normal update path: search document, contact points, self contact, grade, owner's contacts and pool. */
async function saveSurvivor(ctx: Ctx, tx: Tx, objectType: MergeObject, id: string, ownerId: string | null | undefined) {
  const input = ownerId === undefined ? {} : { ownerId };
  if (objectType === "customer") await updateCustomer(ctx, id, "any", input, tx);
  else await updateContact(ctx, id, "any", input, tx);
}

export async function mergeRecords(ctx: Ctx, input: MergeCreate): Promise<MergeView> {
  const { objectType, survivorId, mergedIds } = input;
  requireAccess(ctx, `${objectType}:update`);
  requireAccess(ctx, `${objectType}:delete`);
  if (mergedIds.includes(survivorId)) throw invalid("merge.survivor_in_merged", {}, { field: "mergedIds" });
  if (new Set(mergedIds).size !== mergedIds.length) throw invalid("merge.duplicate_ids", {}, { field: "mergedIds" });
  const all = [survivorId, ...mergedIds];
  return inTenant(ctx, async (tx) => {
    const rows = await loadRecords(ctx, tx, objectType, all, true);
    // Records the actor cannot see do not exist for them.
    if (rows.length !== all.length) throw notFound(objectType);
    if (rows.some((r) => r.mergedInto !== null)) throw conflict("merge.already_merged", { reason: "merged" });
    if (rows.some((r) => r.deletedAt !== null)) throw conflict("merge.deleted", { reason: "deleted" });
    if (objectType === "contact" && rows.some((r) => (r as ContactRow).isSelf)) throw conflict("merge.self_contact", { reason: "self_contact" });
    for (const r of rows) {
      const expected = input.version?.[r.id];
      if (expected !== undefined && expected !== r.version) throw conflict("errors.version_conflict", { id: r.id, currentVersion: r.version, yourVersion: expected });
    }
    const survivor = rows.find((r) => r.id === survivorId)!;
    const defs = await fieldsOf(tx, objectType);
    const choices = resolveChoices(defs, rows, survivorId, input.choices);
    const before: Before = { records: await snapshot(tx, objectType, all), repointed: [], links: [], collaborators: [], addresses: [], activities: [], participants: [], tasks: [], pairs: [] };
    const now = new Date();

    await moveRelated(tx, objectType, survivorId, mergedIds, before);

    // The merged records go, before the survivor is saved: the duplicate check must not find them.
    const table = tableOf(objectType);
    for (const id of mergedIds) {
      await tx
        .update(table)
        .set({ deletedAt: now, deletedBy: ctx.userId, mergedInto: survivorId, updatedAt: now, version: sql`${table.version} + 1` })
        .where(eq(table.id, id));
      await markIndexDeleted(tx, objectType, id, true);
      await tx.delete(contactPoints).where(and(eq(contactPoints.objectType, objectType), eq(contactPoints.objectId, id)));
    }
    const repointed = await tx.execute<{ id: string; merged_into: string }>(
      sql`select id, merged_into from ${sql.raw(objectType === "customer" ? "customers" : "contacts")} where ${anyUuid(sql`merged_into`, mergedIds)}`,
    );
    before.repointed = repointed.rows.map((r) => ({ id: r.id, mergedInto: r.merged_into }));
    if (before.repointed.length) {
      await tx
        .update(table)
        .set({ mergedInto: survivorId })
        .where(anyUuid(table.mergedInto, mergedIds));
    }

    const pairWhere = and(eq(duplicatePairs.objectType, objectType), anyUuid(duplicatePairs.leftId, all), anyUuid(duplicatePairs.rightId, all), sql`${duplicatePairs.status} <> 'merged'`);
    before.pairs = await tx
      .select({ leftId: duplicatePairs.leftId, rightId: duplicatePairs.rightId, status: duplicatePairs.status, reviewedBy: duplicatePairs.reviewedBy, reviewedAt: duplicatePairs.reviewedAt })
      .from(duplicatePairs)
      .where(pairWhere)
      .for("update");
    if (before.pairs.length) await tx.update(duplicatePairs).set({ status: "merged", reviewedBy: ctx.userId, reviewedAt: now }).where(pairWhere);

    // The chosen values, then the normal update (owner change included).
    const values = chosenValues(defs, choices, rows, survivor);
    const { ownerId, ...columns } = values as { ownerId?: string | null } & Record<string, unknown>;
    if (Object.keys(columns).length) await tx.update(table).set(columns).where(eq(table.id, survivorId));
    await saveSurvivor(ctx, tx, objectType, survivorId, ownerId !== undefined && ownerId !== survivor.ownerId ? ownerId : undefined);
    if (objectType === "customer") before.selfContacts = await retireSelfContacts(tx, ctx, survivorId, mergedIds, now);

    const [merge] = await tx
      .insert(merges)
      .values({ tenantId: ctx.tenantId, objectType, survivorId, mergedIds, choices, before: before as unknown as Record<string, unknown>, createdBy: ctx.userId, createdAt: now })
      .returning();
    const [after] = objectType === "customer" ? await tx.select().from(customers).where(eq(customers.id, survivorId)) : await tx.select().from(contacts).where(eq(contacts.id, survivorId));
    await recordEvent(tx, ctx, {
      action: `${objectType}.merged`,
      objectType,
      objectId: survivorId,
      before: auditable(objectType, survivor),
      after: auditable(objectType, after!),
      data: { mergeId: merge!.id, survivorId, mergedIds, moved: { links: before.links.length, activities: before.activities.length, tasks: before.tasks.length } },
    });
    for (const id of mergedIds) {
      await recordEvent(tx, ctx, {
        action: `${objectType}.merged`,
        objectType,
        objectId: id,
        before: { deletedAt: null, mergedInto: null },
        after: { deletedAt: now, mergedInto: survivorId },
        data: { mergeId: merge!.id, survivorId },
      });
    }
    return present(merge!, [after!, ...rows.filter((r) => r.id !== survivorId)]);
  });
}

/** Moves everything hanging on the merged records to the survivor, noting each row's key for the undo. */
async function moveRelated(tx: Tx, objectType: MergeObject, survivorId: string, mergedIds: string[], before: Before) {
  const ids = `{${mergedIds.join(",")}}`;
  if (objectType === "customer") {
    // Contact links, except an individual's own contact, which stays with its customer.
    const links = await tx.execute<{ customer_id: string; contact_id: string; role: string; is_primary: boolean }>(sql`
      select l.customer_id, l.contact_id, l.role, l.is_primary from customer_contacts l join contacts k on k.tenant_id = l.tenant_id and k.id = l.contact_id
      where l.customer_id = any(${ids}::uuid[]) and not k.is_self order by l.customer_id, l.contact_id`);
    const have = await tx.execute<{ contact_id: string; is_primary: boolean }>(sql`select contact_id, is_primary from customer_contacts where customer_id = ${survivorId}`);
    const taken = new Set(have.rows.map((r) => r.contact_id));
    let hasPrimary = have.rows.some((r) => r.is_primary);
    for (const l of links.rows) {
      const dropped = taken.has(l.contact_id);
      before.links.push({ customerId: l.customer_id, contactId: l.contact_id, role: l.role, isPrimary: l.is_primary, dropped });
      if (dropped) {
        await tx.execute(sql`delete from customer_contacts where customer_id = ${l.customer_id} and contact_id = ${l.contact_id}`);
      } else {
        taken.add(l.contact_id);
        const primary = l.is_primary && !hasPrimary;
        hasPrimary ||= primary;
        await tx.execute(sql`update customer_contacts set customer_id = ${survivorId}, is_primary = ${primary} where customer_id = ${l.customer_id} and contact_id = ${l.contact_id}`);
      }
    }
    const collabs = await tx.execute<{ customer_id: string; user_id: string }>(sql`select customer_id, user_id from customer_collaborators where customer_id = any(${ids}::uuid[]) order by customer_id, user_id`);
    const mine = await tx.execute<{ user_id: string }>(sql`select user_id from customer_collaborators where customer_id = ${survivorId}`);
    const users = new Set(mine.rows.map((r) => r.user_id));
    for (const c of collabs.rows) {
      const dropped = users.has(c.user_id);
      before.collaborators.push({ customerId: c.customer_id, userId: c.user_id, dropped });
      if (dropped) await tx.execute(sql`delete from customer_collaborators where customer_id = ${c.customer_id} and user_id = ${c.user_id}`);
      else {
        users.add(c.user_id);
        await tx.execute(sql`update customer_collaborators set customer_id = ${survivorId} where customer_id = ${c.customer_id} and user_id = ${c.user_id}`);
      }
    }
    const addresses = await tx.execute<{ id: string; customer_id: string; is_default: boolean; position: number }>(sql`
      select id, customer_id, is_default, position from customer_addresses where customer_id = any(${ids}::uuid[]) order by customer_id, position`);
    const own = await tx.execute<{ kind: string; is_default: boolean; position: number }>(sql`select kind, is_default, position from customer_addresses where customer_id = ${survivorId}`);
    let position = Math.max(-1, ...own.rows.map((r) => r.position)) + 1;
    before.addresses = addresses.rows.map((a) => ({ id: a.id, customerId: a.customer_id, isDefault: a.is_default, position: a.position }));
    for (const a of addresses.rows) {
      // The survivor's defaults stay; a kind it had none of takes the first moved default.
      await tx.execute(sql`update customer_addresses set customer_id = ${survivorId}, position = ${position++},
        is_default = is_default and not exists (select 1 from customer_addresses o where o.customer_id = ${survivorId} and o.kind = customer_addresses.kind and o.is_default)
        where id = ${a.id}`);
    }
    const acts = await tx.execute<{ id: string; from: string }>(sql`
      with moved as (select id, customer_id from activities where customer_id = any(${ids}::uuid[]) for update)
      update activities a set customer_id = ${survivorId} from moved where a.id = moved.id returning a.id, moved.customer_id as "from"`);
    before.activities = acts.rows.map((r) => ({ id: r.id, from: r.from }));
    const tasks = await tx.execute<{ id: string; from: string }>(sql`
      with moved as (select id, customer_id from tasks where customer_id = any(${ids}::uuid[]) for update)
      update tasks t set customer_id = ${survivorId} from moved where t.id = moved.id returning t.id, moved.customer_id as "from"`);
    before.tasks = tasks.rows.map((r) => ({ id: r.id, from: r.from }));
    return;
  }
  // Contacts: their customer links, timeline entries (also as participants) and tasks.
  const links = await tx.execute<{ customer_id: string; contact_id: string; role: string; is_primary: boolean }>(sql`
    select customer_id, contact_id, role, is_primary from customer_contacts where contact_id = any(${ids}::uuid[]) order by contact_id, customer_id`);
  const have = await tx.execute<{ customer_id: string }>(sql`select customer_id from customer_contacts where contact_id = ${survivorId}`);
  const taken = new Set(have.rows.map((r) => r.customer_id));
  for (const l of links.rows) {
    const dropped = taken.has(l.customer_id);
    before.links.push({ customerId: l.customer_id, contactId: l.contact_id, role: l.role, isPrimary: l.is_primary, dropped });
    if (dropped) await tx.execute(sql`delete from customer_contacts where customer_id = ${l.customer_id} and contact_id = ${l.contact_id}`);
    else {
      taken.add(l.customer_id);
      await tx.execute(sql`update customer_contacts set contact_id = ${survivorId} where customer_id = ${l.customer_id} and contact_id = ${l.contact_id}`);
    }
  }
  const acts = await tx.execute<{ id: string; from: string }>(sql`
    with moved as (select id, contact_id from activities where contact_id = any(${ids}::uuid[]) for update)
    update activities a set contact_id = ${survivorId} from moved where a.id = moved.id returning a.id, moved.contact_id as "from"`);
  before.activities = acts.rows.map((r) => ({ id: r.id, from: r.from }));
  const parts = await tx.execute<{ id: string; from: string[]; to: string[] }>(sql`
    with moved as (select id, participant_contact_ids as "from" from activities where participant_contact_ids && ${ids}::uuid[] for update)
    update activities a set participant_contact_ids = array(
      select x from (select case when p = any(${ids}::uuid[]) then ${survivorId}::uuid else p end as x, min(n) as n
        from unnest(moved."from") with ordinality u(p, n) group by 1) s order by n)
    from moved where a.id = moved.id returning a.id, moved."from", a.participant_contact_ids as "to"`);
  before.participants = parts.rows.map((r) => ({ id: r.id, from: r.from, to: r.to }));
  const tasks = await tx.execute<{ id: string; from: string }>(sql`
    with moved as (select id, contact_id from tasks where contact_id = any(${ids}::uuid[]) for update)
    update tasks t set contact_id = ${survivorId} from moved where t.id = moved.id returning t.id, moved.contact_id as "from"`);
  before.tasks = tasks.rows.map((r) => ({ id: r.id, from: r.from }));
}

/**
 * Undoes a merge: the records come back as they were, and each related row
 * the merge moved goes back where it was (what was added to the survivor
 * since stays). Refused once the survivor itself was merged or deleted.
 */
export async function undoMerge(ctx: Ctx, id: string): Promise<MergeView> {
  const merge = await readTenant(ctx, async (tx) => (await tx.select({ objectType: merges.objectType }).from(merges).where(eq(merges.id, id)))[0]);
  if (!merge) throw notFound("merge");
  const objectType = merge.objectType;
  requireAccess(ctx, `${objectType}:update`);
  requireAccess(ctx, `${objectType}:delete`);
  return inTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(merges).where(eq(merges.id, id)).for("update");
    if (!row) throw notFound("merge");
    const all = [row.survivorId, ...row.mergedIds];
    const records = await loadRecords(ctx, tx, objectType, all, true);
    if (records.length !== all.length) throw notFound(objectType);
    if (row.undoneAt) throw conflict("merge.already_undone", { reason: "undone" });
    const survivor = records.find((r) => r.id === row.survivorId)!;
    if (survivor.deletedAt !== null || survivor.mergedInto !== null) throw conflict("merge.survivor_changed", { reason: "survivor_changed" });
    const before = row.before as unknown as Before;
    const table = tableOf(objectType);
    const survivorId = row.survivorId;

    // Related rows back where they were (only those the merge moved and that are still on the survivor).
    if (objectType === "customer") {
      for (const l of before.links) {
        if (l.dropped) await tx.execute(sql`insert into customer_contacts (tenant_id, customer_id, contact_id, role, is_primary) values (${ctx.tenantId}, ${l.customerId}, ${l.contactId}, ${l.role}, ${l.isPrimary}) on conflict do nothing`);
        else await tx.execute(sql`update customer_contacts set customer_id = ${l.customerId}, role = ${l.role}, is_primary = ${l.isPrimary} where customer_id = ${survivorId} and contact_id = ${l.contactId}`);
      }
      for (const c of before.collaborators) {
        if (c.dropped) await tx.execute(sql`insert into customer_collaborators (tenant_id, customer_id, user_id) values (${ctx.tenantId}, ${c.customerId}, ${c.userId}) on conflict do nothing`);
        else await tx.execute(sql`update customer_collaborators set customer_id = ${c.customerId} where customer_id = ${survivorId} and user_id = ${c.userId}`);
      }
      for (const a of before.addresses) {
        await tx.execute(sql`update customer_addresses set customer_id = ${a.customerId}, is_default = ${a.isDefault}, position = ${a.position} where id = ${a.id} and customer_id = ${survivorId}`);
      }
      for (const a of before.activities) await tx.execute(sql`update activities set customer_id = ${a.from} where id = ${a.id} and customer_id = ${survivorId}`);
      for (const t of before.tasks) await tx.execute(sql`update tasks set customer_id = ${t.from} where id = ${t.id} and customer_id = ${survivorId}`);
    } else {
      for (const l of before.links) {
        if (l.dropped) await tx.execute(sql`insert into customer_contacts (tenant_id, customer_id, contact_id, role, is_primary) values (${ctx.tenantId}, ${l.customerId}, ${l.contactId}, ${l.role}, ${l.isPrimary}) on conflict do nothing`);
        else await tx.execute(sql`update customer_contacts set contact_id = ${l.contactId}, role = ${l.role}, is_primary = ${l.isPrimary} where customer_id = ${l.customerId} and contact_id = ${survivorId}`);
      }
      for (const a of before.activities) await tx.execute(sql`update activities set contact_id = ${a.from} where id = ${a.id} and contact_id = ${survivorId}`);
      for (const p of before.participants) {
        await tx.execute(sql`update activities set participant_contact_ids = ${`{${p.from.join(",")}}`}::uuid[] where id = ${p.id} and participant_contact_ids = ${`{${p.to.join(",")}}`}::uuid[]`);
      }
      for (const t of before.tasks) await tx.execute(sql`update tasks set contact_id = ${t.from} where id = ${t.id} and contact_id = ${survivorId}`);
    }
    for (const p of before.pairs) {
      await tx
        .update(duplicatePairs)
        .set({ status: p.status as "pending", reviewedBy: p.reviewedBy, reviewedAt: p.reviewedAt ? new Date(p.reviewedAt) : null })
        .where(and(eq(duplicatePairs.objectType, objectType), eq(duplicatePairs.leftId, p.leftId), eq(duplicatePairs.rightId, p.rightId), eq(duplicatePairs.status, "merged")));
    }
    for (const r of before.repointed) await tx.update(table).set({ mergedInto: r.mergedInto }).where(and(eq(table.id, r.id), eq(table.mergedInto, survivorId)));
    for (const contactId of before.selfContacts ?? []) {
      // Own contacts have no search document (the customer's stands for them): only the contact points come back.
      const [self] = await tx
        .update(contacts)
        .set({ deletedAt: null, deletedBy: null, mergedInto: null, updatedAt: new Date(), version: sql`${contacts.version} + 1` })
        .where(eq(contacts.id, contactId))
        .returning();
      await writeContactPoints(tx, ctx.tenantId, "contact", contactId, self!.phones, self!.emails);
    }

    // The merged records as they were, with their search documents and contact points.
    const skip = new Set(["tenant_id", "id", "version", "updated_at"]);
    for (const mergedId of row.mergedIds) {
      const snap = before.records[mergedId]!;
      await restoreColumns(tx, objectType, mergedId, snap, Object.keys(snap).filter((c) => !skip.has(c)));
      await reindex(tx, ctx, objectType, mergedId);
    }
    // The survivor's merged fields as they were, then the normal update path.
    const snap = before.records[survivorId]!;
    const survivorCols = columnNames(objectType, ALL_COLUMNS[objectType].filter((c) => c !== "ownerId"));
    await restoreColumns(tx, objectType, survivorId, snap, survivorCols);
    const oldOwner = (snap.owner_id as string | null) ?? null;
    await saveSurvivor(ctx, tx, objectType, survivorId, oldOwner !== survivor.ownerId ? oldOwner : undefined);

    const now = new Date();
    const [undone] = await tx.update(merges).set({ undoneAt: now, undoneBy: ctx.userId }).where(eq(merges.id, id)).returning();
    const [after] = objectType === "customer" ? await tx.select().from(customers).where(eq(customers.id, survivorId)) : await tx.select().from(contacts).where(eq(contacts.id, survivorId));
    await recordEvent(tx, ctx, {
      action: `${objectType}.merge_undone`,
      objectType,
      objectId: survivorId,
      before: auditable(objectType, survivor),
      after: auditable(objectType, after!),
      data: { mergeId: id, mergedIds: row.mergedIds },
    });
    for (const mergedId of row.mergedIds) {
      await recordEvent(tx, ctx, {
        action: `${objectType}.merge_undone`,
        objectType,
        objectId: mergedId,
        before: { mergedInto: survivorId },
        after: { mergedInto: null },
        data: { mergeId: id, survivorId },
      });
    }
    return present(undone!, [after!, ...records.filter((r) => r.id !== survivorId)]);
  });
}

/**
 * An individual customer's own contact (is_self) goes with it: deleted and
 * pointing to the survivor's own contact when it has one, so its links
 * resolve there too. Returns the ids, for the undo.
 */
async function retireSelfContacts(tx: Tx, ctx: Ctx, survivorId: string, mergedIds: string[], now: Date): Promise<string[]> {
  const own = async (ids: string[]) =>
    (
      await tx.execute<{ id: string }>(sql`select k.id from contacts k join customer_contacts l on l.tenant_id = k.tenant_id and l.contact_id = k.id
        where ${anyUuid(sql`l.customer_id`, ids)} and k.is_self and k.deleted_at is null order by k.id`)
    ).rows.map((r) => r.id);
  const selves = await own(mergedIds);
  if (!selves.length) return [];
  const [target] = await own([survivorId]);
  for (const id of selves) {
    await tx
      .update(contacts)
      .set({ deletedAt: now, deletedBy: ctx.userId, mergedInto: target ?? null, updatedAt: now, version: sql`${contacts.version} + 1` })
      .where(eq(contacts.id, id));
    await markIndexDeleted(tx, "contact", id, true);
    await tx.delete(contactPoints).where(and(eq(contactPoints.objectType, "contact"), eq(contactPoints.objectId, id)));
  }
  return selves;
}

async function reindex(tx: Tx, ctx: Ctx, objectType: MergeObject, id: string) {
  if (objectType === "customer") {
    const [row] = await tx.select().from(customers).where(eq(customers.id, id));
    await writeIndex(tx, ctx.tenantId, customerIndexDoc(row as CustomerRow));
    await writeContactPoints(tx, ctx.tenantId, "customer", id, row!.phones, row!.emails);
    return;
  }
  const [row] = await tx.select().from(contacts).where(eq(contacts.id, id));
  const links = await tx.execute<{ name: string }>(sql`select c.name from customer_contacts l join customers c on c.tenant_id = l.tenant_id and c.id = l.customer_id
    where l.contact_id = ${id} and c.deleted_at is null order by c.name`);
  await writeIndex(tx, ctx.tenantId, contactIndexDoc(row as ContactRow, links.rows));
  await writeContactPoints(tx, ctx.tenantId, "contact", id, row!.phones, row!.emails);
}

/** A merge, for the record's history and the undo button: visible when all its records are. */
export async function getMerge(ctx: Ctx, id: string): Promise<MergeView> {
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(merges).where(eq(merges.id, id));
    if (!row) throw notFound("merge");
    requireAccess(ctx, `${row.objectType}:read`);
    const all = [row.survivorId, ...row.mergedIds];
    const records = await loadRecords(ctx, tx, row.objectType, all, false);
    if (records.length !== all.length) throw notFound("merge");
    return present(row, records);
  });
}

/** Recent merges whose records the actor can all see, newest first. */
export async function findMerges(ctx: Ctx, query: { objectType?: MergeObject; limit: number }): Promise<MergeView[]> {
  if (query.objectType) requireAccess(ctx, `${query.objectType}:read`);
  const types = (query.objectType ? [query.objectType] : (["customer", "contact"] as const)).filter((o) => can(ctx, `${o}:read`));
  if (!types.length) requireAccess(ctx, "customer:read");
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select()
      .from(merges)
      .where(inArray(merges.objectType, types))
      .orderBy(desc(merges.createdAt))
      .limit(query.limit * 2);
    const out: MergeView[] = [];
    for (const row of rows) {
      const all = [row.survivorId, ...row.mergedIds];
      const records = await loadRecords(ctx, tx, row.objectType, all, false);
      if (records.length === all.length) out.push(present(row, records));
      if (out.length === query.limit) break;
    }
    return out;
  });
}
