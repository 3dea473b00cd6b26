import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, isApiError, type Page } from "../../app/api.js";
import type { Duplicate } from "../customers/api.js";

export const LEAD_STATUSES = ["new", "contacted", "qualified", "converted", "lost"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** Statuses a lead can still be worked in (qualified, lost, converted from here). */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ["new", "contacted", "qualified"];

/** A lead as GET /api/v1/leads/:id answers (Lead in the server's contracts). */
export interface Lead {
  id: string;
  name: string;
  company: string;
  title: string;
  phone: string;
  email: string;
  wechat: string;
  /** In the pool, phone, e-mail and WeChat are masked without lead:manage. */
  contactDetailsMasked: boolean;
  source: string;
  campaign: string;
  provinceCode: string | null;
  cityCode: string | null;
  address: string;
  productLine: string;
  industry: string;
  notes: string;
  status: LeadStatus;
  /** null: in the lead pool. */
  ownerId: string | null;
  ownedSince: string | null;
  lastFollowUpAt: string | null;
  lostReason: string;
  customerId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  convertedAt: string | null;
  assignedByRule: string | null;
  tags: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface LeadInput {
  name?: string;
  company?: string;
  title?: string;
  phone?: string;
  email?: string;
  wechat?: string;
  source?: string;
  campaign?: string;
  provinceCode?: string | null;
  cityCode?: string | null;
  productLine?: string;
  notes?: string;
}
export type LeadCreateInput = LeadInput & { name: string; ownerId?: string; toPool?: boolean };

/** Which leads a list shows: mine, everything I may see, or the pool. */
export type LeadScope = "mine" | "all" | "pool";

export interface LeadFilters {
  scope: LeadScope;
  status?: LeadStatus;
  source?: string;
  /** A member's id (scope "all" only). */
  ownerId?: string;
  q?: string;
  sort?: string;
}

export const leadsKey = ["leads"] as const;
const PAGE_SIZE = 50;

export function useLeads(f: LeadFilters, me: string, opts: { enabled?: boolean } = {}) {
  const owner = f.scope === "mine" ? filter("ownerId", "eq", me) : f.scope === "pool" ? "ownerId:null:true" : filter("ownerId", "eq", f.ownerId);
  return useInfiniteQuery({
    queryKey: [...leadsKey, "list", f, me],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Lead>>(
        "/api/v1/leads",
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          sort: f.sort ?? "-updatedAt",
          q: f.q?.trim(),
          filter: [owner, filter("status", "eq", f.status), filter("source", "eq", f.source?.trim())].filter((x): x is string => Boolean(x)),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export const leadKey = (id: string) => [...leadsKey, "one", id] as const;

export function useLead(id: string | null | undefined, opts: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: leadKey(id ?? ""),
    queryFn: ({ signal }) => api.get<Lead>(`/api/v1/leads/${id}`, undefined, signal),
    enabled: Boolean(id),
    ...(opts.fresh ? { staleTime: 0 } : {}),
  });
}

export const createLead = (input: LeadCreateInput) => api.post<Lead>("/api/v1/leads", input);
export const updateLead = (id: string, input: LeadInput & { version: number }) => api.patch<Lead>(`/api/v1/leads/${id}`, input);
export const deleteLead = (id: string) => api.delete(`/api/v1/leads/${id}`);
export const qualifyLead = (id: string, version: number) => api.post<Lead>(`/api/v1/leads/${id}/qualify`, { version });
export const reopenLead = (id: string, version: number) => api.post<Lead>(`/api/v1/leads/${id}/reopen`, { version });
export const loseLead = (id: string, version: number, lostReason: string) => api.post<Lead>(`/api/v1/leads/${id}/lose`, { version, lostReason });
export const followUpLead = (id: string, version: number, note: string) => api.post<Lead>(`/api/v1/leads/${id}/follow-up`, { version, note });
export const assignLead = (id: string, version: number, userId: string) => api.post<Lead>(`/api/v1/leads/${id}/assign`, { version, userId });
export const claimLead = (id: string) => api.post<Lead>(`/api/v1/leads/${id}/claim`);
export const releaseLead = (id: string, reason: string) => api.post<void>(`/api/v1/leads/${id}/release`, { reason: reason || undefined });

/** The body of POST /api/v1/leads/:id/convert. */
export interface ConvertInput {
  version: number;
  customer: { existingId: string } | { name?: string; kind?: "organization" | "individual" };
  contact?: { name?: string; title?: string; phone?: string; email?: string } | null;
  opportunity?: { name: string; amount?: string; currency?: string; expectedClose?: string | null; pipelineId?: string | null } | null;
  allowDuplicate?: boolean;
}
export interface Conversion {
  lead: Lead;
  customerId: string;
  contactId: string | null;
  opportunityId: string | null;
}
export const convertLead = (id: string, input: ConvertInput) => api.post<Conversion>(`/api/v1/leads/${id}/convert`, input);

/** A conversion refused because of likely duplicates (409, details.part names the customer or the contact). */
export interface ConvertConflict {
  part: "customer" | "contact";
  mode: "warn" | "block";
  duplicates: Duplicate[];
}

export function convertConflictOf(err: unknown): ConvertConflict | null {
  if (!isApiError(err) || err.code !== "CONFLICT" || err.details.reason !== "duplicate") return null;
  return {
    part: err.details.part === "contact" ? "contact" : "customer",
    mode: err.details.mode === "block" ? "block" : "warn",
    duplicates: Array.isArray(err.details.duplicates) ? (err.details.duplicates as Duplicate[]) : [],
  };
}

// Assignment rules and pool settings

export interface AssignmentRule {
  id: string;
  name: string;
  position: number;
  provinceCodes: string[];
  productLines: string[];
  sources: string[];
  userIds: string[];
  nextIndex: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export type RuleInput = Pick<AssignmentRule, "name" | "provinceCodes" | "productLines" | "sources" | "userIds" | "active"> & { position?: number };

export const rulesKey = [...leadsKey, "rules"] as const;

export function useAssignmentRules(enabled = true) {
  return useQuery({
    queryKey: rulesKey,
    queryFn: ({ signal }) => api.get<{ items: AssignmentRule[] }>("/api/v1/lead-assignment-rules", undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}
export const createRule = (input: RuleInput) => api.post<AssignmentRule>("/api/v1/lead-assignment-rules", input);
export const updateRule = (id: string, input: Partial<RuleInput> & { version: number }) => api.patch<AssignmentRule>(`/api/v1/lead-assignment-rules/${id}`, input);
export const deleteRule = (id: string) => api.delete(`/api/v1/lead-assignment-rules/${id}`);

export interface LeadPoolSettings {
  dailyClaimLimit: number;
  maxHeld: number;
  reclaimNoFollowUpDays: number | null;
  warnDays: number;
  cooldownDays: number;
  version: number;
}
export const poolSettingsKey = [...leadsKey, "pool-settings"] as const;

export function useLeadPoolSettings(enabled = true) {
  return useQuery({
    queryKey: poolSettingsKey,
    queryFn: ({ signal }) => api.get<LeadPoolSettings>("/api/v1/lead-pool-settings", undefined, signal),
    enabled,
  });
}
export const updateLeadPoolSettings = (input: Partial<Omit<LeadPoolSettings, "version">> & { version: number }) => api.patch<LeadPoolSettings>("/api/v1/lead-pool-settings", input);
