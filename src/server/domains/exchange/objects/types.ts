import type { z } from "zod";
import type { Tx } from "../../../db/client.js";
import type { Ctx } from "../../../lib/context.js";
import type { Resolvers } from "../apply.js";
import type { ImportRow } from "../imports.js";
import type { ImportField } from "../mapping.js";
import type { RowIssue, RowPlan } from "../rows.js";
import type { DUPLICATE_POLICIES, DuplicateKey } from "../schema.js";

/**
 * What the import pipeline (mapping → rows → apply → undo) needs to know of
 * one kind of record: its fields and their column titles, the service schema
 * a row is checked against, how a row finds the record it duplicates, and
 * how records are created, updated and taken back. One file per object under
 * objects/ implements it through that object's domain services, in the
 * import's transaction.
 */
export interface ImportObjectDef {
  /** The fields a column can fill. */
  fields: ImportField[];
  /** Column titles per mapping target (Chinese, English, other CRMs' exports); see mapping.ts. */
  titles: Record<string, readonly string[]>;
  /** The create schema of the service: every planned row is checked against it. */
  schema: z.ZodType;
  /** Fields the plan keeps out of the schema's check and hands to the writer as they are (a contact's role on its company). */
  carry?: readonly string[];
  /** A schema path → the field it is filled from, where they differ (provinceCode ← province), to name the column of a problem. */
  schemaFields?: Record<string, string>;
  /** The planned values put into the schema's shape (a contact's name from its parts, a lead's one phone). */
  shape?(values: Record<string, unknown>): void;
  /** The keys a row may match an existing record by, and those a new import starts with. */
  keys: readonly DuplicateKey[];
  defaultKeys: readonly DuplicateKey[];
  /** What a row matching an existing record may do, when not every policy makes sense (historical orders are never rewritten: skip only). */
  policies?: readonly (typeof DUPLICATE_POLICIES)[number][];
  /**
   * Rows with the same value of this field, one after another, make one record together (an order and its
   * lines): they are written as one, under one savepoint, never split between batches (apply.ts applyGroup).
   */
  groupBy?: string;
  /** A group's rows as one plan (the header from the first row, a line per row), or the problems, each on its row. */
  combine?(plans: RowPlan[]): { plan: RowPlan } | { issues: { source: number; issue: RowIssue }[] };
  /** Whether the workspace's custom fields apply. */
  customFields: boolean;
  /** A new import's default owner: the importer, or nobody (each object says what nobody means). */
  ownerDefault: "importer" | "nobody";
  /** Checked before an undo starts (the rights to take back what the import created and restore what it changed). */
  checkUndo(ctx: Ctx, imp: ImportRow): Promise<void>;
  /** What the row refers to (a customer, a contact, a category) put into `input` as ids; the problems when one cannot be found. */
  resolve?(ctx: Ctx, tx: Tx, plan: RowPlan, input: Record<string, unknown>, resolvers: Resolvers): Promise<RowIssue[]>;
  /** The existing record the row matches by one of `keys`, if any. */
  findExisting(ctx: Ctx, tx: Tx, input: Record<string, unknown>, keys: readonly DuplicateKey[]): Promise<string | undefined>;
  /** Creates the record through the service, in `tx`; its id. */
  create(ctx: Ctx, tx: Tx, input: Record<string, unknown>): Promise<string>;
  /** The record as stored, plus what an update replaces that lives elsewhere (a contact's companies); undefined when there is none. */
  load(tx: Tx, id: string): Promise<Record<string, unknown> | undefined>;
  /** The change a row makes to `raw`, adjusted before it is written (a contact keeps its other companies). */
  adjust?(raw: Record<string, unknown>, change: Record<string, unknown>): void;
  /** Updates the record through the service, in `tx`. */
  update(ctx: Ctx, tx: Tx, id: string, change: Record<string, unknown>): Promise<void>;
  /** Values kept in import_rows.before (JSON) made into the update's input again (dates). */
  revive?(before: Record<string, unknown>): Record<string, unknown>;
  /**
   * Takes back records the import created (trash or archive, with their events), except those changed
   * since `since`: someone worked on them. The ids taken back.
   */
  removeCreated(ctx: Ctx, tx: Tx, ids: string[], since: Date, importId: string): Promise<string[]>;
}

/** An enum field's values, each with the words a file may use for it (Chinese and English labels, codes). */
export const enumOf = (values: readonly string[], words: Record<string, readonly string[]>) => Object.fromEntries(values.map((v) => [v, [v, ...(words[v] ?? [])]]));
