import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";
import type { LeadStatus } from "../leads/api.js";

export const SEARCH_TYPES = ["customer", "contact", "lead"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface SearchResult {
  objectType: SearchType;
  id: string;
  title: string;
  subtitle: string;
  ownerId: string | null;
  /** A lead's status; null for customers and contacts. Converted leads are not found. */
  status: LeadStatus | null;
}

export const searchKey = ["search"] as const;

/**
 * Customers, contacts and leads matching a query: Chinese names, pinyin and initials
 * (zhangsan, zs), 繁体, phone fragments, e-mail. Nothing is asked for an empty query.
 */
export function useSearch(q: string, opts: { type?: SearchType; limit?: number; enabled?: boolean } = {}) {
  const query = q.trim();
  return useQuery({
    queryKey: [...searchKey, opts.type ?? "all", query, opts.limit ?? 20],
    queryFn: ({ signal }) => api.get<{ items: SearchResult[] }>("/api/v1/search", { q: query, type: opts.type, limit: opts.limit ?? 20 }, signal),
    select: (d) => d.items,
    enabled: query.length > 0 && (opts.enabled ?? true),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

const PATHS: Record<SearchType, string> = { customer: "/customers", contact: "/contacts", lead: "/leads" };
export const searchPath = (r: Pick<SearchResult, "objectType" | "id">) => `${PATHS[r.objectType]}/${r.id}`;
