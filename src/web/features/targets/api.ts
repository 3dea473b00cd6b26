import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export const TARGET_METRICS = ["order_amount", "payment_amount", "new_customers", "won_deals"] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export const PERIOD_TYPES = ["month", "quarter", "year"] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export type TargetScope = "company" | "department" | "team" | "user";

export interface Target {
  id: string;
  metric: TargetMetric;
  periodType: PeriodType;
  periodStart: string;
  period: { type: PeriodType; start: string; end: string };
  scope: TargetScope;
  scopeId: string;
  scopeName: string;
  amount: string;
  parentId: string | null;
  notes: string;
  actual: string;
  attainment: number | null;
  childrenTotal: string;
  childCount: number;
  version: number;
}

export interface TargetDetail extends Target {
  children: Target[];
}

export interface TargetInput {
  metric: TargetMetric;
  periodType: PeriodType;
  periodStart: string;
  scope: TargetScope;
  scopeId?: string;
  amount: string;
  parentId?: string | null;
  notes?: string;
}

export interface Leaderboard {
  metric: TargetMetric;
  period: { start: string; end: string };
  currency: string;
  items: { rank: number; userId: string; name: string; actual: string; target: string | null; attainment: number | null }[];
}

export interface ForecastFigures {
  openCount: number;
  pipeline: string;
  weighted: string;
  actual: string;
  projected: string;
  target: string | null;
  projectedAttainment: number | null;
}

export interface Forecast {
  period: { start: string; end: string };
  currency: string;
  missingRates: string[];
  items: (ForecastFigures & { ownerId: string; name: string })[];
  totals: ForecastFigures;
}

export const targetsKey = ["targets"] as const;

export function useTargets(q: { on: string; periodType: PeriodType; metric: TargetMetric }) {
  return useQuery({
    queryKey: [...targetsKey, "list", q],
    queryFn: ({ signal }) => api.get<{ items: Target[] }>("/api/v1/targets", q, signal),
    select: (d) => d.items,
    placeholderData: keepPreviousData,
  });
}

export function useLeaderboard(q: { on: string; periodType: PeriodType; metric: TargetMetric }) {
  return useQuery({
    queryKey: [...targetsKey, "leaderboard", q],
    queryFn: ({ signal }) => api.get<Leaderboard>("/api/v1/targets/leaderboard", q, signal),
    placeholderData: keepPreviousData,
  });
}

export function useForecast(q: { on: string; periodType: PeriodType }, enabled = true) {
  return useQuery({
    queryKey: [...targetsKey, "forecast", q],
    queryFn: ({ signal }) => api.get<Forecast>("/api/v1/targets/forecast", q, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export const createTarget = (input: TargetInput) => api.post<Target>("/api/v1/targets", input);
export const updateTarget = (id: string, input: { version: number; amount?: string; notes?: string }) => api.patch<Target>(`/api/v1/targets/${id}`, input);
export const deleteTarget = (id: string) => api.delete(`/api/v1/targets/${id}`);
export const breakDownTarget = (id: string, children: { scope: Exclude<TargetScope, "company">; scopeId: string; amount: string }[]) =>
  api.post<TargetDetail>(`/api/v1/targets/${id}/breakdown`, { children });

/** Counts are whole numbers; the rest are money. */
export const isCount = (metric: TargetMetric) => metric === "new_customers" || metric === "won_deals";
