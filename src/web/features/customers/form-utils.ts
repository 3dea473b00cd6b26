import type { FormInstance } from "antd";

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
