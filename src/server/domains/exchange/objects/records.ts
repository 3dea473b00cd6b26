import { and, eq, isNull, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "../../../db/client.js";
import { arrayLiteral, Columns, insertBatch } from "../../../db/bulk.js";
import { requireAccess } from "../../../lib/access.js";
import type { Ctx } from "../../../lib/context.js";
import { searchDocuments } from "../../customers/schema.js";

/** Plumbing the object definitions share: loading a row, undo rights, the trash, events in bulk. */

type Table = PgTable & { id: AnyPgColumn; updatedAt: AnyPgColumn; version: AnyPgColumn };
type Trashable = Table & { deletedAt: AnyPgColumn };

/** A record's row by id, whatever its state (undefined when there is none). */
export function rowLoader(table: Table) {
  return async (tx: Tx, id: string): Promise<Record<string, unknown> | undefined> => {
    const [row] = await tx.select().from(table as PgTable).where(eq(table.id, id));
    return row as Record<string, unknown> | undefined;
  };
}

/** An undo check requiring these permissions. */
export const undoNeeds =
  (...permissions: string[]) =>
  async (ctx: Ctx): Promise<void> => {
    for (const p of permissions) requireAccess(ctx, p);
  };

/** `<object>.<action>` events for records an undo changed, one statement, naming the import. */
export async function undoEvents(tx: Tx, ctx: Ctx, objectType: string, action: string, ids: string[], changes: Record<string, unknown>, importId: string): Promise<void> {
  const events = new Columns("events", [
    ["actor_user_id", "uuid"], ["actor_type", "text"], ["action", "text"], ["object_type", "text"], ["object_id", "text"], ["changes", "jsonb"], ["data", "jsonb"], ["request_id", "text"],
  ]);
  const data = JSON.stringify({ importId, undo: true });
  for (const id of ids) events.push(ctx.userId, ctx.actorType, `${objectType}.${action}`, objectType, id, JSON.stringify(changes), data, ctx.requestId);
  await insertBatch(tx, [events]);
}

/**
 * Moves records an import created to the trash, as deleting them one by one
 * would (deleted_at, the search document marked deleted where the object has
 * one, a `.deleted` event each), except those changed since the import
 * finished: someone worked on them, so they stay. Returns the ids trashed.
 */
export function trasher(table: Trashable, objectType: string, opts: { deletedBy?: AnyPgColumn; searchIndex?: boolean } = {}) {
  return async (ctx: Ctx, tx: Tx, ids: string[], since: Date, importId: string): Promise<string[]> => {
    if (!ids.length) return [];
    const now = new Date();
    const set: Record<string, unknown> = { deletedAt: now, updatedAt: now, version: sql`${table.version} + 1` };
    if (opts.deletedBy) set.deletedBy = ctx.userId;
    const trashed = (await tx
      .update(table as PgTable)
      .set(set)
      .where(and(sql`${table.id} = any(${arrayLiteral(ids)}::uuid[])`, isNull(table.deletedAt), sql`${table.updatedAt} <= ${since.toISOString()}::timestamptz`))
      .returning({ id: table.id })) as { id: string }[];
    const gone = trashed.map((r) => r.id);
    if (!gone.length) return [];
    if (opts.searchIndex) {
      await tx
        .update(searchDocuments)
        .set({ deleted: true })
        .where(and(eq(searchDocuments.objectType, objectType as "customer" | "contact" | "lead"), sql`${searchDocuments.objectId} = any(${arrayLiteral(gone)}::uuid[])`));
    }
    await undoEvents(tx, ctx, objectType, "deleted", gone, { deletedAt: { before: null, after: now.toISOString() } }, importId);
    return gone;
  };
}
