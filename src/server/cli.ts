import { Command } from "commander";
import "dotenv/config";
import { eq } from "drizzle-orm";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createUser, findUserByEmail } from "./domains/identity/index.js";
import { createWorkspace, createMember, findRoles, listUserWorkspaces } from "./domains/workspaces/index.js";
import { workspaces } from "./domains/workspaces/schema.js";
import { allPermissions } from "./lib/access.js";
import { systemCtx } from "./lib/context.js";
import { createLogger, enqueueDemo, startRuntime, startServer } from "./runtime.js";
import { VERSION } from "./domains/system/routes.js";
import { AppError } from "./lib/errors.js";
import { pickLocale, translate, type Locale } from "./lib/i18n.js";

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** Runs `stop` on SIGINT/SIGTERM once; a second signal exits at once. */
function onSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.error(`\n${signal} received: shutting down…`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

async function withRuntime<T>(fn: (rt: Awaited<ReturnType<typeof startRuntime>>) => Promise<T>): Promise<T> {
  const cfg = config();
  const rt = await startRuntime(cfg, createLogger({ ...cfg, logLevel: cfg.logLevel === "info" ? "warn" : cfg.logLevel }), { work: false });
  try {
    return await fn(rt);
  } finally {
    await rt.stop();
  }
}

const program = new Command()
  .name("guanxi")
  .description("Guanxi (关系) — open-source CRM. Configuration comes from the environment (see .env.example).")
  .version(VERSION);

program
  .command("start", { isDefault: true })
  .description("start the web app and API (embedded PostgreSQL in ./data unless DATABASE_URL is set)")
  .action(async () => {
    const server = await startServer(config());
    onSignal(() => server.stop());
    console.log(`Guanxi is running at ${server.url}`);
  });

program
  .command("worker")
  .description("run background jobs only (with GUANXI_JOBS=external on the web processes)")
  .action(async () => {
    const cfg = config();
    const log = createLogger(cfg);
    const rt = await startRuntime(cfg, log, { work: true });
    log.info("worker started");
    onSignal(() => rt.stop());
  });

program
  .command("migrate")
  .description("apply database migrations and exit")
  .action(async () => {
    await withRuntime(async () => undefined);
    console.log("Migrations applied.");
  });

const user = program.command("user").description("manage user accounts");
user
  .command("create")
  .description("create a user; with --workspace, add them to it (a new workspace when none exists)")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .option("--password <password>", "at least 10 characters (or set GUANXI_NEW_PASSWORD)")
  .option("--workspace <name>", "workspace name to join or create")
  .option("--role <key>", "role key in the workspace", "owner")
  .option("--locale <locale>", "zh-CN or en-US", "zh-CN")
  .action(async (opts: { email: string; name: string; password?: string; workspace?: string; role: string; locale: Locale }) => {
    const password = opts.password ?? process.env.GUANXI_NEW_PASSWORD;
    await withRuntime(async (rt) => {
      const database = rt.db.database;
      const existing = await findUserByEmail(database, opts.email);
      const account = existing ?? (await createUser(database, { email: opts.email, name: opts.name, password, locale: opts.locale }));
      if (opts.workspace) {
        const [ws] = await database.db.select().from(workspaces).where(eq(workspaces.name, opts.workspace));
        if (!ws) {
          await createWorkspace(database, rt.services, { name: opts.workspace, ownerId: account.id, defaultLocale: opts.locale });
        } else {
          const ctx = systemCtx(database, rt.services, ws.id, allPermissions());
          const role = (await findRoles(ctx)).find((r) => r.key === opts.role);
          if (!role) throw new Error(`No role "${opts.role}" in workspace ${opts.workspace}`);
          await createMember(ctx, { email: opts.email, name: opts.name, roleId: role.id, invite: !password });
        }
      }
      const list = await listUserWorkspaces(database, account.id);
      console.log(`User ${account.email} (${account.id}) — workspaces: ${list.map((w) => w.name).join(", ") || "none"}`);
    });
  });

program
  .command("demo")
  .description("fill a workspace with demo data (runs the demo job to completion)")
  .option("--workspace <name>", "workspace name (default: the first one)")
  .option("--locale <locale>", "zh-CN or en-US", "zh-CN")
  .action(async (opts: { workspace?: string; locale: Locale }) => {
    const cfg = config();
    const rt = await startRuntime(cfg, createLogger({ ...cfg, logLevel: "warn" }), { work: true });
    try {
      const all = await rt.db.database.db.select().from(workspaces).orderBy(workspaces.createdAt);
      const ws = opts.workspace ? all.find((w) => w.name === opts.workspace) : all[0];
      if (!ws) throw new Error("No such workspace: set Guanxi up first (open the web app, or GUANXI_ADMIN_EMAIL/PASSWORD)");
      const jobId = await enqueueDemo(rt, ws.id, opts.locale);
      const { jobs } = await import("./domains/jobs/schema.js");
      const { withTenant } = await import("./db/client.js");
      for (;;) {
        const [job] = await withTenant(rt.db.database, { tenantId: ws.id }, (tx) => tx.select().from(jobs).where(eq(jobs.id, jobId)));
        if (job?.state === "completed") {
          console.log(`Demo data added to "${ws.name}": ${JSON.stringify(job.result)}`);
          break;
        }
        if (job?.state === "failed") throw new Error(`Demo job failed: ${job.error}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      await rt.stop();
    }
  });

program
  .command("import")
  .description("import a file (CSV in any common encoding, Excel .xlsx, vCard .vcf) into a workspace, as the web wizard does, and wait for the end")
  .argument("<file>", "the file to import")
  .requiredOption("--object <type>", "customers, contacts, products, leads, activities or orders (historical orders, a row per line)")
  .option("--mapping <file>", 'JSON file: {"column title": "field" | null}; other columns keep the automatic mapping')
  .option("--workspace <name>", "workspace name (default: the first one)")
  .option("--as <email>", "the member the import runs as (owner of new records, in the audit trail); default: the workspace's first owner")
  .option("--policy <policy>", "rows matching an existing record: skip, update (overwrite with the row's values), merge (fill empty fields, add phones, e-mails, tags) or create; orders: skip only", "skip")
  .option(
    "--keys <keys>",
    "what makes a match, comma-separated: code, creditCode, phone, email, name (customers, contacts, leads), sku (products), occurrence (activities), number (orders); default: the object's usual keys",
  )
  .option("--check", "dry run only: report what would happen, change nothing")
  .action(async (file: string, opts: { object: string; mapping?: string; workspace?: string; as?: string; policy: string; keys?: string; check?: boolean }) => {
    const objects = { customers: "customer", contacts: "contact", products: "product", leads: "lead", activities: "activity", orders: "order" } as const;
    const objectType = Object.entries(objects).find(([plural, one]) => opts.object === plural || opts.object === one)?.[1];
    if (!objectType) throw new Error(`--object must be one of ${Object.keys(objects).join(", ")}, not "${opts.object}"`);
    const { readFile } = await import("node:fs/promises");
    const mapping = opts.mapping ? (JSON.parse(await readFile(opts.mapping, "utf8")) as Record<string, string | null>) : undefined;
    const cfg = config();
    const rt = await startRuntime(cfg, createLogger({ ...cfg, logLevel: "warn" }), { work: true });
    try {
      const all = await rt.db.database.db.select().from(workspaces).orderBy(workspaces.createdAt);
      const ws = opts.workspace ? all.find((w) => w.name === opts.workspace || w.id === opts.workspace) : all[0];
      if (!ws) throw new Error(opts.workspace ? `No workspace "${opts.workspace}"` : "No workspace: set Guanxi up first");
      const { importFile, importMembers } = await import("./domains/exchange/file-import.js");
      const { ImportOptionsSchema } = await import("./domains/exchange/contracts.js");
      const members = await importMembers(rt.db.database, ws.id);
      const actor = opts.as ? members.find((m) => m.email === opts.as!.toLowerCase()) : members.find((m) => m.roleKey === "owner");
      if (!actor) throw new Error(opts.as ? `${opts.as} is not a member of "${ws.name}"` : `"${ws.name}" has no owner`);
      const ctx = { ...systemCtx(rt.db.database, rt.services, ws.id, allPermissions(), actor.userId), locale: pickLocale((process.env.LC_ALL || process.env.LANG || "en").replace("_", "-"), "en-US") };
      let shown = -1;
      const result = await importFile(ctx, {
        file,
        objectType,
        mapping,
        check: opts.check,
        options: ImportOptionsSchema.pick({ duplicatePolicy: true, keys: true })
          .partial()
          .parse({ duplicatePolicy: opts.policy, ...(opts.keys ? { keys: opts.keys.split(",").map((k) => k.trim()) } : {}) }),
        onProgress: (done, total) => {
          const pct = total ? Math.floor((done / total) * 100) : 0;
          if (pct !== shown && process.stderr.isTTY) process.stderr.write(`\r${done}/${total ?? "?"} rows (${pct}%)`);
          shown = pct;
        },
      });
      if (process.stderr.isTTY) process.stderr.write("\n");
      const c = result.counts;
      const verb = opts.check ? "would be " : "";
      console.log(
        `${opts.check ? "Checked" : "Imported"} ${file} into "${ws.name}": ${c.total} rows, ${c.created} ${verb}created, ${c.updated} ${verb}updated, ${c.skipped} skipped (duplicates), ${c.failed} with problems (import ${result.imp.id})`,
      );
      for (const line of await result.problems(20)) console.log(line);
    } finally {
      await rt.stop();
    }
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof AppError) {
    // The same localized message the API would give, in the terminal's language.
    const locale = pickLocale((process.env.LC_ALL || process.env.LANG || "en").replace("_", "-"), "en-US");
    console.error(translate(locale, err.messageKey, err.params));
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
