import { and, asc, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../lib/context.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid } from "../../lib/listing.js";
import { listingFieldsFor } from "./custom-fields.js";
import { customerListing } from "./customers.js";
import { customers, customerSettings } from "./schema.js";

type Rules = (typeof customerSettings.$inferSelect)["gradeRules"];
type Grade = "A" | "B" | "C";

/**
 * The grade the workspace's rules give a customer, as SQL: the first rule
 * whose filters (the list filter syntax) all match, else the default grade.
 * Throws 400 for a filter the list would refuse.
 */
export async function gradeExpression(tx: Tx, rules: Rules, defaultGrade: Grade | null): Promise<SQL | null> {
  if (rules.length === 0 && defaultGrade === null) return null;
  const dynamic = await listingFieldsFor(tx, "customer", customers.custom);
  const whens = rules.map((r) => {
    const cond = customerListing.where(r.filter, dynamic) ?? sql`true`;
    return sql`when ${cond} then ${r.grade}`;
  });
  return sql`(case ${sql.join(whens, sql` `)} else ${defaultGrade} end)`;
}

/**
 * Re-grades customers without a manual grade (all of them, or `ids`), in
 * batches after `afterId`; each change is audited. Returns how many changed
 * and the last id seen (for a resumable job).
 */
export async function regrade(tx: Tx, ctx: Ctx, opts: { ids?: string[]; afterId?: string; batch?: number } = {}): Promise<{ changed: number; lastId: string | null; seen: number }> {
  const [settings] = await tx.select().from(customerSettings).where(eq(customerSettings.tenantId, ctx.tenantId));
  const expr = settings ? await gradeExpression(tx, settings.gradeRules, settings.defaultGrade) : null;
  const rows = await tx
    .select({ id: customers.id, grade: customers.grade, computed: expr ? sql<Grade | null>`${expr}` : sql<Grade | null>`null` })
    .from(customers)
    .where(
      and(
        isNull(customers.deletedAt),
        eq(customers.gradeManual, false),
        opts.ids ? anyUuid(customers.id, opts.ids) : undefined,
        opts.afterId ? gt(customers.id, opts.afterId) : undefined,
      ),
    )
    .orderBy(asc(customers.id))
    .limit(opts.batch ?? 100_000)
    .for("update");
  let changed = 0;
  for (const r of rows) {
    if (r.computed === r.grade) continue;
    await tx.update(customers).set({ grade: r.computed }).where(eq(customers.id, r.id));
    await recordEvent(tx, ctx, { action: "customer.graded", objectType: "customer", objectId: r.id, before: { grade: r.grade }, after: { grade: r.computed } });
    changed++;
  }
  return { changed, lastId: rows.at(-1)?.id ?? null, seen: rows.length };
}
