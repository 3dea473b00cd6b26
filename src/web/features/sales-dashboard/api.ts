import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";
import type { PeriodType, Target } from "../targets/api.js";

export type AgeingBucket = "current" | "d1_30" | "d31_60" | "d61_90" | "d90_plus";
export const AGEING_BUCKETS: AgeingBucket[] = ["current", "d1_30", "d31_60", "d61_90", "d90_plus"];

export interface StageFigures {
  pipelineId: string;
  stageId: string;
  name: string;
  kind: "open" | "won" | "lost";
  probability: number;
  count: number;
  amount: string;
  weighted: string;
}

/** GET /api/v1/sales-dashboard: every amount in the base currency, sections I have no right to are null. */
export interface SalesDashboard {
  range: { from: string; to: string };
  currency: string;
  totals: { orders: number; amount: string; payments: string } | null;
  months: { month: string; orders: number; amount: string; payments: string }[] | null;
  receivables: { asOf: string; total: string; overdue: string; buckets: Record<AgeingBucket, string> } | null;
  conversion: { leads: number; converted: number; rate: number | null } | null;
  pipeline: {
    stages: StageFigures[];
    won: { count: number; amount: string };
    lost: { count: number; amount: string };
    winRate: number | null;
    averageCycleDays: number | null;
    missingRates: string[];
  } | null;
  targets: Target[] | null;
}

export interface DashboardQuery {
  from: string;
  to: string;
  periodType: PeriodType;
}

export function useSalesDashboard(q: DashboardQuery) {
  return useQuery({
    queryKey: ["sales-dashboard", q],
    queryFn: ({ signal }) => api.get<SalesDashboard>("/api/v1/sales-dashboard", { ...q }, signal),
    placeholderData: keepPreviousData,
  });
}
