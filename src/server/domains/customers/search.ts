import { sql, type SQL } from "drizzle-orm";
import { requireAccess, can, visibleOwnerCondition } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { textArray } from "../../lib/listing.js";
import { searchDocuments } from "./schema.js";
import { planSearch } from "./text.js";

/** The WHERE of a search over search_documents (alias-free), or null when the query has nothing to look for. */
export function searchCondition(query: string): SQL | null {
  const plan = planSearch(query);
  if (!plan) return null;
  const terms = sql`${searchDocuments.terms}`;
  switch (plan.kind) {
    case "phone":
      return sql`${terms} @> ${textArray(plan.terms)}`;
    case "cjk": {
      const latin = plan.latinWords.map((w) => sql` and ${searchDocuments.latin} ilike ${"%" + w.replace(/[\\%_]/g, "\\$&") + "%"}`);
      return sql`${terms} @> ${textArray(plan.terms)}${sql.join(latin, sql``)}`;
    }
    case "latin": {
      // Typos: every word of 4+ letters must be within one edit of an indexed word.
      const { words, joined } = plan.typos;
      const typo = sql`${words.length ? sql` or (${sql.join(words.map((v) => sql`${terms} && ${textArray(v)}`), sql` and `)})` : sql``}${joined.length ? sql` or ${terms} && ${textArray(joined)}` : sql``}`;
      return sql`(${terms} && ${textArray(plan.exact)} or ${plan.text} <% ${searchDocuments.latin}${typo})`;
    }
  }
}

export interface SearchResult {
  objectType: "customer" | "contact";
  id: string;
  title: string;
  subtitle: string;
  ownerId: string | null;
}

/**
 * One search box over customers and contacts: Chinese characters and
 * bigrams, pinyin and initials, 繁/简 and full-width folding, phone suffixes,
 * e-mails, and typo-tolerant Latin words. Ranked: exact term hits first,
 * then by trigram similarity, then shorter titles.
 */
export async function search(ctx: Ctx, input: { q: string; type?: "customer" | "contact"; limit: number }): Promise<SearchResult[]> {
  const types = (["customer", "contact"] as const).filter((t) => (!input.type || input.type === t) && can(ctx, `${t}:read`));
  if (types.length === 0) requireAccess(ctx, `${input.type ?? "customer"}:read`);
  const where = searchCondition(input.q);
  if (!where) return [];
  const plan = planSearch(input.q)!;
  const rank =
    plan.kind === "latin"
      ? sql`(case when ${searchDocuments.terms} && ${textArray(plan.exact)} then 1 else 0 end) desc, word_similarity(${plan.text}, ${searchDocuments.latin}) desc`
      : sql`(case when ${searchDocuments.title} = ${input.q.trim()} then 1 else 0 end) desc`;
  // Visibility by owner; pool customers (no owner) and contacts of visible customers are checked on the records themselves.
  const visible =
    ctx.visibility === "all"
      ? sql`true`
      : sql`(${visibleOwnerCondition(ctx, searchDocuments.ownerId)}
          or (${searchDocuments.objectType} = 'customer' and exists (select 1 from customers c where c.id = ${searchDocuments.objectId} and (c.owner_id is null
              or exists (select 1 from customer_collaborators cc where cc.customer_id = c.id and cc.user_id = ${ctx.userId}))))
          or (${searchDocuments.objectType} = 'contact' and exists (select 1 from customer_contacts l join customers c on c.tenant_id = l.tenant_id and c.id = l.customer_id
              where l.contact_id = ${searchDocuments.objectId} and c.deleted_at is null and (c.owner_id is null or ${visibleOwnerCondition(ctx, sql`c.owner_id`)}))))`;
  return readTenant(ctx, (tx) =>
    tx
      .select({
        objectType: searchDocuments.objectType,
        id: searchDocuments.objectId,
        title: searchDocuments.title,
        subtitle: searchDocuments.subtitle,
        ownerId: searchDocuments.ownerId,
      })
      .from(searchDocuments)
      .where(sql`${where} and not ${searchDocuments.deleted} and ${searchDocuments.objectType} in (${sql.join(types.map((t) => sql`${t}`), sql`, `)}) and ${visible}`)
      .orderBy(rank, sql`length(${searchDocuments.title})`, searchDocuments.title)
      .limit(input.limit),
  );
}
