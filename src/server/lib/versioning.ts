import { conflict, invalid, notFound } from "./errors.js";

/** A version number, or "any" (`If-Match: *`: update whatever the current version is). */
export type ExpectedVersion = number | "any";

/**
 * Optimistic concurrency. Services load the row FOR UPDATE (they need the
 * before-image for the event anyway) and compare versions here.
 */
export function checkVersion<T extends { version: number }>(row: T | undefined, expected: ExpectedVersion, object: string): T {
  if (!row) throw notFound(object);
  if (expected !== "any" && row.version !== expected) {
    throw conflict("errors.version_conflict", { currentVersion: row.version, yourVersion: expected });
  }
  return row;
}

/** ETag for a versioned record. */
export const etagOf = (version: number) => `"${version}"`;

/**
 * The expected version of an update: the If-Match header (an ETag we issued)
 * or, failing that, the body's `version` field.
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): ExpectedVersion {
  if (ifMatch !== undefined) {
    if (ifMatch.trim() === "*") return "any";
    const m = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
    if (!m) throw invalid("errors.version_required");
    return Number(m[1]);
  }
  if (bodyVersion === undefined) throw invalid("errors.version_required");
  return bodyVersion;
}
