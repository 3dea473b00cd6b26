import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";

export const STAGE_KINDS = ["open", "won", "lost"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export type OpportunityStatus = StageKind;

/** Fields a stage may require before an opportunity enters it (REQUIRABLE_FIELDS on the server). */
export const REQUIRABLE_FIELDS = ["amount", "expectedClose", "contactId", "products", "competitors", "description", "source"] as const;
export type RequirableField = (typeof REQUIRABLE_FIELDS)[number];

export interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
  requiredFields: string[];
}

export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  position: number;
  stages: Stage[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface StageInput {
  id?: string;
  name: string;
  probability: number;
  kind: StageKind;
  requiredFields: RequirableField[];
}
export interface PipelineInput {
  name?: string;
  isDefault?: boolean;
  stages?: StageInput[];
}

export interface OpportunityLine {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  quantity: string;
  unitPrice: string;
  discountRate: string;
  amount: string;
}

export interface Opportunity {
  id: string;
  name: string;
  pipelineId: string;
  stageId: string;
  rank: number;
  customerId: string;
  customerName: string;
  contactId: string | null;
  ownerId: string;
  amount: string;
  currency: string;
  expectedClose: string | null;
  probability: number | null;
  status: OpportunityStatus;
  source: string;
  competitors: string[];
  winReason: string;
  lossReason: string;
  description: string;
  leadId: string | null;
  stageEnteredAt: string;
  closedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Present on a single opportunity, absent in lists. */
  lines?: OpportunityLine[];
}

export interface LineInput {
  productId: string;
  quantity: string;
  unitPrice?: string;
  discountRate?: string;
}

export interface OpportunityInput {
  name?: string;
  customerId?: string;
  contactId?: string | null;
  ownerId?: string;
  amount?: string;
  currency?: string;
  expectedClose?: string | null;
  probability?: number | null;
  source?: string;
  competitors?: string[];
  description?: string;
  lines?: LineInput[];
  winReason?: string;
  lossReason?: string;
  pipelineId?: string;
  stageId?: string;
}

export interface BoardCard {
  id: string;
  name: string;
  customerId: string;
  customerName: string;
  ownerId: string;
  amount: string;
  currency: string;
  expectedClose: string | null;
  probability: number;
  status: OpportunityStatus;
  rank: number;
  stageEnteredAt: string;
  version: number;
}

export interface BoardColumn {
  stage: Stage;
  count: number;
  amount: string;
  weighted: string;
  cards: BoardCard[];
}

export interface Board {
  pipeline: Pipeline;
  /** The workspace's base currency: the sums are in it. */
  currency: string;
  missingRates: string[];
  columns: BoardColumn[];
}

export interface HistoryItem {
  seq: number;
  stageId: string;
  stageName: string;
  kind: StageKind | null;
  enteredAt: string;
  leftAt: string | null;
  days: number;
  actorId: string | null;
}

export const pipelinesKey = ["pipelines"] as const;
export const opportunitiesKey = ["opportunities"] as const;

export function usePipelines(enabled = true) {
  return useQuery({
    queryKey: pipelinesKey,
    queryFn: ({ signal }) => api.get<{ items: Pipeline[] }>("/api/v1/pipelines", undefined, signal),
    select: (d) => d.items,
    enabled,
    staleTime: 30_000,
  });
}
export const createPipeline = (input: PipelineInput & { name: string; stages: StageInput[] }) => api.post<Pipeline>("/api/v1/pipelines", input);
export const updatePipeline = (id: string, input: PipelineInput & { version: number }) => api.patch<Pipeline>(`/api/v1/pipelines/${id}`, input);
export const deletePipeline = (id: string) => api.delete(`/api/v1/pipelines/${id}`);

/** Cards per column on the board (the server's maximum). */
export const BOARD_CARDS = 100;
export const boardKey = (pipelineId: string) => [...opportunitiesKey, "board", pipelineId] as const;

export function useBoard(pipelineId: string | undefined) {
  return useQuery({
    queryKey: boardKey(pipelineId ?? ""),
    queryFn: ({ signal }) => api.get<Board>(`/api/v1/pipelines/${pipelineId}/board`, { cards: BOARD_CARDS }, signal),
    enabled: Boolean(pipelineId),
  });
}

export interface OpportunityFilters {
  pipelineId?: string;
  stageId?: string;
  status?: OpportunityStatus;
  ownerId?: string;
  customerId?: string;
  q?: string;
  sort?: string;
}

const PAGE_SIZE = 50;

export function useOpportunities(f: OpportunityFilters, opts: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: [...opportunitiesKey, "list", f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Opportunity>>(
        "/api/v1/opportunities",
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          sort: f.sort ?? "-updatedAt",
          q: f.q?.trim(),
          filter: [
            filter("pipelineId", "eq", f.pipelineId),
            filter("stageId", "eq", f.stageId),
            filter("status", "eq", f.status),
            filter("ownerId", "eq", f.ownerId),
            filter("customerId", "eq", f.customerId),
          ].filter((x): x is string => Boolean(x)),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export const opportunityKey = (id: string) => [...opportunitiesKey, "one", id] as const;

export function useOpportunity(id: string | null | undefined) {
  return useQuery({
    queryKey: opportunityKey(id ?? ""),
    queryFn: ({ signal }) => api.get<Opportunity>(`/api/v1/opportunities/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useOpportunityHistory(id: string | null | undefined) {
  return useQuery({
    queryKey: [...opportunityKey(id ?? ""), "history"],
    queryFn: ({ signal }) => api.get<{ items: HistoryItem[] }>(`/api/v1/opportunities/${id}/history`, undefined, signal),
    select: (d) => d.items,
    enabled: Boolean(id),
  });
}

export const createOpportunity = (input: OpportunityInput & { name: string; customerId: string }) => api.post<Opportunity>("/api/v1/opportunities", input);
export const updateOpportunity = (id: string, input: OpportunityInput & { version: number }) => api.patch<Opportunity>(`/api/v1/opportunities/${id}`, input);
export const deleteOpportunity = (id: string) => api.delete(`/api/v1/opportunities/${id}`);

export interface MoveInput {
  version: number;
  stageId: string;
  /** 0-based place among the cards of the column (without the moved card); omitted: last, or unchanged within the column. */
  rank?: number;
  winReason?: string;
  lossReason?: string;
}
export const moveOpportunity = (id: string, input: MoveInput) => api.post<Opportunity>(`/api/v1/opportunities/${id}/move`, input);
