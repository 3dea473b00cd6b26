import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { readTenant, type Ctx } from "../../lib/context.js";
import { invalid } from "../../lib/errors.js";
import { jobs } from "../jobs/schema.js";
import { withTenant, type Database } from "../../db/client.js";
import { translate } from "../../lib/i18n.js";
import { users } from "../identity/schema.js";
import { memberships, roles } from "../workspaces/schema.js";
import { createImport, getImport, importIssues, startImport, updateImport, type ImportView } from "./imports.js";
import { normaliseTitle, type ImportObject } from "./mapping.js";
import { imports, type ImportCounts, type ImportOptions } from "./schema.js";

/**
 * An import of a file on disk, run to its end: what `guanxi import` and the
 * import benchmark do. The same pipeline as the API (upload, mapping,
 * options, the job), with the mapping given as column title → field.
 */
export interface FileImport {
  file: string;
  objectType: ImportObject;
  /** Column title (as in the file, compared case-, width- and 简繁-insensitively) → field, or null to leave it out; other columns keep the suggestion. */
  mapping?: Record<string, string | null>;
  options?: Partial<ImportOptions>;
  /** Only the dry run. */
  check?: boolean;
  onProgress?: (done: number, total: number | null) => void;
  /** How often to look at the job (ms). */
  poll?: number;
}

export interface FileImportResult {
  imp: ImportView;
  counts: ImportCounts;
  jobId: string;
  /** The first `n` problem rows, one line each, in the context's language. */
  problems(n: number): Promise<string[]>;
}

/** The members of a workspace with their role, to pick whom an import from the command line runs as. */
export async function importMembers(database: Database, tenantId: string): Promise<{ userId: string; email: string; roleKey: string }[]> {
  return withTenant(database, { tenantId }, (tx) =>
    tx
      .select({ userId: memberships.userId, email: users.email, roleKey: roles.key })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(roles, and(eq(roles.tenantId, memberships.tenantId), eq(roles.id, memberships.roleId)))
      .orderBy(memberships.createdAt),
  );
}

export async function importFile(ctx: Ctx, opts: FileImport): Promise<FileImportResult> {
  let imp = await createImport(ctx, { objectType: opts.objectType, fileName: path.basename(opts.file), body: fs.createReadStream(opts.file) });
  const change: { mapping?: (string | null)[]; options?: Partial<ImportOptions> } = {};
  if (opts.mapping) {
    const titles = imp.headers.map(normaliseTitle);
    const mapping = [...imp.mapping];
    for (const [title, target] of Object.entries(opts.mapping)) {
      const i = titles.indexOf(normaliseTitle(title));
      if (i < 0) throw invalid("import.mapping_column_unknown", { column: title, columns: imp.headers.join(", ") }, { field: "mapping" });
      mapping[i] = target;
    }
    change.mapping = mapping;
  }
  if (opts.options) change.options = opts.options;
  if (change.mapping || change.options) imp = await updateImport(ctx, imp.id, imp.version, change);
  const started = await startImport(ctx, imp.id, opts.check ? "check" : "run");
  const jobId = started.jobId!;
  for (;;) {
    await new Promise((r) => setTimeout(r, opts.poll ?? 250));
    const [job] = await readTenant(ctx, (tx) => tx.select().from(jobs).where(eq(jobs.id, jobId)));
    if (job) opts.onProgress?.(job.progressDone, job.progressTotal);
    const [row] = await readTenant(ctx, (tx) => tx.select({ status: imports.status }).from(imports).where(and(eq(imports.id, imp.id))));
    if (row?.status === (opts.check ? "checked" : "completed")) break;
    if (row?.status === "failed" || job?.state === "failed") throw new Error(`The import failed: ${job?.error ?? "see the job"}`);
  }
  const done = await getImport(ctx, imp.id);
  return {
    imp: done,
    counts: (opts.check ? done.checkCounts : done.counts)!,
    jobId,
    async problems(n) {
      const page = await importIssues(ctx, imp.id, { dryRun: Boolean(opts.check), limit: n });
      const row = translate(ctx.locale, "import.problem_row", {});
      return page.items.map((r) => `${row} ${r.source}: ${r.issues.map((i) => (i.column ? `${i.column}: ` : "") + translate(ctx.locale, i.key, i.params)).join("; ")}`);
    },
  };
}
