/**
 * Deterministic large tenants for benchmarks: the same seed gives the same
 * workspace. It generates the organisation (departments, teams and members)
 * and, on request, customers and contacts with everything the app derives
 * from them (search index, contact points, name keys); later issues add
 * orders…
 *
 *   npx tsx bench/generate.ts --users 5000 --seed 7          (embedded database in ./data)
 *   npx tsx bench/generate.ts --users 200 --customers 300000 --contacts 1000000 [--rebuild-search-indexes]
 *   DATABASE_URL=postgres://… npx tsx bench/generate.ts --users 5000
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import type pg from "pg";
import { contactIndexDoc } from "../src/server/domains/customers/contacts.js";
import { customerIndexDoc, customerNameKey } from "../src/server/domains/customers/customers.js";
import { arrayLiteral, batchStatement, Columns } from "../src/server/db/bulk.js";
import { cachedSearchTerms, contactPointValues, type IndexDoc } from "../src/server/domains/customers/records.js";
import { formatCode, periodOf } from "../src/server/domains/customers/settings.js";
import { normalisePersonName, searchTerms } from "../src/server/domains/customers/text.js";
import type { Email, Phone } from "../src/server/domains/customers/validation.js";
import { createRng, DEMO_DEPARTMENTS, fakePerson, type Rng } from "../src/server/domains/demo/demo-data.js";
import {
  fakeAddress,
  fakeChinesePerson,
  fakeCompany,
  fakeCreditCode,
  fakeDepartment,
  fakeEmail,
  fakeEnglishPerson,
  fakeLandline,
  fakeMobile,
  fakeTitle,
  fakeWechat,
  LIFECYCLE_WEIGHTS,
  pickCity,
  SOURCES,
  TAGS,
  type FakeCompany,
  type FakeContactPerson,
} from "../src/server/domains/demo/fake-customers.js";

export interface GeneratedTenant {
  workspaceId: string;
  ownerId: string;
  userIds: string[];
}

/** UUIDs from the seeded generator, so ids are reproducible too. */
function seededUuid(rng: Rng): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(rng.next() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Inserts a workspace with `users` members in bulk (multi-row INSERTs in one
 * transaction under the tenant's RLS scope). `ownerId` must be an existing user.
 */
export async function generateTenant(pool: pg.Pool, opts: { seed: number; users: number; ownerId: string; name?: string }): Promise<GeneratedTenant> {
  const rng = createRng(opts.seed);
  const workspaceId = seededUuid(rng);
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("insert into workspaces (id, name) values ($1, $2)", [workspaceId, opts.name ?? `Bench ${opts.seed}`]);
    await client.query("select set_config('app.tenant_id', $1, true)", [workspaceId]);
    const { seedSystemRoles } = await import("../src/server/domains/workspaces/roles.js");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const roleIds = await seedSystemRoles(drizzle({ client }) as never, workspaceId);
    await client.query("insert into memberships (tenant_id, user_id, role_id) values ($1, $2, $3)", [workspaceId, opts.ownerId, roleIds.owner]);

    const deptIds: Record<string, string> = {};
    for (const d of DEMO_DEPARTMENTS) {
      const id = seededUuid(rng);
      const parentPath = d.parent ? (await client.query<{ path: string }>("select path from departments where id = $1", [deptIds[d.parent]])).rows[0]!.path : "/";
      await client.query("insert into departments (tenant_id, id, name, parent_id, path) values ($1, $2, $3, $4, $5)", [
        workspaceId,
        id,
        d.zh,
        d.parent ? deptIds[d.parent] : null,
        `${parentPath}${id}/`,
      ]);
      deptIds[d.key] = id;
    }
    const depts = Object.values(deptIds);
    const roles = ["sales", "sales", "sales", "service", "marketing", "manager", "read_only"];
    const userIds: string[] = [];
    const domain = `bench${opts.seed}.example.com`;
    const batch = 1000;
    for (let start = 0; start < opts.users; start += batch) {
      const n = Math.min(batch, opts.users - start);
      const uRows: unknown[] = [];
      const mRows: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const id = seededUuid(rng);
        const p = fakePerson(rng, start + i + 1, domain);
        uRows.push(id, p.email, p.name, p.locale);
        mRows.push(workspaceId, id, roleIds[rng.pick(roles)], rng.pick(depts));
        userIds.push(id);
      }
      const ph = (cols: number, rows: number) =>
        Array.from({ length: rows }, (_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(",")})`).join(",");
      await client.query(`insert into users (id, email, name, locale) values ${ph(4, n)}`, uRows);
      await client.query(`insert into memberships (tenant_id, user_id, role_id, department_id) values ${ph(4, n)}`, mRows);
    }
    await client.query("commit");
    return { workspaceId, ownerId: opts.ownerId, userIds };
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    client.release();
  }
}

export interface GeneratedCustomers {
  customers: number;
  contacts: number;
  ms: number;
}

const customerColumns = () =>
  new Columns("customers", [
    ["id", "uuid"], ["code", "text"], ["kind", "text"], ["name", "text"], ["short_name", "text"], ["name_key", "text"], ["source", "text"],
    ["owner_id", "uuid"], ["status", "text"], ["lifecycle_stage", "text"], ["grade", "text"], ["industry", "text"], ["company_size", "text"],
    ["cooperation_since", "date"], ["website", "text"], ["phones", "jsonb"], ["emails", "jsonb"], ["tags", "text[]"], ["province_code", "text"],
    ["city_code", "text"], ["district_code", "text"], ["address", "text"], ["credit_code", "text"], ["gender", "text"], ["birthday", "date"],
    ["pool_id", "uuid"], ["owned_since", "timestamptz"], ["last_follow_up_at", "timestamptz"], ["created_by", "uuid"], ["created_at", "timestamptz"],
    ["updated_at", "timestamptz"],
  ]);
const contactColumns = () =>
  new Columns("contacts", [
    ["id", "uuid"], ["name", "text"], ["name_key", "text"], ["gender", "text"], ["title", "text"], ["department", "text"], ["birthday", "date"],
    ["wechat", "text"], ["phones", "jsonb"], ["emails", "jsonb"], ["owner_id", "uuid"], ["tags", "text[]"], ["is_self", "boolean"],
    ["created_by", "uuid"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
  ]);
const linkColumns = () => new Columns("customer_contacts", [["customer_id", "uuid"], ["contact_id", "uuid"], ["role", "text"], ["is_primary", "boolean"]]);
const pointColumns = () => new Columns("contact_points", [["object_type", "text"], ["object_id", "uuid"], ["kind", "text"], ["value", "text"]]);
const docColumns = () =>
  new Columns("search_documents", [
    ["object_type", "text"], ["object_id", "uuid"], ["owner_id", "uuid"], ["title", "text"], ["subtitle", "text"], ["terms", "text[]"], ["latin", "text"], ["deleted", "boolean"],
  ]);

const DAY = 86_400_000;
/** "Now" of the generated data, fixed so that a seed gives the same rows whatever the date. */
const GENERATED_AT = Date.UTC(2026, 5, 30, 12);
const CODE_PATTERN = "C{YYYY}{SEQ:5}";
const CODE_DATE = "2026-06-30";
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(Math.floor(ms)).toISOString();
const json = (v: unknown) => JSON.stringify(v);

const GRADES = [["A", 10], ["B", 30], ["C", 40], [null, 20]] as const;
const STATUSES = [["active", 92], ["inactive", 6], ["blacklisted", 2]] as const;
const SIZES = ["micro", "small", "small", "medium", "medium", "large", "enterprise"] as const;
const ROLES = ["decision_maker", "influencer", "influencer", "user", "user", "user", "other", "other"] as const;
/** The search index's GIN indexes: with `rebuildSearchIndexes`, built once after the load instead of row by row. */
const SEARCH_INDEXES = ["search_documents_terms_idx", "search_documents_latin_idx"];

function pickWeighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let r = rng.next() * items.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[items.length - 1]![0];
}

type City = FakeCompany["city"];

/**
 * Customers and contacts of a generated tenant, with the rows the app writes
 * beside them: search_documents (searchTerms of customerIndexDoc and
 * contactIndexDoc, as customers.ts and contacts.ts reindex), contact_points,
 * name keys, the individual customers' own contacts, and the code counter.
 *
 * Organisations (~85%) and individuals; about a fifth English. Contacts are
 * spread over the organisations, a quarter of them on key accounts; each
 * has the owner of its customer; ~8% of customers are in the public pool.
 *
 * Bulk: one multi-table INSERT … SELECT FROM unnest(arrays) per batch (one
 * round trip, one transaction), sent while the next batch is built.
 * `rebuildSearchIndexes` drops the search GIN indexes during the load and
 * builds them afterwards: only on a database nobody searches meanwhile.
 */
export async function generateCustomers(
  pool: pg.Pool,
  tenant: GeneratedTenant,
  opts: { seed: number; customers?: number; contacts?: number; batch?: number; rebuildSearchIndexes?: boolean; log?: (msg: string) => void },
): Promise<GeneratedCustomers> {
  const total = { customers: opts.customers ?? 300_000, contacts: opts.contacts ?? 1_000_000 };
  const batch = opts.batch ?? 5000;
  const log = opts.log ?? (() => undefined);
  // Its own stream: the same users whether or not customers are generated.
  const rng = createRng((opts.seed * 7919) ^ 0x5eedc0de);
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  const owners = tenant.userIds.length ? tenant.userIds : [tenant.ownerId];
  // Some reps hold many more customers than others.
  const pickOwner = () => owners[Math.floor(rng.next() ** 1.6 * owners.length)]!;
  const createdBy = tenant.ownerId;
  const contactTerms = cachedSearchTerms();
  const personKeys = new Map<string, string>();
  const personKey = (name: string) => {
    let k = personKeys.get(name);
    if (k === undefined) personKeys.set(name, (k = normalisePersonName(name)));
    return k;
  };

  const client = await pool.connect();
  let broken: Error | undefined;
  let contactCount = 0;
  try {
    let dropped: string[] = [];
    if (opts.rebuildSearchIndexes) {
      const { rows } = await client.query<{ indexdef: string }>("select indexdef from pg_indexes where tablename = 'search_documents' and indexname = any($1)", [SEARCH_INDEXES]);
      dropped = rows.map((r) => r.indexdef);
      for (const name of SEARCH_INDEXES) await client.query(`drop index if exists ${name}`);
    }
    // Session-level on this connection only (reset below): each batch statement is its own transaction.
    await client.query("select set_config('app.tenant_id', $1, false), set_config('synchronous_commit', 'off', false)", [tenant.workspaceId]);
    await client.query("insert into pools (tenant_id, name, is_default) values ($1, '公海', true) on conflict do nothing", [tenant.workspaceId]);
    const poolId = (await client.query<{ id: string }>("select id from pools where is_default")).rows[0]!.id;

    let inflight: Promise<unknown> = Promise.resolve();
    let written = 0;
    let logged = 0;
    const write = async (tables: Columns[], rows: number) => {
      const st = batchStatement(tables);
      await inflight;
      inflight = client.query(st.text, st.values).then(() => {
        written += rows;
        if (written - logged >= 100_000) {
          logged = written;
          log(`  ${written.toLocaleString("en")} customers and contacts in ${elapsed()}`);
        }
      });
      // Awaited by the next write; until then a failure must not count as unhandled.
      inflight.catch(() => undefined);
    };

    const contactDetails = (person: FakeContactPerson, domain: string | null, city: City | null) => {
      const phones: Phone[] = [];
      if (rng.next() < 0.95) phones.push({ label: "mobile", number: fakeMobile(rng) });
      if (city && rng.next() < 0.25) phones.push({ label: "work", number: fakeLandline(rng, city) });
      const emails: Email[] = rng.next() < 0.75 ? [{ label: domain ? "work" : "personal", address: fakeEmail(rng, person, domain) }] : [];
      return { phones, emails };
    };
    const someTags = () => (rng.next() < 0.25 ? [...new Set([rng.pick(TAGS), ...(rng.next() < 0.3 ? [rng.pick(TAGS)] : [])])] : []);
    const addDoc = (docs: Columns, doc: IndexDoc, terms: { terms: string[]; latin: string }) =>
      docs.push(doc.objectType, doc.objectId, doc.ownerId, doc.title, doc.subtitle, arrayLiteral(terms.terms), terms.latin, doc.deleted);

    // Organisations, for their contacts.
    const orgs = { ids: [] as string[], names: [] as string[], owners: [] as (string | null)[], domains: [] as string[], english: [] as boolean[], cities: [] as City[], created: [] as number[], primary: [] as boolean[] };
    let contactsLeft = total.contacts;

    for (let start = 0; start < total.customers; start += batch) {
      const n = Math.min(batch, total.customers - start);
      const [cust, cons, links, points, docs] = [customerColumns(), contactColumns(), linkColumns(), pointColumns(), docColumns()];
      let selfContacts = 0;
      for (let i = start; i < start + n; i++) {
        const id = seededUuid(rng);
        // Individuals have their own contact: only while the contact budget lasts.
        const individual = contactsLeft > 0 && rng.next() < 0.15;
        const english = rng.next() < 0.2;
        const ownerId = rng.next() < 0.08 ? null : pickOwner();
        const created = GENERATED_AT - rng.next() * 3 * 365 * DAY;
        const updated = created + rng.next() * (GENERATED_AT - created);
        const stage = LIFECYCLE_WEIGHTS(rng);
        const cooperationSince = stage !== "prospect" && stage !== "new" ? isoDate(created - rng.next() * 5 * 365 * DAY) : null;
        const tags = someTags();
        const code = formatCode(CODE_PATTERN, i + 1, CODE_DATE);
        let row: Parameters<typeof customerIndexDoc>[0];
        let city: City;
        let kind: "organization" | "individual";
        let industry = "";
        let size: string | null = null;
        let gender: string | null = null;
        let birthday: string | null = null;
        if (individual) {
          const person = english ? fakeEnglishPerson(rng) : fakeChinesePerson(rng);
          const { phones, emails } = contactDetails(person, null, null);
          kind = "individual";
          city = pickCity(rng);
          gender = person.gender;
          birthday = rng.next() < 0.4 ? isoDate(Date.UTC(rng.int(1950, 2005), rng.int(0, 11), rng.int(1, 28))) : null;
          row = { id, ownerId, name: person.name, shortName: "", code, creditCode: null, website: "", tags, phones, emails, deletedAt: null };
          // The individual's own contact, as syncSelfContact writes it: contact points, no search document.
          const contactId = seededUuid(rng);
          cons.push(contactId, person.name, personKey(person.name), gender, "", "", birthday, "", json(phones), json(emails), ownerId, "{}", true, createdBy, iso(created), iso(updated));
          links.push(id, contactId, "decision_maker", true);
          for (const p of contactPointValues(phones, emails)) points.push("contact", contactId, p.kind, p.value);
          contactsLeft--;
          selfContacts++;
        } else {
          const company = fakeCompany(rng, english);
          const phones: Phone[] = [];
          if (rng.next() < 0.8) phones.push({ label: "work", number: fakeLandline(rng, company.city) });
          if (rng.next() < 0.3) phones.push({ label: "mobile", number: fakeMobile(rng) });
          const emails: Email[] = rng.next() < 0.6 ? [{ label: "work", address: `${rng.pick(["info", "sales", "contact", "service", "hr"])}@${company.domain}` }] : [];
          const website = rng.next() < 0.5 ? `www.${company.domain}` : "";
          const creditCode = !english && rng.next() < 0.8 ? fakeCreditCode(rng, fakeAddress(rng, company.city).districtCode) : null;
          kind = "organization";
          city = company.city;
          industry = company.industry;
          size = rng.pick(SIZES);
          row = { id, ownerId, name: company.name, shortName: company.shortName, code, creditCode, website, tags, phones, emails, deletedAt: null };
          orgs.ids.push(id);
          orgs.names.push(company.name);
          orgs.owners.push(ownerId);
          orgs.domains.push(company.domain);
          orgs.english.push(english);
          orgs.cities.push(company.city);
          orgs.created.push(created);
          orgs.primary.push(false);
        }
        const addr = rng.next() < 0.7 ? fakeAddress(rng, city) : null;
        const lastFollowUp = ownerId && rng.next() < 0.7 ? iso(created + rng.next() * (GENERATED_AT - created)) : null;
        cust.push(
          id, code, kind, row.name, row.shortName, customerNameKey(row.name), SOURCES(rng), ownerId, pickWeighted(rng, STATUSES), stage,
          pickWeighted(rng, GRADES), industry, size, cooperationSince, row.website, json(row.phones), json(row.emails), arrayLiteral(tags),
          city.provinceCode, city.cityCode, addr?.districtCode ?? null, addr?.address ?? "", row.creditCode, gender, birthday,
          ownerId ? null : poolId, ownerId ? iso(created) : null, lastFollowUp, createdBy, iso(created), iso(updated),
        );
        for (const p of contactPointValues(row.phones, row.emails)) points.push("customer", id, p.kind, p.value);
        const doc = customerIndexDoc(row);
        addDoc(docs, doc, searchTerms(doc.source));
      }
      contactCount += selfContacts;
      await write([cust, cons, links, points, docs], n + selfContacts);
    }
    log(`  ${total.customers.toLocaleString("en")} customers (${contactCount.toLocaleString("en")} individuals with their own contact) in ${elapsed()}`);

    // Contacts of organisations: a quarter on key accounts (every 50th organisation), the rest spread evenly.
    const orgCount = orgs.ids.length;
    const contacts = orgCount > 0 ? contactsLeft : 0;
    for (let start = 0; start < contacts; start += batch) {
      const n = Math.min(batch, contacts - start);
      const [cons, links, points, docs] = [contactColumns(), linkColumns(), pointColumns(), docColumns()];
      for (let j = 0; j < n; j++) {
        const o = rng.next() < 0.25 ? Math.min(orgCount - 1, 50 * Math.floor(rng.next() * Math.ceil(orgCount / 50))) : Math.floor(rng.next() * orgCount);
        const id = seededUuid(rng);
        const english = rng.next() < (orgs.english[o] ? 0.85 : 0.05);
        const person = english ? fakeEnglishPerson(rng) : fakeChinesePerson(rng);
        const { phones, emails } = contactDetails(person, orgs.domains[o]!, orgs.cities[o]!);
        const title = fakeTitle(rng, english);
        const department = fakeDepartment(rng, english);
        const wechat = rng.next() < (english ? 0.1 : 0.45) ? fakeWechat(rng, person) : "";
        const birthday = rng.next() < 0.2 ? isoDate(Date.UTC(rng.int(1955, 2002), rng.int(0, 11), rng.int(1, 28))) : null;
        const tags = rng.next() < 0.4 ? someTags() : [];
        const ownerId = orgs.owners[o]!;
        const created = orgs.created[o]! + rng.next() * (GENERATED_AT - orgs.created[o]!);
        const updated = created + rng.next() * (GENERATED_AT - created);
        const isPrimary = !orgs.primary[o];
        orgs.primary[o] = true;
        cons.push(id, person.name, personKey(person.name), person.gender, title, department, birthday, wechat, json(phones), json(emails), ownerId, arrayLiteral(tags), false, createdBy, iso(created), iso(updated));
        links.push(orgs.ids[o], id, isPrimary ? "decision_maker" : rng.pick(ROLES), isPrimary);
        for (const p of contactPointValues(phones, emails)) points.push("contact", id, p.kind, p.value);
        const doc = contactIndexDoc({ id, ownerId, name: person.name, title, department, wechat, tags, phones, emails, deletedAt: null, isSelf: false }, [{ name: orgs.names[o]! }]);
        addDoc(docs, doc, contactTerms(doc.source));
      }
      contactCount += n;
      await write([cons, links, points, docs], n);
    }
    await inflight;
    log(`  ${contactCount.toLocaleString("en")} contacts in ${elapsed()}`);
    // The numbering goes on after the generated codes.
    await client.query(
      "insert into customer_settings (tenant_id, code_pattern, code_period, code_next) values ($1, $2, $3, $4) on conflict (tenant_id) do update set code_period = excluded.code_period, code_next = excluded.code_next",
      [tenant.workspaceId, CODE_PATTERN, periodOf(CODE_PATTERN, CODE_DATE), total.customers + 1],
    );
    await client.query("select set_config('app.tenant_id', '', false), set_config('synchronous_commit', 'on', false)");
    if (dropped.length) {
      await client.query("set maintenance_work_mem = '1GB'");
      for (const def of dropped) await client.query(def);
      await client.query("reset maintenance_work_mem");
      log(`  search indexes built in ${elapsed()}`);
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
  // Settle GIN pending lists, the visibility map and the statistics, as autovacuum would on a live system.
  await pool.query("vacuum (analyze) customers, contacts, customer_contacts, contact_points, search_documents");
  log(`  vacuum analyze done in ${elapsed()}`);
  return { customers: total.customers, contacts: contactCount, ms: Date.now() - t0 };
}

async function main() {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      // 0: the organisation only, as before; e.g. --customers 300000 --contacts 1000000 for the search benchmark's tenant.
      customers: { type: "string", default: "0" },
      contacts: { type: "string", default: "0" },
      // Drop the search GIN indexes during the load and build them after: only on a database nobody uses meanwhile.
      "rebuild-search-indexes": { type: "boolean", default: false },
    },
  });
  const { loadConfig } = await import("../src/server/config.js");
  const { openDatabase } = await import("../src/server/db/bootstrap.js");
  const { createUser } = await import("../src/server/domains/identity/users.js");
  const config = loadConfig();
  const rt = await openDatabase(config, (m) => console.error(m));
  try {
    const seed = Number(values.seed);
    const owner = await createUser(rt.database, {
      email: `owner.${seed}.${crypto.randomBytes(3).toString("hex")}@bench.example.com`,
      name: "Bench Owner",
      password: undefined,
      locale: "zh-CN",
    });
    const t0 = Date.now();
    const tenant = await generateTenant(rt.database.pool, { seed, users: Number(values.users), ownerId: owner.id });
    console.log(`workspace ${tenant.workspaceId}: ${tenant.userIds.length} users in ${Date.now() - t0} ms`);
    if (Number(values.customers) > 0 || Number(values.contacts) > 0) {
      const made = await generateCustomers(rt.database.pool, tenant, {
        seed,
        customers: Number(values.customers),
        contacts: Number(values.contacts),
        rebuildSearchIndexes: values["rebuild-search-indexes"],
        log: (m) => console.log(m),
      });
      console.log(`${made.customers} customers and ${made.contacts} contacts in ${(made.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    await rt.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
