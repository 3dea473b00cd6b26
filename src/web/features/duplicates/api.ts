import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export type DedupObject = "customer" | "contact";

/** POST/GET /api/v1/duplicates/scans */
export interface Scan {
  id: string;
  objectType: DedupObject;
  status: "queued" | "running" | "completed" | "failed";
  counts: { records: number; compared: number; pairs: number } | null;
  jobId: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface PairRecord {
  id: string;
  name: string;
  code?: string;
  phones: string[];
  emails: string[];
  ownerId: string | null;
  companies?: string[];
}

export interface PairReason {
  kind: string;
  detail: string;
  score: number;
  /** Localized by the server. */
  message: string;
}

export interface Pair {
  objectType: DedupObject;
  leftId: string;
  rightId: string;
  score: number;
  status: "pending" | "dismissed" | "merged";
  reasons: PairReason[];
  left: PairRecord;
  right: PairRecord;
}

export interface MergePreviewField {
  field: string;
  label: string | null;
  list: boolean;
  values: Record<string, unknown>;
  suggested: string;
  differs: boolean;
}

export interface MergePreview {
  objectType: DedupObject;
  survivorId: string;
  records: {
    id: string;
    name: string;
    code: string | null;
    ownerId: string | null;
    createdAt: string;
    updatedAt: string;
    version: number;
    related: { contacts: number; customers: number; activities: number; tasks: number };
  }[];
  fields: MergePreviewField[];
}

export interface Merge {
  id: string;
  objectType: DedupObject;
  survivorId: string;
  mergedIds: string[];
  choices: Record<string, string>;
  createdBy: string | null;
  createdAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
  /** Record id → name (the survivor's as it is now). */
  names: Record<string, string>;
}

export interface MergeInput {
  objectType: DedupObject;
  survivorId: string;
  mergedIds: string[];
  choices: Record<string, string>;
  version?: Record<string, number>;
}

export const duplicatesKey = ["duplicates"] as const;

export function useScans(objectType: DedupObject) {
  return useQuery({
    queryKey: [...duplicatesKey, "scans", objectType],
    queryFn: ({ signal }) => api.get<{ items: Scan[] }>("/api/v1/duplicates/scans", { objectType }, signal),
  });
}

export const startScan = (objectType: DedupObject) => api.post<Scan>("/api/v1/duplicates/scans", { objectType });

export function usePairs(objectType: DedupObject) {
  return useInfiniteQuery({
    queryKey: [...duplicatesKey, "pairs", objectType],
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: Pair[]; nextAfter: string | null }>("/api/v1/duplicates/pairs", { objectType, status: "pending", limit: 50, after: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
}

export const dismissPair = (p: Pick<Pair, "objectType" | "leftId" | "rightId">) =>
  api.post<void>("/api/v1/duplicates/pairs/dismiss", { objectType: p.objectType, leftId: p.leftId, rightId: p.rightId });

export function useMergePreview(objectType: DedupObject, ids: string[], enabled: boolean) {
  return useQuery({
    queryKey: [...duplicatesKey, "preview", objectType, ids],
    queryFn: ({ signal }) => api.get<MergePreview>("/api/v1/merges/preview", { objectType, ids: ids.join(",") }, signal),
    enabled: enabled && ids.length >= 2,
    staleTime: 0,
    gcTime: 0,
  });
}

export const createMerge = (input: MergeInput) => api.post<Merge>("/api/v1/merges", input);
export const undoMerge = (id: string) => api.post<Merge>(`/api/v1/merges/${id}/undo`);

export function useMerges(objectType: DedupObject) {
  return useQuery({
    queryKey: [...duplicatesKey, "merges", objectType],
    queryFn: ({ signal }) => api.get<{ items: Merge[] }>("/api/v1/merges", { objectType, limit: 20 }, signal),
  });
}
