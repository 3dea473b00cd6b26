import { sql, type SQL } from "drizzle-orm";
import { requireAccess, can } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { textArray } from "../../lib/listing.js";
import { leadVisible } from "../leads/index.js";
import { contactVisible, customerVisible } from "./policy.js";
import { searchDocuments } from "./schema.js";
import { planSearch, type SearchPlan } from "./text.js";

const terms = sql`${searchDocuments.terms}`;

/** Typo-tolerant arms of a Latin query: every word of 4+ letters within one edit of an indexed word, or the whole query of a whole pinyin. */
function typoArms(plan: Extract<SearchPlan, { kind: "latin" }>): SQL[] {
  const { words, joined } = plan.typos;
  const arms: SQL[] = [];
  if (words.length) arms.push(sql`(${sql.join(words.map((v) => sql`${terms} && ${textArray(v)}`), sql` and `)})`);
  if (joined.length) arms.push(sql`${terms} && ${textArray(joined)}`);
  return arms;
}

/** One step of a search: its condition, and whether any hit at all ends the search there. */
interface Tier {
  where: SQL;
  anyHitAnswers: boolean;
}

/**
 * The conditions of a search, narrowest first. A Latin query is looked up
 * (1) by its exact terms, (2) by exact or one-typo terms, (3) by trigram word
 * similarity too. The later tiers match thousands of documents in a large
 * workspace, so they run only when the earlier ones leave the page empty:
 * the first tier that fills the page is the answer, and so is any tier that
 * finds something once nothing narrower is left to try.
 */
function searchTiers(plan: SearchPlan): Tier[] {
  switch (plan.kind) {
    case "phone":
      return [{ where: sql`${terms} @> ${textArray(plan.terms)}`, anyHitAnswers: true }];
    case "cjk": {
      const latin = plan.latinWords.map((w) => sql` and ${searchDocuments.latin} ilike ${"%" + w.replace(/[\\%_]/g, "\\$&") + "%"}`);
      return [{ where: sql`${terms} @> ${textArray(plan.terms)}${sql.join(latin, sql``)}`, anyHitAnswers: true }];
    }
    case "latin": {
      const exact = sql`${terms} && ${textArray(plan.exact)}`;
      const typos = typoArms(plan);
      const trigram = sql`${plan.text} <% ${searchDocuments.latin}`;
      return [
        { where: exact, anyHitAnswers: typos.length === 0 },
        ...(typos.length ? [{ where: sql`(${sql.join([exact, ...typos], sql` or `)})`, anyHitAnswers: true }] : []),
        { where: sql`(${sql.join([exact, trigram, ...typos], sql` or `)})`, anyHitAnswers: true },
      ];
    }
  }
}

/** The WHERE of a search over search_documents (alias-free): everything the search box could find, or null when the query has nothing to look for. */
export function searchCondition(query: string): SQL | null {
  const plan = planSearch(query);
  return plan ? searchTiers(plan).at(-1)!.where : null;
}

export const SEARCH_TYPES = ["customer", "contact", "lead"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface SearchResult {
  objectType: SearchType;
  id: string;
  title: string;
  subtitle: string;
  ownerId: string | null;
  /** A lead's status; null for customers and contacts. */
  status: string | null;
}

export interface SearchInput {
  q: string;
  type?: SearchType;
  limit: number;
}

/**
 * How many matches of a tier are ranked. A word common in company names
 * (科技, 贸易) matches tens of thousands of documents in a large workspace;
 * fetching them all to rank costs 100+ ms. Beyond this many, the page is
 * ranked among the first matches the index yields, and the user narrows the
 * query. Exact titles are looked up on their own index, so they still come first.
 */
export const SEARCH_CANDIDATES = 1000;

/** The statements of a search, one per tier (see searchTiers); empty when the query has nothing to look for. */
export function searchStatements(ctx: Ctx, input: SearchInput): { statement: SQL; anyHitAnswers: boolean }[] {
  const types = SEARCH_TYPES.filter((t) => (!input.type || input.type === t) && can(ctx, `${t}:read`));
  if (types.length === 0) requireAccess(ctx, `${input.type ?? "customer"}:read`);
  const plan = planSearch(input.q);
  if (!plan) return [];
  const title = input.q.trim();
  // Ranked by r1 (an exact term or title), then r2 (trigram similarity of Latin text: not among exact hits only, where it
  // would cost a computation per candidate and tell little), then shorter titles.
  const ranks = (tier: number) =>
    plan.kind !== "latin"
      ? sql`(${searchDocuments.title} = ${title})::int as r1, 0::real as r2`
      : tier === 0
        ? sql`1 as r1, 0::real as r2`
        : sql`(${terms} && ${textArray(plan.exact)})::int as r1, word_similarity(${plan.text}, ${searchDocuments.latin}) as r2`;
  // The document carries the record's owner (kept in step by saves, claims and releases), so the pool check needs no join.
  const doc = { ownerId: searchDocuments.ownerId, id: searchDocuments.objectId };
  const visible =
    ctx.visibility === "all"
      ? sql`true`
      : sql`((${searchDocuments.objectType} = 'customer' and ${customerVisible(ctx, doc)}) or (${searchDocuments.objectType} = 'contact' and ${contactVisible(ctx, doc.ownerId, doc.id)})
          or (${searchDocuments.objectType} = 'lead' and ${leadVisible(ctx, doc.ownerId)}))`;
  // A converted lead is left out: the customer and contact it became carry its name, company, phone and e-mail and are
  // what is worked from then on (as in Salesforce, whose search and lists hide converted leads); its page stays reachable from them.
  const shown = sql`not ${searchDocuments.deleted} and ${searchDocuments.objectType} in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})
    and ${searchDocuments.status} is distinct from 'converted' and ${visible}`;
  const columns = sql`${searchDocuments.objectType} as "objectType", ${searchDocuments.objectId} as id, ${searchDocuments.title} as title, ${searchDocuments.subtitle} as subtitle, ${searchDocuments.ownerId} as "ownerId", ${searchDocuments.status} as status`;
  // Chinese text: documents titled exactly as the query first, from the title index, whatever the candidate cap.
  const exactTitles =
    plan.kind === "latin" ? sql`` : sql`(select ${columns}, 1 as r1, 0::real as r2 from ${searchDocuments} where ${searchDocuments.title} = ${title} and ${shown} limit ${input.limit}) union all `;
  const notExact = plan.kind === "latin" ? sql`` : sql` and ${searchDocuments.title} <> ${title}`;
  return searchTiers(plan).map(({ where, anyHitAnswers }, tier) => ({
    anyHitAnswers,
    statement: sql`select "objectType", id, title, subtitle, "ownerId", status from (${exactTitles}
        (select ${columns}, ${ranks(tier)} from ${searchDocuments} where ${where}${notExact} and ${shown} limit ${SEARCH_CANDIDATES})) m
      order by r1 desc, r2 desc, length(title), title limit ${input.limit}`,
  }));
}

/**
 * One search box over customers, contacts and leads: Chinese characters and
 * bigrams, pinyin and initials, 繁/简 and full-width folding, phone suffixes,
 * e-mails, and typo-tolerant Latin words. Ranked: exact term hits first,
 * then by trigram similarity, then shorter titles (see searchTiers for
 * when a broader tier runs).
 */
export async function search(ctx: Ctx, input: SearchInput): Promise<SearchResult[]> {
  return readTenant(ctx, async (tx) => {
    const tiers = searchStatements(ctx, input);
    let found: SearchResult[] = [];
    for (const tier of tiers) {
      found = (await tx.execute<SearchResult & Record<string, unknown>>(tier.statement)).rows;
      if (found.length >= input.limit || (tier.anyHitAnswers && found.length > 0)) break;
    }
    return found;
  });
}
