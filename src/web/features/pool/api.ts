import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

/** A public pool (公海) and its rules. */
export interface Pool {
  id: string;
  name: string;
  isDefault: boolean;
  dailyClaimLimit: number;
  maxHeld: number;
  /** Owned customers go back after this many days without a follow-up (null: never). */
  reclaimNoFollowUpDays: number | null;
  /** … or without a deal. */
  reclaimNoDealDays: number | null;
  warnDays: number;
  cooldownDays: number;
  version: number;
}

export type PoolInput = Omit<Pool, "id" | "version">;

export const poolsKey = ["pools"] as const;

export function usePools(enabled = true) {
  return useQuery({
    queryKey: poolsKey,
    queryFn: ({ signal }) => api.get<{ items: Pool[] }>("/api/v1/pools", undefined, signal),
    select: (d) => d.items,
    enabled,
    staleTime: 60_000,
  });
}

export const createPool = (input: Partial<PoolInput> & { name: string }) => api.post<Pool>("/api/v1/pools", input);
export const updatePool = (id: string, input: Partial<PoolInput> & { version: number }) => api.patch<Pool>(`/api/v1/pools/${id}`, input);

/** 领取: 409 with details.reason claimed, daily_limit, hold_limit or cooldown (the message says which). */
export const claimCustomer = (id: string) => api.post<{ id: string; ownerId: string }>(`/api/v1/customers/${id}/claim`);
/** 释放: back into a pool (its own, or the one chosen). */
export const releaseCustomer = (id: string, input: { poolId?: string; reason?: string }) => api.post<void>(`/api/v1/customers/${id}/release`, input);
