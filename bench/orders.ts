/**
 * Orders and sales dashboard benchmark (issue #5), in a fresh PostgreSQL cluster:
 *
 * (a) Orders created and submitted per second with credit checks, 32 clients
 *     at once through the service layer (createOrder + submitOrder: pricing,
 *     numbering, the customer row locked, receivables and period sales read
 *     against the credit and sales limits, events, the sales roll-up triggers),
 *     over 32 pool connections. Baseline: the same rows (an approved order and
 *     its lines) as plain INSERTs from 32 connections.
 * (b) The sales dashboard (getSalesDashboard) on a workspace with
 *     BENCH_ORDER_LINES order lines (5 per order) generated with SQL
 *     generate_series, as admin, department manager and rep: median and p95
 *     over repeated calls. Baseline: the same figures computed directly from
 *     orders, allocations and payments, without the roll-up.
 *
 *   flock /tmp/guanxi-bench.lock npm run bench:orders
 *   BENCH_ORDER_LINES (5000000)  BENCH_ORDERS (3000)  BENCH_CLIENTS (32)  BENCH_REPEAT (30)  BENCH_ORDERS_DIR  BENCH_REPORT
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { pino } from "pino";
import { generateTenant } from "./generate.js";
import { loadConfig } from "../src/server/config.js";
import { ensureAppDatabase } from "../src/server/db/bootstrap.js";
import { startEmbeddedCluster } from "../src/server/db/embedded.js";
import { findPipelines } from "../src/server/domains/opportunities/pipelines.js";
import { pipelineSummary } from "../src/server/domains/opportunities/index.js";
import { createOrder, submitOrder } from "../src/server/domains/orders/orders.js";
import { getSalesDashboard } from "../src/server/domains/sales-dashboard/index.js";
import { duesDirect, leadConversion, monthsDirect, monthsFromRollup } from "../src/server/domains/sales-dashboard/queries.js";
import { listTargets } from "../src/server/domains/targets/index.js";
import { setUp } from "../src/server/domains/workspaces/index.js";
import { allPermissions } from "../src/server/lib/access.js";
import { readTenant, systemCtx, type Ctx } from "../src/server/lib/context.js";
import { startRuntime } from "../src/server/runtime.js";
import { freePort } from "../test/global-setup.js";

const env = process.env;
const LINES = Number(env.BENCH_ORDER_LINES ?? 5_000_000);
const ORDERS_A = Number(env.BENCH_ORDERS ?? 3000);
const CLIENTS = Number(env.BENCH_CLIENTS ?? 32);
const REPEAT = Number(env.BENCH_REPEAT ?? 30);
const DIR = path.resolve(env.BENCH_ORDERS_DIR ?? path.join(os.tmpdir(), "guanxi-bench-orders"));
const REPORT = env.BENCH_REPORT ?? path.resolve(import.meta.dirname, "reports/orders.md");
const RANGE = { from: "2025-01-01", to: "2026-12-31" };

const secs = (ms: number) => (ms / 1000).toFixed(1);
const fmt = (n: number) => n.toLocaleString("en");

interface Stats {
  median: number;
  p95: number;
  mean: number;
}
function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return stats(ms);
}

/** `work` shared by `clients` loops until `total` items are done; elapsed ms. */
async function concurrently(clients: number, total: number, work: (i: number, client: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = next++; i < total; i = next++) await work(i, client);
    }),
  );
  return performance.now() - t;
}

/** Members of a generated workspace with their departments. */
async function membersOf(pool: pg.Pool, tenant: string): Promise<{ userId: string; departmentId: string | null }[]> {
  const c = await pool.connect();
  try {
    await c.query("select set_config('app.tenant_id', $1, false)", [tenant]);
    return (await c.query<{ userId: string; departmentId: string | null }>(`select user_id as "userId", department_id as "departmentId" from memberships order by user_id`)).rows;
  } finally {
    await c.query("reset app.tenant_id");
    c.release();
  }
}

async function main() {
  await fs.mkdir(DIR, { recursive: true });
  const pgDir = path.join(DIR, "pg");
  await fs.rm(pgDir, { recursive: true, force: true });
  const cluster = await startEmbeddedCluster({ dir: pgDir, port: await freePort(), superuserPassword: crypto.randomBytes(12).toString("hex"), durable: true });
  const appPassword = crypto.randomBytes(12).toString("hex");
  const lines: string[] = [];
  try {
    await ensureAppDatabase(cluster.superuserUrl(), { role: "guanxi", password: appPassword, database: "guanxi" });
    const url = `postgres://guanxi:${appPassword}@127.0.0.1:${cluster.port}/guanxi`;
    const config = loadConfig({ ...env, DATABASE_URL: url, GUANXI_DATA_DIR: path.join(DIR, "data"), LOG_LEVEL: "warn", NODE_ENV: "production", GUANXI_DB_POOL_SIZE: String(CLIENTS + 2) });
    await fs.mkdir(config.dataDir, { recursive: true });
    const rt = await startRuntime(config, pino({ level: "warn" }), { work: false });
    const raw = new pg.Pool({ connectionString: url, max: CLIENTS });
    try {
      const { userId: ownerId } = await setUp(rt.db.database, rt.services, { workspaceName: "Bench orders", name: "Bench Owner", email: "owner@bench-orders.example.com", password: crypto.randomBytes(12).toString("hex"), locale: "zh-CN" });

      // ---- (a) orders per second with credit checks -------------------------------------------------
      const a = await generateTenant(raw, { seed: 51, users: CLIENTS, ownerId, name: "Bench orders A" });
      const rawA = new pg.Pool({ connectionString: url, max: CLIENTS, options: `-c app.tenant_id=${a.workspaceId}` });
      const CUSTOMERS_A = 512;
      await rawA.query(
        `insert into customers (tenant_id, id, code, kind, name, name_key, owner_id, credit_limit, sales_limit)
         select $1, gen_random_uuid(), 'A' || g, 'organization', '压测客户' || g, 'a' || g, ($2::uuid[])[1 + g % cardinality($2::uuid[])], 5000000, 50000000
           from generate_series(1, ${CUSTOMERS_A}) g`,
        [a.workspaceId, a.userIds],
      );
      const customersA = (await rawA.query<{ id: string }>("select id from customers order by code")).rows.map((r) => r.id);
      const lineOf = (i: number, l: number) => ({ name: `产品 ${l}`, quantity: String(1 + ((i + l) % 5)), unitPrice: `${100 + ((i * 37 + l * 11) % 900)}.50`, taxRate: "0.13", discountRate: "0.05" });
      const ctxs = a.userIds.map((userId) => systemCtx(rt.db.database, rt.services, a.workspaceId, allPermissions(), userId));
      let refused = 0;
      const serviceMs = await concurrently(CLIENTS, ORDERS_A, async (i, client) => {
        const ctx = ctxs[client % ctxs.length]!;
        const order = await createOrder(ctx, { customerId: customersA[(i * 7919) % customersA.length]!, orderDate: "2026-11-20", lines: [1, 2, 3, 4, 5].map((l) => lineOf(i, l)) });
        const done = await submitOrder(ctx, order.id, order.version);
        if (done.status !== "approved") refused++;
      });
      const servicePerSec = ORDERS_A / (serviceMs / 1000);
      console.log(`(a) service: ${fmt(ORDERS_A)} orders created + submitted in ${secs(serviceMs)} s = ${servicePerSec.toFixed(0)}/s (${refused} sent for approval)`);

      // Baseline: the same rows written as plain INSERTs, an order and its 5 lines per transaction.
      const sample = (await rawA.query("select * from orders where status = 'approved' limit 1")).rows[0] as Record<string, unknown>;
      const sampleLines = (await rawA.query("select * from order_lines where order_id = $1 order by line_no", [sample.id])).rows as Record<string, unknown>[];
      const rawMs = await concurrently(CLIENTS, ORDERS_A, async (i, client) => {
        const c = await rawA.connect();
        try {
          await c.query("begin");
          const { rows } = await c.query<{ id: string }>(
            `insert into orders (tenant_id, number, customer_id, owner_id, status, currency, order_date, subtotal, discount_total, tax_total, total, base_total, submitted_at, approved_at, credit_check, created_by)
             values ($1, $2, $3, $4, 'approved', 'CNY', $5, $6, $7, $8, $9, $10, now(), now(), $11, $4) returning id`,
            [a.workspaceId, `RAW${i}`, customersA[(i * 7919) % customersA.length], a.userIds[client % a.userIds.length], "2026-11-20", sample.subtotal, sample.discount_total, sample.tax_total, sample.total, sample.base_total, sample.credit_check],
          );
          const values = sampleLines.flatMap((l) => [a.workspaceId, rows[0]!.id, l.line_no, l.name, l.quantity, l.unit_price, l.discount_rate, l.tax_rate, l.gross_amount, l.discount_amount, l.tax_amount, l.amount]);
          const ph = sampleLines.map((_, r) => `(${Array.from({ length: 12 }, (_, k) => `$${r * 12 + k + 1}`).join(",")})`).join(",");
          await c.query(`insert into order_lines (tenant_id, order_id, line_no, name, quantity, unit_price, discount_rate, tax_rate, gross_amount, discount_amount, tax_amount, amount) values ${ph}`, values);
          await c.query("commit");
        } finally {
          c.release();
        }
      });
      const rawPerSec = ORDERS_A / (rawMs / 1000);
      console.log(`(a) raw INSERTs: ${fmt(ORDERS_A)} orders in ${secs(rawMs)} s = ${rawPerSec.toFixed(0)}/s`);
      await rawA.end();

      // ---- (b) the dashboard on a workspace with LINES order lines ----------------------------------
      const b = await generateTenant(raw, { seed: 52, users: 200, ownerId, name: "Bench orders B" });
      const members = await membersOf(raw, b.workspaceId);
      const reps = members.map((m) => m.userId);
      const ORDERS = Math.ceil(LINES / 5);
      const CUSTOMERS = Math.max(100, Math.ceil(ORDERS / 50));
      const LEADS = Math.max(1000, Math.ceil(ORDERS / 10));
      const OPPS = Math.max(500, Math.ceil(ORDERS / 50));
      const ownerCtx = systemCtx(rt.db.database, rt.services, b.workspaceId, allPermissions(), ownerId);
      const pipeline = (await findPipelines(ownerCtx))[0]!;
      const stages = pipeline.stages;
      const gen = await raw.connect();
      const g0 = performance.now();
      const step = async (label: string, text: string, params: unknown[] = []) => {
        const t = performance.now();
        const r = await gen.query(text, params);
        console.log(`  ${label}: ${fmt(r.rowCount ?? 0)} rows in ${secs(performance.now() - t)} s`);
      };
      try {
        await gen.query("select set_config('app.tenant_id', $1, false)", [b.workspaceId]);
        // Bulk load with the roll-up triggers off, then one rebuild (what an operator would do after a restore).
        for (const table of ["orders", "payment_allocations", "payments", "payment_instalments"]) await gen.query(`alter table ${table} disable trigger user`);
        await step(
          "customers",
          `insert into customers (tenant_id, id, code, kind, name, name_key, owner_id, created_at)
           select $1, gen_random_uuid(), 'C' || g, 'organization', '客户' || g, 'c' || g, ($2::uuid[])[1 + g % cardinality($2::uuid[])], timestamptz '2025-01-01' + (g % 700) * interval '1 day'
             from generate_series(1, ${CUSTOMERS}) g`,
          [b.workspaceId, reps],
        );
        await gen.query("create temporary table bench_customers as select row_number() over (order by code) as k, id, owner_id from customers");
        await gen.query("create index on bench_customers (k)");
        // Order g: customer 1 + g % CUSTOMERS (its owner), dated over two years; lines l = 1..5 of q × p.
        const q = (g: string) => `(1 + (${g} + l) % 5)`;
        const p = (g: string) => `(100 + ((${g} * 37 + l * 11) % 9000))::numeric(18,4)`;
        await step(
          "orders",
          `insert into orders (tenant_id, id, number, customer_id, owner_id, status, currency, order_date, subtotal, total, base_total, paid)
           select $1, gen_random_uuid(), 'SO' || g, c.id, c.owner_id,
                  (array['draft','cancelled','approved','approved','approved','approved','approved','approved','delivered','delivered','delivered','delivered','delivered','delivered','completed','completed','completed','completed','completed','completed'])[1 + g % 20],
                  'CNY', date '2025-01-01' + (g % 730), s.total, s.total, s.total,
                  case when g % 20 >= 2 and g % 10 < 8 then s.total else 0 end
             from generate_series(1, ${ORDERS}) g
             join bench_customers c on c.k = 1 + g % ${CUSTOMERS}
             cross join lateral (select sum(${q("g")} * ${p("g")})::numeric(18,2) as total from generate_series(1, 5) l) s`,
          [b.workspaceId],
        );
        await step(
          "order lines",
          `insert into order_lines (tenant_id, order_id, line_no, name, quantity, unit_price, gross_amount, discount_amount, tax_amount, amount)
           select o.tenant_id, o.id, l, '产品 ' || l, ${q("o.g")}, ${p("o.g")}, (${q("o.g")} * ${p("o.g")})::numeric(18,2), 0, 0, (${q("o.g")} * ${p("o.g")})::numeric(18,2)
             from (select tenant_id, id, substr(number, 3)::int as g from orders) o
             cross join generate_series(1, 5) l`,
        );
        await step(
          "payments",
          `insert into payments (tenant_id, id, number, customer_id, amount, currency, received_on)
           select tenant_id, id, 'HK' || substr(number, 3), customer_id, paid, 'CNY', order_date + 20 from orders where paid > 0`,
        );
        await step("payment allocations", `insert into payment_allocations (tenant_id, payment_id, order_id, amount) select tenant_id, id, id, paid from orders where paid > 0`);
        await step(
          "leads",
          `insert into leads (tenant_id, name, phone, owner_id, status, created_at, converted_at)
           select $1, '线索' || g, '139' || lpad(g::text, 8, '0'), ($2::uuid[])[1 + g % cardinality($2::uuid[])],
                  case when g % 5 = 0 then 'converted' else 'contacted' end, timestamptz '2025-01-01' + (g % 700) * interval '1 day',
                  case when g % 5 = 0 then timestamptz '2025-01-05' + (g % 700) * interval '1 day' end
             from generate_series(1, ${LEADS}) g`,
          [b.workspaceId, reps],
        );
        const open = stages.filter((s) => s.kind === "open");
        const won = stages.find((s) => s.kind === "won")!;
        const lost = stages.find((s) => s.kind === "lost")!;
        await step(
          "opportunities",
          `insert into opportunities (tenant_id, name, pipeline_id, stage_id, customer_id, owner_id, amount, currency, expected_close, status, closed_at, created_at)
           select $1, '商机' || g, $2, case when g % 10 = 0 then $4::uuid when g % 10 = 1 then $5::uuid else ($3::uuid[])[1 + g % cardinality($3::uuid[])] end,
                  c.id, c.owner_id, 1000 + g % 50000, 'CNY', date '2025-01-01' + (g % 730),
                  case when g % 10 = 0 then 'won' when g % 10 = 1 then 'lost' else 'open' end,
                  case when g % 10 <= 1 then timestamptz '2025-02-01' + (g % 700) * interval '1 day' end,
                  timestamptz '2025-01-01' + (g % 700) * interval '1 day'
             from generate_series(1, ${OPPS}) g join bench_customers c on c.k = 1 + g % ${CUSTOMERS}`,
          [b.workspaceId, pipeline.id, open.map((s) => s.id), won.id, lost.id],
        );
        for (const table of ["orders", "payment_allocations", "payments", "payment_instalments"]) await gen.query(`alter table ${table} enable trigger user`);
        await gen.query("analyze");
      } finally {
        await gen.query("reset app.tenant_id");
        gen.release();
      }
      const loadMs = performance.now() - g0;
      const rebuild = await raw.connect();
      let rebuildMs = 0;
      try {
        await rebuild.query("begin");
        await rebuild.query("select set_config('app.tenant_id', $1, true)", [b.workspaceId]);
        const t = performance.now();
        await rebuild.query("select sales_rollup_rebuild($1)", [b.workspaceId]);
        rebuildMs = performance.now() - t;
        await rebuild.query("commit");
        await rebuild.query("analyze sales_daily; analyze sales_open_dues");
      } finally {
        rebuild.release();
      }
      const count = async (sqlText: string) => {
        const c = await raw.connect();
        try {
          await c.query("select set_config('app.tenant_id', $1, false)", [b.workspaceId]);
          return Number((await c.query<{ n: string }>(sqlText)).rows[0]!.n);
        } finally {
          await c.query("reset app.tenant_id");
          c.release();
        }
      };
      const facts = {
        orders: await count("select count(*) as n from orders"),
        lines: await count("select count(*) as n from order_lines"),
        payments: await count("select count(*) as n from payments"),
        daily: await count("select count(*) as n from sales_daily"),
        dues: await count("select count(*) as n from sales_open_dues"),
        leads: await count("select count(*) as n from leads"),
        opportunities: await count("select count(*) as n from opportunities"),
      };
      console.log(`(b) generated in ${secs(loadMs)} s, roll-up rebuilt in ${secs(rebuildMs)} s: ${JSON.stringify(facts)}`);

      // Who looks: the owner (all), a manager of the largest department (department and below), a rep (own).
      const byDept = new Map<string, string[]>();
      for (const m of members) if (m.departmentId) byDept.set(m.departmentId, [...(byDept.get(m.departmentId) ?? []), m.userId]);
      const [deptId, deptMembers] = [...byDept].sort((x, y) => y[1].length - x[1].length)[0]!;
      const viewers: { label: string; ctx: Ctx }[] = [
        { label: "admin (all)", ctx: ownerCtx },
        { label: `manager (department of ${deptMembers.length} members and below)`, ctx: { ...systemCtx(rt.db.database, rt.services, b.workspaceId, allPermissions(), deptMembers[0]!), visibility: "department", departmentId: deptId } },
        { label: "rep (own)", ctx: { ...systemCtx(rt.db.database, rt.services, b.workspaceId, allPermissions(), reps[7]!), visibility: "own" } },
      ];

      /** The same dashboard computed without the roll-up: orders, payments and receivables straight from their tables. */
      // Its sections run at the same time on their own connections, as the dashboard's do.
      const baseline = (ctx: Ctx) =>
        Promise.all([
          readTenant(ctx, (tx) => monthsDirect(tx, ctx, RANGE.from, RANGE.to)),
          readTenant(ctx, (tx) => duesDirect(tx, ctx, RANGE.to)),
          readTenant(ctx, (tx) => leadConversion(tx, ctx, RANGE.from, RANGE.to)),
          readTenant(ctx, (tx) => pipelineSummary(tx, ctx, RANGE)),
          readTenant(ctx, (tx) => listTargets(tx, ctx, { on: RANGE.to, periodType: "month" })),
        ]);

      // Both ways give the same figures.
      const [rolled, direct] = await readTenant(ownerCtx, async (tx) => [await monthsFromRollup(tx, ownerCtx, RANGE.from, RANGE.to), await monthsDirect(tx, ownerCtx, RANGE.from, RANGE.to)]);
      const same = JSON.stringify(rolled!.map((m) => [m.month, m.orders, Number(m.amount).toFixed(2), Number(m.payments).toFixed(2)])) === JSON.stringify(direct!.map((m) => [m.month, m.orders, Number(m.amount).toFixed(2), Number(m.payments).toFixed(2)]));
      console.log(`(b) roll-up equals the direct query: ${same}`);

      const results: { label: string; guanxi: Stats; raw: Stats }[] = [];
      for (const v of viewers) {
        const guanxi = await timed(REPEAT, () => getSalesDashboard(v.ctx, RANGE));
        const rawStats = await timed(Math.max(5, Math.ceil(REPEAT / 3)), () => baseline(v.ctx));
        results.push({ label: v.label, guanxi, raw: rawStats });
        console.log(`(b) ${v.label}: dashboard median ${guanxi.median.toFixed(1)} ms, p95 ${guanxi.p95.toFixed(1)} ms; without roll-up median ${rawStats.median.toFixed(1)} ms, p95 ${rawStats.p95.toFixed(1)} ms`);
      }

      const ms = (n: number) => `${n.toFixed(1)} ms`;
      const worstP95 = Math.max(...results.map((r) => r.guanxi.p95));
      lines.push(
        "# Orders and sales dashboard benchmark",
        "",
        `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 1048576)} MB RAM, Node ${process.version}, ` +
          `load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}${env.BENCH_NOTE ? ` — ${env.BENCH_NOTE}` : ""}. A fresh embedded PostgreSQL cluster (fsync on), \`npm run bench:orders\`.`,
        "",
        "## (a) Orders created and submitted with credit checks",
        "",
        `${CLIENTS} clients at once, each acting as one of ${CLIENTS} sales reps, through the service layer in this process (\`createOrder\` then \`submitOrder\`, as the HTTP handlers call them; no HTTP), over a pool of ${CLIENTS + 2} connections. ` +
          `Each order has 5 lines (quantity × price, 5 % discount, 13 % tax, rounded per line), is numbered from the workspace's counter, and is submitted: the customer row is locked, its receivables and this month's sales are read and checked against its credit and sales limits, ` +
          `the order approved, events written, and the sales roll-up updated by its triggers. Customers: ${CUSTOMERS_A}, picked in turn; ${refused} of the orders went over a limit (sent for approval).`,
        "",
        "| | orders | time | orders/s |",
        "|---|---:|---:|---:|",
        `| baseline: the same rows (an approved order with its 5 lines, one transaction each) as plain INSERTs from ${CLIENTS} connections | ${fmt(ORDERS_A)} | ${secs(rawMs)} s | ${rawPerSec.toFixed(0)} |`,
        `| Guanxi: created + submitted with credit checks, ${CLIENTS} clients | ${fmt(ORDERS_A)} | ${secs(serviceMs)} s | **${servicePerSec.toFixed(0)}** |`,
        "",
        "## (b) Sales dashboard",
        "",
        `Workspace: ${fmt(facts.orders)} orders with ${fmt(facts.lines)} order lines over two years (90 % accepted; ${fmt(facts.payments)} of them paid in full by one payment each, the others open receivables), ` +
          `${fmt(CUSTOMERS)} customers, ${fmt(facts.leads)} leads, ${fmt(facts.opportunities)} opportunities, ${members.length} members in ${byDept.size} departments; generated with SQL \`generate_series\` in ${secs(loadMs)} s ` +
          `with the roll-up triggers off, then the roll-up rebuilt with \`sales_rollup_rebuild()\` in ${secs(rebuildMs)} s: ${fmt(facts.daily)} \`sales_daily\` rows (owner × day) and ${fmt(facts.dues)} \`sales_open_dues\` rows (open receivables). ` +
          `The roll-up equals the direct query on this data: ${same ? "yes" : "**no**"}.`,
        "",
        `\`getSalesDashboard()\` for ${RANGE.from} – ${RANGE.to}: orders and payments by month, receivables ageing, lead conversion, pipeline by stage with win rate and cycle, target attainment — ` +
          `${REPEAT} calls after 3 warm-up calls. Baseline: the same figures with orders, payments and receivables read from \`orders\`, \`payment_allocations\`, \`payments\` and \`payment_instalments\` instead of the roll-up (the other sections are the same queries; in both, the sections run at the same time on their own connections), ${Math.max(5, Math.ceil(REPEAT / 3))} calls.`,
        "",
        "| viewer | dashboard median | dashboard p95 | without roll-up median | without roll-up p95 |",
        "|---|---:|---:|---:|---:|",
        ...results.map((r) => `| ${r.label} | **${ms(r.guanxi.median)}** | ${ms(r.guanxi.p95)} | ${ms(r.raw.median)} | ${ms(r.raw.p95)} |`),
        "",
        `Target ≤ 300 ms with ${fmt(facts.lines)} order lines: ${worstP95 <= 300 ? "met" : "**not met**"} (worst p95 ${ms(worstP95)}).`,
      );
    } finally {
      await raw.end();
      await rt.stop();
    }
  } finally {
    await cluster.stop();
  }
  await fs.mkdir(path.dirname(REPORT), { recursive: true });
  await fs.writeFile(REPORT, `${lines.join("\n")}\n`);
  console.log(`report: ${REPORT}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
