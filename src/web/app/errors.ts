import { App, type FormInstance } from "antd";
import { useCallback } from "react";
import { isApiError } from "./api.js";
import i18n from "../i18n/index.js";

export function errorMessage(err: unknown): string {
  if (isApiError(err)) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return i18n.t("errors.loadFailed");
}

/**
 * Puts VALIDATION issues on the matching form fields. Returns true when every
 * issue found a field; otherwise the caller should also show the message.
 */
export function applyFormErrors(form: FormInstance, err: unknown): boolean {
  if (!isApiError(err)) return false;
  const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
  // A uniqueness CONFLICT names its field ("this email is already a member").
  const conflictField = err.code === "CONFLICT" ? err.details.field : undefined;
  if (typeof conflictField === "string" && known.has(conflictField)) {
    form.setFields([{ name: conflictField, errors: [err.message] }]);
    return true;
  }
  if (err.code !== "VALIDATION" || err.issues.length === 0) return false;
  const fields = new Map<string, { name: (string | number)[]; errors: string[] }>();
  let unmatched = false;
  for (const issue of err.issues) {
    // The server's paths come from JSON pointers ("phones/0/number"): list indexes arrive as strings, Form.List names them with numbers.
    const path = (issue.path ?? []).map((p) => (typeof p === "string" && /^\d+$/.test(p) ? Number(p) : p));
    const head = path[0];
    if (head === undefined || !known.has(String(head))) {
      unmatched = true;
      continue;
    }
    const key = path.join(".");
    const entry = fields.get(key) ?? { name: path, errors: [] };
    entry.errors.push(issue.message);
    fields.set(key, entry);
  }
  form.setFields([...fields.values()]);
  return !unmatched;
}

/** Shows an API error: on the form fields when it is a validation error, else as a message toast. */
export function useShowError() {
  const { message } = App.useApp();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      if (form && applyFormErrors(form, err)) return;
      // Issues that no field shows would otherwise be lost behind "some fields are invalid".
      const stray = isApiError(err) ? err.issues.filter((i) => !form || !fieldExists(form, i.path[0])) : [];
      const text = stray.length ? `${errorMessage(err)}: ${stray.map((i) => i.message).join("; ")}` : errorMessage(err);
      void message.error(text);
    },
    [message],
  );
}

/** Someone else saved the record since it was loaded (optimistic concurrency via `version`). */
export function isVersionConflict(err: unknown): boolean {
  return isApiError(err) && err.code === "CONFLICT" && "currentVersion" in err.details;
}

function fieldExists(form: FormInstance, head: string | number | undefined): boolean {
  return head !== undefined && Object.prototype.hasOwnProperty.call(form.getFieldsValue() as object, String(head));
}

/**
 * The error handler of a save: someone else's newer version warns and reloads
 * (`onConflict`); anything else goes onto the form's fields or into a toast.
 */
export function useSaveErrorHandler() {
  const { message } = App.useApp();
  const showError = useShowError();
  return useCallback(
    (err: unknown, form: FormInstance | undefined, onConflict: () => void) => {
      if (isVersionConflict(err)) {
        void message.warning(`${errorMessage(err)} ${i18n.t("errors.conflictReloaded")}`);
        onConflict();
        return;
      }
      showError(err, form);
    },
    [message, showError],
  );
}
