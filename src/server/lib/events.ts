import type { Tx } from "../db/client.js";
import { events, type FieldChange } from "../domains/audit/schema.js";
import type { Ctx } from "./context.js";

/** Fields whose values never reach the event log; that they changed is still recorded. */
const REDACTED = new Set(["passwordHash", "totpSecret", "tokenHash", "password"]);
/** Bookkeeping that changes with every update and says nothing to an auditor. */
const IGNORED = new Set(["updatedAt", "version", "createdAt"]);

type Row = Record<string, unknown> | null | undefined;

const normalise = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);

/** Before/after of each field that differs between two versions of a record. */
export function diffFields(before: Row, after: Row): Record<string, FieldChange> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Record<string, FieldChange> = {};
  for (const key of keys) {
    if (IGNORED.has(key)) continue;
    const b = normalise(before?.[key]);
    const a = normalise(after?.[key]);
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes[key] = REDACTED.has(key)
      ? { before: b === null ? null : "[redacted]", after: a === null ? null : "[redacted]" }
      : { before: b, after: a };
  }
  return changes;
}

export interface EventInput {
  /** "<object>.<verb>", e.g. "user.created"; subscribers match on it. */
  action: string;
  objectType: string;
  objectId: string;
  before?: Row;
  after?: Row;
  data?: Record<string, unknown>;
}

/**
 * Writes the event row of a mutation. Call it with the mutation's own
 * transaction: the change and its event commit or roll back together.
 */
export async function recordEvent(tx: Tx, ctx: Ctx, input: EventInput): Promise<void> {
  await tx.insert(events).values({
    tenantId: ctx.tenantId,
    actorUserId: ctx.userId,
    actorType: ctx.actorType,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    changes: diffFields(input.before, input.after),
    data: { ...(ctx.tokenId ? { tokenId: ctx.tokenId } : {}), ...input.data },
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
}
