import { asc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { customFieldsFor, loadImport, updateImport, type ImportView } from "./imports.js";
import { fieldOf, normaliseTitle, type ImportObject } from "./mapping.js";
import { importTemplates, imports, type ImportOptions } from "./schema.js";
import "./template-messages.js";

/**
 * Import templates: a saved mapping (column title → field) and options,
 * shared by the whole workspace, applied to a new import whose columns carry
 * the same titles (compared folded, as the automatic mapping compares them).
 */

type Row = typeof importTemplates.$inferSelect;
export type ImportTemplateView = Omit<Row, "tenantId">;
const present = ({ tenantId: _t, ...rest }: Row): ImportTemplateView => rest;

export interface TemplateColumn {
  title: string;
  target: string | null;
}

export interface TemplateInput {
  objectType: ImportObject;
  name: string;
  columns: TemplateColumn[];
  options: Partial<ImportOptions>;
}

export type TemplateCreate = TemplateInput | { fromImport: string; name: string };

export interface TemplateChange {
  name?: string;
  columns?: TemplateColumn[];
  options?: Partial<ImportOptions>;
}

/** Every target must be a field of the object, a custom field one that exists and is not archived. */
async function checkTargets(tx: Tx, objectType: ImportObject, columns: readonly TemplateColumn[]): Promise<void> {
  const custom = new Set((await customFieldsFor(tx, objectType)).filter((d) => !d.archived).map((d) => `custom.${d.key}`));
  columns.forEach((c, i) => {
    if (c.target !== null && (!fieldOf(objectType, c.target) || (c.target.startsWith("custom.") && !custom.has(c.target)))) {
      throw invalid("import_template.target_unknown", { target: c.target, column: c.title }, { field: `columns.${i}.target` });
    }
  });
}

/** A unique violation on the name becomes a readable conflict; the transaction is gone by then, so it is caught outside. */
async function uniqueName<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "import_template.name_taken", { name }, { field: "name" });
    throw err;
  }
}

/** Blank titles can never match a column; a title twice (once folded) keeps its first target. */
function distinct(columns: readonly TemplateColumn[]): TemplateColumn[] {
  const seen = new Set<string>();
  return columns.filter((c) => {
    const key = normaliseTitle(c.title);
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function loadTemplate(tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(importTemplates).where(eq(importTemplates.id, id));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound("import_template");
  return row;
}

/** The workspace's templates for one kind of record, by name. */
export async function findTemplates(ctx: Ctx, objectType: ImportObject): Promise<ImportTemplateView[]> {
  requireAccess(ctx, `${objectType}:create`);
  const rows = await readTenant(ctx, (tx) => tx.select().from(importTemplates).where(eq(importTemplates.objectType, objectType)).orderBy(asc(importTemplates.name)));
  return rows.map(present);
}

/** A template from explicit columns, or from an import's titles, mapping and options (`fromImport`). */
export async function createTemplate(ctx: Ctx, input: TemplateCreate): Promise<ImportTemplateView> {
  let values: TemplateInput;
  if ("fromImport" in input) {
    const imp = await readTenant(ctx, (tx) => loadImport(ctx, tx, input.fromImport));
    // The default owner is the uploader's own choice, not something colleagues using the template should inherit.
    const { ownerId: _owner, ...options } = imp.options;
    values = { objectType: imp.objectType, name: input.name, columns: imp.headers.map((title, i) => ({ title, target: imp.mapping[i] ?? null })), options };
  } else {
    values = input;
  }
  requireAccess(ctx, `${values.objectType}:create`);
  const columns = distinct(values.columns);
  return uniqueName(values.name, () =>
    inTenant(ctx, async (tx) => {
      await checkTargets(tx, values.objectType, columns);
      const [row] = await tx
        .insert(importTemplates)
        .values({ tenantId: ctx.tenantId, objectType: values.objectType, name: values.name, columns, options: values.options, createdBy: ctx.userId })
        .returning();
      await recordEvent(tx, ctx, { action: "import_template.created", objectType: "import_template", objectId: row!.id, after: present(row!) });
      return present(row!);
    }),
  );
}

export async function updateTemplate(ctx: Ctx, id: string, version: ExpectedVersion, change: TemplateChange): Promise<ImportTemplateView> {
  return uniqueName(change.name ?? "", () =>
    inTenant(ctx, async (tx) => {
      const current = checkVersion(await loadTemplate(tx, id, true), version, "import_template");
      requireAccess(ctx, `${current.objectType}:create`);
      const columns = change.columns ? distinct(change.columns) : undefined;
      if (columns) await checkTargets(tx, current.objectType, columns);
      const [row] = await tx
        .update(importTemplates)
        .set({ ...change, ...(columns ? { columns } : {}), version: current.version + 1, updatedAt: new Date() })
        .where(eq(importTemplates.id, id))
        .returning();
      await recordEvent(tx, ctx, { action: "import_template.updated", objectType: "import_template", objectId: id, before: present(current), after: present(row!) });
      return present(row!);
    }),
  );
}

export async function deleteTemplate(ctx: Ctx, id: string): Promise<void> {
  await inTenant(ctx, async (tx) => {
    const current = await loadTemplate(tx, id, true);
    requireAccess(ctx, `${current.objectType}:create`);
    await tx.delete(importTemplates).where(eq(importTemplates.id, id));
    await recordEvent(tx, ctx, { action: "import_template.deleted", objectType: "import_template", objectId: id, before: present(current) });
  });
}

/**
 * The mapping a template gives an import's columns: a column whose folded
 * title is one of the template's takes its target, the others keep the
 * mapping they have (the suggestion).
 */
export function templateMapping(headers: readonly string[], current: readonly (string | null)[], columns: readonly TemplateColumn[]): (string | null)[] {
  const byTitle = new Map<string, string | null>();
  for (const c of columns) {
    const key = normaliseTitle(c.title);
    if (key && !byTitle.has(key)) byTitle.set(key, c.target);
  }
  return headers.map((title, i) => {
    const key = normaliseTitle(title);
    return key && byTitle.has(key) ? byTitle.get(key)! : (current[i] ?? null);
  });
}

/** Applies a template to an import: its mapping and options through `updateImport` (versioned), then the import remembers the template. */
export async function applyTemplate(ctx: Ctx, importId: string, version: ExpectedVersion, templateId: string): Promise<ImportView> {
  const [imp, template] = await readTenant(ctx, async (tx) => [await loadImport(ctx, tx, importId), await loadTemplate(tx, templateId)] as const);
  requireAccess(ctx, `${imp.objectType}:create`);
  if (template.objectType !== imp.objectType) throw invalid("import_template.object_mismatch", {}, { field: "templateId" });
  const mapping = templateMapping(imp.headers, imp.mapping, template.columns);
  const updated = await updateImport(ctx, importId, version, { mapping, options: template.options });
  await inTenant(ctx, async (tx) => {
    // Bookkeeping only: the version stays, so the client's ETag from updateImport remains valid.
    await tx.update(imports).set({ templateId }).where(eq(imports.id, importId));
    await recordEvent(tx, ctx, { action: "import.template_applied", objectType: "import", objectId: importId, before: { templateId: imp.templateId }, after: { templateId, templateName: template.name } });
  });
  return { ...updated, templateId };
}
