import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";

export type TaskStatus = "open" | "done" | "cancelled";
export type TaskPriority = "low" | "normal" | "high";
export const TASK_PRIORITIES: TaskPriority[] = ["high", "normal", "low"];
export type TaskObjectType = "customer" | "contact" | "lead" | "opportunity" | "order" | "quote";

export interface Task {
  id: string;
  title: string;
  notes: string;
  dueAt: string;
  assigneeId: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** The record the task follows up. */
  objectType: TaskObjectType | null;
  objectId: string | null;
  /** Its name or number; null when the reader may not see it. */
  recordLabel: string | null;
  /** The record's customer (also for a task on its order, quote or opportunity). */
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

export interface TaskCreateInput {
  title: string;
  notes?: string;
  dueAt: string;
  assigneeId?: string;
  priority?: TaskPriority;
  objectType?: TaskObjectType;
  objectId?: string;
}

export interface TaskUpdateInput {
  version: number;
  title?: string;
  notes?: string;
  dueAt?: string;
  assigneeId?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
}

export const tasksKey = ["tasks"] as const;
const PAGE_SIZE = 50;

/** Filters of the task list: `assigneeId` for "mine" (none: everything the reader may see). */
export interface TaskFilters {
  assigneeId?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  /** Open and past due (as of when the list is asked). */
  overdue?: boolean;
  objectType?: TaskObjectType;
  objectId?: string;
}

function listParams(f: TaskFilters) {
  const overdue = f.overdue ? [filter("status", "eq", "open"), filter("dueAt", "lt", new Date().toISOString())] : [];
  return {
    objectType: f.objectType,
    objectId: f.objectId,
    filter: [filter("assigneeId", "eq", f.assigneeId), f.overdue ? undefined : filter("status", "eq", f.status), filter("priority", "eq", f.priority), ...overdue],
  };
}

/** Tasks by filters, paged; open ones the soonest due first, others the latest first. */
export function useTasks(f: TaskFilters, options: { pageSize?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: [...tasksKey, "list", f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Task>>("/api/v1/tasks", { limit: options.pageSize ?? PAGE_SIZE, cursor: pageParam, sort: f.status === "open" || f.overdue ? "dueAt" : "-dueAt", ...listParams(f) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
  });
}

/** At most this many tasks on one calendar month; more are cut (and said so). */
export const CALENDAR_LIMIT = 600;

/** Every task due in [from, to) for the calendar (up to CALENDAR_LIMIT). */
export function useCalendarTasks(range: { from: string; to: string }, f: Pick<TaskFilters, "assigneeId" | "status" | "priority">) {
  return useQuery({
    queryKey: [...tasksKey, "calendar", range, f],
    queryFn: async ({ signal }) => {
      const items: Task[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.get<Page<Task>>(
          "/api/v1/tasks",
          { limit: 200, cursor, sort: "dueAt", ...listParams(f), filter: [...listParams(f).filter, filter("dueAt", "gte", range.from), filter("dueAt", "lt", range.to)] },
          signal,
        );
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && items.length < CALENDAR_LIMIT);
      return { items, truncated: Boolean(cursor) };
    },
    placeholderData: (prev) => prev,
  });
}

export const createTask = (input: TaskCreateInput) => api.post<Task>("/api/v1/tasks", input);
export const updateTask = (id: string, input: TaskUpdateInput) => api.patch<Task>(`/api/v1/tasks/${id}`, input);

/** Where a task's record opens in the app. */
export function recordPath(task: Pick<Task, "objectType" | "objectId">): string | null {
  if (!task.objectId) return null;
  switch (task.objectType) {
    case "customer":
      return `/customers/${task.objectId}`;
    case "contact":
      return `/contacts/${task.objectId}`;
    case "lead":
      return `/leads/${task.objectId}`;
    case "opportunity":
      return `/opportunities/${task.objectId}`;
    case "order":
      return `/orders/${task.objectId}`;
    case "quote":
      return `/quotes/${task.objectId}`;
    default:
      return null;
  }
}
