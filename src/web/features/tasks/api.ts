import { useInfiniteQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";

export type TaskStatus = "open" | "done" | "cancelled";

export interface Task {
  id: string;
  title: string;
  notes: string;
  dueAt: string;
  assigneeId: string;
  status: TaskStatus;
  customerId: string | null;
  contactId: string | null;
  /** The timeline entry whose "next follow-up" created it. */
  activityId: string | null;
  doneAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TaskUpdateInput {
  version: number;
  title?: string;
  notes?: string;
  dueAt?: string;
  assigneeId?: string;
  status?: TaskStatus;
}

export const tasksKey = ["tasks"] as const;
const PAGE_SIZE = 50;

/** One person's tasks of one status, the soonest due first. */
export function useTasks(f: { assigneeId: string; status: TaskStatus }) {
  return useInfiniteQuery({
    queryKey: [...tasksKey, "list", f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Task>>(
        "/api/v1/tasks",
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          sort: f.status === "open" ? "dueAt" : "-dueAt",
          filter: [filter("assigneeId", "eq", f.assigneeId), filter("status", "eq", f.status)],
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const updateTask = (id: string, input: TaskUpdateInput) => api.patch<Task>(`/api/v1/tasks/${id}`, input);
