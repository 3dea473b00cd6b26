import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export type ViewObjectType = "customer" | "contact";
export type ViewLayout = "list" | "kanban";

export interface ViewQuery {
  /** List filters, `field:op:value`. */
  filter: string[];
  sort?: string;
  q?: string;
  columns: string[];
  /** Kanban: the field whose values are the columns. */
  groupBy?: string;
}

/** A saved list view: mine, or shared with the workspace. */
export interface SavedView {
  id: string;
  objectType: ViewObjectType;
  name: string;
  ownerId: string;
  shared: boolean;
  layout: ViewLayout;
  query: ViewQuery;
  position: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ViewInput {
  objectType: ViewObjectType;
  name: string;
  shared?: boolean;
  layout?: ViewLayout;
  query: ViewQuery;
}

export const viewsKey = ["views"] as const;

export function useViews(objectType: ViewObjectType, enabled = true) {
  return useQuery({
    queryKey: [...viewsKey, objectType],
    queryFn: ({ signal }) => api.get<{ items: SavedView[] }>("/api/v1/views", { objectType }, signal),
    select: (d) => d.items,
    enabled,
  });
}

export const createView = (input: ViewInput) => api.post<SavedView>("/api/v1/views", input);
export const updateView = (id: string, input: Partial<Omit<ViewInput, "objectType">> & { version: number }) => api.patch<SavedView>(`/api/v1/views/${id}`, input);
export const deleteView = (id: string) => api.delete(`/api/v1/views/${id}`);
