import type { FormInstance } from "antd";
import { changedCustom, filledCustom } from "../custom-fields/CustomFieldInputs.js";

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The keys of `next` whose value differs from `base` (arrays and objects compare whole: PATCH replaces them). */
export function changedFields<T extends object>(base: T, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (next[key] !== undefined && !same(base[key], next[key])) out[key] = next[key];
  }
  return out;
}

/** A create body without the fields nobody filled in (empty text, empty lists). */
export function withoutEmpty<T extends object>(input: T): T {
  const out = {} as T;
  for (const [key, value] of Object.entries(input) as [keyof T, unknown][]) {
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value as T[keyof T];
  }
  return out;
}

interface SavedRecord {
  id: string;
  version: number;
  custom: Record<string, unknown>;
  /** Pool details shown masked: placeholders, never values to save. */
  contactDetailsMasked: boolean;
}

/**
 * Saves a customer or contact form: a new record with the fields filled in,
 * a saved one with what changed against `inputOf(saved)` and its version;
 * `allowDuplicate` once the user chose to save a likely duplicate anyway.
 */
export function saveRecordForm<S extends SavedRecord, I extends { phones?: unknown; emails?: unknown; custom?: Record<string, unknown> }, R>({
  saved,
  input,
  inputOf,
  custom,
  allowDuplicate,
  create,
  update,
}: {
  saved: S | undefined;
  input: I;
  inputOf: (saved: S) => I;
  custom: Record<string, unknown>;
  allowDuplicate: boolean;
  create: (input: I) => Promise<R>;
  update: (id: string, input: Partial<I> & { version: number }) => Promise<R>;
}): Promise<R> {
  const extra = allowDuplicate ? { allowDuplicate: true } : {};
  if (!saved) return create({ ...withoutEmpty(input), custom: filledCustom(custom), ...extra });
  const changed = changedFields(inputOf(saved), input);
  if (saved.contactDetailsMasked) {
    delete changed.phones;
    delete changed.emails;
  }
  const changedValues = changedCustom(saved.custom, custom);
  return update(saved.id, { ...changed, ...(changedValues ? { custom: changedValues } : {}), version: saved.version, ...extra });
}

/** Trimmed text; blank → "". */
export const text = (v: string | null | undefined) => (v ?? "").trim();

/**
 * Brings the first field with an error into view after a failed save (client
 * rules or the server's VALIDATION issues, once they are on the form).
 * `showTab` lets a tabbed form open the tab that holds the field first.
 */
export function revealFirstError(form: FormInstance, showTab?: (field: string) => void): void {
  const first = form.getFieldsError().find((f) => f.errors.length > 0);
  if (!first) return;
  showTab?.(String(first.name[0]));
  // After the tab has rendered.
  setTimeout(() => form.scrollToField(first.name, { block: "center", behavior: "smooth" }), 50);
}
