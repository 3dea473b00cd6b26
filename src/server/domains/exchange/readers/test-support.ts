/** What the reader tests share: fixtures, a temporary folder, reading every row, and the errors readers throw. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect } from "vitest";
import { AppError } from "../../../lib/errors.js";
import { translate, type Locale } from "../../../lib/i18n.js";
import type { SourceRow } from "./types.js";

export const FIXTURES = fileURLToPath(new URL("../../../../../test/fixtures/import/", import.meta.url));
export const fixture = (name: string) => path.join(FIXTURES, name);

/** A temporary folder for files built at test time, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function allRows(rows: AsyncIterable<SourceRow>): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** The AppError a promise rejects with (fails the test if it resolves, or rejects with something else or another code). */
export async function rejection(promise: Promise<unknown>, code?: AppError["code"]): Promise<AppError> {
  const outcome = await promise.then(
    () => new Error("expected a rejection"),
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(AppError);
  if (code) expect((outcome as AppError).code).toBe(code);
  return outcome as AppError;
}

export const message = (err: AppError, locale: Locale) => translate(locale, err.messageKey, err.params);
export const bothLanguages = (err: AppError) => ({ zh: message(err, "zh-CN"), en: message(err, "en-US") });
