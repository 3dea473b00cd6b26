import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export type JobState = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface Job {
  id: string;
  kind: string;
  state: JobState;
  progressDone: number;
  progressTotal: number | null;
  error: string | null;
  createdAt?: string;
  finishedAt?: string | null;
}

export const isFinished = (state: JobState) => state === "completed" || state === "failed" || state === "cancelled";

export const jobKey = (id: string) => ["jobs", id] as const;

/** One job, polled every second until it finishes. */
export function useJob(id: string) {
  return useQuery({
    queryKey: jobKey(id),
    queryFn: ({ signal }) => api.get<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`, undefined, signal),
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data.state) ? false : 1000),
    refetchIntervalInBackground: true,
    staleTime: 0,
  });
}

export function useRecentJobs(enabled: boolean) {
  return useQuery({
    queryKey: ["jobs", "recent"],
    queryFn: ({ signal }) => api.get<{ items: Job[] }>("/api/v1/jobs", { limit: 5 }, signal),
    enabled,
    refetchInterval: (query) => (query.state.data?.items.some((j) => !isFinished(j.state)) ? 2000 : false),
  });
}
