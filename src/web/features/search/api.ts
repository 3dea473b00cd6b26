import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export interface SearchResult {
  objectType: "customer" | "contact";
  id: string;
  title: string;
  subtitle: string;
  ownerId: string | null;
}

export const searchKey = ["search"] as const;

/**
 * Customers and contacts matching a query: Chinese names, pinyin and initials
 * (zhangsan, zs), 繁体, phone fragments, e-mail. Nothing is asked for an empty query.
 */
export function useSearch(q: string, opts: { type?: "customer" | "contact"; limit?: number; enabled?: boolean } = {}) {
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

export const searchPath = (r: Pick<SearchResult, "objectType" | "id">) => (r.objectType === "customer" ? `/customers/${r.id}` : `/contacts/${r.id}`);
