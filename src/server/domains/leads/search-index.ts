import { and, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { inTenant, type Ctx } from "../../lib/context.js";
import { nationalDigits, writeIndex, type IndexDoc } from "../customers/index.js";
import { leads } from "./schema.js";

type LeadRow = typeof leads.$inferSelect;

/**
 * The lead in the global search: its person's and its company's names (with
 * pinyin and initials, as customers' names), WeChat id, phone and e-mail,
 * turned into terms by the customers' searchTerms. The subtitle never shows
 * the phone or e-mail: a pool lead's are masked for reps.
 */
export function leadIndexDoc(row: LeadRow): IndexDoc {
  return {
    objectType: "lead",
    objectId: row.id,
    ownerId: row.ownerId,
    status: row.status,
    title: row.name,
    subtitle: [row.company, row.title].filter(Boolean).join(" · "),
    deleted: row.deletedAt !== null,
    source: {
      names: [row.name, row.company].filter(Boolean),
      words: [row.wechat],
      phones: row.phone ? [nationalDigits(row.phone)] : [],
      emails: row.email ? [row.email] : [],
    },
  };
}

/** Writes the lead's search document. Every write of a lead calls it in its transaction with the row as written (owner, status and trash included). */
export const indexLead = (tx: Tx, ctx: Ctx, row: LeadRow) => writeIndex(tx, ctx.tenantId, leadIndexDoc(row));

/**
 * Brings a workspace's search index up to its leads: writes documents for
 * leads without one, and hides those of trashed leads. This is the backfill
 * of leads from before they were searchable (migration 0018 only adds the
 * status column: the terms need pinyin and 繁→简 folding, which only
 * text.ts does, so SQL cannot write them), and it catches leads written or
 * trashed by SQL that bypassed the lead services (an import's undo trashes
 * in bulk). Run by a schedule; `batch` leads per transaction.
 */
export async function syncLeadSearch(ctx: Ctx, batch = 500): Promise<{ indexed: number; hidden: number }> {
  let indexed = 0;
  for (;;) {
    const done = await inTenant(ctx, async (tx) => {
      // Leads being written right now are skipped: their writer indexes them, and this cannot overwrite a newer document with an older row.
      const rows = await tx
        .select()
        .from(leads)
        .where(
          and(
            isNull(leads.deletedAt),
            sql`not exists (select 1 from search_documents d where d.tenant_id = ${leads.tenantId} and d.object_type = 'lead' and d.object_id = ${leads.id})`,
          ),
        )
        .limit(batch)
        .for("update", { skipLocked: true });
      for (const row of rows) await indexLead(tx, ctx, row);
      return rows.length;
    });
    indexed += done;
    if (done < batch) break;
  }
  const hidden = await inTenant(ctx, async (tx) => {
    const res = await tx.execute(sql`update search_documents d set deleted = true from ${leads} l
      where d.object_type = 'lead' and not d.deleted and l.tenant_id = d.tenant_id and l.id = d.object_id and l.deleted_at is not null`);
    return res.rowCount ?? 0;
  });
  return { indexed, hidden };
}
