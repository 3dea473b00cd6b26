import { sql, type SQL } from "drizzle-orm";
import { requireAccess } from "../../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../../lib/context.js";
import { conflict, invalid, notFound } from "../../../lib/errors.js";
import { recordEvent } from "../../../lib/events.js";
import { translate } from "../../../lib/i18n.js";
import { contactVisible, customerVisible } from "../../customers/index.js";
import { maskEmail, maskInPool, maskPhone } from "../../customers/pool.js";
import type { PairReason } from "../schema.js";
import type { PairListQuery } from "./contracts.js";
import "./messages.js";
import type { DedupObject } from "./similarity.js";

/**
 * The review queue of the duplicate scan: probable duplicates by score, both
 * records summarised, each reason with a message in the caller's language.
 * A pair is shown only when the caller may see both of its records.
 */

export interface RecordSummary {
  id: string;
  name: string;
  code?: string;
  phones: string[];
  emails: string[];
  ownerId: string | null;
  companies?: string[];
}

export interface PairView {
  objectType: DedupObject;
  leftId: string;
  rightId: string;
  score: number;
  status: "pending" | "dismissed" | "merged";
  reasons: (PairReason & { message: string })[];
  left: RecordSummary;
  right: RecordSummary;
}

/** Both records of a pair visible to the caller (and, unless reviewing merged pairs, not deleted). */
function visiblePair(ctx: Ctx, objectType: DedupObject, live: boolean): SQL {
  const side = (col: "left_id" | "right_id") => {
    const alive = live ? sql` and x.deleted_at is null and x.merged_into is null` : sql``;
    if (objectType === "customer") {
      return sql`exists (select 1 from customers x where x.tenant_id = p.tenant_id and x.id = p.${sql.raw(col)}${alive} and ${customerVisible(ctx, { ownerId: sql`x.owner_id`, id: sql`x.id` })})`;
    }
    return sql`exists (select 1 from contacts x where x.tenant_id = p.tenant_id and x.id = p.${sql.raw(col)}${alive} and ${contactVisible(ctx, sql`x.owner_id`, sql`x.id`)})`;
  };
  return sql`${side("left_id")} and ${side("right_id")}`;
}

const encodeCursor = (row: { score: number; left_id: string; right_id: string }) => Buffer.from(JSON.stringify([row.score, row.left_id, row.right_id])).toString("base64url");
function decodeCursor(after: string): [number, string, string] {
  try {
    const v = JSON.parse(Buffer.from(after, "base64url").toString("utf8")) as unknown;
    const uuid = /^[0-9a-f-]{36}$/;
    if (Array.isArray(v) && typeof v[0] === "number" && uuid.test(String(v[1])) && uuid.test(String(v[2]))) return [v[0], String(v[1]), String(v[2])];
  } catch {
    // fall through
  }
  throw invalid("dedup.bad_cursor", {}, { field: "after" });
}

async function summaries(ctx: Ctx, objectType: DedupObject, ids: string[]): Promise<Map<string, RecordSummary>> {
  const list = `{${ids.join(",")}}`;
  const out = new Map<string, RecordSummary>();
  type Row = { id: string; name: string; code?: string; owner_id: string | null; phones: { number: string }[]; emails: { address: string }[]; companies?: string[] };
  const rows = await readTenant(ctx, async (tx) =>
    objectType === "customer"
      ? (await tx.execute<Row>(sql`select id, name, code, owner_id, phones, emails from customers where id = any(${list}::uuid[])`)).rows
      : (
          await tx.execute<Row>(sql`
            select c.id, c.name, c.owner_id, c.phones, c.emails,
              array(select k.name from customer_contacts l join customers k on k.tenant_id = l.tenant_id and k.id = l.customer_id
                    where l.contact_id = c.id and k.deleted_at is null order by k.name) as companies
            from contacts c where c.id = any(${list}::uuid[])`)
        ).rows,
  );
  for (const r of rows) {
    // As the record's own page shows them: a pool record's phones and e-mails are masked.
    const masked = maskInPool(ctx, r.owner_id);
    out.set(r.id, {
      id: r.id,
      name: r.name,
      ...(r.code !== undefined ? { code: r.code } : {}),
      phones: r.phones.map((p) => (masked ? maskPhone(p.number) : p.number)),
      emails: r.emails.map((e) => (masked ? maskEmail(e.address) : e.address)),
      ownerId: r.owner_id,
      ...(r.companies ? { companies: r.companies } : {}),
    });
  }
  return out;
}

/** A page of the review queue, by score (highest first). */
export async function listPairs(ctx: Ctx, query: PairListQuery): Promise<{ items: PairView[]; nextAfter: string | null }> {
  requireAccess(ctx, `${query.objectType}:update`);
  const cursor = query.after ? decodeCursor(query.after) : null;
  const { rows } = await readTenant(ctx, (tx) =>
    tx.execute<{ left_id: string; right_id: string; score: number; status: PairView["status"]; reasons: PairReason[] }>(sql`
      select p.left_id, p.right_id, p.score, p.status, p.reasons from duplicate_pairs p
      where p.object_type = ${query.objectType} and p.status = ${query.status}
        and ${visiblePair(ctx, query.objectType, query.status !== "merged")}
        ${cursor ? sql`and (p.score < ${cursor[0]}::real or (p.score = ${cursor[0]}::real and (p.left_id, p.right_id) > (${cursor[1]}::uuid, ${cursor[2]}::uuid)))` : sql``}
      order by p.score desc, p.left_id, p.right_id
      limit ${query.limit + 1}`),
  );
  const page = rows.slice(0, query.limit);
  const records = await summaries(ctx, query.objectType, [...new Set(page.flatMap((r) => [r.left_id, r.right_id]))]);
  const items = page
    .filter((r) => records.has(r.left_id) && records.has(r.right_id))
    .map((r) => ({
      objectType: query.objectType,
      leftId: r.left_id,
      rightId: r.right_id,
      score: Number(r.score),
      status: r.status,
      reasons: r.reasons.map((x) => ({ ...x, message: translate(ctx.locale, `dedup.reason.${x.kind}`, { detail: x.detail }) })),
      left: records.get(r.left_id)!,
      right: records.get(r.right_id)!,
    }));
  const last = page.at(-1);
  return { items, nextAfter: rows.length > query.limit && last ? encodeCursor({ ...last, score: Number(last.score) }) : null };
}

/** Marks a pair "not a duplicate": later scans keep it dismissed. */
export async function dismissPair(ctx: Ctx, input: { objectType: DedupObject; leftId: string; rightId: string }): Promise<void> {
  requireAccess(ctx, `${input.objectType}:update`);
  const [leftId, rightId] = input.leftId < input.rightId ? [input.leftId, input.rightId] : [input.rightId, input.leftId];
  await inTenant(ctx, async (tx) => {
    const { rows } = await tx.execute<{ status: PairView["status"]; score: number }>(sql`
      select p.status, p.score from duplicate_pairs p
      where p.object_type = ${input.objectType} and p.left_id = ${leftId}::uuid and p.right_id = ${rightId}::uuid and ${visiblePair(ctx, input.objectType, false)}
      for update of p`);
    const pair = rows[0];
    if (!pair) throw notFound("duplicate_pair");
    if (pair.status === "merged") throw conflict("dedup.pair_merged");
    if (pair.status === "dismissed") return;
    await tx.execute(sql`
      update duplicate_pairs set status = 'dismissed', reviewed_by = ${ctx.userId}::uuid, reviewed_at = now()
      where object_type = ${input.objectType} and left_id = ${leftId}::uuid and right_id = ${rightId}::uuid`);
    await recordEvent(tx, ctx, {
      action: "duplicate_pair.dismissed",
      objectType: "duplicate_pair",
      objectId: `${leftId}:${rightId}`,
      before: { status: pair.status },
      after: { status: "dismissed" },
      data: { objectType: input.objectType, leftId, rightId, score: Number(pair.score) },
    });
  });
}
