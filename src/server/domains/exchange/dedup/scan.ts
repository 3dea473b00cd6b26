import crypto from "node:crypto";
import { desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../../db/client.js";
import { requireAccess } from "../../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../../lib/context.js";
import { conflict } from "../../../lib/errors.js";
import { recordEvent } from "../../../lib/events.js";
import { defineJob, type JobRun, type JobTools } from "../../../lib/jobs.js";
import { duplicatePairs, duplicateScans, type PairReason } from "../schema.js";
import "./messages.js";
import {
  CANONICAL_EMAIL_SQL,
  companyBlockKeys,
  companyName,
  isProbableDuplicate,
  personBlockKeys,
  personName,
  prepare,
  scorePair,
  type DedupObject,
  type DedupRecord,
  type Prepared,
} from "./similarity.js";

/**
 * The duplicate scan over a workspace's customers or contacts (issue #4), as
 * a job. Blocking: only records that share a key are compared — a phone, an
 * e-mail (canonical: Gmail dots and plus tags dropped), a credit code, a
 * name key (normalised company name, its pinyin, its core without words of
 * trade) and, for contacts, a name form within one customer. Keys come from
 * the database (GROUP BY … HAVING count between 2 and CAP) or, for the name
 * forms SQL cannot compute (pinyin, word order, SymSpell deletions), from a
 * pass over the records in JS. A key shared by more than CAP records (a
 * switchboard, info@, 张伟) is a weak block: it is skipped and counted; its
 * records still meet through their other keys. Candidate pairs are scored in
 * batches (similarity.ts), and probable duplicates are upserted into
 * duplicate_pairs: a dismissed pair stays dismissed, a pending pair this scan
 * no longer finds is removed, and so are pairs whose records were deleted or
 * merged. Every write is idempotent, so a retried attempt resumes from its
 * checkpoint (the phase and the last block key) and redoes at most one batch.
 */

export const SCAN_JOB = "duplicate_scan";
/** Blocks bigger than this are not expanded into pairs (CAP·(CAP−1)/2 = 435 pairs at most per block). */
export const CAP = Number(process.env.GUANXI_DEDUP_BLOCK_CAP ?? 30);
/** Candidate pairs scored per batch (one read of their records, one upsert). */
const BATCH = 4000;
/** Customer–contact links fetched per round trip in the contacts' name phase. */
const LINK_PAGE = 20_000;
/** Records read per query in the customers' name phase. */
const NAME_PAGE = 20_000;

type ScanRow = typeof duplicateScans.$inferSelect;
export type ScanView = Omit<ScanRow, "tenantId" | "createdBy">;
const present = ({ tenantId: _t, createdBy: _c, ...rest }: ScanRow): ScanView => rest;

/** Starts a scan of the workspace's customers or contacts (one at a time per object type). */
export async function startScan(ctx: Ctx, objectType: DedupObject): Promise<ScanView> {
  requireAccess(ctx, `${objectType}:update`);
  const id = crypto.randomUUID();
  await inTenant(ctx, async (tx) => {
    // One scan per object type at a time: the row lock serialises two starts.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`duplicate_scan:${ctx.tenantId}:${objectType}`}, 0))`);
    // A scan whose job is over (its worker died after the last retry) does not count.
    const { rows } = await tx.execute<{ id: string }>(sql`
      select s.id from duplicate_scans s left join jobs j on j.tenant_id = s.tenant_id and j.id = s.job_id
      where s.object_type = ${objectType} and s.status in ('queued', 'running')
        and (j.state in ('queued', 'running') or (s.job_id is null and s.created_at > now() - interval '1 minute'))
      limit 1`);
    const busy = rows[0];
    if (busy) throw conflict("dedup.scan_busy", { scanId: busy.id });
    await tx.insert(duplicateScans).values({ tenantId: ctx.tenantId, id, objectType, createdBy: ctx.userId });
    await recordEvent(tx, ctx, { action: "duplicate_scan.started", objectType: "duplicate_scan", objectId: id, after: { objectType } });
  });
  let jobId: string;
  try {
    jobId = await ctx.services.jobs.enqueue(ctx, SCAN_JOB, { scanId: id, objectType });
  } catch (err) {
    await inTenant(ctx, (tx) => tx.update(duplicateScans).set({ status: "failed", finishedAt: new Date() }).where(eq(duplicateScans.id, id)));
    throw err;
  }
  const [row] = await inTenant(ctx, (tx) => tx.update(duplicateScans).set({ jobId }).where(eq(duplicateScans.id, id)).returning());
  return present(row!);
}

/** Recent scans, newest first, of the object types the caller may review. */
export async function listScans(ctx: Ctx, objectType?: DedupObject): Promise<ScanView[]> {
  if (objectType) requireAccess(ctx, `${objectType}:update`);
  const types = objectType ? [objectType] : (["customer", "contact"] as const).filter((t) => ctx.permissions.has(`${t}:update`));
  if (!types.length) return [];
  const rows = await readTenant(ctx, (tx) =>
    tx.select().from(duplicateScans).where(inArray(duplicateScans.objectType, types)).orderBy(desc(duplicateScans.createdAt)).limit(50),
  );
  return rows.map(present);
}

// ---------------------------------------------------------------------------------------------
// Blocks

interface Block {
  key: string;
  ids: string[];
}

export interface ScanStats {
  records: number;
  compared: number;
  pairs: number;
  blocks: number;
  /** Blocks over CAP, skipped, and the biggest of them. */
  capped: number;
  largestCapped: { key: string; size: number }[];
}

interface BlockSource {
  phase: string;
  /** Blocks in key order, after `after`. */
  blocks(after: string | null): AsyncIterable<Block>;
}

const noteCapped = (stats: ScanStats, key: string, size: number) => {
  stats.capped++;
  stats.largestCapped.push({ key, size });
  stats.largestCapped.sort((a, b) => b.size - a.size);
  stats.largestCapped.length = Math.min(stats.largestCapped.length, 5);
};

/** Blocks grouped in SQL: `keySql` over `fromSql`, ids as text, in key order. */
function sqlSource(ctx: Ctx, phase: string, stats: ScanStats, query: (cap: number) => ReturnType<typeof sql>): BlockSource {
  return {
    phase,
    async *blocks(after) {
      const { rows } = await readTenant(ctx, (tx) => tx.execute<{ key: string; n: number; ids: string[] | null }>(query(CAP)));
      for (const r of rows) {
        if (after !== null && r.key <= after) continue;
        if (r.ids === null) noteCapped(stats, `${phase}:${r.key}`, Number(r.n));
        else yield { key: r.key, ids: r.ids };
      }
    },
  };
}

const group = (keyExpr: ReturnType<typeof sql>, idExpr: ReturnType<typeof sql>, from: ReturnType<typeof sql>, cap: number) => sql`
  select k.key, k.n, k.ids from (
    select ${keyExpr} as key, count(*)::int as n, case when count(*) <= ${cap} then array_agg(${idExpr}::text order by ${idExpr}) end as ids
    from ${from}
    group by 1 having count(*) >= 2) k
  order by k.key collate "C"`;

/** Phones and e-mails from contact_points (deleted and merged records are left out when scored). */
function pointSources(ctx: Ctx, objectType: DedupObject, stats: ScanStats): BlockSource[] {
  return [
    sqlSource(ctx, "phone", stats, (cap) => group(sql`value`, sql`object_id`, sql`contact_points where object_type = ${objectType} and kind = 'phone'`, cap)),
    sqlSource(ctx, "email", stats, (cap) => group(sql.raw(CANONICAL_EMAIL_SQL("value")), sql`object_id`, sql`contact_points where object_type = ${objectType} and kind = 'email'`, cap)),
  ];
}

/** Customers by credit code. */
const creditCodeSource = (ctx: Ctx, stats: ScanStats): BlockSource =>
  sqlSource(ctx, "credit_code", stats, (cap) =>
    group(sql`credit_code`, sql`id`, sql`customers where credit_code is not null and credit_code <> '' and deleted_at is null and merged_into is null`, cap),
  );

/** Customers by name keys computed in JS (company keys, pinyin, core; individuals by their name). */
function customerNameSource(ctx: Ctx, stats: ScanStats): BlockSource {
  return {
    phase: "name",
    async *blocks(after) {
      const ids: string[] = [];
      const index = new Map<string, number[]>();
      let last = "00000000-0000-0000-0000-000000000000";
      for (;;) {
        const { rows } = await readTenant(ctx, (tx) =>
          tx.execute<{ id: string; name: string; kind: string }>(
            sql`select id, name, kind from customers where id > ${last} and deleted_at is null and merged_into is null order by id limit ${NAME_PAGE}`,
          ),
        );
        for (const r of rows) {
          const keys = r.kind === "individual" ? personKeysExact(r.name) : companyBlockKeys(companyName(r.name));
          const at = ids.push(r.id) - 1;
          for (const k of keys) {
            const list = index.get(k);
            if (list) list.push(at);
            else index.set(k, [at]);
          }
        }
        if (rows.length < NAME_PAGE) break;
        last = rows.at(-1)!.id;
      }
      const keys = [...index.keys()].filter((k) => index.get(k)!.length >= 2 && (after === null || k > after)).sort();
      for (const key of keys) {
        const members = index.get(key)!;
        if (members.length > CAP) noteCapped(stats, `name:${key}`, members.length);
        else yield { key, ids: members.map((i) => ids[i]!) };
      }
    },
  };
}

/** An individual customer's name as one exact key (names alone are common: big blocks are capped). */
function personKeysExact(name: string): string[] {
  const p = personName(name);
  return p.cjk ? [`pn:${p.cjk}`] : p.sorted ? [`pn:${p.sorted}`] : [];
}

/**
 * Contacts of one customer that share a name form (the same name, its pinyin,
 * another word order, one typo, an initial): the customer's id is the block key.
 */
function contactNameSource(ctx: Ctx): BlockSource {
  return {
    phase: "customer",
    async *blocks(after) {
      const from = after ?? "00000000-0000-0000-0000-000000000000";
      if (!/^[0-9a-f-]{36}$/.test(from)) throw new Error(`bad checkpoint ${from}`);
      // One pass over the links in customer order: a hash join and a sort, read through a cursor.
      // (A page per query would read the contacts table once per page: the planner does not
      // know how few rows a tenant-scoped range returns.)
      const query = sql`
        select l.customer_id::text, c.id::text, c.name from customer_contacts l
        join contacts c on c.tenant_id = l.tenant_id and c.id = l.contact_id
        where l.customer_id > ${sql.raw(`'${from}'`)}::uuid and c.deleted_at is null and c.merged_into is null and not c.is_self
        order by l.customer_id`;
      let members: { id: string; name: string }[] = [];
      let current = "";
      for await (const rows of cursorChunks<{ customer_id: string; id: string; name: string }>(ctx, query, LINK_PAGE)) {
        for (const r of rows) {
          if (r.customer_id !== current) {
            if (members.length >= 2) yield* subBlocks(current, members);
            members = [];
            current = r.customer_id;
          }
          members.push(r);
        }
      }
      if (members.length >= 2) yield* subBlocks(current, members);
    },
  };
}

/**
 * The rows of `query` through a cursor in a transaction of its own, a chunk
 * at a time and at the consumer's pace (one chunk read ahead at most).
 */
async function* cursorChunks<T>(ctx: Ctx, query: SQL, chunk: number): AsyncGenerator<T[]> {
  const queue: (T[] | null)[] = [];
  let failure: unknown = null;
  let cancelled = false;
  let wake: (() => void) | null = null;
  let taken: (() => void) | null = null;
  const signal = (which: "wake" | "taken") => {
    const f = which === "wake" ? wake : taken;
    if (which === "wake") wake = null;
    else taken = null;
    f?.();
  };
  const producer = inTenant(ctx, async (tx) => {
    // Read it all: the plan that is cheapest in total, not the one fastest to a first row.
    await tx.execute(sql`set local cursor_tuple_fraction = 1`);
    await tx.execute(sql`declare dedup_cursor no scroll cursor for ${query}`);
    for (;;) {
      if (cancelled) return;
      const { rows } = await tx.execute(sql.raw(`fetch ${chunk} from dedup_cursor`));
      queue.push(rows as T[]);
      signal("wake");
      if (rows.length < chunk) return;
      while (queue.length > 1 && !cancelled) await new Promise<void>((r) => (taken = r));
    }
  }).then(
    () => {
      queue.push(null);
      signal("wake");
    },
    (err: unknown) => {
      failure = err;
      queue.push(null);
      signal("wake");
    },
  );
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      const next = queue.shift()!;
      signal("taken");
      if (next === null) {
        if (failure) throw failure;
        return;
      }
      yield next;
    }
  } finally {
    cancelled = true;
    signal("taken");
    await producer;
  }
}

const nameKeyCache = new Map<string, string[]>();
function* subBlocks(customerId: string, members: { id: string; name: string }[]): Generator<Block> {
  const local = new Map<string, string[]>();
  for (const m of members) {
    let keys = nameKeyCache.get(m.name);
    if (!keys) {
      keys = personBlockKeys(personName(m.name));
      if (nameKeyCache.size > 100_000) nameKeyCache.clear();
      nameKeyCache.set(m.name, keys);
    }
    for (const k of keys) {
      const list = local.get(k);
      if (list) list.push(m.id);
      else local.set(k, [m.id]);
    }
  }
  // One block per customer: the union of its name groups, as pairs within each group.
  const ids = new Set<string>();
  const pairs: [string, string][] = [];
  for (const list of local.values()) {
    if (list.length < 2 || list.length > CAP) continue;
    for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) pairs.push([list[a]!, list[b]!]);
    for (const id of list) ids.add(id);
  }
  if (pairs.length) yield { key: customerId, ids: [...ids], pairs } as Block & { pairs: [string, string][] };
}

// ---------------------------------------------------------------------------------------------
// Scoring

/** The records of a batch, one primary-key lookup each (an `id = any(…)` of thousands may get a scan of the table). */
async function loadRecords(ctx: Ctx, objectType: DedupObject, ids: string[]): Promise<Map<string, DedupRecord>> {
  const list = `{${ids.join(",")}}`;
  const out = new Map<string, DedupRecord>();
  if (objectType === "customer") {
    const { rows } = await readTenant(ctx, (tx) =>
      tx.execute<{ id: string; name: string; kind: "organization" | "individual"; credit_code: string | null; phones: { number: string }[]; emails: { address: string }[] }>(
        sql`select x.* from unnest(${list}::uuid[]) u(id) cross join lateral (
          select id, name, kind, credit_code, phones, emails from customers c where c.id = u.id and c.deleted_at is null and c.merged_into is null limit 1) x`,
      ),
    );
    for (const r of rows) out.set(r.id, { id: r.id, name: r.name, kind: r.kind, creditCode: r.credit_code, phones: r.phones.map((p) => p.number), emails: r.emails.map((e) => e.address) });
  } else {
    const { rows } = await readTenant(ctx, (tx) =>
      tx.execute<{ id: string; name: string; phones: { number: string }[]; emails: { address: string }[]; customer_ids: string[] }>(sql`
        select x.* from unnest(${list}::uuid[]) u(id) cross join lateral (
          select c.id, c.name, c.phones, c.emails, array(select l.customer_id::text from customer_contacts l where l.contact_id = c.id) as customer_ids
          from contacts c where c.id = u.id and c.deleted_at is null and c.merged_into is null and not c.is_self limit 1) x`),
    );
    for (const r of rows) out.set(r.id, { id: r.id, name: r.name, phones: r.phones.map((p) => p.number), emails: r.emails.map((e) => e.address), customerIds: r.customer_ids });
  }
  return out;
}

/** Scores candidate pairs and upserts the probable duplicates; returns how many were kept. */
async function scoreBatch(ctx: Ctx, objectType: DedupObject, scanId: string, pairs: [string, string][]): Promise<number> {
  const ids = [...new Set(pairs.flat())];
  const records = await loadRecords(ctx, objectType, ids);
  const prepared = new Map<string, Prepared>();
  const prep = (id: string) => {
    let p = prepared.get(id);
    if (!p) prepared.set(id, (p = prepare(objectType, records.get(id)!)));
    return p;
  };
  const kept: { leftId: string; rightId: string; score: number; reasons: PairReason[] }[] = [];
  for (const [l, r] of pairs) {
    if (!records.has(l) || !records.has(r)) continue;
    const s = scorePair(objectType, prep(l), prep(r));
    if (isProbableDuplicate(s)) kept.push({ leftId: l, rightId: r, score: s.score, reasons: s.reasons });
  }
  if (kept.length) {
    await inTenant(ctx, (tx) => upsertPairs(tx, ctx.tenantId, objectType, scanId, kept));
  }
  return kept.length;
}

async function upsertPairs(tx: Tx, tenantId: string, objectType: DedupObject, scanId: string, kept: { leftId: string; rightId: string; score: number; reasons: PairReason[] }[]) {
  for (let i = 0; i < kept.length; i += 1000) {
    await tx
      .insert(duplicatePairs)
      .values(kept.slice(i, i + 1000).map((k) => ({ tenantId, objectType, ...k, scanId })))
      .onConflictDoUpdate({
        target: [duplicatePairs.tenantId, duplicatePairs.objectType, duplicatePairs.leftId, duplicatePairs.rightId],
        // A dismissed pair keeps its status (and is marked seen by this scan); a merged one is history.
        set: { score: sql`excluded.score`, reasons: sql`excluded.reasons`, scanId: sql`excluded.scan_id` },
        setWhere: sql`${duplicatePairs.status} <> 'merged'`,
      });
  }
}

// ---------------------------------------------------------------------------------------------
// The job

interface Checkpoint {
  phase: string;
  after: string | null;
  stats: ScanStats;
}

/** Runs a scan: the job's handler, also called directly by the benchmark. */
export async function runScan(ctx: Ctx, scanId: string, objectType: DedupObject, tools: JobTools, checkpoint: Checkpoint | null): Promise<ScanStats> {
  const stats: ScanStats = checkpoint?.stats ?? { records: 0, compared: 0, pairs: 0, blocks: 0, capped: 0, largestCapped: [] };
  const sources =
    objectType === "customer"
      ? [creditCodeSource(ctx, stats), ...pointSources(ctx, objectType, stats), customerNameSource(ctx, stats)]
      : [...pointSources(ctx, objectType, stats), contactNameSource(ctx)];
  const table = objectType === "customer" ? sql`customers` : sql`contacts`;
  stats.records = (
    await readTenant(ctx, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from ${table} where deleted_at is null and merged_into is null${objectType === "contact" ? sql` and not is_self` : sql``}`))
  ).rows[0]!.n;
  let start = checkpoint ? sources.findIndex((s) => s.phase === checkpoint.phase) : 0;
  if (start < 0) start = 0;
  // Pairs already scored in this attempt (a pair sharing a phone and an e-mail is compared once).
  const seen = new Set<string>();
  for (let p = start; p < sources.length; p++) {
    const source = sources[p]!;
    let batch: [string, string][] = [];
    let lastKey: string | null = p === start ? (checkpoint?.after ?? null) : null;
    const flush = async () => {
      if (!batch.length) return;
      stats.compared += batch.length;
      stats.pairs += await scoreBatch(ctx, objectType, scanId, batch);
      batch = [];
      await tools.checkpoint({ phase: source.phase, after: lastKey, stats } satisfies Checkpoint as unknown as Record<string, unknown>);
      await tools.progress(p * 1000 + Math.min(999, stats.blocks % 1000), sources.length * 1000);
    };
    for await (const block of source.blocks(lastKey)) {
      stats.blocks++;
      const explicit = (block as Block & { pairs?: [string, string][] }).pairs;
      const pairs: [string, string][] = explicit ?? [];
      if (!explicit) {
        const ids = [...block.ids].sort();
        for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) pairs.push([ids[a]!, ids[b]!]);
      }
      for (const [x, y] of pairs) {
        const [l, r] = x < y ? [x, y] : [y, x];
        const k = l + r;
        if (l === r || seen.has(k)) continue;
        seen.add(k);
        batch.push([l, r]);
      }
      // The batch ends at a block boundary, so `after` names a block whose pairs are all written.
      lastKey = block.key;
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (p + 1 < sources.length) await tools.checkpoint({ phase: sources[p + 1]!.phase, after: null, stats } as unknown as Record<string, unknown>);
  }
  // Pending pairs this scan did not find again, and pairs of records since deleted or merged, go.
  const live = objectType === "customer" ? sql`customers` : sql`contacts`;
  await inTenant(ctx, async (tx) => {
    await tx.execute(sql`delete from duplicate_pairs where object_type = ${objectType} and status = 'pending' and scan_id is distinct from ${scanId}::uuid`);
    await tx.execute(sql`
      delete from duplicate_pairs p where p.object_type = ${objectType} and p.status <> 'merged' and (
        not exists (select 1 from ${live} x where x.tenant_id = p.tenant_id and x.id = p.left_id and x.deleted_at is null and x.merged_into is null)
        or not exists (select 1 from ${live} x where x.tenant_id = p.tenant_id and x.id = p.right_id and x.deleted_at is null and x.merged_into is null))`);
  });
  stats.pairs = (
    await readTenant(ctx, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from duplicate_pairs where object_type = ${objectType} and scan_id = ${scanId}::uuid and status <> 'merged'`))
  ).rows[0]!.n;
  return stats;
}

defineJob(SCAN_JOB, async ({ ctx, input, checkpoint }: JobRun, tools) => {
  const scanId = String(input.scanId);
  const objectType = input.objectType === "contact" ? "contact" : "customer";
  const setScan = (values: Partial<ScanRow>) => inTenant(ctx, (tx) => tx.update(duplicateScans).set(values).where(eq(duplicateScans.id, scanId)));
  await setScan({ status: "running" });
  try {
    const stats = await runScan(ctx, scanId, objectType, tools, checkpoint as Checkpoint | null);
    const counts = { records: stats.records, compared: stats.compared, pairs: stats.pairs };
    await inTenant(ctx, async (tx) => {
      await tx.update(duplicateScans).set({ status: "completed", counts, finishedAt: new Date() }).where(eq(duplicateScans.id, scanId));
      await recordEvent(tx, ctx, { action: "duplicate_scan.completed", objectType: "duplicate_scan", objectId: scanId, after: { objectType, ...counts } });
    });
    return { ...stats };
  } catch (err) {
    await setScan({ status: "failed", finishedAt: new Date() });
    throw err;
  }
});
