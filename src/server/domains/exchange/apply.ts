import crypto from "node:crypto";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { arrayElement, arrayLiteral, Columns, insertBatch, textArrayElement } from "../../db/bulk.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError } from "../../lib/errors.js";
import { diffFields } from "../../lib/events.js";
import { contactIndexDoc } from "../customers/contacts.js";
import type { ContactCreate } from "../customers/contracts.js";
import { checkCustomValues } from "../customers/custom-fields.js";
import { customerVisible } from "../customers/policy.js";
import { cachedSearchTerms, contactPointValues, normaliseCompanyName } from "../customers/records.js";
import { contactPoints, contacts, customers } from "../customers/schema.js";
import { fold, normalisePersonName } from "../customers/text.js";
import type { Email, Phone } from "../customers/validation.js";
import { users } from "../identity/schema.js";
import { memberships } from "../workspaces/schema.js";
import type { RowIssue, RowPlan } from "./rows.js";
import type { ImportRow } from "./imports.js";
import { OBJECTS, type ImportObjectDef } from "./objects/index.js";
import type { Turn } from "./write-order.js";

/**
 * Writing planned rows: one at a time through the object's services
 * (objects/, under a savepoint each, so a refused row is undone alone), or — for contacts being
 * created — a whole batch in one statement, with the same checks done for the
 * batch at once (owners, customers, custom fields, duplicates by phone and
 * e-mail, also between rows of the file) and the same derived rows written
 * (links, contact points, search document, event). A batch the database
 * refuses is written again row by row, so the one bad row is named.
 */

export interface Resolvers {
  /** A member by e-mail or name: undefined when nobody, null when several have that name. */
  owner(text: string): string | null | undefined;
  isMember(userId: string): boolean;
  /** Keys of the custom fields of type user. */
  userFields: string[];
  customer(tx: Tx, ref: CustomerRef): Promise<CustomerFound>;
}

export async function resolvers(ctx: Ctx, userFields: string[]): Promise<Resolvers> {
  const members = await readTenant(ctx, (tx: Tx) => tx.select({ id: users.id, name: users.name, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)));
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m.id]));
  const byName = new Map<string, string | null>();
  for (const m of members) byName.set(fold(m.name), byName.has(fold(m.name)) ? null : m.id); // two members of one name: ambiguous
  const ids = new Set(members.map((m) => m.id));
  return {
    userFields,
    isMember: (id) => ids.has(id),
    owner: (text) => byEmail.get(text.trim().toLowerCase()) ?? byName.get(fold(text)),
    async customer(tx, ref) {
      return (await resolveCustomers(ctx, tx, [ref]))(ref);
    },
  };
}

export interface Outcome {
  source: number;
  outcome: "created" | "updated" | "skipped" | "failed";
  objectId: string | null;
  issues: RowIssue[];
  /** Updated records: the values the update replaced, in the services' input shape (what an undo writes back). */
  before?: Record<string, unknown> | null;
}

/** The file's title of the column a field came from (else the field's own name). */
const columnOf = (plan: RowPlan, field: string) => plan.columns[field] ?? field;

const failed = (source: number, issues: RowIssue[]): Outcome => ({ source, outcome: "failed", objectId: null, issues });

const hasField = (def: ImportObjectDef, type: string) => def.fields.some((f) => f.type === type);

/** Owner (named in the row, else the import's default) and the import's tags, for objects that have them: the row's input for the services. */
function prepare(imp: ImportRow, plan: RowPlan, resolve: Resolvers): { input: Record<string, unknown> } | { issues: RowIssue[] } {
  if (!plan.input) return { issues: plan.issues };
  const def = OBJECTS[imp.objectType];
  const input: Record<string, unknown> = { ...plan.input };
  const options = imp.options;
  // Custom user fields name a member by e-mail or name, as the owner column does.
  if (input.custom) {
    const custom = { ...(input.custom as Record<string, unknown>) };
    for (const key of resolve.userFields) {
      const v = custom[key];
      if (typeof v !== "string") continue;
      const id = /^[0-9a-f-]{36}$/i.test(v) ? (resolve.isMember(v.toLowerCase()) ? v.toLowerCase() : undefined) : resolve.owner(v);
      if (!id) return { issues: [{ column: columnOf(plan, `custom.${key}`), key: id === null ? "import.owner_ambiguous" : "import.owner_unknown", params: { value: v } }] };
      custom[key] = id;
    }
    input.custom = custom;
  }
  if (hasField(def, "user")) {
    if (plan.owner !== null) {
      const owner = resolve.owner(plan.owner);
      if (!owner) return { issues: [{ column: columnOf(plan, "owner"), key: owner === null ? "import.owner_ambiguous" : "import.owner_unknown", params: { value: plan.owner } }] };
      input.ownerId = owner;
    } else if (input.ownerId === undefined) {
      input.ownerId = options.ownerId;
    }
  }
  if (options.tags.length && hasField(def, "tags")) input.tags = [...new Set([...((input.tags as string[] | undefined) ?? []), ...options.tags])];
  return { input };
}

/** An AppError of the services as the row's issues, by column. */
function issuesOf(err: AppError): RowIssue[] {
  const details = (err.details.issues as { path?: (string | number)[]; message?: string }[] | undefined) ?? [];
  return details.length
    ? details.map((i) => ({ column: i.path?.map(String).join(".") ?? null, key: i.message?.startsWith("errors.") ? i.message : err.messageKey }))
    : [{ column: typeof err.details.field === "string" ? err.details.field : null, key: err.messageKey, params: err.params }];
}

/**
 * One planned row written (or, in a dry run, tried) inside the batch's
 * transaction, under its own savepoint: its references resolved, the
 * existing record it matches by the chosen keys (also one written earlier in
 * this run) skipped, updated or merged into, else a record created.
 */
export async function applyRow(ctx: Ctx, tx: Tx, imp: ImportRow, plan: RowPlan, resolve: Resolvers): Promise<Outcome> {
  const prepared = prepare(imp, plan, resolve);
  if ("issues" in prepared) return failed(plan.source, prepared.issues);
  const { input } = prepared;
  const def = OBJECTS[imp.objectType];
  const options = imp.options;
  try {
    const problems = (await def.resolve?.(ctx, tx, plan, input, resolve)) ?? [];
    if (problems.length) return failed(plan.source, problems);
    const existing = options.duplicatePolicy === "create" ? undefined : await def.findExisting(ctx, tx, input, options.keys.filter((k) => def.keys.includes(k)));
    if (existing && options.duplicatePolicy === "skip") return { source: plan.source, outcome: "skipped", objectId: existing, issues: [] };
    if (existing) return await updateRow(ctx, tx, imp, plan, input, existing);
    return await savepoint(tx, async (sp) => ({ source: plan.source, outcome: "created" as const, objectId: await def.create(ctx, sp, input), issues: [] }));
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return failed(plan.source, issuesOf(err));
  }
}

/**
 * A problem of a group's record put on the row and column it comes from: a
 * line's (`lines.<i>.<field>`, as the services name it) on the group's i-th
 * row, the header's on its first row; the field named by its column title.
 */
function placeIssue(def: ImportObjectDef, plans: RowPlan[], issue: RowIssue): { source: number; issue: RowIssue } {
  const line = /^lines\.(\d+)\.(\w+)$/.exec(issue.column ?? "");
  const plan = (line ? plans[Number(line[1])] : undefined) ?? plans[0]!;
  const field = line ? line[2]! : issue.column;
  if (field === null) return { source: plan.source, issue };
  const title = plan.columns[def.schemaFields?.[field] ?? field] ?? plan.columns[field];
  return { source: plan.source, issue: { ...issue, column: title ?? (line ? field : issue.column) } };
}

/**
 * Rows that make one record together (ImportObjectDef.groupBy: an order and
 * its lines) written as one, in the batch's transaction: combined by the
 * object (header from the first row, a line per row), its references
 * resolved, matched by the chosen keys (a match skips the whole group), and
 * created under one savepoint. Every row gets the record's outcome and id; a
 * problem anywhere fails all of them — the row and column of the problem
 * named on its row, the others pointing at it.
 */
export async function applyGroup(ctx: Ctx, tx: Tx, imp: ImportRow, plans: RowPlan[], resolve: Resolvers): Promise<Outcome[]> {
  const def = OBJECTS[imp.objectType];
  const first = plans[0]!;
  const failAll = (placed: { source: number; issue: RowIssue }[]): Outcome[] => {
    const row = Math.min(...placed.map((x) => x.source));
    return plans.map((p) => {
      const own = placed.filter((x) => x.source === p.source).map((x) => x.issue);
      return failed(p.source, own.length ? own : [{ column: null, key: "import.order_failed", params: { row, number: first.group ?? "" } }]);
    });
  };
  const planned = plans.flatMap((p) => (p.input ? [] : p.issues.map((issue) => ({ source: p.source, issue }))));
  if (planned.length) return failAll(planned);
  const combined = def.combine!(plans);
  if ("issues" in combined) return failAll(combined.issues);
  const prepared = prepare(imp, combined.plan, resolve);
  if ("issues" in prepared) return failAll(prepared.issues.map((i) => placeIssue(def, plans, i)));
  const { input } = prepared;
  const options = imp.options;
  const all = (outcome: "created" | "skipped", objectId: string): Outcome[] => plans.map((p) => ({ source: p.source, outcome, objectId, issues: [] }));
  try {
    const problems = (await def.resolve?.(ctx, tx, combined.plan, input, resolve)) ?? [];
    if (problems.length) return failAll(problems.map((i) => placeIssue(def, plans, i)));
    const existing = options.duplicatePolicy === "create" ? undefined : await def.findExisting(ctx, tx, input, options.keys.filter((k) => def.keys.includes(k)));
    if (existing && options.duplicatePolicy === "skip") return all("skipped", existing);
    // Other policies are refused for grouped objects when the import's options are set (ImportObjectDef.policies).
    if (existing) return failAll([{ source: first.source, issue: { column: first.columns[def.groupBy ?? ""] ?? null, key: "import.policy_unsupported", params: { policy: options.duplicatePolicy, policies: (def.policies ?? []).join(", ") } } }]);
    return all("created", await savepoint(tx, (sp) => def.create(ctx, sp, input)));
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return failAll(issuesOf(err).map((i) => placeIssue(def, plans, i)));
  }
}

/**
 * Updates an existing record with the row's non-empty values (the owner moves
 * only if the file names one), keeping what they replaced for an undo.
 */
async function updateRow(ctx: Ctx, tx: Tx, imp: ImportRow, plan: RowPlan, input: Record<string, unknown>, id: string): Promise<Outcome> {
  const def = OBJECTS[imp.objectType];
  if (plan.owner === null) delete input.ownerId;
  return savepoint(tx, async (sp) => {
    const raw = (await def.load(sp, id)) ?? {};
    const change = imp.options.duplicatePolicy === "merge" ? mergeInto(raw, input) : { ...input };
    def.adjust?.(raw, change);
    if (!Object.keys(change).length) return { source: plan.source, outcome: "skipped" as const, objectId: id, issues: [] };
    const before = previousValues(ctx, raw, change);
    await def.update(ctx, sp, id, change);
    return { source: plan.source, outcome: "updated" as const, objectId: id, issues: [], before };
  });
}

const empty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * The `merge` policy: the row fills what the record leaves empty and adds to
 * its lists (phones, e-mails, tags); what the record already has stays.
 */
export function mergeInto(raw: Record<string, unknown>, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const union = <T>(current: T[], added: T[], key: (x: T) => string) => {
    const seen = new Set(current.map(key));
    const extra = added.filter((x) => !seen.has(key(x)));
    return extra.length ? [...current, ...extra] : null;
  };
  for (const [key, value] of Object.entries(input)) {
    let merged: unknown;
    if (key === "phones") merged = union((raw.phones ?? []) as Phone[], value as Phone[], (p) => p.number);
    else if (key === "emails") merged = union((raw.emails ?? []) as Email[], value as Email[], (e) => e.address.toLowerCase());
    else if (key === "tags") merged = union((raw.tags ?? []) as string[], value as string[], (t) => t);
    else if (key === "customers") merged = value;
    else if (key === "custom") {
      const current = (raw.custom ?? {}) as Record<string, unknown>;
      const filled = Object.entries(value as Record<string, unknown>).filter(([k]) => empty(current[k]));
      merged = filled.length ? Object.fromEntries(filled) : null;
    } else if (key === "bankAccount") merged = empty(raw.bankAccountCipher) ? value : null;
    else if (key === "address") merged = empty(raw.address) && empty(raw.provinceCode) ? value : null;
    else if (key === "ownerId") merged = null; // merging never takes a record from its owner
    else merged = key in raw && empty(raw[key]) ? value : null;
    if (merged !== null) out[key] = merged;
  }
  return out;
}

/** Region columns an address fills (the services parse the address into them). */
const ADDRESS_PARTS = ["provinceCode", "cityCode", "districtCode"] as const;

/**
 * The stored values of the fields `input` is about to change, in the shape
 * the update services take, so that an undo can hand them back: custom
 * fields one by one (an undo clears those that were empty), an address with
 * its region codes, the bank account decrypted, dates as ISO strings, and
 * what the object's `load` adds (a contact's companies).
 */
export function previousValues(ctx: Ctx, raw: Record<string, unknown>, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (key === "allowDuplicate") continue;
    if (key === "custom") {
      const current = (raw.custom ?? {}) as Record<string, unknown>;
      out.custom = Object.fromEntries(Object.keys(input.custom as object).map((k) => [k, current[k] ?? null]));
    } else if (key === "bankAccount") {
      const sealed = raw.bankAccountCipher as string | null;
      out.bankAccount = sealed ? ctx.services.cipher.decrypt(sealed) : null;
    } else if (key === "address") {
      out.address = raw.address ?? "";
      for (const part of ADDRESS_PARTS) if (part in raw) out[part] = raw[part] ?? null;
    } else if (key in raw) {
      out[key] = raw[key] instanceof Date ? (raw[key] as Date).toISOString() : raw[key];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Contacts in bulk

export interface ContactBatchEnv {
  ctx: Ctx;
  imp: ImportRow;
  resolve: Resolvers;
  customFields: readonly CustomFieldRow[];
  terms: ReturnType<typeof cachedSearchTerms>;
}

type CustomFieldRow = Parameters<typeof checkCustomValues>[0][number];

/** A contact row ready to be written: its id, its links, and the rows it makes, already formatted (see Columns.pushElements). */
interface ReadyContact {
  plan: RowPlan;
  id: string;
  input: Record<string, unknown>;
  points: { kind: "phone" | "email"; value: string }[];
  contact: string[];
  links: string[][];
  contactPoints: string[][];
  doc: string[];
  event: string[];
}

/** A batch after the work that needs no transaction: the failed rows' outcomes, and the others ready to write. */
export interface PreparedContacts {
  plans: RowPlan[];
  failed: Outcome[];
  ready: ReadyContact[];
}

/**
 * The part of a contact batch that needs no transaction, done while the
 * previous batch is being written: owners and user fields resolved, custom
 * fields checked, the customers the rows name looked up (only those the
 * importer may see: an import of contacts does not change customers), and
 * every row each contact makes — the contact, its links, contact points,
 * search document with its terms, and `contact.created` event — built.
 */
export async function prepareContactBatch(env: ContactBatchEnv, plans: RowPlan[]): Promise<PreparedContacts> {
  const { ctx, imp, resolve } = env;
  const out: PreparedContacts = { plans, failed: [], ready: [] };
  const prepared: { plan: RowPlan; input: Record<string, unknown>; role: string | undefined }[] = [];
  for (const plan of plans) {
    const p = prepare(imp, plan, resolve);
    if ("issues" in p) {
      out.failed.push(failed(plan.source, p.issues));
      continue;
    }
    // Custom fields against the definitions loaded once (user fields were resolved to members by prepare()).
    const checked = checkCustomValues(env.customFields, (p.input.custom as Record<string, unknown> | undefined) ?? {}, {}, true);
    if (checked.issues.length) {
      out.failed.push(failed(plan.source, checked.issues.map((i) => ({ column: columnOf(plan, i.path.join(".")), key: i.message }))));
      continue;
    }
    if (p.input.custom) p.input.custom = checked.next;
    // The role is the contact's on the company the row names (as contactImport.resolve takes it).
    const role = p.input.role as string | undefined;
    delete p.input.role;
    prepared.push({ plan, input: p.input, role });
  }
  const refs = prepared.map((p) => p.plan.customer).filter((c): c is NonNullable<RowPlan["customer"]> => c !== null);
  const byRef = refs.length ? await readTenant(ctx, (tx: Tx) => resolveCustomers(ctx, tx, refs)) : null;
  const data = JSON.stringify({ importId: imp.id });
  const e = arrayElement;
  for (const { plan, input, role } of prepared) {
    let links: { customerId: string; name: string; role: string }[] = [];
    if (plan.customer && byRef) {
      const found = byRef(plan.customer);
      if ("issue" in found) {
        out.failed.push(failed(plan.source, [found.issue]));
        continue;
      }
      links = [{ customerId: found.id, name: found.name, role: role ?? "other" }];
      input.customers = [{ customerId: found.id, role: role ?? "other", isPrimary: false }];
    }
    const i = input as ContactCreate;
    const id = crypto.randomUUID();
    const phones = i.phones ?? [];
    const emails = i.emails ?? [];
    const tags = [...new Set(i.tags ?? [])];
    const values = {
      name: i.name, gender: i.gender ?? null, title: i.title ?? "", department: i.department ?? "", birthday: i.birthday ?? null, wechat: i.wechat ?? "",
      phones, emails, notes: i.notes ?? "", ownerId: i.ownerId ?? null, tags, custom: i.custom ?? {},
    };
    const points = contactPointValues(phones, emails);
    const doc = contactIndexDoc({ id, ownerId: values.ownerId, name: values.name, title: values.title, department: values.department, wechat: values.wechat, tags, phones, emails, deletedAt: null, isSelf: false }, links);
    const t = env.terms(doc.source);
    const after = { ...values, customers: links.map((l) => ({ customerId: l.customerId, name: l.name, role: l.role, isPrimary: false })) };
    out.ready.push({
      plan,
      id,
      input,
      points,
      contact: [e(id), e(values.name), e(normalisePersonName(values.name)), e(values.gender), e(values.title), e(values.department), e(values.birthday), e(values.wechat),
        e(JSON.stringify(phones)), e(JSON.stringify(emails)), e(values.notes), e(values.ownerId), textArrayElement(tags), e(JSON.stringify(values.custom)), e(ctx.userId)],
      links: links.map((l) => [e(l.customerId), e(id), e(l.role), "f"]),
      contactPoints: points.map((p) => [e("contact"), e(id), e(p.kind), e(p.value)]),
      doc: [e("contact"), e(id), e(doc.ownerId), e(doc.title), e(doc.subtitle), textArrayElement(t.terms), e(t.latin), "f"],
      event: [e(ctx.userId), e(ctx.actorType), e("contact.created"), e("contact"), e(id), e(JSON.stringify(diffFields(null, after))), e(data), e(ctx.requestId)],
    });
  }
  return out;
}

/**
 * A prepared batch written in the batch's transaction (rows in file order):
 * rows matching an existing contact by the chosen keys are skipped or
 * updated (one by one, through the services); the others are created
 * together. Duplicates within the file count too: a second row with the
 * phone of a first is that first's duplicate.
 */
export async function writeContactBatch(tx: Tx, env: ContactBatchEnv, batch: PreparedContacts, turn?: Turn): Promise<Outcome[]> {
  const { ctx, imp, resolve } = env;
  const options = imp.options;
  const outcomes = new Map<number, Outcome>(batch.failed.map((o) => [o.source, o]));
  // Existing contacts by phone and e-mail, all at once.
  const keyed = (p: { kind: "phone" | "email" }) => (p.kind === "phone" ? options.keys.includes("phone") : options.keys.includes("email"));
  const wanted = new Map<string, { kind: "phone" | "email"; value: string }>();
  for (const r of batch.ready) for (const point of r.points) if (keyed(point)) wanted.set(`${point.kind}:${point.value}`, point);
  const owners = new Map<string, string>();
  if (wanted.size) {
    const list = [...wanted.values()];
    // value = any(…) per kind: index scans on (tenant_id, kind, value), the contact's row by its key.
    const found = await tx
      .select({ kind: contactPoints.kind, value: contactPoints.value, objectId: contactPoints.objectId })
      .from(contactPoints)
      .innerJoin(contacts, and(eq(contacts.tenantId, contactPoints.tenantId), eq(contacts.id, contactPoints.objectId)))
      .where(
        and(
          eq(contactPoints.objectType, "contact"),
          or(
            ...(["phone", "email"] as const).map((kind) => {
              const values = list.filter((p) => p.kind === kind).map((p) => p.value);
              return values.length ? and(eq(contactPoints.kind, kind), sql`${contactPoints.value} = any(${arrayLiteral(values)}::text[])`) : undefined;
            }),
          ),
          isNull(contacts.deletedAt),
        ),
      );
    for (const f of found) if (!owners.has(`${f.kind}:${f.value}`)) owners.set(`${f.kind}:${f.value}`, f.objectId);
  }

  // Batches written at the same time choose their rows in file order, each seeing what the earlier ones create.
  if (turn) await turn.ready;
  const created = new Map<string, string>();
  const ownerOf = (key: string) => owners.get(key) ?? turn?.owner(key) ?? created.get(key);
  const creates: ReadyContact[] = [];
  const updates: ReadyContact[] = [];
  for (const r of batch.ready) {
    const points = r.points.filter(keyed);
    const match = points.map((p) => ownerOf(`${p.kind}:${p.value}`)).find(Boolean);
    if (match && options.duplicatePolicy === "skip") {
      outcomes.set(r.plan.source, { source: r.plan.source, outcome: "skipped", objectId: match, issues: [] });
      continue;
    }
    if (match && (options.duplicatePolicy === "update" || options.duplicatePolicy === "merge")) {
      updates.push({ ...r, id: match });
      continue;
    }
    creates.push(r);
    // Later rows of the file with the same phone or e-mail are this one's duplicates.
    for (const p of points) if (!created.has(`${p.kind}:${p.value}`)) created.set(`${p.kind}:${p.value}`, r.id);
  }
  turn?.decided(created);

  if (creates.length) {
    try {
      await savepoint(tx, (sp) => insertContacts(sp, creates));
      for (const c of creates) outcomes.set(c.plan.source, { source: c.plan.source, outcome: "created", objectId: c.id, issues: [] });
    } catch (err) {
      // Something the checks above did not foresee: the rows one by one, through the services, name it.
      void err;
      for (const c of creates) outcomes.set(c.plan.source, await applyRow(ctx, tx, imp, c.plan, resolve));
    }
  }
  for (const u of updates) {
    try {
      outcomes.set(u.plan.source, await updateRow(ctx, tx, imp, u.plan, u.input, u.id));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcomes.set(u.plan.source, failed(u.plan.source, issuesOf(err)));
    }
  }
  return batch.plans.map((p) => outcomes.get(p.source)!);
}

type CustomerRef = NonNullable<RowPlan["customer"]>;
type CustomerFound = { id: string; name: string } | { issue: RowIssue };

/** The customers a batch's rows name (by code, else by name or normalised name), looked up at once among those the importer may see. */
async function resolveCustomers(ctx: Ctx, tx: Tx, refs: CustomerRef[]): Promise<(ref: CustomerRef) => CustomerFound> {
  const codes = [...new Set(refs.filter((r) => r.code).map((r) => r.code!))];
  const names = [...new Set(refs.filter((r) => !r.code && r.name).map((r) => r.name!))];
  const keys = [...new Set(names.map((n) => normaliseCompanyName(n)).filter(Boolean))];
  const rows =
    codes.length || names.length
      ? await tx
          .select({ id: customers.id, name: customers.name, code: customers.code, nameKey: customers.nameKey })
          .from(customers)
          .where(
            and(
              or(
                codes.length ? sql`${customers.code} = any(${arrayLiteral(codes)}::text[])` : undefined,
                names.length ? sql`${customers.name} = any(${arrayLiteral(names)}::text[])` : undefined,
                keys.length ? sql`${customers.nameKey} = any(${arrayLiteral(keys)}::text[])` : undefined,
              ),
              isNull(customers.deletedAt),
              customerVisible(ctx),
            ),
          )
      : [];
  const group = (key: (r: (typeof rows)[number]) => string | null) => {
    const m = new Map<string, (typeof rows)[number][]>();
    for (const r of rows) {
      const k = key(r);
      if (k) m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const [byCode, byName, byKey] = [group((r) => r.code), group((r) => r.name), group((r) => r.nameKey)];
  return (ref) => {
    const column = ref.code ? "customerCode" : "customer";
    const found = ref.code ? (byCode.get(ref.code) ?? []) : (byName.get(ref.name ?? "") ?? byKey.get(normaliseCompanyName(ref.name ?? "")) ?? []);
    const unique = [...new Map(found.map((r) => [r.id, r])).values()];
    if (unique.length === 0) return { issue: { column, key: "import.customer_not_found", params: { value: ref.code ?? ref.name ?? "" } } };
    if (unique.length > 1) return { issue: { column, key: "import.customer_ambiguous", params: { value: ref.name ?? "" } } };
    return { id: unique[0]!.id, name: unique[0]!.name };
  };
}

/** Contacts, their customer links, contact points, search documents and created events: one statement. */
async function insertContacts(tx: Tx, rows: ReadyContact[]): Promise<void> {
  const cons = new Columns("contacts", [
    ["id", "uuid"], ["name", "text"], ["name_key", "text"], ["gender", "text"], ["title", "text"], ["department", "text"], ["birthday", "date"],
    ["wechat", "text"], ["phones", "jsonb"], ["emails", "jsonb"], ["notes", "text"], ["owner_id", "uuid"], ["tags", "text[]"], ["custom", "jsonb"], ["created_by", "uuid"],
  ]);
  const links = new Columns("customer_contacts", [["customer_id", "uuid"], ["contact_id", "uuid"], ["role", "text"], ["is_primary", "boolean"]]);
  const points = new Columns("contact_points", [["object_type", "text"], ["object_id", "uuid"], ["kind", "text"], ["value", "text"]]);
  const docs = new Columns("search_documents", [["object_type", "text"], ["object_id", "uuid"], ["owner_id", "uuid"], ["title", "text"], ["subtitle", "text"], ["terms", "text[]"], ["latin", "text"], ["deleted", "boolean"]]);
  const events = new Columns("events", [
    ["actor_user_id", "uuid"], ["actor_type", "text"], ["action", "text"], ["object_type", "text"], ["object_id", "text"], ["changes", "jsonb"], ["data", "jsonb"], ["request_id", "text"],
  ]);
  for (const r of rows) {
    cons.pushElements(r.contact);
    for (const l of r.links) links.pushElements(l);
    for (const p of r.contactPoints) points.pushElements(p);
    docs.pushElements(r.doc);
    events.pushElements(r.event);
  }
  await insertBatch(tx, [cons, links, points, docs, events]);
}

/**
 * `fn` under a savepoint of the batch's transaction: a row the services refuse
 * is undone alone. (Drizzle's nested transaction would BEGIN on the tenant
 * connection, whose transaction withTenant opened by hand.)
 */
export async function savepoint<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  await tx.execute(sql`savepoint import_row`);
  try {
    const result = await fn(tx);
    await tx.execute(sql`release savepoint import_row`);
    return result;
  } catch (err) {
    await tx.execute(sql`rollback to savepoint import_row`);
    throw err;
  }
}


// ---------------------------------------------------------------------------------------------
// Undo

/**
 * Writes back what an import's update replaced, through the object's update
 * service, unless the record was deleted or changed again since. Returns whether it did.
 */
export async function restoreUpdated(ctx: Ctx, objectType: ImportRow["objectType"], id: string, before: Record<string, unknown>, since: Date): Promise<boolean> {
  const def = OBJECTS[objectType];
  try {
    return await inTenant(ctx, async (tx) => {
      const current = await def.load(tx, id);
      if (!current || current.deletedAt || (current.updatedAt as Date).getTime() > since.getTime()) return false;
      await def.update(ctx, tx, id, def.revive?.(before) ?? before);
      return true;
    });
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") return false;
    throw err;
  }
}
