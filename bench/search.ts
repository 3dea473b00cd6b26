/**
 * Search and list benchmark (issue #3) on a generated tenant of 300,000
 * customers and 1,000,000 contacts with Chinese and English names:
 *   - Guanxi's search service (`search(ctx, { q, limit: 20 })`) over 1000 mixed
 *     queries drawn from the data (2-character Chinese names, parts of company
 *     names, pinyin, initials, phone fragments, e-mails, English names with a
 *     typo), one client and 8 concurrent clients, with how often the record a
 *     query was drawn from comes back in the top 20;
 *   - beside it, in the same run, a plain ILIKE '%q%' scan of the same data;
 *   - the list service functions (findCustomers / findContacts) with a filter
 *     and a sort, at varying cursors.
 *
 * The tenant is generated once per seed and size, then reused: in its own
 * embedded PostgreSQL under BENCH_DATA_DIR (default: the system temp dir),
 * or in DATABASE_URL. Never in ./data.
 *
 *   npm run bench:search
 *   BENCH_SEED BENCH_CUSTOMERS BENCH_CONTACTS BENCH_USERS BENCH_QUERIES BENCH_BASELINE_QUERIES BENCH_SLOW_QUERIES
 *   BENCH_DATA_DIR BENCH_REPORT BENCH_ONLY=search|lists
 */
import crypto from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { pinyin } from "pinyin-pro";
import { pino } from "pino";
import { loadConfig } from "../src/server/config.js";
import { markSearchOperatorsLeakproof, missingLeakproof } from "../src/server/db/bootstrap.js";
import { findContacts } from "../src/server/domains/customers/contacts.js";
import { findCustomers } from "../src/server/domains/customers/customers.js";
import { search } from "../src/server/domains/customers/search.js";
import { createRng, type Rng } from "../src/server/domains/demo/demo-data.js";
import { systemRolePermissions } from "../src/server/lib/access.js";
import { systemCtx, type Ctx } from "../src/server/lib/context.js";
import { createCipher } from "../src/server/lib/crypto.js";
import { createMailer } from "../src/server/lib/mail.js";
import type { Services } from "../src/server/lib/services.js";
import { BENCH_DIR, openBenchTenant, SEED, workspaceName } from "./tenant.js";

const env = process.env;
const QUERIES = Number(env.BENCH_QUERIES ?? 1000);
const BASELINE_QUERIES = Number(env.BENCH_BASELINE_QUERIES ?? 100);
/** A search suite whose first queries take more than SLOW_MS (median) runs on SLOW_QUERIES of them only. */
const SLOW_MS = 200;
const SLOW_QUERIES = Number(env.BENCH_SLOW_QUERIES ?? 30);
const CONCURRENCY = 8;
const LIST_RUNS = 200;
/** "search" or "lists" to run one part only. */
const ONLY = env.BENCH_ONLY ?? "";

type Kind = "2-char name" | "part of company" | "pinyin" | "initials" | "phone digits" | "e-mail" | "English typo";
const MIX: [Kind, number][] = [
  ["2-char name", 0.2],
  ["part of company", 0.15],
  ["pinyin", 0.15],
  ["initials", 0.1],
  ["phone digits", 0.15],
  ["e-mail", 0.15],
  ["English typo", 0.1],
];
export interface BenchQuery {
  kind: Kind;
  q: string;
  /** The record the query was drawn from. */
  target: string;
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}
function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { n: s.length, p50: pct(50), p95: pct(95), p99: pct(99) };
}
const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

// ---------------------------------------------------------------------------------------------
// Queries drawn from the data

/** A uuid from the generator: a deterministic place to start looking in the id order. */
function uuidFrom(rng: Rng): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16)).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface Sampled {
  id: string;
  name: string;
  name_key: string;
  short_name: string;
  kind: string | null;
  phones: { number: string }[];
  emails: { address: string }[];
  terms: string[];
}

const CONTACT_ROWS = `select c.id, c.name, c.name_key, '' as short_name, null as kind, c.phones, c.emails, d.terms
  from contacts c join search_documents d on d.tenant_id = c.tenant_id and d.object_type = 'contact' and d.object_id = c.id
  where c.id >= $1 and not c.is_self and c.deleted_at is null order by c.id limit 40`;
const CUSTOMER_ROWS = `select c.id, c.name, c.name_key, c.short_name, c.kind, c.phones, c.emails, d.terms
  from customers c join search_documents d on d.tenant_id = c.tenant_id and d.object_type = 'customer' and d.object_id = c.id
  where c.id >= $1 and c.deleted_at is null order by c.id limit 40`;

const CJK = /^[\u3400-\u9fff]+$/;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** One edit inside a word (never its first letter): a wrong, missing, extra or swapped letter. */
function typo(rng: Rng, word: string): string {
  const i = rng.int(1, word.length - 2);
  const other = (c: string) => {
    let x = c;
    while (x.toLowerCase() === c.toLowerCase()) x = rng.pick([...LETTERS]);
    return x;
  };
  switch (rng.int(0, 3)) {
    case 0:
      return word.slice(0, i) + other(word[i]!) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + other(word[i]!) + word.slice(i);
    default:
      return word[i] === word[i + 1] ? word.slice(0, i) + other(word[i]!) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

const termOf = (terms: string[], prefix: string) => terms.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));

function draw(kind: Kind, rng: Rng, row: Sampled): string | null {
  switch (kind) {
    case "2-char name":
      return row.name.length === 2 && CJK.test(row.name) ? row.name : null;
    case "part of company": {
      // 2–4 characters of the name without region and legal form (北京元石科技有限公司 → 元石, 石科技 …).
      if (row.kind !== "organization" || !CJK.test(row.name_key) || row.name_key.length < 2) return null;
      const len = Math.min(rng.int(2, 4), row.name_key.length);
      const start = rng.int(0, row.name_key.length - len);
      return row.name_key.slice(start, start + len);
    }
    case "pinyin": {
      const full = CJK.test(row.name) ? termOf(row.terms, "p:")[0] : undefined;
      if (!full) return null;
      // A third typed with spaces (zhang wei).
      const spaced = pinyin(row.name, { toneType: "none", type: "array", v: true }).join(" ");
      return rng.next() < 1 / 3 && spaced.replace(/ /g, "") === full ? spaced : full;
    }
    case "initials": {
      // Contacts: their name's; companies: their short name's (元石科技 → yskj), as people abbreviate them.
      if (row.kind === null) return CJK.test(row.name) ? (termOf(row.terms, "i:")[0] ?? null) : null;
      if (row.kind !== "organization" || !CJK.test(row.short_name)) return null;
      const initials = pinyin(row.short_name, { pattern: "first", toneType: "none", type: "array" }).join("");
      return row.terms.includes(`i:${initials}`) ? initials : null;
    }
    case "phone digits": {
      const digits = termOf(row.terms, "d:").sort((a, b) => b.length - a.length)[0];
      if (!digits || digits.length < 7) return null;
      return digits.slice(-rng.int(4, 6));
    }
    case "e-mail": {
      const address = row.emails[0]?.address;
      if (!address) return null;
      return rng.next() < 0.5 ? address : address.split("@")[0]!;
    }
    case "English typo": {
      const words = row.name.split(" ");
      if (words.length !== 2 || !words.every((w) => /^[A-Za-z]+$/.test(w))) return null;
      const eligible = words.map((w, i) => (w.length >= 5 ? i : -1)).filter((i) => i >= 0);
      if (!eligible.length) return null;
      const which = rng.pick(eligible);
      return words.map((w, i) => (i === which ? typo(rng, w) : w)).join(" ");
    }
  }
}

/** `total` queries of the MIX, drawn from the tenant's records (raw: a pool scoped to the tenant), in a shuffled order. */
export async function drawQueries(raw: pg.Pool, total: number): Promise<BenchQuery[]> {
  const rng = createRng(SEED * 31 + 17);
  const out: BenchQuery[] = [];
  for (const [kind, share] of MIX) {
    const want = Math.round(total * share);
    let got = 0;
    for (let attempts = 0; got < want && attempts < want * 20; attempts++) {
      const onCustomers = kind === "part of company" || ((kind === "initials" || kind === "phone digits") && rng.next() < 0.3);
      const { rows } = await raw.query<Sampled>(onCustomers ? CUSTOMER_ROWS : CONTACT_ROWS, [uuidFrom(rng)]);
      for (const row of rows) {
        const q = draw(kind, rng, row);
        if (q) {
          out.push({ kind, q, target: row.id });
          got++;
          break;
        }
      }
    }
  }
  // Interleave the kinds.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Runs

interface SuiteResult {
  name: string;
  all: Stats;
  byKind: Map<Kind, Stats>;
  found: number;
  foundByKind: Map<Kind, [found: number, total: number]>;
  /** Calls that failed (e.g. no free database connection within the pool's 10 s timeout); timed until they failed. */
  errors: number;
  note?: string;
}

/** Runs `fn` over the queries with `clients` concurrent callers; latency per call, and whether the target came back. */
async function runSuite(
  name: string,
  queries: BenchQuery[],
  clients: number,
  fn: (q: BenchQuery) => Promise<string[]>,
): Promise<SuiteResult> {
  const ms: number[] = new Array(queries.length);
  const hit: boolean[] = new Array(queries.length);
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < queries.length; i = next++) {
        const t = performance.now();
        const ids = await fn(queries[i]!).catch((): string[] => {
          errors++;
          return [];
        });
        ms[i] = performance.now() - t;
        hit[i] = ids.includes(queries[i]!.target);
      }
    }),
  );
  const byKind = new Map<Kind, Stats>();
  const foundByKind = new Map<Kind, [number, number]>();
  for (const [kind] of MIX) {
    const idx = queries.map((q, i) => (q.kind === kind ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    byKind.set(kind, stats(idx.map((i) => ms[i]!)));
    foundByKind.set(kind, [idx.filter((i) => hit[i]).length, idx.length]);
  }
  return { name, all: stats(ms), byKind, found: hit.filter(Boolean).length, foundByKind, errors };
}

/** The baseline: what a plain scan finds, the first 20 rows of customers then contacts whose name, phones or e-mails contain the text. */
const ILIKE_SQL = `
  (select c.id from customers c where c.tenant_id = $1 and c.deleted_at is null
      and (c.name ilike $2 or c.phones::text ilike $2 or c.emails::text ilike $2) limit 20)
  union all
  (select c.id from contacts c where c.tenant_id = $1 and c.deleted_at is null and not c.is_self
      and (c.name ilike $2 or c.phones::text ilike $2 or c.emails::text ilike $2) limit 20)
  limit 20`;

// ---------------------------------------------------------------------------------------------

async function main() {
  const s = await openBenchTenant({ rawConnections: CONCURRENCY });
  const started = Date.now();
  const lines: string[] = [];
  try {
    const log = pino({ level: "silent" });
    const services = {
      config: loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent" }),
      mailer: createMailer(undefined, "bench", log),
      cipher: createCipher(crypto.randomBytes(32).toString("base64")),
    } as Services;
    const owner = systemCtx(s.database, services, s.tenantId, systemRolePermissions("owner"), s.ownerId);
    const reps = (await s.raw.query<{ user_id: string }>("select m.user_id from memberships m join roles r on r.tenant_id = m.tenant_id and r.id = m.role_id where r.key = 'sales' order by m.user_id")).rows.map((r) => r.user_id);
    const repCtx = (userId: string): Ctx => ({ ...systemCtx(s.database, services, s.tenantId, systemRolePermissions("sales"), userId), actorType: "user", roleKey: "sales", visibility: "own" });
    const counts = (await s.raw.query<{ customers: number; contacts: number; docs: number }>(
      "select (select count(*) from customers)::int as customers, (select count(*) from contacts)::int as contacts, (select count(*) from search_documents)::int as docs",
    )).rows[0]!;
    const sizes = (await s.raw.query<{ name: string; size: string }>(
      "select c.relname as name, pg_size_pretty(pg_total_relation_size(c.oid)) as size from pg_class c where c.relname in ('search_documents', 'customers', 'contacts')",
    )).rows;
    console.log(`Tenant: ${counts.customers.toLocaleString("en")} customers, ${counts.contacts.toLocaleString("en")} contacts, ${counts.docs.toLocaleString("en")} search documents (${s.generation})`);

    // Drawing takes minutes (random probes into 1M rows): kept beside the generated tenant, whose id names it.
    const queryCache = path.join(BENCH_DIR, `queries-${s.tenantId}-${SEED}-${QUERIES}.json`);
    const queries: BenchQuery[] = existsSync(queryCache) ? (JSON.parse(await fs.readFile(queryCache, "utf8")) as BenchQuery[]) : await drawQueries(s.raw, QUERIES);
    await fs.mkdir(path.dirname(queryCache), { recursive: true });
    await fs.writeFile(queryCache, JSON.stringify(queries));
    console.log(`${queries.length} queries drawn; e.g. ${MIX.map(([k]) => JSON.stringify(queries.find((q) => q.kind === k)?.q)).join(", ")}`);
    const searchIds = (ctx: Ctx) => async (q: BenchQuery) => (await search(ctx, { q: q.q, limit: 20 })).map((r) => r.id);
    // Samples spread over the shuffled queries, so every kind is in them.
    const sample = (n: number) => queries.filter((_, i) => i % Math.max(1, Math.round(queries.length / n)) === 0).slice(0, n);
    const baselineSet = sample(BASELINE_QUERIES);

    const suites: SuiteResult[] = [];
    /** A search suite over all queries, or over the baseline's sample when a query takes a sequential scan. */
    const searchSuites = async (label: string, opts: { reps: boolean; concurrent: boolean }) => {
      const probe = await runSuite("probe", queries.slice(0, 10), 1, searchIds(owner));
      const slow = probe.all.p50 > SLOW_MS;
      const set = slow ? sample(SLOW_QUERIES) : queries;
      const note = slow ? `${set.length} of the ${queries.length} queries (median of a probe ${f(probe.all.p50)} ms)` : undefined;
      if (!slow) await runSuite("warm-up", queries, 1, searchIds(owner));
      for (const clients of opts.concurrent ? [1, CONCURRENCY] : [1]) {
        console.log(`search ${label}, ${clients} client(s), ${set.length} queries …`);
        const r = await runSuite(`Guanxi search${label}, ${clients === 1 ? "1 client" : `${clients} concurrent clients`}`, set, clients, searchIds(owner));
        suites.push({ ...r, note });
      }
      if (opts.reps && !slow && reps.length) {
        let n = 0;
        const r = await runSuite(`Guanxi search${label}, as a sales rep (visibility: own), 1 client`, queries, 1, (q) => searchIds(repCtx(reps[n++ % reps.length]!))(q));
        suites.push({ ...r, note: "sees only its own records" });
      }
    };

    if (ONLY !== "lists") {
      const missing = await missingLeakproof(s.raw);
      await searchSuites(missing.length ? " (search operators not LEAKPROOF in this database)" : "", { reps: true, concurrent: true });
      if (s.superuserUrl) {
        // What an external database gets until its DBA marks the operators (README): undone afterwards.
        await markSearchOperatorsLeakproof(s.superuserUrl, false);
        try {
          await searchSuites(" without the LEAKPROOF step (an external database before its DBA runs the README's SQL)", { reps: false, concurrent: false });
        } finally {
          await markSearchOperatorsLeakproof(s.superuserUrl);
        }
      }
      console.log(`ILIKE baseline, ${baselineSet.length} queries …`);
      const escape = (t: string) => "%" + t.replace(/[\\%_]/g, "\\$&") + "%";
      const baseline = await runSuite(`plain ILIKE '%q%' scan (name, phones, emails of customers and contacts), 1 client`, baselineSet, 1, async (q) =>
        (await s.raw.query<{ id: string }>(ILIKE_SQL, [s.tenantId, escape(q.q)])).rows.map((r) => r.id),
      );
      suites.push({ ...baseline, note: `${baselineSet.length} of the ${queries.length} queries` });
    }

    // Lists: a filter and a sort at varying cursors (every 10th run the first page).
    const rng = createRng(SEED * 131 + 7);
    const positions = async (table: "customers" | "contacts") => {
      const out: { id: string; updated_at: Date }[] = [];
      for (let i = 0; i < LIST_RUNS; i++) {
        const { rows } = await s.raw.query<{ id: string; updated_at: Date }>(`select id, updated_at from ${table} where id >= $1 order by id limit 1`, [uuidFrom(rng)]);
        if (rows[0]) out.push(rows[0]);
      }
      return out;
    };
    const cursorAt = (sort: string, p: { id: string; updated_at: Date }) => Buffer.from(JSON.stringify({ s: sort, v: p.updated_at.toISOString(), id: p.id })).toString("base64url");
    const customerPositions = await positions("customers");
    const contactPositions = await positions("contacts");
    const owners = (await s.raw.query<{ owner_id: string }>("select distinct owner_id from customers where owner_id is not null order by owner_id")).rows.map((r) => r.owner_id);
    const contactRows = `${(counts.contacts / 1e6).toFixed(counts.contacts >= 1e6 ? 0 : 2)}M rows`;
    const listCases: { name: string; run: (i: number) => Promise<number> }[] = [
      {
        name: "findCustomers filter=lifecycleStage:eq:new sort=-updatedAt",
        run: async (i) => (await findCustomers(owner, { limit: 50, filter: ["lifecycleStage:eq:new"], sort: "-updatedAt", cursor: i % 10 ? cursorAt("-updatedAt", customerPositions[i]!) : undefined })).items.length,
      },
      {
        name: "findCustomers filter=ownerId:eq:<rep> sort=-updatedAt",
        run: async (i) => (await findCustomers(owner, { limit: 50, filter: [`ownerId:eq:${owners[i % owners.length]}`], sort: "-updatedAt", cursor: i % 10 ? cursorAt("-updatedAt", customerPositions[i]!) : undefined })).items.length,
      },
      {
        name: `findContacts (${contactRows}) filter=ownerId:eq:<rep> sort=-updatedAt`,
        run: async (i) => (await findContacts(owner, { limit: 50, filter: [`ownerId:eq:${owners[i % owners.length]}`], sort: "-updatedAt", cursor: i % 10 ? cursorAt("-updatedAt", contactPositions[i]!) : undefined })).items.length,
      },
      {
        name: `findContacts (${contactRows}) filter=department:eq:采购部 sort=-updatedAt`,
        run: async (i) => (await findContacts(owner, { limit: 50, filter: ["department:eq:采购部"], sort: "-updatedAt", cursor: i % 10 ? cursorAt("-updatedAt", contactPositions[i]!) : undefined })).items.length,
      },
      {
        name: "findCustomers as a sales rep (visibility: own) filter=lifecycleStage:eq:new sort=-updatedAt",
        run: async (i) => (await findCustomers(repCtx(reps[i % reps.length]!), { limit: 50, filter: ["lifecycleStage:eq:new"], sort: "-updatedAt", cursor: i % 10 ? cursorAt("-updatedAt", customerPositions[i]!) : undefined })).items.length,
      },
      {
        name: `findContacts (${contactRows}) as a sales rep (visibility: own) sort=-updatedAt`,
        run: async (i) => (await findContacts(repCtx(reps[i % reps.length]!), { limit: 50, filter: [], sort: "-updatedAt", cursor: i % 10 ? cursorAt("-updatedAt", contactPositions[i]!) : undefined })).items.length,
      },
    ];
    const lists: { name: string; stats: Stats; rows: number }[] = [];
    for (const c of ONLY === "search" ? [] : listCases) {
      console.log(`${c.name} …`);
      for (let i = 0; i < 20; i++) await c.run(i); // warm-up
      const ms: number[] = [];
      let rows = 0;
      for (let i = 0; i < LIST_RUNS; i++) {
        const t = performance.now();
        rows += await c.run(i);
        ms.push(performance.now() - t);
      }
      lists.push({ name: c.name, stats: stats(ms), rows: rows / LIST_RUNS });
    }

    // Report
    const target = (st: Stats) => (st.p95 <= 30 ? "✓" : "✗");
    lines.push(
      `# bench/search.ts — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM`,
      "",
      `Tenant "${workspaceName()}": ${counts.customers.toLocaleString("en")} customers, ${counts.contacts.toLocaleString("en")} contacts, ${counts.docs.toLocaleString("en")} search documents ` +
        `(${sizes.map((r) => `${r.name} ${r.size}`).join(", ")}); ${s.generation}. Database pool ${s.database.tenantPool.options.max}; PostgreSQL ${env.DATABASE_URL ? "from DATABASE_URL" : "embedded (fsync off)"}.`,
      "",
      `## Search: ${queries.length} mixed queries, limit 20`,
      "",
      "| run | queries | p50 ms | p95 ms | p99 ms | drawn record in top 20 | errors | p95 ≤ 30 ms |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
      ...suites.map(
        (r) =>
          `| ${r.name}${r.note ? ` (${r.note})` : ""} | ${r.all.n} | ${f(r.all.p50)} | ${f(r.all.p95)} | ${f(r.all.p99)} | ${r.name.includes("sales rep") ? "–" : `${((100 * r.found) / r.all.n).toFixed(0)}%`} | ${r.errors} | ${r.name.startsWith("plain") ? "" : target(r.all)} |`,
      ),
      "",
      "By kind of query (p50 / p95 ms, found in top 20):",
      "",
      `| kind | ${suites.filter((r) => r.name.includes("1 client")).map((r) => r.name.replace(/, 1 client$/, "")).join(" | ")} |`,
      `| --- | ${suites.filter((r) => r.name.includes("1 client")).map(() => "---:").join(" | ")} |`,
      ...MIX.map(
        ([kind]) =>
          `| ${kind} (e.g. ${queries.filter((q) => q.kind === kind).slice(0, 2).map((q) => `\`${q.q}\``).join(", ")}) | ` +
          suites
            .filter((r) => r.name.includes("1 client"))
            .map((r) => {
              const st = r.byKind.get(kind);
              const [found, n] = r.foundByKind.get(kind) ?? [0, 0];
              return st ? `${f(st.p50)} / ${f(st.p95)}${r.name.includes("sales rep") ? "" : ` (${Math.round((100 * found) / n)}%)`}` : "";
            })
            .join(" | ") +
          " |",
      ),
      "",
      `## Lists: ${LIST_RUNS} runs each, 50 per page, every 10th the first page, the others at a cursor somewhere in the table`,
      "",
      "| run | p50 ms | p95 ms | p99 ms | rows per page | p95 ≤ 30 ms |",
      "| --- | ---: | ---: | ---: | ---: | :---: |",
      ...lists.map((l) => `| ${l.name} | ${f(l.stats.p50)} | ${f(l.stats.p95)} | ${f(l.stats.p99)} | ${l.rows.toFixed(0)} | ${target(l.stats)} |`),
      "",
      `Bench time: ${((Date.now() - started) / 1000).toFixed(0)} s.${s.superuserUrl ? "" : " (The comparison without the LEAKPROOF step needs the bench's own embedded cluster: skipped with DATABASE_URL.)"}`,
    );
    console.log("\n" + lines.join("\n"));
    if (env.BENCH_REPORT) await fs.writeFile(env.BENCH_REPORT, lines.join("\n") + "\n");
  } finally {
    await s.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
