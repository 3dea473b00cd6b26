/**
 * Duplicate scan benchmark (issue #4: "Dedup scan of 1M contacts ≤ 3 minutes")
 * on the shared bench tenant (300,000 customers, 1,000,000 contacts; see
 * bench/tenant.ts): the real job function (`runScan`, what the
 * `duplicate_scan` job runs) over the contacts, then the customers, with wall
 * time, candidate pairs, blocks, capped blocks, pairs kept and peak RSS; and,
 * in the same run, the baseline a plain SQL self-join gives (contact_points
 * phone equality, then e-mail equality: candidate pairs only, no scoring).
 *
 *   npm run bench:dedup
 *   BENCH_DEDUP_OBJECTS=contact,customer  BENCH_REPORT=bench/reports/dedup-run.md
 *   (and the tenant's own: BENCH_SEED BENCH_CUSTOMERS BENCH_CONTACTS BENCH_DATA_DIR)
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import { pino } from "pino";
import { loadConfig } from "../src/server/config.js";
import { CAP, runScan, type ScanStats } from "../src/server/domains/exchange/dedup/scan.js";
import { systemRolePermissions } from "../src/server/lib/access.js";
import { systemCtx } from "../src/server/lib/context.js";
import { createCipher } from "../src/server/lib/crypto.js";
import { createMailer } from "../src/server/lib/mail.js";
import type { Services } from "../src/server/lib/services.js";
import { openBenchTenant } from "./tenant.js";

const env = process.env;
const OBJECTS = (env.BENCH_DEDUP_OBJECTS ?? "contact,customer").split(",").filter((o): o is "contact" | "customer" => o === "contact" || o === "customer");
const TARGET_MS = 3 * 60_000;

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const s = await openBenchTenant({ rawConnections: 2 });
  const lines: string[] = [];
  try {
    const log = pino({ level: "silent" });
    const services = {
      config: loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent" }),
      mailer: createMailer(undefined, "bench", log),
      cipher: createCipher(crypto.randomBytes(32).toString("base64")),
    } as Services;
    const ctx = systemCtx(s.database, services, s.tenantId, systemRolePermissions("owner"), s.ownerId);
    const counts = (
      await s.raw.query<{ customers: number; contacts: number; points: number }>(
        "select (select count(*) from customers)::int as customers, (select count(*) from contacts where not is_self)::int as contacts, (select count(*) from contact_points)::int as points",
      )
    ).rows[0]!;
    console.log(`Tenant: ${counts.customers.toLocaleString("en")} customers, ${counts.contacts.toLocaleString("en")} contacts (not counting individuals' own), ${counts.points.toLocaleString("en")} contact points (${s.generation})`);
    // Earlier runs' pairs and scans of this tenant go first: each run starts from an empty queue.
    await s.raw.query("delete from duplicate_pairs");
    await s.raw.query("delete from duplicate_scans");

    const results: { objectType: string; ms: number; rss: number; stats: ScanStats; baseline: { name: string; ms: number; pairs: number }[] }[] = [];
    for (const objectType of OBJECTS) {
      const baseline: { name: string; ms: number; pairs: number }[] = [];
      for (const kind of ["phone", "email"] as const) {
        const t0 = Date.now();
        const { rows } = await s.raw.query<{ n: number }>(
          `select count(*)::int as n from contact_points a join contact_points b
             on b.tenant_id = a.tenant_id and b.object_type = a.object_type and b.kind = a.kind and b.value = a.value and b.object_id > a.object_id
           where a.object_type = $1 and a.kind = $2`,
          [objectType, kind],
        );
        baseline.push({ name: `SQL self-join on contact_points ${kind} equality (pairs, unscored, uncapped)`, ms: Date.now() - t0, pairs: rows[0]!.n });
        console.log(`  baseline ${objectType} ${kind}: ${rows[0]!.n} pairs in ${sec(Date.now() - t0)}`);
      }
      const scanId = crypto.randomUUID();
      await s.raw.query("insert into duplicate_scans (tenant_id, id, object_type, status) values ($1, $2, $3, 'running')", [s.tenantId, scanId, objectType]);
      global.gc?.();
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const t0 = Date.now();
      let lastLog = 0;
      const stats = await runScan(
        ctx,
        scanId,
        objectType,
        {
          async progress(done, total) {
            if (Date.now() - lastLog > 10_000) {
              lastLog = Date.now();
              console.log(`  ${objectType} scan: ${sec(Date.now() - t0)}, progress ${done}/${total}, rss ${mb(process.memoryUsage().rss)}`);
            }
          },
          async checkpoint() {},
        },
        null,
      );
      const ms = Date.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      await s.raw.query("update duplicate_scans set status = 'completed', counts = $2, finished_at = now() where id = $1", [scanId, JSON.stringify({ records: stats.records, compared: stats.compared, pairs: stats.pairs })]);
      console.log(`  ${objectType} scan: ${sec(ms)}; ${JSON.stringify(stats)}; peak rss ${mb(peak)}`);
      results.push({ objectType, ms, rss: peak, stats, baseline });
    }
    const reasons = (
      await s.raw.query<{ object_type: string; kinds: string; n: number }>(
        `select object_type, (select string_agg(r->>'kind', '+' order by r->>'kind') from jsonb_array_elements(reasons) r where (r->>'score')::real > 0) as kinds, count(*)::int as n
         from duplicate_pairs group by 1, 2 order by 1, 3 desc limit 24`,
      )
    ).rows;

    lines.push(
      `# Duplicate scan benchmark`,
      "",
      `${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}. Tenant: ${counts.customers.toLocaleString("en")} customers, ${counts.contacts.toLocaleString("en")} contacts, ${counts.points.toLocaleString("en")} contact points (${s.generation}). Block cap ${CAP}.`,
      "",
      "| scan | wall time | ≤ 3 min | records | blocks | capped blocks (largest) | candidate pairs scored | pairs kept | peak RSS |",
      "| --- | ---: | :---: | ---: | ---: | --- | ---: | ---: | ---: |",
      ...results.map(
        (r) =>
          `| ${r.objectType}s (runScan, the job's function) | ${sec(r.ms)} | ${r.ms <= TARGET_MS ? "yes" : "**no**"} | ${r.stats.records.toLocaleString("en")} | ${r.stats.blocks.toLocaleString("en")} | ${r.stats.capped} (${r.stats.largestCapped.map((c) => `${c.key.replace(/\|/g, "/")}: ${c.size}`).join(", ")}) | ${r.stats.compared.toLocaleString("en")} | ${r.stats.pairs.toLocaleString("en")} | ${mb(r.rss)} |`,
      ),
      "",
      "Baseline in the same run (plain SQL, no scoring, no cap, no name keys):",
      "",
      "| baseline | time | pairs |",
      "| --- | ---: | ---: |",
      ...results.flatMap((r) => r.baseline.map((b) => `| ${r.objectType}s: ${b.name} | ${sec(b.ms)} | ${b.pairs.toLocaleString("en")} |`)),
      "",
      "Pairs kept, by their positive reasons:",
      "",
      "| object | reasons | pairs |",
      "| --- | --- | ---: |",
      ...reasons.map((r) => `| ${r.object_type} | ${r.kinds} | ${r.n.toLocaleString("en")} |`),
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
