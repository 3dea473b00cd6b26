import { asc, eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { AppError, conflict, invalid, isUniqueViolation } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid, type FieldSpec } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { memberships } from "../workspaces/schema.js";
import { customFields, type CUSTOM_FIELD_TYPES } from "./schema.js";

type Row = typeof customFields.$inferSelect;
export type CustomFieldView = Omit<Row, "tenantId" | "createdAt" | "updatedAt">;
export type ObjectType = "customer" | "contact";
type FieldType = (typeof CUSTOM_FIELD_TYPES)[number];
const present = ({ tenantId: _t, createdAt: _c, updatedAt: _u, ...rest }: Row): CustomFieldView => rest;

export async function customFieldsOf(tx: Tx, objectType: ObjectType): Promise<Row[]> {
  return tx.select().from(customFields).where(eq(customFields.objectType, objectType)).orderBy(asc(customFields.position), asc(customFields.key));
}

export async function findCustomFields(ctx: Ctx, objectType?: ObjectType): Promise<CustomFieldView[]> {
  requireAccess(ctx, objectType === "contact" ? "contact:read" : "customer:read");
  const rows = await readTenant(ctx, (tx) =>
    tx
      .select()
      .from(customFields)
      .where(objectType ? eq(customFields.objectType, objectType) : undefined)
      .orderBy(asc(customFields.objectType), asc(customFields.position), asc(customFields.key)),
  );
  return rows.map(present);
}

export interface CustomFieldInput {
  objectType: ObjectType;
  key: string;
  label: string;
  type: FieldType;
  options?: { value: string; label: string }[];
  required?: boolean;
  position?: number;
  archived?: boolean;
}

function checkOptions(type: FieldType, options: { value: string }[] | undefined) {
  const needs = type === "select" || type === "multiselect";
  if (needs && (!options || options.length === 0)) throw invalid("errors.custom_field_options", {}, { field: "options" });
  if (!needs && options && options.length > 0) throw invalid("errors.custom_field_options", {}, { field: "options" });
  if (options && new Set(options.map((o) => o.value)).size !== options.length) throw invalid("errors.custom_field_options", {}, { field: "options" });
}

export async function createCustomField(ctx: Ctx, input: CustomFieldInput): Promise<CustomFieldView> {
  requireAccess(ctx, "workspace:update");
  checkOptions(input.type, input.options);
  try {
    return await inTenant(ctx, async (tx) => {
      const [row] = await tx.insert(customFields).values({ ...input, tenantId: ctx.tenantId }).returning();
      await recordEvent(tx, ctx, { action: "custom_field.created", objectType: "custom_field", objectId: row!.id, after: present(row!) });
      return present(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "custom_fields_key")) throw conflict("errors.name_taken", { field: "key" });
    throw err;
  }
}

/** Key, object and type are fixed once created (stored values depend on them); the rest may change. */
export async function updateCustomField(
  ctx: Ctx,
  id: string,
  version: ExpectedVersion,
  input: Partial<Pick<CustomFieldInput, "label" | "options" | "required" | "position" | "archived">>,
): Promise<CustomFieldView> {
  requireAccess(ctx, "workspace:update");
  return inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(customFields).where(eq(customFields.id, id)).for("update");
    checkVersion(current, version, "custom_field");
    if (input.options !== undefined) checkOptions(current!.type, input.options);
    const [row] = await tx.update(customFields).set({ ...input, version: current!.version + 1, updatedAt: new Date() }).where(eq(customFields.id, id)).returning();
    await recordEvent(tx, ctx, { action: "custom_field.updated", objectType: "custom_field", objectId: id, before: present(current!), after: present(row!) });
    return present(row!);
  });
}

const URL_RE = /^https?:\/\/[^\s]+$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONEY_RE = /^-?\d{1,16}(\.\d{1,2})?$/;

/**
 * Checks the `custom` values of a create or update against the workspace's
 * definitions and merges them into the stored ones (null clears a value).
 * Unknown keys, wrong types and missing required fields are 400s with one
 * issue per field, under path ["custom", key].
 */
export async function applyCustomValues(
  tx: Tx,
  objectType: ObjectType,
  input: Record<string, unknown> | undefined,
  current: Record<string, unknown>,
  creating: boolean,
): Promise<Record<string, unknown>> {
  const checked = checkCustomValues(await customFieldsOf(tx, objectType), input, current, creating);
  const { next, issues, userIds } = checked;
  if (userIds.length) {
    const found = new Set((await tx.select({ id: memberships.userId }).from(memberships).where(anyUuid(memberships.userId, userIds.map((u) => u.id)))).map((r) => r.id));
    for (const u of userIds) if (!found.has(u.id)) issues.push({ path: ["custom", u.key], message: "errors.custom_field_user", code: "invalid_value" });
  }
  if (issues.length) throw new AppError("VALIDATION", "errors.validation", {}, { issues });
  return next;
}

export interface CustomValuesCheck {
  next: Record<string, unknown>;
  issues: { path: string[]; message: string; code: string }[];
  /** Values of user fields: the caller checks they are members. */
  userIds: { key: string; id: string }[];
}

/** applyCustomValues without the database: for many records against definitions loaded once (imports). */
export function checkCustomValues(defs: readonly Row[], input: Record<string, unknown> | undefined, current: Record<string, unknown>, creating: boolean): CustomValuesCheck {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const next: Record<string, unknown> = { ...current };
  const issues: { path: string[]; message: string; code: string }[] = [];
  const userIds: { key: string; id: string }[] = [];
  for (const [key, value] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def || def.archived) {
      issues.push({ path: ["custom", key], message: "errors.custom_field_unknown", code: "unrecognized_keys" });
      continue;
    }
    if (value === null || value === "") {
      delete next[key];
      continue;
    }
    const bad = () => issues.push({ path: ["custom", key], message: `errors.custom_field_${def.type}`, code: "invalid_type" });
    const options = new Set(def.options.map((o) => o.value));
    switch (def.type) {
      case "text":
        if (typeof value !== "string" || value.length > 2000) bad();
        else next[key] = value.trim();
        break;
      case "number":
        if (typeof value !== "number" || !Number.isFinite(value)) bad();
        else next[key] = value;
        break;
      case "money":
        if (typeof value !== "string" || !MONEY_RE.test(value)) bad();
        else next[key] = value;
        break;
      case "date":
        if (typeof value !== "string" || !DATE_RE.test(value) || Number.isNaN(Date.parse(value))) bad();
        else next[key] = value;
        break;
      case "boolean":
        if (typeof value !== "boolean") bad();
        else next[key] = value;
        break;
      case "url":
        if (typeof value !== "string" || !URL_RE.test(value) || value.length > 2000) bad();
        else next[key] = value;
        break;
      case "select":
        if (typeof value !== "string" || !options.has(value)) bad();
        else next[key] = value;
        break;
      case "multiselect":
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !options.has(v))) bad();
        else next[key] = [...new Set(value as string[])];
        break;
      case "user":
        if (typeof value !== "string" || !/^[0-9a-f-]{36}$/i.test(value)) bad();
        else {
          userIds.push({ key, id: value.toLowerCase() });
          next[key] = value.toLowerCase();
        }
        break;
    }
  }
  for (const def of defs) {
    if (def.required && !def.archived && (creating || input?.[def.key] !== undefined) && (next[def.key] === undefined || next[def.key] === null)) {
      issues.push({ path: ["custom", def.key], message: "errors.custom_field_required", code: "too_small" });
    }
  }
  return { next, issues, userIds };
}

/** List filters and sorts for custom fields: `filter=custom.<key>:eq:…`, `sort=-custom.<key>`. */
export function customListingFields(defs: Row[], column: AnyPgColumn): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  for (const d of defs) {
    const text = sql`(${column} ->> ${d.key})`;
    const value = (row: Record<string, unknown>) => {
      const v = (row.custom as Record<string, unknown> | undefined)?.[d.key] ?? null;
      return d.type === "number" || d.type === "money" ? (v === null ? null : Number(v)) : v;
    };
    const name = `custom.${d.key}`;
    switch (d.type) {
      case "number":
      case "money":
        out[name] = { column: sql`(${text})::numeric`, type: "number", filter: true, sort: true, nullable: true, value };
        break;
      case "boolean":
        out[name] = { column: sql`(${text})::boolean`, type: "boolean", filter: true, value };
        break;
      case "user":
        out[name] = { column: sql`(${text})::uuid`, type: "uuid", filter: true, value };
        break;
      case "select":
        out[name] = { column: text, type: "enum", values: d.options.map((o) => o.value), filter: true, sort: true, nullable: true, value };
        break;
      case "multiselect":
        out[name] = { column: sql`array(select jsonb_array_elements_text(${column} -> ${d.key}))`, type: "enum", values: d.options.map((o) => o.value), filter: true, array: true };
        break;
      default:
        out[name] = { column: text, type: "text", filter: true, sort: true, nullable: true, value };
    }
  }
  return out;
}

export async function listingFieldsFor(tx: Tx, objectType: ObjectType, column: AnyPgColumn) {
  return customListingFields(await customFieldsOf(tx, objectType), column);
}

